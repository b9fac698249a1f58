// 1-D pools (MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d) and AdaptiveMaxPool2d against
// float64 references (padding, dilation, ceilMode, countIncludePad, unbatched input), gradients by
// finite differences, PyTorch's repr, errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn } from '../../src/index';
import { rng } from '../helpers/reference';
import { gradCheck } from '../helpers/gradcheck';

const F = ag.nn.F;
const values = (n: number, seed: number) => { const r = rng(seed); return Array.from({ length: n }, () => Math.fround(r() * 6 - 3)); };
const close = (got: ArrayLike<number>, want: number[], digits = 5) => {
  expect(got.length).toBe(want.length);
  want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, digits));
};

function outLen(L: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  let o = Math.floor((L + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (o - 1) * s >= L + p) o--;
  return o;
}

/** Applies f to every row of length L of x (rows = x.length / L) and concatenates. */
const rows = (x: number[], L: number, f: (row: number[]) => number[]) =>
  Array.from({ length: x.length / L }, (_, r) => f(x.slice(r * L, (r + 1) * L))).flat();

function maxRef(row: number[], k: number, s: number, p: number, d: number, ceil: boolean): number[] {
  return Array.from({ length: outLen(row.length, k, s, p, d, ceil) }, (_, i) => {
    let m = -Infinity;
    for (let j = 0; j < k; j++) { const t = i * s - p + j * d; if (t >= 0 && t < row.length) m = Math.max(m, row[t]); }
    return m;
  });
}

function avgRef(row: number[], k: number, s: number, p: number, ceil: boolean, countIncludePad: boolean): number[] {
  const L = row.length;
  return Array.from({ length: outLen(L, k, s, p, 1, ceil) }, (_, i) => {
    let a = i * s - p, b = Math.min(a + k, L + p);
    const size = b - a;
    a = Math.max(a, 0); b = Math.min(b, L);
    let sum = 0;
    for (let t = a; t < b; t++) sum += row[t];
    return sum / (countIncludePad ? size : b - a);
  });
}

/** Adaptive windows [floor(i*n/o), ceil((i+1)*n/o)). */
const windows = (n: number, o: number) => Array.from({ length: o }, (_, i) => [Math.floor((i * n) / o), Math.ceil(((i + 1) * n) / o)]);
const adaptive1d = (row: number[], o: number, max: boolean) => windows(row.length, o).map(([a, b]) => {
  const w = row.slice(a, b);
  return max ? Math.max(...w) : w.reduce((u, v) => u + v, 0) / w.length;
});
const adaptiveMax2d = (plane: number[], H: number, W: number, Ho: number, Wo: number) =>
  windows(H, Ho).flatMap(([h0, h1]) => windows(W, Wo).map(([w0, w1]) => {
    let m = -Infinity;
    for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) m = Math.max(m, plane[h * W + w]);
    return m;
  }));

describe('1-D and adaptive max pooling', () => {
  const N = 2, C = 3, L = 7, v = values(N * C * L, 1);

  it('MaxPool1d matches the reference: stride, padding, dilation, ceilMode; batched and unbatched', () => ag.tidy(() => {
    const x = ag.tensor(v, { shape: [N, C, L] });
    for (const [k, s, p, d, ceil] of [[2, 2, 0, 1, false], [3, 2, 1, 1, false], [3, 2, 1, 2, true], [2, 3, 1, 1, true], [4, 1, 2, 1, false]] as const) {
      const y = new nn.MaxPool1d(k, { stride: s, padding: p, dilation: d, ceilMode: ceil }).call(x);
      expect(y.shape).toEqual([N, C, outLen(L, k, s, p, d, ceil)]);
      close(y.data(), rows(v, L, (r) => maxRef(r, k, s, p, d, ceil)));
    }
    const u = F.maxPool1d(ag.tensor(v.slice(0, C * L), { shape: [C, L] }), [3], { stride: [2] });
    expect(u.shape).toEqual([C, 3]);
    close(u.data(), rows(v.slice(0, C * L), L, (r) => maxRef(r, 3, 2, 0, 1, false)));
  }));

  it('AvgPool1d matches the reference: padding with and without countIncludePad, ceilMode', () => ag.tidy(() => {
    const x = ag.tensor(v, { shape: [N, C, L] });
    for (const [k, s, p, ceil, cip] of [[3, 3, 0, false, true], [3, 2, 1, false, true], [3, 2, 1, false, false], [2, 3, 1, true, true], [4, 2, 2, true, false]] as const) {
      const y = new nn.AvgPool1d(k, { stride: s, padding: p, ceilMode: ceil, countIncludePad: cip }).call(x);
      close(y.data(), rows(v, L, (r) => avgRef(r, k, s, p, ceil, cip)));
    }
    close(F.avgPool1d(ag.tensor(v.slice(0, C * L), { shape: [C, L] }), 2).data(), rows(v.slice(0, C * L), L, (r) => avgRef(r, 2, 2, 0, false, true)));
  }));

  it('adaptive pools match the reference (uneven windows, a null size, unbatched)', () => ag.tidy(() => {
    const x = ag.tensor(v, { shape: [N, C, L] });
    for (const o of [1, 3, 5, 7]) {
      close(new nn.AdaptiveAvgPool1d(o).call(x).data(), rows(v, L, (r) => adaptive1d(r, o, false)));
      close(new nn.AdaptiveMaxPool1d(o).call(x).data(), rows(v, L, (r) => adaptive1d(r, o, true)));
    }
    close(F.adaptiveMaxPool1d(ag.tensor(v.slice(0, 21), { shape: [3, 7] }), 4).data(), rows(v.slice(0, 21), 7, (r) => adaptive1d(r, 4, true)));
    const H = 5, W = 3, v2 = values(N * C * H * W, 2), x2 = ag.tensor(v2, { shape: [N, C, H, W] });
    for (const [Ho, Wo] of [[3, 2], [2, 2], [5, 1], [1, 1], [4, 3]]) {
      const y = new nn.AdaptiveMaxPool2d([Ho, Wo]).call(x2);
      expect(y.shape).toEqual([N, C, Ho, Wo]);
      close(y.data(), rows(v2, H * W, (pl) => adaptiveMax2d(pl, H, W, Ho, Wo)));
    }
    close(F.adaptiveMaxPool2d(x2, [null, 2]).data(), rows(v2, H * W, (pl) => adaptiveMax2d(pl, H, W, H, 2)));
    close(F.adaptiveMaxPool2d(ag.tensor(v2.slice(0, 45), { shape: [3, 5, 3] }), 2).data(), rows(v2.slice(0, 45), 15, (pl) => adaptiveMax2d(pl, H, W, 2, 2)));
  }));

  it('gradients match finite differences', () => {
    const cases: [string, (x: ag.Tensor) => ag.Tensor, number[]][] = [
      ['maxPool1d', (x) => F.maxPool1d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [2, 3, 7]],
      ['avgPool1d', (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1, countIncludePad: false }), [2, 3, 7]],
      ['adaptiveAvgPool1d', (x) => F.adaptiveAvgPool1d(x, 3), [3, 7]],
      ['adaptiveMaxPool1d', (x) => F.adaptiveMaxPool1d(x, 3), [2, 2, 7]],
      ['adaptiveMaxPool2d', (x) => F.adaptiveMaxPool2d(x, [3, 2]), [2, 2, 5, 3]],
      ['adaptiveMaxPool2d even', (x) => F.adaptiveMaxPool2d(x, [1, 3]), [1, 5, 3]],
    ];
    for (const [label, fn, shape] of cases) {
      // distinct values: no ties for the max to split
      const r = gradCheck({ label, inputs: (g) => [g.distinct(shape, 0.1)], fn, eps: 1e-2 });
      expect(r.worst, label).toBeNull();
    }
  });

  it('prints as PyTorch', () => {
    expect(new nn.MaxPool1d(3).toString()).toBe('MaxPool1d(kernel_size=3, stride=3, padding=0, dilation=1, ceil_mode=False)');
    expect(new nn.MaxPool1d(3, { stride: 2, padding: 1, ceilMode: true }).toString()).toBe('MaxPool1d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)');
    expect(new nn.AvgPool1d(3).toString()).toBe('AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))');
    expect(new nn.AvgPool1d(4, { stride: 2, padding: 1 }).toString()).toBe('AvgPool1d(kernel_size=(4,), stride=(2,), padding=(1,))');
    expect(new nn.AdaptiveAvgPool1d(5).toString()).toBe('AdaptiveAvgPool1d(output_size=5)');
    expect(new nn.AdaptiveMaxPool1d(2).toString()).toBe('AdaptiveMaxPool1d(output_size=2)');
    expect(new nn.AdaptiveMaxPool2d([5, 7]).toString()).toBe('AdaptiveMaxPool2d(output_size=(5, 7))');
    expect(new nn.AdaptiveMaxPool2d([null, 7]).toString()).toBe('AdaptiveMaxPool2d(output_size=(None, 7))');
    expect(new nn.AdaptiveMaxPool2d(1).toString()).toBe('AdaptiveMaxPool2d(output_size=1)');
  });

  it('errors name the op and the values', () => ag.tidy(() => {
    expect(() => F.maxPool1d(ag.zeros([2, 3, 4, 5]), 2)).toThrow(/maxPool1d: expected a 2-D \[C, L\] or 3-D \[N, C, L\] input, got shape \[2, 3, 4, 5\]/);
    expect(() => F.avgPool1d(ag.zeros([3, 7]), 3, { padding: 2 })).toThrow(/avgPool1d: padding should be at most half of kernel size, but got padding=2 and kernelSize=3/);
    expect(() => F.maxPool1d(ag.zeros([1, 3, 2]), 3)).toThrow(/maxPool1d: output size is too small: input \[1, 3, 2\] with kernel 3, stride 3, padding 0, dilation 1 gives 0/);
    expect(() => new nn.MaxPool1d(0).call(ag.zeros([1, 3, 7]))).toThrow(/maxPool1d: kernelSize must be an integer >= 1 \(or a 1-tuple of one\), got 0/);
    expect(() => new nn.AvgPool1d([2, 2] as unknown as number).call(ag.zeros([1, 3, 7]))).toThrow(/avgPool1d: kernelSize must be an integer >= 1 \(or a 1-tuple of one\), got \[2,2\]/);
    expect(() => F.adaptiveAvgPool1d(ag.zeros([7]), 2)).toThrow(/adaptiveAvgPool1d: expected a 2-D \[C, L\] or 3-D \[N, C, L\] input, got shape \[7\]/);
    expect(() => F.adaptiveMaxPool2d(ag.zeros([3, 7]), 2)).toThrow(/adaptiveMaxPool2d: expected a 3-D \[C, H, W\] or 4-D \[N, C, H, W\] input, got shape \[3, 7\]/);
    expect(() => F.adaptiveMaxPool2d(ag.zeros([1, 3, 7]), 0)).toThrow(/adaptiveMaxPool2d: outputSize must be a positive integer or a pair of them \(or null\), got 0/);
    expect(() => F.maxPool1d(ag.zeros([1, 3, 7], { dtype: 'int32' }), 2)).toThrow(/maxPool1d: expected a float32 input, got int32/);
  }));
});
