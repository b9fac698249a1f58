// Fused in-place optimizer updates over one parameter's contiguous f32 data (PyTorch's update
// math, op by op, so results match torch.optim within f32 rounding), plus in-place gradient
// scaling and clamping for clipping. `param` and every state buffer are written; `grad` is only
// read. No buffer may alias another. Scalars the host can precompute in f64 (1 - beta, bias
// corrections, step sizes) arrive precomputed. The scalar tail runs the same vector code on one
// lane, so every element rounds identically whatever n is. Operation order follows ATen's CPU
// kernels (addcdiv: p + (v·a)/b, addcmul: s + (v·a)·b) so roundings match too.

export const OPT_NESTEROV = 1, OPT_MAXIMIZE = 2, OPT_FIRST = 4, OPT_AMSGRAD = 8, OPT_DECOUPLED = 16,
  OPT_CENTERED = 32, OPT_MOMENTUM = 64;

// Each kernel runs its @inline body over [0, n): 16 elements unrolled, then 4-wide, then one lane
// at a time. Bodies load with `ld` and store with `st`: v128 access, or one f32 when `one`.
// @ts-ignore: decorator
@inline function ld(p: usize, one: bool): v128 {
  return one ? f32x4.splat(load<f32>(p)) : v128.load(p);
}
// @ts-ignore: decorator
@inline function st(p: usize, v: v128, one: bool): void {
  if (one) store<f32>(p, f32x4.extract_lane(v, 0));
  else v128.store(p, v);
}

// @ts-ignore: decorator
@inline function sgdV(param: usize, grad: usize, buf: usize, o: usize, one: bool, lr: v128, momentum: v128,
  dampC: v128, wd: v128, flags: i32, useWd: bool, useMom: bool): void {
  const p = ld(param + o, one);
  let g = ld(grad + o, one);
  if (flags & OPT_MAXIMIZE) g = f32x4.neg(g);
  if (useWd) g = f32x4.add(g, f32x4.mul(p, wd));
  if (useMom) {
    let b: v128;
    if (flags & OPT_FIRST) b = g;
    else b = f32x4.add(f32x4.mul(ld(buf + o, one), momentum), f32x4.mul(g, dampC));
    st(buf + o, b, one);
    g = (flags & OPT_NESTEROV) ? f32x4.add(g, f32x4.mul(b, momentum)) : b;
  }
  st(param + o, f32x4.sub(p, f32x4.mul(g, lr)), one);
}

/**
 * SGD (torch.optim.SGD), in place over n elements:
 *   g = ±grad + weightDecay·p;  buf = first ? g : momentum·buf + (1 − dampening)·g  (when momentum ≠ 0)
 *   g = nesterov ? g + momentum·buf : buf;  p −= lr·g
 * `dampC` = 1 − dampening. `buf` is ignored when momentum is 0 (flags without OPT_MOMENTUM).
 */
export function sgd_f32(param: usize, grad: usize, buf: usize, n: i32, lr: f32, momentum: f32, dampC: f32,
  weightDecay: f32, flags: i32): void {
  const vlr = f32x4.splat(lr), vm = f32x4.splat(momentum), vd = f32x4.splat(dampC), vwd = f32x4.splat(weightDecay);
  const useWd = weightDecay != 0, useMom = (flags & OPT_MOMENTUM) != 0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    sgdV(param, grad, buf, o, false, vlr, vm, vd, vwd, flags, useWd, useMom);
    sgdV(param, grad, buf, o + 16, false, vlr, vm, vd, vwd, flags, useWd, useMom);
    sgdV(param, grad, buf, o + 32, false, vlr, vm, vd, vwd, flags, useWd, useMom);
    sgdV(param, grad, buf, o + 48, false, vlr, vm, vd, vwd, flags, useWd, useMom);
  }
  for (; i + 4 <= n; i += 4) sgdV(param, grad, buf, <usize>i << 2, false, vlr, vm, vd, vwd, flags, useWd, useMom);
  for (; i < n; i++) sgdV(param, grad, buf, <usize>i << 2, true, vlr, vm, vd, vwd, flags, useWd, useMom);
}

// @ts-ignore: decorator
@inline function adamV(param: usize, grad: usize, m: usize, v: usize, vmax: usize, o: usize, one: bool,
  omb1: v128, b2: v128, omb2: v128, eps: v128, wd: v128, decay: v128, stepSize: v128, bc2Sqrt: v128,
  flags: i32, useWd: bool): void {
  let p = ld(param + o, one);
  let g = ld(grad + o, one);
  if (flags & OPT_MAXIMIZE) g = f32x4.neg(g);
  if (useWd) {
    if (flags & OPT_DECOUPLED) p = f32x4.mul(p, decay);
    else g = f32x4.add(g, f32x4.mul(p, wd));
  }
  let mv = ld(m + o, one);
  mv = f32x4.add(mv, f32x4.mul(omb1, f32x4.sub(g, mv))); // lerp(m, g, 1 − beta1)
  let vv = f32x4.add(f32x4.mul(ld(v + o, one), b2), f32x4.mul(f32x4.mul(omb2, g), g));
  st(m + o, mv, one);
  st(v + o, vv, one);
  if (flags & OPT_AMSGRAD) {
    vv = f32x4.max(ld(vmax + o, one), vv);
    st(vmax + o, vv, one);
  }
  const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), bc2Sqrt), eps);
  st(param + o, f32x4.sub(p, f32x4.div(f32x4.mul(stepSize, mv), denom)), one);
}

/**
 * Adam / AdamW (torch.optim.Adam, AdamW), in place over n elements, step t:
 *   g = ±grad;  decoupled: p ·= decay (= 1 − lr·weightDecay)  else  g += weightDecay·p
 *   m = lerp(m, g, omb1);  v = b2·v + omb2·g²;  amsgrad: vmax = max(vmax, v), v̂ = vmax
 *   p −= stepSize · m / (sqrt(v̂) / bc2Sqrt + eps),  stepSize = lr / (1 − β1^t), bc2Sqrt = sqrt(1 − β2^t)
 * `vmax` is ignored without OPT_AMSGRAD.
 */
export function adam_f32(param: usize, grad: usize, m: usize, v: usize, vmax: usize, n: i32,
  omb1: f32, beta2: f32, omb2: f32, eps: f32, weightDecay: f32, decay: f32, stepSize: f32, bc2Sqrt: f32, flags: i32): void {
  const a = f32x4.splat(omb1), b = f32x4.splat(beta2), c = f32x4.splat(omb2), e = f32x4.splat(eps);
  const w = f32x4.splat(weightDecay), d = f32x4.splat(decay), s = f32x4.splat(stepSize), q = f32x4.splat(bc2Sqrt);
  const useWd = weightDecay != 0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    adamV(param, grad, m, v, vmax, o, false, a, b, c, e, w, d, s, q, flags, useWd);
    adamV(param, grad, m, v, vmax, o + 16, false, a, b, c, e, w, d, s, q, flags, useWd);
    adamV(param, grad, m, v, vmax, o + 32, false, a, b, c, e, w, d, s, q, flags, useWd);
    adamV(param, grad, m, v, vmax, o + 48, false, a, b, c, e, w, d, s, q, flags, useWd);
  }
  for (; i + 4 <= n; i += 4) adamV(param, grad, m, v, vmax, <usize>i << 2, false, a, b, c, e, w, d, s, q, flags, useWd);
  for (; i < n; i++) adamV(param, grad, m, v, vmax, <usize>i << 2, true, a, b, c, e, w, d, s, q, flags, useWd);
}

// @ts-ignore: decorator
@inline function adagradV(param: usize, grad: usize, sum: usize, o: usize, one: bool, clr: v128, wd: v128,
  eps: v128, flags: i32, useWd: bool): void {
  const p = ld(param + o, one);
  let g = ld(grad + o, one);
  if (flags & OPT_MAXIMIZE) g = f32x4.neg(g);
  if (useWd) g = f32x4.add(g, f32x4.mul(p, wd));
  const s = f32x4.add(ld(sum + o, one), f32x4.mul(g, g));
  st(sum + o, s, one);
  const std = f32x4.add(f32x4.sqrt(s), eps);
  st(param + o, f32x4.sub(p, f32x4.div(f32x4.mul(clr, g), std)), one);
}

/**
 * Adagrad (torch.optim.Adagrad), in place over n elements:
 *   g = ±grad + weightDecay·p;  sum += g²;  p −= clr · g / (sqrt(sum) + eps),  clr = lr / (1 + (t − 1)·lrDecay)
 */
export function adagrad_f32(param: usize, grad: usize, sum: usize, n: i32, clr: f32, weightDecay: f32, eps: f32, flags: i32): void {
  const c = f32x4.splat(clr), w = f32x4.splat(weightDecay), e = f32x4.splat(eps);
  const useWd = weightDecay != 0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    adagradV(param, grad, sum, o, false, c, w, e, flags, useWd);
    adagradV(param, grad, sum, o + 16, false, c, w, e, flags, useWd);
    adagradV(param, grad, sum, o + 32, false, c, w, e, flags, useWd);
    adagradV(param, grad, sum, o + 48, false, c, w, e, flags, useWd);
  }
  for (; i + 4 <= n; i += 4) adagradV(param, grad, sum, <usize>i << 2, false, c, w, e, flags, useWd);
  for (; i < n; i++) adagradV(param, grad, sum, <usize>i << 2, true, c, w, e, flags, useWd);
}

// @ts-ignore: decorator
@inline function rmspropV(param: usize, grad: usize, sq: usize, ga: usize, buf: usize, o: usize, one: bool,
  lr: v128, alpha: v128, oma: v128, eps: v128, wd: v128, mom: v128, flags: i32, useWd: bool): void {
  const p = ld(param + o, one);
  let g = ld(grad + o, one);
  if (flags & OPT_MAXIMIZE) g = f32x4.neg(g);
  if (useWd) g = f32x4.add(g, f32x4.mul(p, wd));
  const s = f32x4.add(f32x4.mul(ld(sq + o, one), alpha), f32x4.mul(f32x4.mul(oma, g), g));
  st(sq + o, s, one);
  let avg: v128;
  if (flags & OPT_CENTERED) {
    let a = ld(ga + o, one);
    a = f32x4.add(a, f32x4.mul(oma, f32x4.sub(g, a))); // lerp(gradAvg, g, 1 − alpha)
    st(ga + o, a, one);
    avg = f32x4.sqrt(f32x4.sub(s, f32x4.mul(a, a)));
  } else {
    avg = f32x4.sqrt(s);
  }
  avg = f32x4.add(avg, eps);
  if (flags & OPT_MOMENTUM) {
    const b = f32x4.add(f32x4.mul(ld(buf + o, one), mom), f32x4.div(g, avg));
    st(buf + o, b, one);
    st(param + o, f32x4.sub(p, f32x4.mul(b, lr)), one);
  } else {
    st(param + o, f32x4.sub(p, f32x4.div(f32x4.mul(lr, g), avg)), one);
  }
}

/**
 * RMSprop (torch.optim.RMSprop), in place over n elements:
 *   g = ±grad + weightDecay·p;  sq = alpha·sq + oma·g²  (oma = 1 − alpha)
 *   centered: ga = lerp(ga, g, oma), avg = sqrt(sq − ga²)  else  avg = sqrt(sq);  avg += eps
 *   momentum: buf = momentum·buf + g/avg, p −= lr·buf  else  p −= lr·g/avg
 * `ga` is ignored without OPT_CENTERED, `buf` without OPT_MOMENTUM.
 */
export function rmsprop_f32(param: usize, grad: usize, sq: usize, ga: usize, buf: usize, n: i32, lr: f32, alpha: f32,
  oma: f32, eps: f32, weightDecay: f32, momentum: f32, flags: i32): void {
  const l = f32x4.splat(lr), a = f32x4.splat(alpha), b = f32x4.splat(oma), e = f32x4.splat(eps);
  const w = f32x4.splat(weightDecay), mo = f32x4.splat(momentum);
  const useWd = weightDecay != 0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    rmspropV(param, grad, sq, ga, buf, o, false, l, a, b, e, w, mo, flags, useWd);
    rmspropV(param, grad, sq, ga, buf, o + 16, false, l, a, b, e, w, mo, flags, useWd);
    rmspropV(param, grad, sq, ga, buf, o + 32, false, l, a, b, e, w, mo, flags, useWd);
    rmspropV(param, grad, sq, ga, buf, o + 48, false, l, a, b, e, w, mo, flags, useWd);
  }
  for (; i + 4 <= n; i += 4) rmspropV(param, grad, sq, ga, buf, <usize>i << 2, false, l, a, b, e, w, mo, flags, useWd);
  for (; i < n; i++) rmspropV(param, grad, sq, ga, buf, <usize>i << 2, true, l, a, b, e, w, mo, flags, useWd);
}

/** x[i] = x[i]·s in place (gradient clipping by norm). */
export function scale_inplace_f32(x: usize, n: i32, s: f32): void {
  const v = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(x + (<usize>i << 2), f32x4.mul(v128.load(x + (<usize>i << 2)), v));
  for (; i < n; i++) store<f32>(x + (<usize>i << 2), load<f32>(x + (<usize>i << 2)) * s);
}

/** x[i] = min(max(x[i], lo), hi) in place (gradient clipping by value); NaN stays NaN. */
export function clamp_inplace_f32(x: usize, n: i32, lo: f32, hi: f32): void {
  const vl = f32x4.splat(lo), vh = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const a = v128.load(x + o);
    // pmin/pmax keep the first operand when the comparison is false, so a NaN element stays NaN.
    v128.store(x + o, f32x4.pmax(f32x4.pmin(a, vh), vl));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const a = load<f32>(x + o);
    store<f32>(x + o, a < lo ? lo : a > hi ? hi : a);
  }
}
