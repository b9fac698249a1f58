// Reductions over the middle axis of a contiguous [outer, len, inner] f32 block:
// out[o*inner + i] = R_{k<len} x[(o*len + k)*inner + i]. With inner == 1 each row is reduced
// with four independent f32x4 accumulators; with inner > 1 whole rows are combined with SIMD,
// which streams memory in order. `out` must not alias `x`. len == 0 yields the identity
// (0 for sum, 1 for prod, -inf/+inf for max/min: the host rejects empty max/min first).
import { hsum, hmax, hmin } from '../simd';

export const R_SUM = 0, R_MAX = 1, R_MIN = 2, R_PROD = 3;

// @ts-ignore: decorator
@inline function ident(op: i32): f32 {
  if (op == R_SUM) return 0;
  if (op == R_PROD) return 1;
  if (op == R_MAX) return -Infinity;
  return Infinity;
}

// @ts-ignore: decorator
@inline function combV(op: i32, a: v128, b: v128): v128 {
  if (op == R_SUM) return f32x4.add(a, b);
  if (op == R_PROD) return f32x4.mul(a, b);
  if (op == R_MAX) return f32x4.max(a, b);
  return f32x4.min(a, b);
}

// @ts-ignore: decorator
@inline function combS(op: i32, a: f32, b: f32): f32 {
  return f32x4.extract_lane(combV(op, f32x4.splat(a), f32x4.splat(b)), 0);
}

// @ts-ignore: decorator
@inline function horiz(op: i32, v: v128): f32 {
  if (op == R_SUM) return hsum(v);
  if (op == R_MAX) return hmax(v);
  if (op == R_MIN) return hmin(v);
  return f32x4.extract_lane(v, 0) * f32x4.extract_lane(v, 1) * f32x4.extract_lane(v, 2) * f32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline function reduceRow(op: i32, x: usize, n: i32): f32 {
  const id = f32x4.splat(ident(op));
  let s0 = id, s1 = id, s2 = id, s3 = id;
  let k = 0;
  for (; k + 16 <= n; k += 16) {
    const p = x + (<usize>k << 2);
    s0 = combV(op, s0, v128.load(p));
    s1 = combV(op, s1, v128.load(p, 16));
    s2 = combV(op, s2, v128.load(p, 32));
    s3 = combV(op, s3, v128.load(p, 48));
  }
  for (; k + 4 <= n; k += 4) s0 = combV(op, s0, v128.load(x + (<usize>k << 2)));
  let r = horiz(op, combV(op, combV(op, s0, s1), combV(op, s2, s3)));
  for (; k < n; k++) r = combS(op, r, load<f32>(x + (<usize>k << 2)));
  return r;
}

// @ts-ignore: decorator
@inline function reduceAxis(op: i32, out: usize, x: usize, outer: i32, len: i32, inner: i32): void {
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      store<f32>(out + (<usize>o << 2), reduceRow(op, x + (<usize>(o * len) << 2), len));
    }
    return;
  }
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const po = out + <usize>o * rowBytes;
    const px = x + <usize>o * <usize>len * rowBytes;
    const id = f32x4.splat(ident(op));
    let i = 0;
    for (; i + 4 <= inner; i += 4) v128.store(po + (<usize>i << 2), id);
    for (; i < inner; i++) store<f32>(po + (<usize>i << 2), ident(op));
    for (let k = 0; k < len; k++) {
      const pr = px + <usize>k * rowBytes;
      i = 0;
      for (; i + 4 <= inner; i += 4) {
        const o4 = <usize>i << 2;
        v128.store(po + o4, combV(op, v128.load(po + o4), v128.load(pr + o4)));
      }
      for (; i < inner; i++) {
        const o1 = <usize>i << 2;
        store<f32>(po + o1, combS(op, load<f32>(po + o1), load<f32>(pr + o1)));
      }
    }
  }
}

/** Reduce the middle axis of [outer, len, inner] f32 with sum, max, min or prod. */
export function reduce_f32(op: i32, out: usize, x: usize, outer: i32, len: i32, inner: i32): void {
  switch (op) {
    case R_SUM: reduceAxis(R_SUM, out, x, outer, len, inner); break;
    case R_MAX: reduceAxis(R_MAX, out, x, outer, len, inner); break;
    case R_MIN: reduceAxis(R_MIN, out, x, outer, len, inner); break;
    case R_PROD: reduceAxis(R_PROD, out, x, outer, len, inner); break;
    default: unreachable();
  }
}

/** Sum (wrapping), max or min (op: R_SUM, R_MAX, R_MIN) of the middle axis of [outer, len,
 *  inner] i32, written as i32. Max and min need len > 0 (the host checks). */
export function reduce_i32(op: i32, out: usize, x: usize, outer: i32, len: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    const p = x + (<usize>(o * len * inner + i) << 2), step = <usize>inner << 2;
    let s: i32 = op == R_SUM ? 0 : load<i32>(p);
    let q = p;
    for (let k = 0; k < len; k++) {
      const v = load<i32>(q);
      s = op == R_SUM ? s + v : op == R_MAX ? max(s, v) : min(s, v);
      q += step;
    }
    store<i32>(out + (<usize>(o * inner + i) << 2), s);
  }
}

/** Index (i32) of the first max (isMin = 0) or min (isMin = 1) along the middle axis of
 *  [outer, len, inner] f32; a NaN wins as PyTorch's argmax does. len must be > 0. */
export function argreduce_f32(isMin: i32, out: usize, x: usize, outer: i32, len: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    let best = load<f32>(x + (<usize>(o * len * inner + i) << 2));
    let bi = 0;
    if (best == best) {
      for (let k = 1; k < len; k++) {
        const v = load<f32>(x + (<usize>((o * len + k) * inner + i) << 2));
        if (v != v) { bi = k; break; }
        if (isMin ? v < best : v > best) { best = v; bi = k; }
      }
    }
    store<i32>(out + (<usize>(o * inner + i) << 2), bi);
  }
}

/** Writes [min, max] of n i32 values to out (n > 0); used to range-check indices. */
export function minmax_i32(out: usize, x: usize, n: i32): void {
  let lo = i32.MAX_VALUE, hi = i32.MIN_VALUE;
  for (let i = 0; i < n; i++) {
    const v = load<i32>(x + (<usize>i << 2));
    lo = min(lo, v); hi = max(hi, v);
  }
  store<i32>(out, lo);
  store<i32>(out, hi, 4);
}

/** 1 in out[0] when all n f32 values are finite, else 0. */
export function all_finite_f32(x: usize, n: i32): i32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(x + (<usize>i << 2)), f32x4.splat(0)));
  let s = hsum(acc);
  for (; i < n; i++) s += load<f32>(x + (<usize>i << 2)) * 0;
  return i32(s == 0);
}

/** out[r, i] = prod_{j != i} x[r, j] over contiguous [rows, len] f32, exact with zeros
 *  (prefix times suffix products): the gradient of prod. out must not alias x. */
export function prod_others_f32(out: usize, x: usize, rows: i32, len: i32): void {
  for (let r = 0; r < rows; r++) {
    const px = x + (<usize>(r * len) << 2);
    const po = out + (<usize>(r * len) << 2);
    let acc: f32 = 1;
    for (let i = 0; i < len; i++) { store<f32>(po + (<usize>i << 2), acc); acc *= load<f32>(px + (<usize>i << 2)); }
    acc = 1;
    for (let i = len - 1; i >= 0; i--) {
      const p = po + (<usize>i << 2);
      store<f32>(p, load<f32>(p) * acc);
      acc *= load<f32>(px + (<usize>i << 2));
    }
  }
}
