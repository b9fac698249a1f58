// nn.InstanceNorm1d / InstanceNorm2d and F.instanceNorm against a float64 reference (batched and
// unbatched, affine), running statistics in training and eval, gradients by finite differences,
// PyTorch's state dict keys and repr, errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn } from '../../src/index';
import { rng } from '../helpers/reference';
import { gradCheck } from '../helpers/gradcheck';

const values = (n: number, seed: number, lo = -2, hi = 4) => { const r = rng(seed); return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r())); };
const close = (got: ArrayLike<number>, want: number[], digits = 5) => {
  expect(got.length).toBe(want.length);
  want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, digits));
};

/** Per (sample, channel) mean, biased and unbiased variance of x [N, C, S]. */
function stats(x: number[], N: number, C: number) {
  const S = x.length / (N * C), out: { m: number; v: number; vu: number }[] = [];
  for (let k = 0; k < N * C; k++) {
    const row = x.slice(k * S, (k + 1) * S);
    const m = row.reduce((a, u) => a + u, 0) / S, ss = row.reduce((a, u) => a + (u - m) ** 2, 0);
    out.push({ m, v: ss / S, vu: ss / (S - 1) });
  }
  return out;
}

/** float64 instance norm with given per-(n, c) mean/var (or the input's own), then * w + b. */
function ref(x: number[], N: number, C: number, eps: number, w: number[] | null = null, b: number[] | null = null, mv?: { m: number[]; v: number[] }): number[] {
  const S = x.length / (N * C), st = stats(x, N, C);
  return x.map((u, i) => {
    const k = Math.floor(i / S), c = k % C;
    const m = mv ? mv.m[c] : st[k].m, v = mv ? mv.v[c] : st[k].v;
    return (u - m) / Math.sqrt(v + eps) * (w ? w[c] : 1) + (b ? b[c] : 0);
  });
}

describe('InstanceNorm', () => {
  it('InstanceNorm1d / 2d normalize each (sample, channel) as a float64 reference, batched and unbatched', () => ag.tidy(() => {
    const v = values(2 * 6 * 7, 1);
    const n1 = new nn.InstanceNorm1d(6);
    close(n1.call(ag.tensor(v, { shape: [2, 6, 7] })).data(), ref(v, 2, 6, 1e-5));
    const u = n1.call(ag.tensor(v.slice(0, 42), { shape: [6, 7] }));
    expect(u.shape).toEqual([6, 7]);
    close(u.data(), ref(v.slice(0, 42), 1, 6, 1e-5));
    const v4 = values(2 * 3 * 5 * 3, 2);
    const n2 = new nn.InstanceNorm2d(3, { affine: true, eps: 1e-3 });
    const w = values(3, 3, 0.5, 1.5), b = values(3, 4, -1, 1);
    nn.assign(n2.weight!, ag.tensor(w)); nn.assign(n2.bias!, ag.tensor(b));
    close(n2.call(ag.tensor(v4, { shape: [2, 3, 5, 3] })).data(), ref(v4, 2, 3, 1e-3, w, b));
    close(n2.call(ag.tensor(v4.slice(45), { shape: [3, 5, 3] })).data(), ref(v4.slice(45), 1, 3, 1e-3, w, b));
    // eval without running stats still uses the instance's own statistics
    n1.eval();
    close(n1.call(ag.tensor(v, { shape: [2, 6, 7] })).data(), ref(v, 2, 6, 1e-5));
    n1.dispose(); n2.dispose();
  }));

  it('trackRunningStats: training updates running_mean / running_var (unbiased), eval normalizes with them', () => ag.tidy(() => {
    const N = 2, C = 3, L = 5, mom = 0.3;
    const norm = new nn.InstanceNorm1d(C, { trackRunningStats: true, momentum: mom });
    let rm = [0, 0, 0], rv = [1, 1, 1];
    for (const seed of [5, 6]) {
      const v = values(N * C * L, seed);
      const y = norm.call(ag.tensor(v, { shape: [N, C, L] }));
      close(y.data(), ref(v, N, C, 1e-5));  // training: instance statistics
      const st = stats(v, N, C);
      rm = rm.map((r, c) => (1 - mom) * r + mom * (st[c].m + st[C + c].m) / 2);
      rv = rv.map((r, c) => (1 - mom) * r + mom * (st[c].vu + st[C + c].vu) / 2);
      close(norm.runningMean!.data(), rm);
      close(norm.runningVar!.data(), rv);
    }
    norm.eval();
    const v = values(N * C * L, 7);
    close(norm.call(ag.tensor(v, { shape: [N, C, L] })).data(), ref(v, N, C, 1e-5, null, null, { m: rm, v: rv }));
    close(norm.call(ag.tensor(v.slice(0, 15), { shape: [C, L] })).data(), ref(v.slice(0, 15), 1, C, 1e-5, null, null, { m: rm, v: rv }));
    close(norm.runningMean!.data(), rm); // eval leaves them alone
    norm.dispose();
  }));

  it('gradients of F.instanceNorm in x, weight and bias match finite differences', () => {
    const r = gradCheck({
      label: 'instanceNorm',
      inputs: (g) => [g.u([2, 3, 2, 3], -2, 2), g.u([3], 0.5, 1.5), g.u([3])],
      fn: (x, w, b) => ag.nn.F.instanceNorm(x, null, null, { weight: w, bias: b }),
      rtol: 2e-2, atol: 2e-3,
    }, 4);
    expect(r.worst).toBeNull();
  });

  it('stateDict keys and repr are PyTorch\'s', () => ag.tidy(() => {
    const a = new nn.InstanceNorm1d(6), b = new nn.InstanceNorm2d(4, { affine: true, trackRunningStats: true, momentum: 0.2 });
    expect(Object.keys(a.stateDict())).toEqual([]);
    expect(Object.keys(b.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(a.toString()).toBe('InstanceNorm1d(6, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)');
    expect(b.toString()).toBe('InstanceNorm2d(4, eps=1e-05, momentum=0.2, affine=True, track_running_stats=True)');
    a.dispose(); b.dispose();
  }));

  it('errors name the op and the values', () => ag.tidy(() => {
    const a = new nn.InstanceNorm1d(6, { affine: true }), b = new nn.InstanceNorm2d(3);
    expect(() => a.call(ag.zeros([2, 6, 4, 4]))).toThrow(/InstanceNorm1d: expected an input \[N, C, L\] or unbatched \[C, L\], got \[2, 6, 4, 4\]/);
    expect(() => b.call(ag.zeros([6, 4]))).toThrow(/InstanceNorm2d: expected an input \[N, C, H, W\] or unbatched \[C, H, W\], got \[6, 4\]/);
    expect(() => a.call(ag.zeros([2, 5, 4]))).toThrow(/InstanceNorm1d: expected 6 channels \(numFeatures\), got input \[2, 5, 4\]/);
    expect(() => a.call(ag.zeros([2, 6, 1]))).toThrow(/instanceNorm: expected more than 1 spatial element when training, got input of shape \[2, 6, 1\]/);
    expect(() => ag.nn.F.instanceNorm(ag.zeros([2, 3, 4]), null, null, { useInputStats: false })).toThrow(/instanceNorm: useInputStats=false needs runningMean and runningVar/);
    expect(() => ag.nn.F.instanceNorm(ag.zeros([2, 3]))).toThrow(/instanceNorm: expected an input \[N, C, \*\] with spatial dims, got shape \[2, 3\]/);
    expect(() => new nn.InstanceNorm1d(0)).toThrow(/InstanceNorm1d: numFeatures must be a positive integer, got 0/);
    a.dispose(); b.dispose();
  }));
});
