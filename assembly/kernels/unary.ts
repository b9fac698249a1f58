// Elementwise unary kernels over contiguous f32 data: out[i] = f(x[i]) for i < n.
// `out` may alias `x`. The op code selects f; each case compiles to its own SIMD loop because
// `mapF32` is inlined with a constant op. The scalar tail runs the same vector code on one lane,
// so body and tail round identically.
import { expV, erfV, sigmoidV, tanhV } from '../simd';

export const U_NEG = 0, U_ABS = 1, U_SQRT = 2, U_RSQRT = 3, U_EXP = 4, U_LOG = 5, U_SQUARE = 6,
  U_RECIPROCAL = 7, U_RELU = 8, U_SIGMOID = 9, U_TANH = 10, U_LEAKY_RELU = 11, U_ELU = 12,
  U_GELU = 13, U_SOFTPLUS = 14, U_STEP = 15, U_SIGN = 16, U_LEAKY_GRAD = 17, U_ELU_GRAD = 18,
  U_GELU_GRAD = 19, U_FLOOR = 20, U_CEIL = 21, U_ROUND = 22, U_LOG1P = 23, U_SOFTPLUS_GRAD = 24,
  U_SIN = 25, U_COS = 26;

/**
 * ln per lane, Cephes' logf (within 1 ulp of the float64 log, denormals included): x = m 2^e with
 * m in [sqrt(1/2), sqrt(2)), a degree-9 polynomial in m - 1 and e ln 2 added in two parts.
 * 0 gives -inf, negatives NaN, inf inf, NaN NaN. One shared copy (not inlined): it is long.
 * See: Moshier, Cephes Math Library, logf.c.
 */
function logV(x0: v128): v128 {
  const one = f32x4.splat(1);
  // Denormals: scaled by 2^25 into the normal range first, 25 taken off the exponent.
  const tiny = f32x4.lt(x0, f32x4.splat(1.17549435e-38));
  const bits = v128.bitselect(f32x4.mul(x0, f32x4.splat(33554432)), x0, tiny);
  const e = i32x4.sub(i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126)), v128.and(tiny, i32x4.splat(25)));
  const m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000)); // [0.5, 1)
  const low = f32x4.lt(m, f32x4.splat(0.707106781186547524));
  const ef = f32x4.convert_i32x4_s(i32x4.add(e, low)); // e - 1 where m < sqrt(1/2) (the mask is -1)
  const x = f32x4.add(f32x4.sub(m, one), v128.and(m, low)); // 2m - 1 there, else m - 1
  const z = f32x4.mul(x, x);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, x), z);
  y = f32x4.add(y, f32x4.mul(ef, f32x4.splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(f32x4.add(x, y), f32x4.mul(ef, f32x4.splat(0.693359375)));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x0, f32x4.splat(0)));
  r = v128.bitselect(f32x4.splat(NaN), r, f32x4.lt(x0, f32x4.splat(0)));
  return v128.bitselect(x0, r, v128.or(f32x4.eq(x0, f32x4.splat(Infinity)), f32x4.ne(x0, x0)));
}

/**
 * ln(1 + x) per lane: u = 1 + x, ln u corrected by the rounding of u, (x - (u - 1)) / u
 * (Goldberg's trick; exact where u rounds to 1). -1 gives -inf, below -1 NaN, inf inf.
 */
function log1pV(x: v128): v128 {
  const one = f32x4.splat(1);
  const u = f32x4.add(one, x), lu = logV(u);
  const r = f32x4.add(lu, f32x4.div(f32x4.sub(x, f32x4.sub(u, one)), u));
  const exact = v128.or(f32x4.eq(u, one), v128.or(f32x4.eq(x, f32x4.splat(Infinity)), f32x4.le(x, f32x4.splat(-1))));
  // u == 1: x itself (tiny x, -0); inf: inf; -1: -inf; below -1: NaN (from ln of a negative u).
  return v128.bitselect(v128.bitselect(lu, x, f32x4.ne(u, one)), r, exact);
}

// @ts-ignore: decorator
@inline function lanes4(v: v128, op: i32, alpha: f32): v128 {
  let r = v;
  for (let l = 0; l < 4; l++) {
    const x = f32x4.extract_lane(v, 0);
    let y: f32 = 0;
    if (op == U_SIN) y = Mathf.sin(x);
    else if (op == U_COS) y = Mathf.cos(x);
    else { // softplus with beta = alpha, threshold 20 (PyTorch's default)
      const bx = alpha * x;
      y = bx > 20 ? x : Mathf.log1p(Mathf.exp(bx)) / alpha;
    }
    r = f32x4.replace_lane(r, 0, y);
    v = v128.shuffle<f32>(v, v, 1, 2, 3, 0);
    r = v128.shuffle<f32>(r, r, 1, 2, 3, 0);
  }
  return r;
}

// @ts-ignore: decorator
@inline function applyU(op: i32, x: v128, alpha: f32): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  if (op == U_NEG) return f32x4.neg(x);
  if (op == U_ABS) return f32x4.abs(x);
  if (op == U_SQRT) return f32x4.sqrt(x);
  if (op == U_RSQRT) return f32x4.div(one, f32x4.sqrt(x));
  if (op == U_EXP) return expV(x);
  if (op == U_SQUARE) return f32x4.mul(x, x);
  if (op == U_RECIPROCAL) return f32x4.div(one, x);
  if (op == U_RELU) return v128.bitselect(zero, x, f32x4.le(x, zero)); // NaN stays NaN
  if (op == U_SIGMOID) return sigmoidV(x);
  if (op == U_TANH) return tanhV(x);
  if (op == U_LEAKY_RELU) return v128.bitselect(x, f32x4.mul(x, f32x4.splat(alpha)), f32x4.ge(x, zero));
  if (op == U_ELU) {
    const neg = f32x4.mul(f32x4.splat(alpha), f32x4.sub(expV(x), one));
    return v128.bitselect(x, neg, f32x4.gt(x, zero));
  }
  if (op == U_GELU) { // exact (erf) form, PyTorch's default
    return f32x4.mul(f32x4.mul(f32x4.splat(0.5), x), f32x4.add(one, erfV(f32x4.mul(x, f32x4.splat(0.7071067811865476)))));
  }
  if (op == U_STEP) return v128.and(f32x4.gt(x, zero), one);
  if (op == U_SIGN) {
    const pos = v128.and(f32x4.gt(x, zero), one);
    const neg = v128.and(f32x4.lt(x, zero), one);
    return v128.bitselect(x, f32x4.sub(pos, neg), f32x4.ne(x, x));
  }
  if (op == U_LEAKY_GRAD) return v128.bitselect(one, f32x4.splat(alpha), f32x4.gt(x, zero));
  if (op == U_ELU_GRAD) return v128.bitselect(one, f32x4.mul(f32x4.splat(alpha), expV(x)), f32x4.gt(x, zero));
  if (op == U_GELU_GRAD) { // Phi(x) + x phi(x)
    const cdf = f32x4.mul(f32x4.splat(0.5), f32x4.add(one, erfV(f32x4.mul(x, f32x4.splat(0.7071067811865476)))));
    const pdf = f32x4.mul(f32x4.splat(0.3989422804014327), expV(f32x4.mul(f32x4.splat(-0.5), f32x4.mul(x, x))));
    return f32x4.add(cdf, f32x4.mul(x, pdf));
  }
  if (op == U_SOFTPLUS_GRAD) { // sigmoid(beta x), 1 past the threshold
    return v128.bitselect(one, sigmoidV(f32x4.mul(x, f32x4.splat(alpha))), f32x4.gt(f32x4.mul(x, f32x4.splat(alpha)), f32x4.splat(20)));
  }
  if (op == U_FLOOR) return f32x4.floor(x);
  if (op == U_CEIL) return f32x4.ceil(x);
  if (op == U_ROUND) return f32x4.nearest(x);
  if (op == U_LOG) return logV(x);
  if (op == U_LOG1P) return log1pV(x);
  return lanes4(x, op, alpha); // U_SOFTPLUS, U_SIN, U_COS: scalar libm per lane
}

// @ts-ignore: decorator
@inline function mapF32(op: i32, out: usize, x: usize, n: i32, alpha: f32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const a = v128.load(x + o);
    const b = v128.load(x + o, 16);
    v128.store(out + o, applyU(op, a, alpha));
    v128.store(out + o, applyU(op, b, alpha), 16);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(applyU(op, f32x4.splat(load<f32>(x + o)), alpha), 0));
  }
}

/**
 * mapF32 for exp and sigmoid, whose vector code is one long dependency chain: four independent
 * vectors per step keep the SIMD ports busy (~1.25x over two; tanh and gelu measured no faster
 * this way, so they keep mapF32). The tail (< 16 values) goes through `applyLong`, so each chain
 * is inlined five times, not seven.
 */
// @ts-ignore: decorator
@inline function mapLong(op: i32, out: usize, x: usize, n: i32, alpha: f32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const a = v128.load(x + o), b = v128.load(x + o, 16), c = v128.load(x + o, 32), d = v128.load(x + o, 48);
    v128.store(out + o, applyU(op, a, alpha));
    v128.store(out + o, applyU(op, b, alpha), 16);
    v128.store(out + o, applyU(op, c, alpha), 32);
    v128.store(out + o, applyU(op, d, alpha), 48);
  }
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), applyLong(op, v128.load(x + (<usize>i << 2)), alpha));
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(applyLong(op, f32x4.splat(load<f32>(x + o)), alpha), 0));
  }
}

/** applyU for a long op chosen at run time (mapLong's tail): one more copy of each chain. */
function applyLong(op: i32, x: v128, alpha: f32): v128 {
  switch (op) {
    case U_EXP: return applyU(U_EXP, x, alpha);
    default: return applyU(U_SIGMOID, x, alpha);
  }
}

/** out[i] = f_op(x[i], alpha) for i < n; f32, contiguous; out may alias x. */
export function unary_f32(op: i32, out: usize, x: usize, n: i32, alpha: f32): void {
  switch (op) {
    case U_NEG: mapF32(U_NEG, out, x, n, alpha); break;
    case U_ABS: mapF32(U_ABS, out, x, n, alpha); break;
    case U_SQRT: mapF32(U_SQRT, out, x, n, alpha); break;
    case U_RSQRT: mapF32(U_RSQRT, out, x, n, alpha); break;
    case U_EXP: mapLong(U_EXP, out, x, n, alpha); break;
    case U_LOG: mapF32(U_LOG, out, x, n, alpha); break;
    case U_SQUARE: mapF32(U_SQUARE, out, x, n, alpha); break;
    case U_RECIPROCAL: mapF32(U_RECIPROCAL, out, x, n, alpha); break;
    case U_RELU: mapF32(U_RELU, out, x, n, alpha); break;
    case U_SIGMOID: mapLong(U_SIGMOID, out, x, n, alpha); break;
    case U_TANH: mapF32(U_TANH, out, x, n, alpha); break;
    case U_LEAKY_RELU: mapF32(U_LEAKY_RELU, out, x, n, alpha); break;
    case U_ELU: mapF32(U_ELU, out, x, n, alpha); break;
    case U_GELU: mapF32(U_GELU, out, x, n, alpha); break;
    case U_SOFTPLUS: mapF32(U_SOFTPLUS, out, x, n, alpha); break;
    case U_STEP: mapF32(U_STEP, out, x, n, alpha); break;
    case U_SIGN: mapF32(U_SIGN, out, x, n, alpha); break;
    case U_LEAKY_GRAD: mapF32(U_LEAKY_GRAD, out, x, n, alpha); break;
    case U_ELU_GRAD: mapF32(U_ELU_GRAD, out, x, n, alpha); break;
    case U_GELU_GRAD: mapF32(U_GELU_GRAD, out, x, n, alpha); break;
    case U_FLOOR: mapF32(U_FLOOR, out, x, n, alpha); break;
    case U_CEIL: mapF32(U_CEIL, out, x, n, alpha); break;
    case U_ROUND: mapF32(U_ROUND, out, x, n, alpha); break;
    case U_LOG1P: mapF32(U_LOG1P, out, x, n, alpha); break;
    case U_SOFTPLUS_GRAD: mapF32(U_SOFTPLUS_GRAD, out, x, n, alpha); break;
    case U_SIN: mapF32(U_SIN, out, x, n, alpha); break;
    case U_COS: mapF32(U_COS, out, x, n, alpha); break;
    default: unreachable();
  }
}
