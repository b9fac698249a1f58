// F.convTranspose2d / nn.ConvTranspose2d against a float64 scatter reference (stride, padding,
// output padding, dilation, groups, bias, unbatched input), as the adjoint of conv2d, PyTorch's
// repr and output sizes, and clear errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn } from '../../src/index';
import { rng } from '../helpers/reference';

interface G { s: [number, number]; p: [number, number]; op: [number, number]; d: [number, number]; groups: number }

/** out[n, co, oh·s - p + i·d, ow·s - p + j·d] += x[n, ci, oh, ow] · w[ci, co - group offset, i, j]. */
function ref(x: number[], xs: number[], w: number[], ws: number[], b: number[] | null, g: G): { y: number[]; shape: number[] } {
  const [N, Cin, H, W] = xs, [, Cg, kh, kw] = ws, Co = Cg * g.groups, Cig = Cin / g.groups;
  const Ho = (H - 1) * g.s[0] - 2 * g.p[0] + g.d[0] * (kh - 1) + g.op[0] + 1, Wo = (W - 1) * g.s[1] - 2 * g.p[1] + g.d[1] * (kw - 1) + g.op[1] + 1;
  const y = new Array(N * Co * Ho * Wo).fill(0);
  for (let n = 0; n < N; n++) for (let ci = 0; ci < Cin; ci++) for (let h = 0; h < H; h++) for (let v = 0; v < W; v++) {
    const q = Math.floor(ci / Cig);
    for (let c = 0; c < Cg; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
      const oh = h * g.s[0] - g.p[0] + i * g.d[0], ow = v * g.s[1] - g.p[1] + j * g.d[1];
      if (oh < 0 || oh >= Ho || ow < 0 || ow >= Wo) continue;
      y[((n * Co + q * Cg + c) * Ho + oh) * Wo + ow] += x[((n * Cin + ci) * H + h) * W + v] * w[((ci * Cg + c) * kh + i) * kw + j];
    }
  }
  if (b) for (let n = 0; n < N; n++) for (let c = 0; c < Co; c++) for (let k = 0; k < Ho * Wo; k++) y[(n * Co + c) * Ho * Wo + k] += b[c];
  return { y, shape: [N, Co, Ho, Wo] };
}

describe('convTranspose2d', () => {
  it('matches a float64 scatter reference over strides, paddings, output padding, dilation and groups', () => ag.tidy(() => {
    const cases: [number[], number[], G, boolean][] = [
      [[2, 3, 4, 5], [3, 2, 3, 3], { s: [1, 1], p: [0, 0], op: [0, 0], d: [1, 1], groups: 1 }, true],
      [[1, 4, 5, 3], [4, 3, 3, 2], { s: [2, 3], p: [1, 0], op: [1, 2], d: [1, 1], groups: 1 }, false],
      [[2, 4, 3, 4], [4, 1, 2, 3], { s: [2, 2], p: [1, 1], op: [0, 1], d: [2, 1], groups: 2 }, true],
      [[1, 6, 3, 3], [6, 2, 3, 3], { s: [1, 2], p: [2, 1], op: [0, 1], d: [2, 2], groups: 3 }, true],
    ];
    const r = rng(8);
    for (const [xs, ws, g, withBias] of cases) {
      const xv = Array.from({ length: xs.reduce((a, b) => a * b, 1) }, () => Math.fround(r() * 2 - 1));
      const wv = Array.from({ length: ws.reduce((a, b) => a * b, 1) }, () => Math.fround(r() * 2 - 1));
      const bv = withBias ? Array.from({ length: ws[1] * g.groups }, () => Math.fround(r() - 0.5)) : null;
      const y = ag.nn.functional.convTranspose2d(ag.tensor(xv, { shape: xs }), ag.tensor(wv, { shape: ws }), bv ? ag.tensor(bv) : null,
        { stride: g.s, padding: g.p, outputPadding: g.op, dilation: g.d, groups: g.groups });
      const want = ref(xv, xs, wv, ws, bv, g);
      expect(y.shape, JSON.stringify(g)).toEqual(want.shape);
      const got = y.data();
      want.y.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    }
  }));

  it('is the adjoint of conv2d: <convT(y), x> = <y, conv2d(x)>; unbatched inputs', () => ag.tidy(() => {
    ag.manualSeed(2);
    const x = ag.randn([2, 3, 7, 6]), w = ag.randn([4, 3, 3, 3]), opts = { stride: 2, padding: 1 };
    const y = ag.nn.functional.conv2d(x, w, null, opts); // [2, 4, 4, 3]
    const v = ag.randn(y.shape);
    const t = ag.nn.functional.convTranspose2d(v, w, null, { ...opts, outputPadding: [0, 1] }); // back to [2, 3, 7, 6]
    expect(t.shape).toEqual(x.shape);
    expect(t.mul(x).sum().item()).toBeCloseTo(v.mul(y).sum().item(), 3);
    const u = ag.nn.functional.convTranspose2d(v.narrow(0, 0, 1).squeeze(0), w, null, opts);
    expect(u.shape).toEqual([3, 7, 5]);
  }));

  it('nn.ConvTranspose2d: weight [in, out/groups, kh, kw], PyTorch init bounds and repr, output sizes, errors', () => ag.tidy(() => {
    const up = new nn.ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 });
    expect(up.weight.shape).toEqual([16, 8, 3, 3]);
    expect(up.toString()).toBe('ConvTranspose2d(16, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))');
    const bound = 1 / Math.sqrt(8 * 9); // fan_in = weight.shape[1] * kh * kw, as PyTorch
    expect(Math.max(...Array.from(up.weight.abs().data()))).toBeLessThanOrEqual(bound);
    expect(up.call(ag.zeros([2, 16, 5, 7])).shape).toEqual([2, 8, 10, 14]);
    const grouped = new nn.ConvTranspose2d(4, 6, [2, 3], { groups: 2, bias: false });
    expect(grouped.toString()).toBe('ConvTranspose2d(4, 6, kernel_size=(2, 3), stride=(1, 1), groups=2, bias=False)');
    expect(grouped.weight.shape).toEqual([4, 3, 2, 3]);
    grouped.dispose();
    expect(() => new nn.ConvTranspose2d(4, 4, 3, { stride: 2, outputPadding: 2 })).toThrow(/ConvTranspose2d: outputPadding must be smaller than stride or dilation/);
    expect(() => up.call(ag.zeros([1, 15, 4, 4]))).toThrow(/convTranspose2d: weight \[16, 8, 3, 3\] expects 16 input channels, got input \[1, 15, 4, 4\]/);
    up.dispose();
  }));
});
