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
 *  there would be float32 denormals), NaN lanes stay NaN.
 *  Written for throughput (the unary kernels are latency-bound on this chain): pmin / pmax (one
 *  instruction each; wasm's min / max are about seven on x64), n = round(x / ln2) by the
 *  1.5·2^23 magic-number add (no floor and no saturating convert), and the polynomial in Estrin's
 *  form (depth 3 instead of 5). */
// @ts-ignore: decorator
@inline export function expV(x0: v128): v128 {
  const magic = f32x4.splat(12582912); // 1.5 * 2^23: adding it rounds to an integer in the low mantissa bits
  let x = f32x4.pmin(f32x4.pmax(x0, f32x4.splat(-87.33654)), f32x4.splat(88.72283));
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), magic);
  const fx = f32x4.sub(t, magic);
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  const x2 = f32x4.mul(x, x);
  // Cephes: ((((c0 x + c1) x + c2) x + c3) x + c4) x + c5, grouped as (c0 x + c1) x^4 + (c2 x + c3) x^2 + (c4 x + c5).
  const p01 = f32x4.add(f32x4.mul(f32x4.splat(1.9875691500e-4), x), f32x4.splat(1.3981999507e-3));
  const p23 = f32x4.add(f32x4.mul(f32x4.splat(8.3334519073e-3), x), f32x4.splat(4.1665795894e-2));
  const p45 = f32x4.add(f32x4.mul(f32x4.splat(1.6666665459e-1), x), f32x4.splat(5.0000001201e-1));
  const p = f32x4.add(f32x4.add(f32x4.mul(p01, f32x4.mul(x2, x2)), f32x4.mul(p23, x2)), p45);
  let y = f32x4.add(f32x4.add(f32x4.mul(p, x2), x), f32x4.splat(1));
  // 2^n split in two factors so n = 128 (x near 88.7) does not overflow the exponent field.
  const n = i32x4.sub(t, magic);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const p1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const p2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  y = f32x4.mul(f32x4.mul(y, p1), p2);
  // Past the clamp the true result overflows to inf or underflows (to 0; denormals flushed).
  y = v128.bitselect(f32x4.splat(Infinity), y, f32x4.gt(x0, f32x4.splat(88.72283)));
  y = v128.andnot(y, f32x4.lt(x0, f32x4.splat(-87.33654)));
  return v128.bitselect(x0, y, f32x4.ne(x0, x0));
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

/**
 * 1 / (1 + e^-x) per lane, within a few ulp: f(-z) = e^-z / (1 + e^-z) for z = |x| (so e^-z never
 * overflows and needs one scale factor), then 1 - f(-z) where x >= 0. e^-z as XNNPACK's
 * wasmsimd rr2-p5 sigmoid: n = round(-z / ln2) by a magic bias that also carries the exponent
 * bias (2^n is the bias's bits shifted left by 23), a two-part ln2 reduction, a degree-5
 * polynomial. Past z = 87.34 (e^-z no longer a normal float) f(-z) is 0. NaN stays NaN.
 */
// @ts-ignore: decorator
@inline export function sigmoidV(x: v128): v128 {
  const one = f32x4.splat(1);
  const magic = f32x4.splat(12583039); // 1.5 * 2^23 + 127
  const z = f32x4.abs(x);
  let n = f32x4.add(f32x4.mul(z, f32x4.splat(-1.4426950216293335)), magic);
  const scale = i32x4.shl(n, 23);
  n = f32x4.sub(n, magic);
  let t = f32x4.add(f32x4.mul(n, f32x4.splat(0.693145751953125)), z);
  t = f32x4.add(f32x4.mul(n, f32x4.splat(1.428606765330187e-6)), t);
  let p = f32x4.add(f32x4.mul(t, f32x4.splat(-8.289290592074394e-3)), f32x4.splat(4.189782217144966e-2));
  p = f32x4.add(f32x4.mul(t, p), f32x4.splat(-1.6667652130126953e-1));
  p = f32x4.add(f32x4.mul(t, p), f32x4.splat(4.999915063381195e-1));
  p = f32x4.add(f32x4.mul(t, p), f32x4.splat(-9.999997019767761e-1));
  t = f32x4.mul(t, scale);
  const e = f32x4.add(f32x4.mul(t, p), scale);
  let f = f32x4.div(e, f32x4.add(e, one));
  f = v128.andnot(f, f32x4.gt(z, f32x4.splat(87.33654022216797)));
  return v128.bitselect(f, f32x4.sub(one, f), i32x4.shr_s(x, 31));
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

