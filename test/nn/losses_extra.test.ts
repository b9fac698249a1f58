// The losses of src/nn/losses_extra.ts and their modules against float64 references written from
// PyTorch's formulas (odd sizes, negative and zero values, every reduction), gradient checks, errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import * as nn from '../../src/nn';
import { close, flat } from '../helpers/close';
import { gradCheck, type GradCase } from '../helpers/gradcheck';

const F = nn.F;
type Red = 'none' | 'mean' | 'sum';
const REDS: Red[] = ['none', 'mean', 'sum'];
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const reduce = (v: number[], r: Red | 'batchmean', n = 1) => (r === 'none' ? v : r === 'sum' ? [sum(v)] : r === 'mean' ? [sum(v) / v.length] : [sum(v) / n]);
/** Asserts fn(reduction) matches reduce(per-element reference) for every reduction. */
function allReductions(per: number[], fn: (reduction: Red) => ag.Tensor, tol = 1e-5): void {
  for (const r of REDS) {
    const out = fn(r);
    expect(out.ndim, r).toBe(r === 'none' ? out.ndim : 0);
    close(flat(out), reduce(per, r), tol);
  }
}
const grad = (c: GradCase) => expect(gradCheck(c).worst, c.label).toBeNull();
const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const softplus = (z: number) => Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);
const pm1 = (n: number) => seq(n, (i) => ((i * 7) % 3 === 0 ? -1 : 1));

// 3x5 inputs with negatives and zeros
const X = [[0.5, -1.2, 0, 2, -0.3], [1, 0, -2.5, 0.7, 0.1], [-0.4, 3, 1.1, 0, -1]];
const Xf = X.flat();

describe('klDiv', () => {
  const lp = X.map((r) => { const l = Math.log(sum(r.map(Math.exp))); return r.map((v) => v - l); }).flat();
  const t = [0.1, 0.2, 0, 0.3, 0.4, 0.25, 0.25, 0.5, 0, 0, 0.6, 0.1, 0.1, 0.1, 0.1];

  it('matches target (log target - input), with 0 where target = 0, for every reduction and batchmean', () => {
    ag.tidy(() => {
      const x = ag.tensor(lp, { shape: [3, 5] }), y = ag.tensor(t, { shape: [3, 5] });
      const per = t.map((v, i) => (v === 0 ? 0 : v * (Math.log(v) - lp[i])));
      allReductions(per, (reduction) => F.klDiv(x, y, { reduction }));
      close(F.klDiv(x, y, { reduction: 'batchmean' }).item(), sum(per) / 3);
      const lt = t.map((v) => Math.log(v + 0.05));
      const perL = lt.map((v, i) => Math.exp(v) * (v - lp[i]));
      close(flat(F.klDiv(x, ag.tensor(lt, { shape: [3, 5] }), { logTarget: true, reduction: 'none' })), perL);
      close(new nn.KLDivLoss({ reduction: 'batchmean', logTarget: true }).call(x, ag.tensor(lt, { shape: [3, 5] })).item(), sum(perL) / 3);
    });
  });

  it('passes gradient checks in input and target; the target gradient is finite at 0', () => {
    grad({ label: 'klDiv', inputs: (g) => [g.u([3, 5], -3, 0), g.u([3, 5], 0.1, 1)], fn: (x, y) => F.klDiv(x, y, { reduction: 'batchmean' }) });
    grad({ label: 'klDiv logTarget', inputs: (g) => [g.u([3, 5], -3, 0), g.u([3, 5], -3, 0)], fn: (x, y) => F.klDiv(x, y, { logTarget: true, reduction: 'none' }) });
    ag.tidy(() => {
      const y = ag.tensor(t, { shape: [3, 5], requiresGrad: true });
      F.klDiv(ag.tensor(lp, { shape: [3, 5] }), y, { reduction: 'sum' }).backward();
      // log t + 1 - x; at t = 0 the t log t part contributes 0 (PyTorch's xlogy gives 0/0 = NaN there)
      close(flat(y.grad!), t.map((v, i) => (v === 0 ? 0 : Math.log(v) + 1) - lp[i]));
    });
  });

  it('errors on shape mismatch and a bad reduction', () => {
    ag.tidy(() => {
      expect(() => F.klDiv(ag.tensor(X), ag.tensor([1, 2, 3]))).toThrow(/klDiv: target shape \[3\] must equal input shape \[3, 5\]/);
      expect(() => F.klDiv(ag.tensor(X), ag.tensor(X), { reduction: 'avg' as 'mean' })).toThrow(/klDiv: reduction must be/);
    });
  });
});

describe('margin and embedding losses', () => {
  const a = seq(13, (i) => Math.sin(i * 1.7) * 2), b = seq(13, (i) => Math.cos(i * 0.9)), y = pm1(13);

  it('marginRankingLoss: max(0, -y (x1 - x2) + margin)', () => {
    ag.tidy(() => {
      const [ta, tb, ty] = [a, b, y].map((v) => ag.tensor(v));
      for (const margin of [0, 0.5]) allReductions(a.map((v, i) => Math.max(0, -y[i] * (v - b[i]) + margin)), (reduction) => F.marginRankingLoss(ta, tb, ty, { margin, reduction }));
      close(new nn.MarginRankingLoss({ margin: 0.5 }).call(ta, tb, ty).item(), sum(a.map((v, i) => Math.max(0, -y[i] * (v - b[i]) + 0.5))) / 13);
      expect(() => F.marginRankingLoss(ta, tb, ag.tensor([1, -1]))).toThrow(/marginRankingLoss: \(input1, input2, target\) must have the same shape, got \[13\], \[13\], \[2\]/);
    });
    grad({ label: 'marginRankingLoss', inputs: (g) => [g.u([13], -2, 2), g.u([13], -2, 2)], fn: (p, q) => F.marginRankingLoss(p, q, ag.tensor(y), { margin: 0.3 }) });
  });

  it('hingeEmbeddingLoss: x where y = 1, max(0, margin - x) where y = -1 (both for other y)', () => {
    ag.tidy(() => {
      const yy = [...y.slice(0, 12), 0];
      const ref = (m: number) => Xf.slice(0, 13).map((x, i) => (yy[i] !== 1 ? Math.max(0, m - x) : 0) + (yy[i] !== -1 ? x : 0));
      const x = ag.tensor(Xf.slice(0, 13)), t = ag.tensor(yy);
      allReductions(ref(1), (reduction) => F.hingeEmbeddingLoss(x, t, { reduction }));
      close(flat(new nn.HingeEmbeddingLoss({ margin: 2, reduction: 'none' }).call(x, t)), ref(2));
    });
    grad({ label: 'hingeEmbeddingLoss', inputs: (g) => [g.away([13], 0.1, 2)], fn: (x) => F.hingeEmbeddingLoss(x, ag.tensor(y), { margin: 0.05 }) });
  });

  it('softMarginLoss: log(1 + exp(-y x)), stable for large |x|', () => {
    ag.tidy(() => {
      const yy = pm1(15), x = ag.tensor(X), t = ag.tensor(yy, { shape: [3, 5] });
      allReductions(Xf.map((v, i) => softplus(-yy[i] * v)), (reduction) => F.softMarginLoss(x, t, { reduction }));
      close(flat(F.softMarginLoss(ag.tensor([100, -100]), ag.tensor([-1, -1]), { reduction: 'none' })), [100, 0]);
      close(new nn.SoftMarginLoss().call(x, t).item(), sum(Xf.map((v, i) => softplus(-yy[i] * v))) / 15);
    });
    grad({ label: 'softMarginLoss', inputs: (g) => [g.u([3, 5], -3, 3)], fn: (x) => F.softMarginLoss(x, ag.tensor(pm1(15), { shape: [3, 5] })) });
  });

  it('multilabelSoftMarginLoss: per-sample class mean of weighted BCE on logits', () => {
    ag.tidy(() => {
      const yy = seq(15, (i) => (i * 3) % 2), w = [0.5, 1, 2, 0, 1.5];
      const per = (ww: number[]) => X.map((r, n) => sum(r.map((v, c) => ww[c] * (yy[n * 5 + c] * softplus(-v) + (1 - yy[n * 5 + c]) * softplus(v)))) / 5);
      const x = ag.tensor(X), t = ag.tensor(yy, { shape: [3, 5] });
      allReductions(per([1, 1, 1, 1, 1]), (reduction) => F.multilabelSoftMarginLoss(x, t, { reduction }));
      allReductions(per(w), (reduction) => F.multilabelSoftMarginLoss(x, t, { reduction, weight: ag.tensor(w) }));
      close(new nn.MultiLabelSoftMarginLoss({ weight: ag.tensor(w), reduction: 'sum' }).call(x, t).item(), sum(per(w)));
      close(F.multilabelSoftMarginLoss(ag.tensor(X[0]), ag.tensor(yy.slice(0, 5))).item(), per([1, 1, 1, 1, 1])[0]); // [C] input
    });
    grad({ label: 'multilabelSoftMarginLoss', inputs: (g) => [g.u([3, 5], -3, 3)], fn: (x) => F.multilabelSoftMarginLoss(x, ag.tensor(seq(15, (i) => i % 2), { shape: [3, 5] }), { weight: ag.tensor([1, 2, 0.5, 1, 3]) }) });
  });

  it('cosineEmbeddingLoss: 1 - cos for y = 1, max(0, cos - margin) for y = -1', () => {
    const P = seq(7, (i) => [i - 3, (i * 5) % 3 - 1, 0.5 * i]), Q = seq(7, (i) => [1 - i, i % 2, 2 - 0.3 * i]);
    P[3] = [0, 0, 0]; // a zero row: cos 0 (norms + 1e-12)
    const yy = pm1(7);
    const cos = (u: number[], v: number[]) => sum(u.map((x, i) => x * v[i])) / Math.sqrt((sum(u.map((x) => x * x)) + 1e-12) * (sum(v.map((x) => x * x)) + 1e-12));
    const ref = (m: number) => P.map((u, i) => (yy[i] === 1 ? 1 - cos(u, Q[i]) : Math.max(0, cos(u, Q[i]) - m)));
    ag.tidy(() => {
      const p = ag.tensor(P), q = ag.tensor(Q), t = ag.tensor(yy);
      allReductions(ref(0), (reduction) => F.cosineEmbeddingLoss(p, q, t, { reduction }));
      close(flat(new nn.CosineEmbeddingLoss({ margin: -0.3, reduction: 'none' }).call(p, q, t)), ref(-0.3));
      close(F.cosineEmbeddingLoss(ag.tensor(P[0]), ag.tensor(Q[0]), ag.tensor(1)).item(), 1 - cos(P[0], Q[0])); // 1-D inputs, 0-d target
      expect(() => F.cosineEmbeddingLoss(p, q, ag.tensor([1, -1]))).toThrow(/cosineEmbeddingLoss: target shape \[2\] must be \[7\]/);
      expect(() => F.cosineEmbeddingLoss(p.reshape([7, 3, 1]), q.reshape([7, 3, 1]), t)).toThrow(/inputs must be 1-D \[D\] or 2-D \[N, D\]/);
    });
    grad({ label: 'cosineEmbeddingLoss', inputs: (g) => [g.u([7, 3], -2, 2), g.u([7, 3], -2, 2)], fn: (p, q) => F.cosineEmbeddingLoss(p, q, ag.tensor(yy), { margin: -1 }) });
  });
});

describe('tripletMarginLoss', () => {
  const A = seq(7, (i) => [Math.sin(i), Math.cos(2 * i), 0.3 * i - 1]);
  const P = seq(7, (i) => [Math.sin(i) + 0.2, Math.cos(2 * i) - 0.1 * i, 0]);
  const N = seq(7, (i) => [-Math.sin(i * 3), 0.5, 0.2 * i]);
  const d = (u: number[], v: number[], p: number, eps = 1e-6) => sum(u.map((x, i) => Math.abs(x - v[i] + eps) ** p)) ** (1 / p);

  it('max(d(a, p) - d(a, n) + margin, 0), with p, margin and swap', () => {
    ag.tidy(() => {
      const [a, p, n] = [A, P, N].map((m) => ag.tensor(m));
      for (const [margin, pp, swap] of [[1, 2, false], [0.5, 1, false], [2, 2, true], [1, 3, true]] as const) {
        const per = A.map((u, i) => Math.max(0, d(u, P[i], pp) - (swap ? Math.min(d(u, N[i], pp), d(P[i], N[i], pp)) : d(u, N[i], pp)) + margin));
        allReductions(per, (reduction) => F.tripletMarginLoss(a, p, n, { margin, p: pp, swap, reduction }));
      }
      const per = A.map((u, i) => Math.max(0, d(u, P[i], 2) - d(u, N[i], 2) + 1));
      close(new nn.TripletMarginLoss().call(a, p, n).item(), sum(per) / 7);
      expect(() => F.tripletMarginLoss(a, p, n.reshape([7, 3, 1]))).toThrow(/tripletMarginLoss: anchor, positive and negative must all be 1-D or 2-D/);
    });
    for (const swap of [false, true]) {
      grad({ label: `tripletMarginLoss swap=${swap}`, inputs: (g) => [g.u([7, 3], -2, 2), g.u([7, 3], -2, 2), g.u([7, 3], -2, 2)], fn: (a, p, n) => F.tripletMarginLoss(a, p, n, { margin: 3, swap }) });
    }
  });
});

describe('multiMarginLoss', () => {
  const M = seq(7, (i) => seq(5, (j) => Math.sin(i * 5 + j) * 1.5));
  const y = [0, 4, 2, 2, 1, 3, 0];
  const ref = (p: number, margin: number, w?: number[]) => M.map((r, i) =>
    sum(r.map((v, j) => (j === y[i] ? 0 : Math.max(0, margin - r[y[i]] + v) ** p * (w ? w[y[i]] : 1)))) / 5);

  it('sums max(0, margin - x[y] + x[j])^p over j != y, divides by C; weight; p 1 and 2', () => {
    ag.tidy(() => {
      const x = ag.tensor(M), t = ag.tensor(y, { dtype: 'int32' }), w = [1, 0.5, 2, 0, 1.5];
      for (const [p, margin] of [[1, 1], [2, 1], [1, 0.5], [2, 2]] as const) allReductions(ref(p, margin), (reduction) => F.multiMarginLoss(x, t, { p, margin, reduction }));
      allReductions(ref(2, 1, w), (reduction) => F.multiMarginLoss(x, t, { p: 2, weight: ag.tensor(w), reduction }));
      close(new nn.MultiMarginLoss({ weight: ag.tensor(w) }).call(x, t).item(), sum(ref(1, 1, w)) / 7);
      const one = F.multiMarginLoss(ag.tensor(M[1]), ag.tensor(4, { dtype: 'int32' }), { reduction: 'none' }); // [C] input
      expect(one.shape).toEqual([]);
      close(one.item(), ref(1, 1)[1]);
    });
    grad({ label: 'multiMarginLoss p=2 weighted', inputs: (g) => [g.distinct([7, 5], 0.13)], fn: (x) => F.multiMarginLoss(x, ag.tensor(y, { dtype: 'int32' }), { p: 2, weight: ag.tensor([1, 0.5, 2, 1, 1.5]) }) });
    grad({ label: 'multiMarginLoss p=1', inputs: (g) => [g.distinct([7, 5], 0.13)], fn: (x) => F.multiMarginLoss(x, ag.tensor(y, { dtype: 'int32' }), { margin: 0.3 }) });
  });

  it('errors on bad targets, p and weight', () => {
    ag.tidy(() => {
      const x = ag.tensor(M);
      expect(() => F.multiMarginLoss(x, ag.tensor([0, 5, 0, 0, 0, 0, 0], { dtype: 'int32' }))).toThrow(/multiMarginLoss: target 5 is out of bounds: expected class indices in \[0, 5\)/);
      expect(() => F.multiMarginLoss(x, ag.tensor(y))).toThrow(/target must be int32 of shape \[7\], got float32/);
      expect(() => F.multiMarginLoss(x, ag.tensor([1], { dtype: 'int32' }))).toThrow(/target must be int32 of shape \[7\]/);
      expect(() => F.multiMarginLoss(x, ag.tensor(y, { dtype: 'int32' }), { p: 3 as 1 })).toThrow(/only p = 1 and p = 2 are supported, got 3/);
      expect(() => F.multiMarginLoss(x, ag.tensor(y, { dtype: 'int32' }), { weight: ag.tensor([1, 2]) })).toThrow(/weight must have shape \[5\], got \[2\]/);
    });
  });
});

describe('poissonNllLoss', () => {
  const x = seq(13, (i) => Math.sin(i * 1.3) * 2), t = [0, 1, 2, 5, 0, 3, 1, 0, 7, 2, 1, 4, 0];
  const stirling = (v: number) => (v > 1 ? v * Math.log(v) - v + 0.5 * Math.log(2 * Math.PI * v) : 0);

  it('exp(x) - t x (logInput), x - t log(x + eps) otherwise, + Stirling term where t > 1 (full)', () => {
    ag.tidy(() => {
      const tx = ag.tensor(x), tt = ag.tensor(t);
      allReductions(x.map((v, i) => Math.exp(v) - t[i] * v), (reduction) => F.poissonNllLoss(tx, tt, { reduction }));
      allReductions(x.map((v, i) => Math.exp(v) - t[i] * v + stirling(t[i])), (reduction) => F.poissonNllLoss(tx, tt, { full: true, reduction }));
      const rates = x.map((v) => Math.abs(v)); // includes 0: log(0 + eps)
      rates[0] = 0;
      const per = rates.map((v, i) => v - t[i] * Math.log(Math.fround(v) + 1e-8));
      close(flat(F.poissonNllLoss(ag.tensor(rates), tt, { logInput: false, reduction: 'none' })), per, 1e-5);
      close(new nn.PoissonNLLLoss({ logInput: false, full: true, eps: 1e-3 }).call(ag.tensor(rates), tt).item(),
        sum(rates.map((v, i) => v - t[i] * Math.log(Math.fround(v) + 1e-3) + stirling(t[i]))) / 13);
    });
    grad({ label: 'poissonNllLoss', inputs: (g) => [g.u([13], -2, 2)], fn: (z) => F.poissonNllLoss(z, ag.tensor(t), { full: true }) });
    grad({ label: 'poissonNllLoss rates', inputs: (g) => [g.u([13], 0.3, 3)], fn: (z) => F.poissonNllLoss(z, ag.tensor(t), { logInput: false }) });
  });
});

describe('gaussianNllLoss', () => {
  const mu = X, tgt = [[1, -1, 0.5, 2, 0], [0, 0.3, -2, 1, 1], [-1, 2.5, 1, 0.2, -0.5]];
  const V = [[0.5, 1, 2, 0.1, 3], [1.5, 0, 0.7, 1, 2], [0.2, 0.4, 1, 5, 0.8]]; // a 0: clamped to eps
  const per = (v: (n: number, c: number) => number, full = false, eps = 1e-6) => mu.flatMap((r, n) => r.map((m, c) => {
    const vc = Math.max(Math.fround(v(n, c)), eps);
    return 0.5 * (Math.log(vc) + (m - tgt[n][c]) ** 2 / vc) + (full ? 0.5 * Math.log(2 * Math.PI) : 0);
  }));

  it('0.5 (log max(var, eps) + (x - t)^2 / max(var, eps)) for var of every allowed shape', () => {
    ag.tidy(() => {
      const x = ag.tensor(mu), t = ag.tensor(tgt);
      allReductions(per((n, c) => V[n][c]), (reduction) => F.gaussianNllLoss(x, t, ag.tensor(V), { reduction }), 2e-5);
      close(flat(F.gaussianNllLoss(x, t, ag.tensor(V), { full: true, reduction: 'none' })), per((n, c) => V[n][c], true), 2e-5);
      const rowV = [0.5, 2, 1.3];
      close(flat(F.gaussianNllLoss(x, t, ag.tensor(rowV), { reduction: 'none' })), per((n) => rowV[n]));
      close(flat(F.gaussianNllLoss(x, t, ag.tensor([[0.5], [2], [1.3]]), { reduction: 'none' })), per((n) => rowV[n]));
      close(F.gaussianNllLoss(x, t, 0.7, { reduction: 'sum' }).item(), sum(per(() => 0.7)));
      close(F.gaussianNllLoss(x, ag.tensor([1, -1, 0.5, 2, 0]), 1.5, { reduction: 'sum' }).item(), // target broadcast over rows
        sum(mu.flatMap((r) => r.map((m, c) => 0.5 * (Math.log(1.5) + (m - [1, -1, 0.5, 2, 0][c]) ** 2 / 1.5)))));
      close(new nn.GaussianNLLLoss({ eps: 0.3 }).call(x, t, ag.tensor(V)).item(), sum(per((n, c) => V[n][c], false, 0.3)) / 15);
    });
  });

  it('gradients in input and var (the eps clamp passes var gradients through, as PyTorch)', () => {
    grad({ label: 'gaussianNllLoss', inputs: (g) => [g.u([3, 5], -2, 2), g.u([3, 5], 0.3, 2)], fn: (x, v) => F.gaussianNllLoss(x, ag.tensor(tgt), v, { full: true }) });
    grad({ label: 'gaussianNllLoss row var', inputs: (g) => [g.u([3, 5], -2, 2), g.u([3], 0.3, 2)], fn: (x, v) => F.gaussianNllLoss(x, ag.tensor(tgt), v, { reduction: 'sum' }) });
    ag.tidy(() => {
      const v = ag.tensor([1e-8, 2], { requiresGrad: true });
      F.gaussianNllLoss(ag.tensor([1, 1]), ag.tensor([0, 0]), v, { reduction: 'sum', eps: 1e-4 }).backward();
      // d/dv at v' = max(v, eps): 0.5 (1 / v' - d^2 / v'^2)
      close(flat(v.grad!), [0.5 * (1 / 1e-4 - 1 / 1e-8), 0.5 * (0.5 - 0.25)], 1e-4);
    });
  });

  it('errors on negative var, bad var or target shapes and a bad reduction', () => {
    ag.tidy(() => {
      const x = ag.tensor(mu), t = ag.tensor(tgt);
      expect(() => F.gaussianNllLoss(x, t, ag.tensor([[-1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]]))).toThrow(/gaussianNllLoss: var has negative entries/);
      expect(() => F.gaussianNllLoss(x, t, ag.tensor([1, 2, 3, 4, 5]))).toThrow(/gaussianNllLoss: var shape \[5\] must be \[3, 5\], \[3\] or \[3, 1\]/);
      expect(() => F.gaussianNllLoss(x, ag.tensor([[1, 2]]), 1)).toThrow(/gaussianNllLoss/);
      expect(() => F.gaussianNllLoss(x, ag.tensor([[1], [2], [3], [4]]), 1)).toThrow(/gaussianNllLoss/);
      expect(() => F.gaussianNllLoss(x, t, 1, { reduction: 'batchmean' as 'mean' })).toThrow(/gaussianNllLoss: reduction must be/);
    });
  });
});

describe('reduction argument', () => {
  it('every loss rejects an unknown reduction with a clear error', () => {
    ag.tidy(() => {
      const x = ag.tensor([[0.5, -1, 2]]), y = ag.tensor([[1, -1, 1]]), i = ag.tensor([2], { dtype: 'int32' });
      const bad = { reduction: 'avg' as 'mean' };
      const calls: [string, () => unknown][] = [
        ['klDiv', () => F.klDiv(x, y, bad)], ['marginRankingLoss', () => F.marginRankingLoss(x, y, y, bad)],
        ['hingeEmbeddingLoss', () => F.hingeEmbeddingLoss(x, y, bad)], ['softMarginLoss', () => F.softMarginLoss(x, y, bad)],
        ['multilabelSoftMarginLoss', () => F.multilabelSoftMarginLoss(x, y, bad)], ['cosineEmbeddingLoss', () => F.cosineEmbeddingLoss(x, x, ag.tensor([1]), bad)],
        ['tripletMarginLoss', () => F.tripletMarginLoss(x, y, x, bad)], ['multiMarginLoss', () => F.multiMarginLoss(x, i, bad)],
        ['poissonNllLoss', () => F.poissonNllLoss(x, y, bad)], ['gaussianNllLoss', () => F.gaussianNllLoss(x, y, 1, bad)],
      ];
      for (const [name, f] of calls) expect(f, name).toThrow(new RegExp(`${name}: reduction must be 'mean', 'sum' or 'none', got "avg"`));
    });
  });
});
