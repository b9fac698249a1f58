// clipGradNorm / clipGradValue: totals and scaled grads against float64 hand computations.
import { describe, expect, it } from 'vitest';
import { dispose, tensor } from '../../src/index';
import { clipGradNorm, clipGradValue } from '../../src/optim';
import { setGrad } from './reference';

describe('clipGradNorm', () => {
  it('returns the total 2-norm and scales all grads by maxNorm / (norm + 1e-6)', () => {
    const p = tensor([0, 0], { requiresGrad: true });
    const q = tensor([0, 0, 0, 0, 0], { requiresGrad: true });
    setGrad(p, [3, 4]);
    setGrad(q, [0, 12, 0, 0, 0]); // total = sqrt(9 + 16 + 144) = 13
    const total = clipGradNorm([p, q], 1);
    expect(total).toBeCloseTo(13, 5);
    const c = 1 / (13 + 1e-6);
    const g = [...p.grad!.data(), ...q.grad!.data()];
    [3, 4, 0, 12, 0, 0, 0].forEach((v, i) => expect(g[i]).toBeCloseTo(v * c, 6));
    dispose([p, q]);
  });

  it('leaves grads alone when the norm is below maxNorm', () => {
    const p = tensor([0, 0, 0], { requiresGrad: true });
    setGrad(p, [1, -2, 2]);
    expect(clipGradNorm([p], 10)).toBeCloseTo(3, 6);
    expect(Array.from(p.grad!.data())).toEqual([1, -2, 2]);
    p.dispose();
  });

  it('supports the inf-norm and other p, ignores params without grad', () => {
    const p = tensor([0, 0, 0], { requiresGrad: true });
    const q = tensor([0], { requiresGrad: true });
    const none = tensor([0], { requiresGrad: true });
    setGrad(p, [1, -5, 2]); setGrad(q, [3]);
    expect(clipGradNorm([p, q, none], 100, Infinity)).toBe(5);
    expect(clipGradNorm([p, q], 100, 1)).toBeCloseTo(11, 5);
    expect(clipGradNorm([p, q], 100, 3)).toBeCloseTo((1 + 125 + 8 + 27) ** (1 / 3), 5);
    const total = clipGradNorm([p, q], 2.5, Infinity);
    expect(total).toBe(5);
    const s = 2.5 / (5 + 1e-6);
    Array.from(p.grad!.data()).forEach((v, i) => expect(v).toBeCloseTo([1, -5, 2][i] * s, 6));
    expect(clipGradNorm([none], 1)).toBe(0);
    dispose([p, q, none]);
  });

  it('works on 1003-element grads (SIMD tail) and non-contiguous grads', () => {
    const n = 1003;
    const vals = Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i)));
    const ref = Math.sqrt(vals.reduce((a, v) => a + v * v, 0));
    const p = tensor(new Float32Array(n), { requiresGrad: true });
    setGrad(p, vals);
    expect(clipGradNorm(p, 1)).toBeCloseTo(ref, 3);
    const out = p.grad!.data();
    for (let i = 0; i < n; i += 97) expect(out[i]).toBeCloseTo(vals[i] / (ref + 1e-6), 6);
    const m = tensor([[0, 0], [0, 0]], { requiresGrad: true });
    const gb = tensor([[3, 0], [4, 0]]);
    m.grad = gb.T;
    expect(clipGradNorm([m], 1)).toBeCloseTo(5, 5);
    expect(m.grad!.isContiguous()).toBe(true);
    expect(m.grad!.toArray()).toEqual([[0.6, 0.8], [0, 0]].map((r) => r.map((v) => Math.fround(v * 5 / (5 + 1e-6)))));
    dispose([p, m, gb]);
  });

  it('errors on non-finite norms when asked, and on bad arguments', () => {
    const p = tensor([0, 0], { requiresGrad: true });
    setGrad(p, [Infinity, 1]);
    expect(() => clipGradNorm([p], 1, 2, { errorIfNonfinite: true })).toThrow(/total norm of order 2 for gradients is non-finite/);
    expect(() => clipGradNorm([p], -1)).toThrow(/maxNorm must be a non-negative number, got -1/);
    expect(() => clipGradNorm([p], 1, 0)).toThrow(/normType must be a positive number or Infinity, got 0/);
    p.dispose();
  });
});

describe('clipGradValue', () => {
  it('clamps every element to [-c, c] in place, keeping NaN', () => {
    const n = 17;
    const vals = Array.from({ length: n }, (_, i) => (i - 8) * 0.5);
    vals[3] = NaN;
    const p = tensor(new Float32Array(n), { requiresGrad: true });
    setGrad(p, vals);
    const g = p.grad!;
    clipGradValue([p], 1.25);
    expect(p.grad).toBe(g);
    const out = Array.from(p.grad!.data());
    vals.forEach((v, i) => (Number.isNaN(v) ? expect(out[i]).toBeNaN() : expect(out[i]).toBe(Math.min(1.25, Math.max(-1.25, v)))));
    expect(() => clipGradValue([p], -1)).toThrow(/clipValue must be a non-negative number/);
    p.dispose();
  });
});
