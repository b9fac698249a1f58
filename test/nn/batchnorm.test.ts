import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import * as nn from '../../src/nn';
import { close, flat } from '../helpers/close';

/** float64 reference over channel groups: values[c] = the N*L entries of channel c. */
function stats(values: number[]) {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const biased = values.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  return { mean, biased, unbiased: (biased * n) / (n - 1) };
}

describe('BatchNorm1d', () => {
  it('[N, C] training: batch statistics, PyTorch running-stat update, and gradients', () => {
    const xs = [[1, 10], [2, 20], [4, 30], [7, 60]];
    const bn = new nn.BatchNorm1d(2);
    ag.tidy(() => {
      nn.assign(bn.weight!, ag.tensor([2, 0.5]));
      nn.assign(bn.bias!, ag.tensor([1, -1]));
      const x = ag.tensor(xs, { requiresGrad: true });
      const y = bn.call(x);
      const eps = 1e-5;
      const exp: number[][] = xs.map(() => [0, 0]);
      const st = [0, 1].map((c) => stats(xs.map((r) => r[c])));
      const w = [2, 0.5], b = [1, -1];
      xs.forEach((r, i) => r.forEach((v, c) => { exp[i][c] = ((v - st[c].mean) / Math.sqrt(st[c].biased + eps)) * w[c] + b[c]; }));
      close(flat(y), exp.flat(), 1e-4);
      close(flat(bn.runningMean!), st.map((s) => 0.1 * s.mean));
      close(flat(bn.runningVar!), st.map((s) => 0.9 + 0.1 * s.unbiased));
      expect(bn.numBatchesTracked!.item()).toBe(1);
      // dx = w / sigma * (dy - mean(dy) - xhat * mean(dy * xhat)) per channel, with dy = R
      const R = [[1, -1], [2, 0.5], [-3, 2], [0.5, 1]];
      y.mul(ag.tensor(R)).sum().backward();
      const dx: number[][] = xs.map(() => [0, 0]);
      for (const c of [0, 1]) {
        const sig = Math.sqrt(st[c].biased + eps);
        const xh = xs.map((r) => (r[c] - st[c].mean) / sig);
        const md = R.reduce((s, r) => s + r[c], 0) / 4;
        const mdx = R.reduce((s, r, i) => s + r[c] * xh[i], 0) / 4;
        xs.forEach((_, i) => { dx[i][c] = (w[c] / sig) * (R[i][c] - md - xh[i] * mdx); });
      }
      close(flat(x.grad!), dx.flat(), 1e-3);
      close(flat(bn.weight!.grad!), [0, 1].map((c) => R.reduce((s, r, i) => s + r[c] * (xs[i][c] - st[c].mean) / Math.sqrt(st[c].biased + eps), 0)), 1e-4);
      close(flat(bn.bias!.grad!), [0, 1].map((c) => R.reduce((s, r) => s + r[c], 0)));
    });
    bn.dispose();
  });

  it('eval mode normalizes with the running statistics and leaves them unchanged', () => {
    const bn = new nn.BatchNorm1d(2, { affine: false });
    expect(bn.parameters().length).toBe(0);
    ag.tidy(() => {
      nn.assign(bn.runningMean!, ag.tensor([1, -2]));
      nn.assign(bn.runningVar!, ag.tensor([4, 0.25]));
      bn.eval();
      const y = bn.call(ag.tensor([[3, -2], [1, -1.5]]));
      close(flat(y), [2 / Math.sqrt(4 + 1e-5), 0, 0, 0.5 / Math.sqrt(0.25 + 1e-5)]);
      expect(flat(bn.runningMean!)).toEqual([1, -2]);
      expect(bn.numBatchesTracked!.item()).toBe(0);
    });
    bn.dispose();
  });

  it('[N, C, L] reduces over N and L; momentum null gives a cumulative average', () => {
    const bn = new nn.BatchNorm1d(2, { momentum: null });
    ag.tidy(() => {
      const a = [[[1, 2, 3], [0, 0, 6]], [[4, 5, 6], [3, 3, 0]]];
      const b = [[[0, 0, 0], [1, 1, 1]], [[2, 2, 2], [5, 5, 5]]];
      const ya = bn.call(ag.tensor(a));
      const chan = (x: number[][][], c: number) => x.flatMap((s) => s[c]);
      const sa = [0, 1].map((c) => stats(chan(a, c)));
      const expA = a.map((s) => s.map((row, c) => row.map((v) => (v - sa[c].mean) / Math.sqrt(sa[c].biased + 1e-5))));
      close(flat(ya), expA.flat(2), 1e-4);
      bn.call(ag.tensor(b));
      const sb = [0, 1].map((c) => stats(chan(b, c)));
      expect(bn.numBatchesTracked!.item()).toBe(2);
      close(flat(bn.runningMean!), [0, 1].map((c) => (sa[c].mean + sb[c].mean) / 2));
      // after batch 1 the factor is 1 (running = batch 1 stat), after batch 2 it is 1/2
      close(flat(bn.runningVar!), [0, 1].map((c) => (sa[c].unbiased + sb[c].unbiased) / 2));
    });
    bn.dispose();
  });

  it('validates its input', () => {
    const bn = new nn.BatchNorm1d(3);
    ag.tidy(() => {
      expect(() => bn.call(ag.zeros([4, 2]))).toThrow(/expected input \[N, 3\] or \[N, 3, L\], got \[4, 2\]/);
      expect(() => bn.call(ag.zeros([1, 3]))).toThrow(/more than 1 value per channel when training/);
    });
    bn.dispose();
  });
});
