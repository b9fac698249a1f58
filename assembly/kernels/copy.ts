// Data movement for 32-bit elements (f32 and i32 alike): strided gather into contiguous
// memory (materializes any view), fills, casts and select.

/** out[i0,i1,i2,i3] = x[i0,i1,i2,i3] for the [d0,d1,d2,d3] box, both sides with their own element
 *  strides (o* for out, s* for x; stride 0 on x broadcasts). Materializes any view, and writes into
 *  a strided view of a larger buffer. out must not overlap x. */
export function copy_strided_32(out: usize, x: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  o0: i32, o1: i32, o2: i32, o3: i32, s0: i32, s1: i32, s2: i32, s3: i32): void {
  for (let i0 = 0; i0 < d0; i0++) for (let i1 = 0; i1 < d1; i1++) for (let i2 = 0; i2 < d2; i2++) {
    const px = x + (<usize>(i0 * s0 + i1 * s1 + i2 * s2) << 2);
    const po = out + (<usize>(i0 * o0 + i1 * o1 + i2 * o2) << 2);
    let i = 0;
    if (o3 == 1 && s3 == 1) {
      for (; i + 4 <= d3; i += 4) v128.store(po + (<usize>i << 2), v128.load(px + (<usize>i << 2)));
    } else if (o3 == 1 && s3 == 0) {
      const v = v128.load32_splat(px);
      for (; i + 4 <= d3; i += 4) v128.store(po + (<usize>i << 2), v);
    }
    for (; i < d3; i++) store<i32>(po + (<usize>(i * o3) << 2), load<i32>(px + (<usize>(i * s3) << 2)));
  }
}

/** out[i] = bits for i < n (a float's or an int's 32 bits). */
export function fill_32(out: usize, bits: i32, n: i32): void {
  const v = i32x4.splat(bits);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  for (; i < n; i++) store<i32>(out + (<usize>i << 2), bits);
}

/** out (f32) = x (i32); may alias. */
export function cast_i32_f32(out: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.convert_i32x4_s(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>load<i32>(x + (<usize>i << 2)));
}

/** out (i32) = trunc(x) (f32), saturating; NaN becomes 0; may alias. */
export function cast_f32_i32(out: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), i32x4.trunc_sat_f32x4_s(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<i32>(out + (<usize>i << 2), i32x4.extract_lane(i32x4.trunc_sat_f32x4_s(f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
}

/** out[i] = cond[i] != 0 ? a[i] : b[i]; all contiguous, 32-bit; out may alias a or b. */
export function where_32(out: usize, cond: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const m = i32x4.ne(v128.load(cond + o), i32x4.splat(0));
    v128.store(out + o, v128.bitselect(v128.load(a + o), v128.load(b + o), m));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<i32>(out + o, load<i32>(cond + o) != 0 ? load<i32>(a + o) : load<i32>(b + o));
  }
}
