// Sorting and scans along the middle axis of [outer, len, inner] f32 (the host moves the dim
// there by its strides: element (o, k, i) at x + 4*((o*len + k)*inner + i)).

/** Whether value a goes after value b in the order (ascending, or descending when desc): NaN
 *  counts as larger than every number, as torch.sort. */
// @ts-ignore: decorator
@inline function after(a: f32, b: f32, desc: bool): bool {
  if (desc) return (b > a) || (b != b && a == a);
  return (a > b) || (a != a && b == b);
}

/** idx (i32, the same [outer, len, inner] layout) gets, for each (o, i), the positions 0..len-1
 *  in sorted order of their values: stable (equal values keep their order), ascending, or
 *  descending when desc != 0. scratch: 8*len bytes. A bottom-up merge sort of positions. */
export function argsort_f32(idx: usize, x: usize, outer: i32, len: i32, inner: i32, desc: i32, scratch: usize): void {
  if (len <= 0) return;
  const d = desc != 0;
  const step = <usize>inner << 2;
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    const row = x + (<usize>(o * len * inner + i) << 2);
    let a = scratch, b = scratch + (<usize>len << 2);
    for (let k = 0; k < len; k++) store<i32>(a + (<usize>k << 2), k);
    for (let width = 1; width < len; width <<= 1) {
      for (let lo = 0; lo < len; lo += width << 1) {
        const mid = min(lo + width, len), hi = min(lo + (width << 1), len);
        let l = lo, r = mid, t = lo;
        while (l < mid && r < hi) {
          const pl = load<i32>(a + (<usize>l << 2)), pr = load<i32>(a + (<usize>r << 2));
          // take the right one only when the left one goes strictly after it (stability)
          if (after(load<f32>(row + <usize>pl * step), load<f32>(row + <usize>pr * step), d)) {
            store<i32>(b + (<usize>t << 2), pr); r++;
          } else {
            store<i32>(b + (<usize>t << 2), pl); l++;
          }
          t++;
        }
        while (l < mid) { store<i32>(b + (<usize>t << 2), load<i32>(a + (<usize>l << 2))); l++; t++; }
        while (r < hi) { store<i32>(b + (<usize>t << 2), load<i32>(a + (<usize>r << 2))); r++; t++; }
      }
      const s = a; a = b; b = s;
    }
    const out = idx + (<usize>(o * len * inner + i) << 2);
    for (let k = 0; k < len; k++) store<i32>(out + <usize>k * step, load<i32>(a + (<usize>k << 2)));
  }
}

/** out = running sums along the middle axis (from the end when reverse != 0), accumulated in f64
 *  as PyTorch's CPU cumsum does and rounded to f32 per element. out may alias x. */
export function cumsum_f32(out: usize, x: usize, outer: i32, len: i32, inner: i32, reverse: i32): void {
  const step = <usize>inner << 2;
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    const base = <usize>(o * len * inner + i) << 2;
    let s: f64 = 0;
    if (reverse != 0) {
      for (let k = len - 1; k >= 0; k--) {
        const p = base + <usize>k * step;
        s += <f64>load<f32>(x + p);
        store<f32>(out + p, <f32>s);
      }
    } else {
      for (let k = 0; k < len; k++) {
        const p = base + <usize>k * step;
        s += <f64>load<f32>(x + p);
        store<f32>(out + p, <f32>s);
      }
    }
  }
}
