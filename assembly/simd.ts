// SIMD helpers shared by the kernels: vector transcendental approximations and horizontal
// reductions. Everything here is @inline; nothing allocates.

/** Sum of the four lanes. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline export function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

// @ts-ignore: decorator
@inline export function hmin(v: v128): f32 {
  return min(min(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), min(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** e^x per lane, relative error < 2e-7 over [-87, 88]; see: Cephes expf (range reduction by ln2,
 *  degree-5 minimax polynomial, exponent assembled in the float's bits). Inputs are clamped so the
 *  exponent cannot overflow the bit trick; above 88.72 gives inf, below -87.34 gives 0 (results
 *  there would be float32 denormals), NaN lanes stay NaN. */
// @ts-ignore: decorator
@inline export function expV(x0: v128): v128 {
  const isNan = f32x4.ne(x0, x0);
  let x = f32x4.min(f32x4.max(x0, f32x4.splat(-87.33654)), f32x4.splat(88.72283));
  const fx = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), f32x4.splat(0.5)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, f32x4.mul(x, x)), x), f32x4.splat(1));
  // 2^fx split in two factors so fx = 128 (x near 88.7) does not overflow the exponent field.
  const n = i32x4.trunc_sat_f32x4_s(fx);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const p1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const p2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  y = f32x4.mul(f32x4.mul(y, p1), p2);
  // Past the clamp the true result overflows to inf or underflows (to 0; denormals flushed).
  y = v128.bitselect(f32x4.splat(Infinity), y, f32x4.gt(x0, f32x4.splat(88.72283)));
  y = v128.andnot(y, f32x4.lt(x0, f32x4.splat(-87.33654)));
  return v128.bitselect(x0, y, isNan);
}

/** erf per lane, absolute error < 1.5e-7; see: Abramowitz & Stegun 7.1.26. */
// @ts-ignore: decorator
@inline export function erfV(x: v128): v128 {
  const ax = f32x4.abs(x);
  const t = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.splat(0.3275911), ax)));
  let p = f32x4.splat(1.061405429);
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-1.453152027));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(1.421413741));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-0.284496736));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.254829592));
  p = f32x4.mul(p, t);
  const r = f32x4.sub(f32x4.splat(1), f32x4.mul(p, expV(f32x4.neg(f32x4.mul(ax, ax)))));
  // copy the sign of x onto r
  const sign = v128.and(x, i32x4.splat(0x80000000));
  return v128.or(r, sign);
}

// @ts-ignore: decorator
@inline export function sigmoidV(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expV(f32x4.neg(x))));
}

/** tanh(x) = sign(x) (1 - e) / (1 + e) with e = exp(-2|x|): no overflow for any x. Below
 *  |x| = 0.625 that form cancels, so an odd polynomial is used there; see: Cephes tanhf. */
// @ts-ignore: decorator
@inline export function tanhV(x: v128): v128 {
  const ax = f32x4.abs(x);
  const e = expV(f32x4.mul(f32x4.splat(-2), ax));
  const big = v128.or(f32x4.div(f32x4.sub(f32x4.splat(1), e), f32x4.add(f32x4.splat(1), e)), v128.and(x, i32x4.splat(0x80000000)));
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  return v128.bitselect(small, big, f32x4.lt(ax, f32x4.splat(0.625)));
}

