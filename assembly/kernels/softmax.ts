// Softmax and log-softmax along the last axis of a contiguous [rows, cols] f32 block, max-shifted
// so no exp overflows. `out` may alias `x`.
import { expV, hsum, hmax } from '../simd';

// @ts-ignore: decorator
@inline function rowMax(x: usize, n: i32): f32 {
  let m = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) m = f32x4.max(m, v128.load(x + (<usize>i << 2)));
  let r = hmax(m);
  for (; i < n; i++) r = max(r, load<f32>(x + (<usize>i << 2)));
  return r;
}

/** log = 0: out = softmax(x) per row; log = 1: out = logSoftmax(x) per row. */
export function softmax_f32(log: i32, out: usize, x: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const px = x + (<usize>(r * cols) << 2);
    const po = out + (<usize>(r * cols) << 2);
    const m = rowMax(px, cols);
    const vm = f32x4.splat(m);
    let s = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= cols; i += 4) {
      const o = <usize>i << 2;
      const e = expV(f32x4.sub(v128.load(px + o), vm));
      if (!log) v128.store(po + o, e);
      s = f32x4.add(s, e);
    }
    let sum = hsum(s);
    for (; i < cols; i++) {
      const o = <usize>i << 2;
      const e = f32x4.extract_lane(expV(f32x4.splat(load<f32>(px + o) - m)), 0);
      if (!log) store<f32>(po + o, e);
      sum += e;
    }
    i = 0;
    if (log) {
      const shift = f32x4.splat(m + Mathf.log(sum));
      for (; i + 4 <= cols; i += 4) {
        const o = <usize>i << 2;
        v128.store(po + o, f32x4.sub(v128.load(px + o), shift));
      }
      const sh = m + Mathf.log(sum);
      for (; i < cols; i++) store<f32>(po + (<usize>i << 2), load<f32>(px + (<usize>i << 2)) - sh);
    } else {
      const inv = f32x4.splat(1 / sum);
      for (; i + 4 <= cols; i += 4) {
        const o = <usize>i << 2;
        v128.store(po + o, f32x4.mul(v128.load(po + o), inv));
      }
      for (; i < cols; i++) store<f32>(po + (<usize>i << 2), load<f32>(po + (<usize>i << 2)) / sum);
    }
  }
}
