// Finite-difference gradient checking: a seeded value generator, the GradCase shape that
// test/ops/gradcases/*.ts files export, and the checker (loss = sum(out * R), central differences
// in float64 over fresh float32 input tensors).
import * as ag from '../../src/index';
import { rng } from './reference';

/** Seeded uniform [0, 1) (reference.ts's mulberry32): inputs are the same on every run. */
export const seeded = rng;

const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Builds input values; every method returns a spec for one differentiable float32 input. */
export class Gen {
  readonly next: () => number;
  constructor(seed: number) { this.next = seeded(seed); }
  normal(): number {
    const u = 1 - this.next(), v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Uniform in [lo, hi). */
  u(shape: number[], lo = -1, hi = 1): InputSpec {
    return { shape, values: Array.from({ length: count(shape) }, () => lo + (hi - lo) * this.next()) };
  }
  /** |v| in [margin, margin + scale), random sign: away from kinks at 0. */
  away(shape: number[], margin = 0.2, scale = 1): InputSpec {
    return { shape, values: Array.from({ length: count(shape) }, () => (this.next() < 0.5 ? -1 : 1) * (margin + scale * this.next())) };
  }
  /** Shuffled distinct values spaced by `gap` (no ties within eps), centred on 0. */
  distinct(shape: number[], gap = 0.1): InputSpec {
    const n = count(shape);
    const v = Array.from({ length: n }, (_, i) => (i - n / 2) * gap);
    for (let i = n - 1; i > 0; i--) { const j = Math.floor(this.next() * (i + 1)); [v[i], v[j]] = [v[j], v[i]]; }
    return { shape, values: v };
  }
}

export interface InputSpec { shape: number[]; values: number[] }

export interface GradCase {
  /** Shown in the test name. */
  label: string;
  inputs: (g: Gen) => InputSpec[];
  /** Calls the op through the public API. May create constant tensors (a tidy disposes them). */
  fn: (...xs: ag.Tensor[]) => ag.Tensor;
  /** Central-difference step (default 1e-2) and tolerances (|a - n| <= atol + rtol * max(|a|, |n|)). */
  eps?: number; rtol?: number; atol?: number;
}

/** Cases per registered op name; several files may contribute (test/ops/gradcases/*.ts). */
export type GradCases = Record<string, GradCase[]>;

export interface GradReport { analytic: number[][]; numeric: number[][]; worst: string | null }

/** Compares backward() with central differences; `worst` describes the first mismatch, if any. */
export function gradCheck(c: GradCase, seed = 1): GradReport {
  const gen = new Gen(seed);
  const specs = c.inputs(gen);
  const eps = c.eps ?? 1e-2, rtol = c.rtol ?? 1e-2, atol = c.atol ?? 1e-3;
  const forward = (vals: number[][]): number[] => ag.tidy(() => ag.noGrad(() => {
    const xs = specs.map((s, i) => ag.tensor(vals[i], { shape: s.shape }));
    return Array.from(c.fn(...xs).data(), Number);
  }));
  const base = specs.map((s) => s.values.map(Math.fround));
  const R = forward(base).map(() => gen.normal());
  const loss = (vals: number[][]) => forward(vals).reduce((a, v, k) => a + v * R[k], 0);

  const analytic = ag.tidy(() => {
    const xs = specs.map((s, i) => ag.tensor(base[i], { shape: s.shape, requiresGrad: true }));
    const out = c.fn(...xs);
    if (!out.requiresGrad) throw new Error(`${c.label}: the output does not require grad`);
    out.mul(ag.tensor(R, { shape: [...out.shape] })).sum().backward();
    const g = xs.map((x) => (x.grad ? Array.from(x.grad.data(), Number) : new Array<number>(x.size).fill(0)));
    xs.forEach((x) => x.dispose());
    return g;
  });

  const numeric = base.map((vals, i) => vals.map((v, j) => {
    const hi = Math.fround(v + eps), lo = Math.fround(v - eps);
    const at = (x: number) => loss(base.map((b, k) => (k === i ? b.map((w, m) => (m === j ? x : w)) : b)));
    return (at(hi) - at(lo)) / (hi - lo);
  }));

  let worst: string | null = null;
  for (let i = 0; i < specs.length && !worst; i++) {
    for (let j = 0; j < numeric[i].length; j++) {
      const a = analytic[i][j], n = numeric[i][j];
      if (!(Math.abs(a - n) <= atol + rtol * Math.max(Math.abs(a), Math.abs(n)))) {
        worst = `input ${i} element ${j}: analytic ${a}, numeric ${n}`;
        break;
      }
    }
  }
  return { analytic, numeric, worst };
}
