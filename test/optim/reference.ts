// Float64 references of torch.optim's update rules (written from torch/optim/{sgd,adam,adagrad,
// rmsprop}.py), plus helpers to drive an optimizer with deterministic gradients.
import { keep, tensor, type Tensor } from '../../src/index';

export type Vec = Float64Array;
export type RefState = Record<string, Vec | number | undefined>;

export function sgdRef(p: Vec, g0: Vec, s: RefState, o: { lr: number; momentum?: number; dampening?: number; weightDecay?: number; nesterov?: boolean; maximize?: boolean }): void {
  const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, maximize = false } = o;
  const first = s.buf === undefined;
  if (momentum !== 0 && first) s.buf = new Float64Array(p.length);
  const buf = s.buf as Vec;
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -g0[i] : g0[i];
    g += weightDecay * p[i];
    if (momentum !== 0) {
      buf[i] = first ? g : momentum * buf[i] + (1 - dampening) * g;
      g = nesterov ? g + momentum * buf[i] : buf[i];
    }
    p[i] -= lr * g;
  }
}

export interface AdamRefOpts { lr: number; betas?: [number, number]; eps?: number; weightDecay?: number; amsgrad?: boolean; maximize?: boolean; decoupled?: boolean }

export function adamRef(p: Vec, g0: Vec, s: RefState, o: AdamRefOpts): void {
  const { lr, betas: [b1, b2] = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false, maximize = false, decoupled = false } = o;
  const n = p.length;
  s.step = ((s.step as number) ?? 0) + 1;
  s.m ??= new Float64Array(n); s.v ??= new Float64Array(n); s.vmax ??= new Float64Array(n);
  const m = s.m as Vec, v = s.v as Vec, vmax = s.vmax as Vec, t = s.step;
  const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t;
  for (let i = 0; i < n; i++) {
    let g = maximize ? -g0[i] : g0[i];
    if (weightDecay !== 0) { if (decoupled) p[i] *= 1 - lr * weightDecay; else g += weightDecay * p[i]; }
    m[i] = b1 * m[i] + (1 - b1) * g;
    v[i] = b2 * v[i] + (1 - b2) * g * g;
    let vv = v[i];
    if (amsgrad) { vmax[i] = Math.max(vmax[i], v[i]); vv = vmax[i]; }
    const denom = Math.sqrt(vv) / Math.sqrt(bc2) + eps;
    p[i] -= (lr / bc1) * m[i] / denom;
  }
}

export function adagradRef(p: Vec, g0: Vec, s: RefState, o: { lr: number; lrDecay?: number; weightDecay?: number; initialAccumulatorValue?: number; eps?: number; maximize?: boolean }): void {
  const { lr, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10, maximize = false } = o;
  s.step = ((s.step as number) ?? 0) + 1;
  s.sum ??= new Float64Array(p.length).fill(initialAccumulatorValue);
  const sum = s.sum as Vec;
  const clr = lr / (1 + (s.step - 1) * lrDecay);
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -g0[i] : g0[i];
    g += weightDecay * p[i];
    sum[i] += g * g;
    p[i] -= clr * g / (Math.sqrt(sum[i]) + eps);
  }
}

export function rmspropRef(p: Vec, g0: Vec, s: RefState, o: { lr: number; alpha?: number; eps?: number; weightDecay?: number; momentum?: number; centered?: boolean; maximize?: boolean }): void {
  const { lr, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false, maximize = false } = o;
  const n = p.length;
  s.sq ??= new Float64Array(n); s.ga ??= new Float64Array(n); s.buf ??= new Float64Array(n);
  const sq = s.sq as Vec, ga = s.ga as Vec, buf = s.buf as Vec;
  for (let i = 0; i < n; i++) {
    let g = maximize ? -g0[i] : g0[i];
    g += weightDecay * p[i];
    sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
    let avg: number;
    if (centered) { ga[i] = alpha * ga[i] + (1 - alpha) * g; avg = Math.sqrt(sq[i] - ga[i] * ga[i]); } else avg = Math.sqrt(sq[i]);
    avg += eps;
    if (momentum > 0) { buf[i] = momentum * buf[i] + g / avg; p[i] -= lr * buf[i]; } else p[i] -= lr * g / avg;
  }
}

/** Deterministic, varied gradient values for step `step` of a parameter of n elements. */
export function gradValues(n: number, step: number, seed = 0): Float64Array {
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) g[i] = Math.sin(0.37 * i + 1.3 * step + seed) * (1 + (i % 3)) + 0.1 * Math.cos(2.1 * step);
  return g;
}

export function initValues(n: number, seed = 0): Float64Array {
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = Math.cos(0.91 * i + seed) * 0.8;
  return p;
}

/** Replaces p.grad (disposing the old one) with `values`. */
export function setGrad(p: Tensor, values: ArrayLike<number>): void {
  p.grad?.dispose();
  p.grad = keep(tensor(Array.from(values), { shape: [...p.shape] }));
}

/** Largest |a − e| / (atol + rtol·|e|); ≤ 1 means within tolerance. */
export function maxErr(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 2e-6, atol = 5e-7): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = (Math.abs(actual[i] - expected[i]) / (atol + rtol * Math.abs(expected[i])));
    worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
  }
  return worst;
}
