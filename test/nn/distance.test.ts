// F.normalize, F.cosineSimilarity, F.pairwiseDistance and their modules against float64 references
// (odd sizes, zero rows, broadcasting), finite-difference gradients and error messages.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import * as nn from '../../src/nn';
import { close, flat } from '../helpers/close';
import { gradCheck } from '../helpers/gradcheck';

const F = nn.F;
const A = [[1.5, -2, 0, 0.25, -3], [0, 0, 0, 0, 0], [-0.5, 4, 1, -1, 2.5]];
const B = [[2, 1, -1, 0, 0.5], [1, -1, 2, 0.5, 3], [0.5, 4, 1, -1, 2.5]];
const pnorm = (v: number[], p: number) => (p === Infinity ? Math.max(...v.map(Math.abs)) : v.reduce((s, x) => s + Math.abs(x) ** p, 0) ** (1 / p));
const cols = (m: number[][]) => m[0].map((_, j) => m.map((r) => r[j]));
const T = (m: number[][]) => cols(m);

describe('normalize', () => {
  it('divides by max(||x||_p, eps) along dim 1 (default) or dim 0; a zero row stays zero', () => {
    ag.tidy(() => {
      const x = ag.tensor(A);
      for (const p of [2, 1, 3]) {
        const want = A.map((r) => { const n = Math.max(pnorm(r, p), 1e-12); return r.map((v) => v / n); });
        close(flat(F.normalize(x, { p })), want.flat());
      }
      const wantT = T(T(A).map((c) => { const n = Math.max(pnorm(c, 2), 1e-12); return c.map((v) => v / n); }));
      close(flat(F.normalize(x, { dim: 0 })), wantT.flat());
      close(flat(F.normalize(ag.tensor([3e-13, 4e-13]), { dim: 0, eps: 1e-12 })), [0.3, 0.4]); // below eps: divided by eps
    });
  });

  it('passes gradient checks; at a zero row the gradient is dy / eps (finite)', () => {
    const r = gradCheck({ label: 'normalize', inputs: (g) => [g.away([3, 5], 0.2, 2)], fn: (x) => F.normalize(x) });
    expect(r.worst).toBeNull();
    ag.tidy(() => {
      const x = ag.tensor(A, { requiresGrad: true });
      F.normalize(x).mul(ag.tensor(B)).sum().backward();
      expect(flat(x.grad!).every(Number.isFinite)).toBe(true);
      close(flat(x.grad!).slice(5, 10).map((v) => v / 1e12), B[1]); // x / eps there: gradient dy / eps, as PyTorch
    });
  });
});

describe('cosineSimilarity', () => {
  const cosRef = (a: number[], b: number[], eps = 1e-8) => {
    const na = Math.max(pnorm(a, 2), eps), nb = Math.max(pnorm(b, 2), eps);
    return a.reduce((s, v, i) => s + (v / na) * (b[i] / nb), 0);
  };

  it('matches x1/max(||x1||, eps) . x2/max(||x2||, eps) along dim 1, dim 0 and with broadcasting', () => {
    ag.tidy(() => {
      const a = ag.tensor(A), b = ag.tensor(B);
      close(flat(F.cosineSimilarity(a, b)), A.map((r, i) => cosRef(r, B[i])));
      close(flat(F.cosineSimilarity(a, b, 0)), cols(A).map((c, j) => cosRef(c, cols(B)[j])));
      const v = [0.5, -1, 2, 0, 1.5];
      const r = F.cosineSimilarity(a, ag.tensor(v), -1);
      expect(r.shape).toEqual([3]);
      close(flat(r), A.map((row) => cosRef(row, v)));
      close(flat(new nn.CosineSimilarity({ dim: 0 }).call(a, b)), cols(A).map((c, j) => cosRef(c, cols(B)[j])));
      // odd sizes: [7, 13] along dim 1
      const M = Array.from({ length: 7 }, (_, i) => Array.from({ length: 13 }, (_, j) => Math.sin(i * 13 + j) * 3));
      const N = Array.from({ length: 7 }, (_, i) => Array.from({ length: 13 }, (_, j) => Math.cos(i + j * 0.7) - 0.2));
      close(flat(F.cosineSimilarity(ag.tensor(M), ag.tensor(N))), M.map((r, i) => cosRef(r, N[i])));
    });
  });

  it('passes gradient checks in both inputs', () => {
    const r = gradCheck({ label: 'cosineSimilarity', inputs: (g) => [g.u([3, 5], -2, 2), g.u([3, 5], -2, 2)], fn: (x, y) => F.cosineSimilarity(x, y) });
    expect(r.worst).toBeNull();
    const r2 = gradCheck({ label: 'cosineSimilarity dim 0 broadcast', inputs: (g) => [g.u([7, 3], -2, 2), g.u([7, 1], -2, 2)], fn: (x, y) => F.cosineSimilarity(x, y, 0) });
    expect(r2.worst).toBeNull();
  });

  it('errors on shapes that do not broadcast, bad dims and int inputs', () => {
    ag.tidy(() => {
      expect(() => F.cosineSimilarity(ag.tensor(A), ag.tensor([1, 2, 3]))).toThrow(/cosineSimilarity/);
      expect(() => F.cosineSimilarity(ag.tensor(A), ag.tensor(B), 2)).toThrow(/cosineSimilarity/);
      expect(() => F.cosineSimilarity(ag.tensor([[1, 2]], { dtype: 'int32' }), ag.tensor([[1, 2]]))).toThrow(/cosineSimilarity: expected float32 tensors, got int32/);
    });
  });
});

describe('pairwiseDistance', () => {
  const X = Array.from({ length: 7 }, (_, i) => [i - 3, (i * 5) % 3 - 1, 0.5 * i]);
  const Y = Array.from({ length: 7 }, (_, i) => [1 - i, 0, (i % 2) - 0.5]);
  const pd = (a: number[], b: number[], p: number, eps = 1e-6) => pnorm(a.map((v, i) => v - b[i] + eps), p);

  it('is ||x1 - x2 + eps||_p over the last dim for p = 2, 1, 3, Infinity, keepdim and broadcasting', () => {
    ag.tidy(() => {
      const x = ag.tensor(X), y = ag.tensor(Y);
      for (const p of [2, 1, 3, Infinity]) close(flat(F.pairwiseDistance(x, y, p)), X.map((r, i) => pd(r, Y[i], p)));
      const k = F.pairwiseDistance(x, y, 2, 0, true);
      expect(k.shape).toEqual([7, 1]);
      close(flat(k), X.map((r, i) => pd(r, Y[i], 2, 0)));
      close(flat(F.pairwiseDistance(x, ag.tensor([1, -1, 0.5]))), X.map((r) => pd(r, [1, -1, 0.5], 2)));
      close(F.pairwiseDistance(ag.tensor([1, 2, 3]), ag.tensor([1, 2, 3])).item(), Math.sqrt(3) * 1e-6); // only eps left
      close(flat(new nn.PairwiseDistance({ p: 1 }).call(x, y)), X.map((r, i) => pd(r, Y[i], 1)));
      expect(String(new nn.PairwiseDistance({ p: 1 }))).toContain('p=1, eps=0.000001, keepdim=false');
    });
  });

  it('passes gradient checks (p = 2 and 3)', () => {
    for (const p of [2, 3]) {
      const r = gradCheck({ label: `pairwiseDistance p=${p}`, inputs: (g) => [g.u([7, 3], -2, 2), g.u([7, 3], -2, 2)], fn: (a, b) => F.pairwiseDistance(a, b, p) });
      expect(r.worst, `p = ${p}`).toBeNull();
    }
  });

  it('errors on mismatched shapes, 0-d inputs and bad p', () => {
    ag.tidy(() => {
      expect(() => F.pairwiseDistance(ag.tensor(X), ag.tensor([1, 2]))).toThrow(/pairwiseDistance/);
      expect(() => F.pairwiseDistance(ag.tensor(1), ag.tensor(2))).toThrow(/pairwiseDistance: expected tensors with at least 1 dim/);
      expect(() => F.pairwiseDistance(ag.tensor(X), ag.tensor(Y), -2)).toThrow(/norm: p must be/);
    });
  });
});
