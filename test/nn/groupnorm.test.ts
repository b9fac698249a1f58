// nn.GroupNorm and F.groupNorm against a float64 reference at odd sizes (3-D, 4-D and 2-D inputs,
// with and without affine), gradients by finite differences, PyTorch's state dict keys and repr,
// and clear errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn } from '../../src/index';
import { rng } from '../helpers/reference';
import { gradCheck } from '../helpers/gradcheck';

/** float64 group norm of x [N, C, S] (S = product of spatial dims), then * w[c] + b[c]. */
function ref(x: number[], N: number, C: number, G: number, w: number[] | null, b: number[] | null, eps: number): number[] {
  const S = x.length / (N * C), cpg = C / G, out = new Array<number>(x.length);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      const idx: number[] = [];
      for (let c = g * cpg; c < (g + 1) * cpg; c++) for (let s = 0; s < S; s++) idx.push((n * C + c) * S + s);
      const m = idx.reduce((a, i) => a + x[i], 0) / idx.length;
      const v = idx.reduce((a, i) => a + (x[i] - m) ** 2, 0) / idx.length;
      for (const i of idx) {
        const c = Math.floor(i / S) % C;
        out[i] = (x[i] - m) / Math.sqrt(v + eps) * (w ? w[c] : 1) + (b ? b[c] : 0);
      }
    }
  }
  return out;
}

const close = (got: ArrayLike<number>, want: number[], digits = 5) => {
  expect(got.length).toBe(want.length);
  want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, digits));
};
const values = (n: number, seed: number, lo = -2, hi = 4) => { const r = rng(seed); return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r())); };

describe('GroupNorm', () => {
  it('normalizes each (sample, group) as a float64 reference: [2, 6, 7], [2, 6, 5, 3], [3, 6], strided input', () => ag.tidy(() => {
    const gn = new nn.GroupNorm(3, 6);
    const w = values(6, 1, 0.5, 1.5), b = values(6, 2, -0.5, 0.5);
    nn.assign(gn.weight!, ag.tensor(w));
    nn.assign(gn.bias!, ag.tensor(b));
    const v3 = values(2 * 6 * 7, 3);
    close(gn.call(ag.tensor(v3, { shape: [2, 6, 7] })).data(), ref(v3, 2, 6, 3, w, b, 1e-5));
    const v4 = values(2 * 6 * 5 * 3, 4);
    const y4 = gn.call(ag.tensor(v4, { shape: [2, 6, 5, 3] }));
    expect(y4.shape).toEqual([2, 6, 5, 3]);
    close(y4.data(), ref(v4, 2, 6, 3, w, b, 1e-5));
    const v2 = values(3 * 6, 5);
    close(gn.call(ag.tensor(v2, { shape: [3, 6] })).data(), ref(v2, 3, 6, 3, w, b, 1e-5));
    // a transposed view [2, 6, 7] of a [2, 7, 6] tensor
    const xt = ag.tensor(v3, { shape: [2, 7, 6] }).transpose(1, 2);
    close(ag.nn.F.groupNorm(xt, 2, null, null, 1e-3).data(), ref(Array.from(xt.contiguous().data()), 2, 6, 2, null, null, 1e-3));
    const plain = new nn.GroupNorm(6, 6, { affine: false, eps: 1e-3 });
    expect([plain.weight, plain.bias]).toEqual([null, null]);
    close(plain.call(ag.tensor(v3, { shape: [2, 6, 7] })).data(), ref(v3, 2, 6, 6, null, null, 1e-3));
    gn.dispose(); plain.dispose();
  }));

  it('gradients of F.groupNorm in x, weight and bias match finite differences', () => {
    const r = gradCheck({
      label: 'groupNorm',
      inputs: (g) => [g.u([2, 6, 3], -2, 2), g.u([6], 0.5, 1.5), g.u([6])],
      fn: (x, w, b) => ag.nn.F.groupNorm(x, 3, w, b),
      rtol: 2e-2, atol: 2e-3,
    }, 3);
    expect(r.worst).toBeNull();
  });

  it('module parameters get gradients; stateDict keys and repr are PyTorch\'s', () => ag.tidy(() => {
    const gn = new nn.GroupNorm(2, 4, { eps: 1e-3 });
    expect(Object.keys(gn.stateDict())).toEqual(['weight', 'bias']);
    expect(gn.toString()).toBe('GroupNorm(2, 4, eps=0.001, affine=True)');
    expect(new nn.GroupNorm(3, 6, { affine: false }).toString()).toBe('GroupNorm(3, 6, eps=1e-05, affine=False)');
    gn.call(ag.tensor(values(2 * 4 * 3, 7), { shape: [2, 4, 3] })).mul(ag.tensor(values(24, 8), { shape: [2, 4, 3] })).sum().backward();
    expect(gn.weight!.grad!.shape).toEqual([4]);
    // d/d bias_c = sum of the upstream gradient over channel c
    const up = values(24, 8), want = [0, 1, 2, 3].map((c) => [0, 1].reduce((a, n) => a + [0, 1, 2].reduce((s, l) => s + up[(n * 4 + c) * 3 + l], 0), 0));
    close(gn.bias!.grad!.data(), want, 4);
    gn.dispose();
  }));

  it('errors name the op and the values', () => ag.tidy(() => {
    expect(() => new nn.GroupNorm(4, 6)).toThrow(/GroupNorm: numChannels must be divisible by numGroups, got numChannels=6 and numGroups=4/);
    expect(() => new nn.GroupNorm(0, 6)).toThrow(/GroupNorm: numGroups and numChannels must be positive integers/);
    expect(() => ag.nn.F.groupNorm(ag.zeros([2, 5, 7]), 3)).toThrow(/groupNorm: expected the number of channels to be divisible by numGroups, but got input of shape \[2, 5, 7\] and numGroups=3/);
    expect(() => ag.nn.F.groupNorm(ag.zeros([6]), 3)).toThrow(/groupNorm: expected an input \[N, C, \*\] of at least 2 dims, got shape \[6\]/);
    expect(() => ag.nn.F.groupNorm(ag.zeros([2, 6]), 3, ag.ones([5]))).toThrow(/groupNorm: weight must have shape \[6\]/);
    const gn = new nn.GroupNorm(3, 6);
    expect(() => gn.call(ag.zeros([2, 9, 4]))).toThrow(/GroupNorm: expected input \[N, 6, \*\], got \[2, 9, 4\]/);
    gn.dispose();
  }));
});
