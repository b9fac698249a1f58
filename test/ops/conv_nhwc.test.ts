// Channels-last convolution and pooling (src/ops/conv_nhwc.ts, pool_nhwc.ts, and through them the
// NHWC kernels) against float64 references at odd sizes: channel counts 1, 3, 5, 7 (SIMD tails),
// strides 1-2, dilation, valid / asymmetric 'same' padding, the one-channel direct kernel, the
// 1×1 path, strided input views, multi-chunk GEMMs; equality with the NCHW ops through permutes;
// and the error messages.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { conv2dNhwc, conv2dNhwcInput, conv2dNhwcWeight, type NhwcGeom } from '../../src/ops/conv_nhwc';
import { avgPool2dNhwc, maxPool2dNhwc } from '../../src/ops/pool_nhwc';
import { conv2dPadded } from '../../src/ops/conv';
import { maxPoolGeom, avgPoolGeom, type PoolGeom } from '../../src/ops/pool';
import { refAvgPool, refConv2d, refConv2dGrads, refMaxPool, maxAbsDiff, outSize } from '../helpers/conv_reference';
import { seeded } from '../helpers/gradcheck';

const vals = (n: number, seed: number) => { const r = seeded(seed); return Array.from({ length: n }, () => r() * 2 - 1); };
const count = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** [N, H, W, C] values -> [N, C, H, W] (and back with toNhwc). */
function toNchw(v: number[], [N, H, W, C]: number[]): number[] {
  const r = new Array<number>(v.length);
  for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) r[((n * C + c) * H + h) * W + w] = v[((n * H + h) * W + w) * C + c];
  return r;
}
function toNhwc(v: number[], [N, C, H, W]: number[]): number[] {
  const r = new Array<number>(v.length);
  for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) r[((n * H + h) * W + w) * C + c] = v[((n * C + c) * H + h) * W + w];
  return r;
}
/** Kernel [kh, kw, C, Co] -> [Co, C, kh, kw] (the reference's layout), and back. */
function toOihw(v: number[], [kh, kw, C, Co]: number[]): number[] {
  const r = new Array<number>(v.length);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let c = 0; c < C; c++) for (let o = 0; o < Co; o++) r[((o * C + c) * kh + i) * kw + j] = v[((i * kw + j) * C + c) * Co + o];
  return r;
}
function toHwio(v: number[], [kh, kw, C, Co]: number[]): number[] {
  const r = new Array<number>(v.length);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let c = 0; c < C; c++) for (let o = 0; o < Co; o++) r[((i * kw + j) * C + c) * Co + o] = v[((o * C + c) * kh + i) * kw + j];
  return r;
}

const G = (g: Partial<NhwcGeom>): NhwcGeom => ({ sh: 1, sw: 1, pt: 0, pb: 0, pl: 0, pr: 0, dh: 1, dw: 1, ...g });

/** TF 'same' pads of one dim. */
function same(n: number, k: number, s: number, d = 1): [number, number] {
  const out = Math.ceil(n / s), total = Math.max((out - 1) * s + d * (k - 1) + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

interface Case { label: string; xs: number[]; ws: number[]; g: Partial<NhwcGeom>; bias?: boolean }
const CASES: Case[] = [
  { label: 'C=1 LeNet-like 5x5', xs: [2, 12, 13, 1], ws: [5, 5, 1, 6], g: {}, bias: true },
  { label: 'C=1 same pads, Co 7 (tiles 4+2+1)', xs: [2, 9, 19, 1], ws: [3, 3, 1, 7], g: { pt: 1, pb: 1, pl: 1, pr: 1 }, bias: true },
  { label: 'C=1 asymmetric same, stride (2,1), dilation (1,2)', xs: [1, 11, 14, 1], ws: [3, 4, 1, 5], g: { sh: 2, pt: 1, pb: 2, pl: 3, pr: 2, dw: 2 } },
  { label: 'C=1 stride 2 (im2col path)', xs: [2, 9, 10, 1], ws: [3, 3, 1, 3], g: { sh: 2, sw: 2, pt: 0, pb: 1, pl: 0, pr: 1 }, bias: true },
  { label: 'C=1 Co 2, narrow image', xs: [1, 6, 5, 1], ws: [2, 2, 1, 2], g: { pl: 1 } },
  { label: 'C=1 Co 1 (scalar paths)', xs: [2, 7, 10, 1], ws: [3, 2, 1, 1], g: { pt: 1, pb: 1, pl: 1, pr: 0 }, bias: true },
  { label: 'C=1 Co 8, wide rows', xs: [1, 5, 37, 1], ws: [3, 3, 1, 8], g: { pt: 1, pb: 1, pl: 1, pr: 1 }, bias: true },
  { label: 'C=1 row dilation 2, rows clipped by padding, Co 6', xs: [1, 13, 19, 1], ws: [3, 4, 1, 6], g: { dh: 2, pt: 3, pb: 1 }, bias: true },
  { label: 'C=3 odd sizes', xs: [2, 7, 5, 3], ws: [3, 3, 3, 5], g: {}, bias: true },
  { label: 'C=5 stride 2, same pads', xs: [2, 9, 11, 5], ws: [3, 3, 5, 4], g: { sh: 2, sw: 2, ...{ pt: same(9, 3, 2)[0], pb: same(9, 3, 2)[1], pl: same(11, 3, 2)[0], pr: same(11, 3, 2)[1] } }, bias: true },
  { label: 'C=7 dilation 2', xs: [1, 11, 9, 7], ws: [3, 2, 7, 3], g: { dh: 2, dw: 2, pt: 2, pb: 2, pl: 1, pr: 1 } },
  { label: 'C=3 stride (2,1) dilation (1,2) asymmetric', xs: [2, 8, 10, 3], ws: [2, 3, 3, 6], g: { sh: 2, pt: 1, pb: 0, pl: 2, pr: 1, dw: 2 }, bias: true },
  { label: 'C=6 LeNet conv2', xs: [2, 12, 12, 6], ws: [5, 5, 6, 16], g: {}, bias: true },
  { label: 'pointwise 1x1 C=5', xs: [2, 4, 3, 5], ws: [1, 1, 5, 7], g: {}, bias: true },
  { label: '1x1 stride 2', xs: [1, 5, 5, 3], ws: [1, 1, 3, 2], g: { sh: 2, sw: 2 } },
  { label: 'kernel = padded input', xs: [1, 3, 4, 2], ws: [5, 4, 2, 3], g: { pt: 1, pb: 1 } },
];

describe('conv2dNhwc vs float64 reference (forward and every gradient)', () => {
  for (const c of CASES) {
    for (const layout of ['contiguous', 'strided view'] as const) {
      it(`${c.label} (${layout})`, () => ag.tidy(() => {
        const g = G(c.g);
        const [N, H, W, C] = c.xs, [kh, kw, , Co] = c.ws;
        const xv = vals(count(c.xs), 1), wv = vals(count(c.ws), 2), bv = c.bias ? vals(Co, 3) : null;
        const ref = refConv2d(toNchw(xv, c.xs), [N, C, H, W], toOihw(wv, c.ws), [Co, C, kh, kw], bv, { ...g, groups: 1 });
        const [, , Ho, Wo] = ref.shape;
        const dyv = vals(N * Ho * Wo * Co, 4);
        const grads = refConv2dGrads(toNchw(xv, c.xs), [N, C, H, W], toOihw(wv, c.ws), [Co, C, kh, kw], toNchw(dyv, [N, Ho, Wo, Co]), { ...g, groups: 1 });
        // 'strided view': an NCHW leaf seen as NHWC (channel stride H*W: the strided im2col path).
        const x = layout === 'contiguous' ? ag.tensor(xv, { shape: c.xs, requiresGrad: true })
          : ag.tensor(toNchw(xv, c.xs), { shape: [N, C, H, W], requiresGrad: true });
        const xin = layout === 'contiguous' ? x : x.permute([0, 2, 3, 1]);
        const w = ag.tensor(wv, { shape: c.ws, requiresGrad: true });
        const b = bv ? ag.tensor(bv, { requiresGrad: true }) : null;
        // Inference (nothing recorded, fused epilogue) and the recorded op give the same values.
        const yi = ag.noGrad(() => conv2dNhwc(xin, w, b, g));
        const y = conv2dNhwc(xin, w, b, g);
        expect(y.shape).toEqual([N, Ho, Wo, Co]);
        expect(maxAbsDiff(y.data(), toNhwc(ref.y, ref.shape))).toBeLessThan(1e-5);
        expect(maxAbsDiff(yi.data(), y.data())).toBe(0);
        y.mul(ag.tensor(dyv, { shape: [N, Ho, Wo, Co] })).sum().backward();
        const gx = layout === 'contiguous' ? x.grad!.data() : toNhwc(Array.from(x.grad!.data()), [N, C, H, W]);
        expect(maxAbsDiff(gx, toNhwc(grads.dx, [N, C, H, W]))).toBeLessThan(1e-5);
        expect(maxAbsDiff(w.grad!.data(), toHwio(grads.dw, c.ws))).toBeLessThan(1e-5);
        if (b) {
          const db = Array.from({ length: Co }, (_, o) => { let s = 0; for (let p = 0; p < N * Ho * Wo; p++) s += dyv[p * Co + o]; return s; });
          expect(maxAbsDiff(b.grad!.data(), db)).toBeLessThan(1e-5);
        }
        x.dispose(); w.dispose(); b?.dispose();
      }));
    }
  }

  it('fused activations equal the separate ops (relu on the direct and GEMM paths, sigmoid, tanh, softmax over channels)', () => ag.tidy(() => {
    for (const [xs, ws] of [[[2, 8, 9, 1], [3, 3, 1, 6]], [[2, 7, 6, 3], [3, 2, 3, 5]]] as const) {
      const x = ag.randn([...xs]), w = ag.randn([...ws]), b = ag.randn([ws[3]]);
      const g = G({ pt: 1, pb: 1, pl: 1, pr: 0 });
      const z = conv2dNhwc(x, w, b, g);
      for (const act of ['relu', 'sigmoid', 'tanh', 'softmax'] as const) {
        const want = act === 'softmax' ? z.softmax(-1) : z[act]();
        expect(maxAbsDiff(conv2dNhwc(x, w, b, g, { activation: act }).data(), want.data()), act).toBeLessThan(1e-6);
      }
      // Recorded: the activation op after the conv op, same values.
      const wr = w.detach().requiresGrad_();
      expect(maxAbsDiff(conv2dNhwc(x, wr, b, g, { activation: 'relu' }).data(), z.relu().data())).toBe(0);
      wr.dispose();
    }
  }));

  it('equals the NCHW op through permutes, over several GEMM chunks that split images', () => ag.tidy(() => {
    // rows N*Ho*Wo = 3*36*36 with K = 5*5*7 floats each: about 2.7 MB of im2col, three 1 MB chunks.
    const x = ag.randn([3, 40, 40, 7]), w = ag.randn([5, 5, 7, 9]), b = ag.randn([9]);
    const g = G({});
    const y = conv2dNhwc(x, w, b, g);
    const want = conv2dPadded('conv2d', x.permute([0, 3, 1, 2]), w.permute([3, 2, 0, 1]), b, { ...g, groups: 1 }).permute([0, 2, 3, 1]);
    expect(y.shape).toEqual([3, 36, 36, 9]);
    expect(maxAbsDiff(y.data(), want.contiguous().data())).toBeLessThan(1e-4);
    // gradients through both routes
    const dy = ag.randn([3, 36, 36, 9]);
    const gx = conv2dNhwcInput([3, 40, 40, 7], w, dy, g), gw = conv2dNhwcWeight(x, [5, 5, 7, 9], dy, g);
    const xr = x.detach().requiresGrad_(), wr = w.detach().requiresGrad_();
    conv2dPadded('conv2d', xr.permute([0, 3, 1, 2]), wr.permute([3, 2, 0, 1]), null, { ...g, groups: 1 }).mul(dy.permute([0, 3, 1, 2])).sum().backward();
    expect(maxAbsDiff(gx.data(), xr.grad!.data())).toBeLessThan(1e-3);
    expect(maxAbsDiff(gw.data(), wr.grad!.data())).toBeLessThan(1e-2);
    xr.dispose(); wr.dispose();
  }));

  it('one channel over several image chunks (weight gradient from the NCHW im2col) equals the NCHW op', () => ag.tidy(() => {
    // 5*5 taps × 24*24 pixels × 4 bytes = 57.6 KB of columns per image: 18 images a chunk, 20 images.
    const x = ag.randn([20, 28, 28, 1]), w = ag.randn([5, 5, 1, 6]), dy = ag.randn([20, 24, 24, 6]);
    const g = G({});
    const gw = conv2dNhwcWeight(x, [5, 5, 1, 6], dy, g);
    const wr = w.detach().requiresGrad_();
    conv2dPadded('conv2d', x.permute([0, 3, 1, 2]), wr.permute([3, 2, 0, 1]), null, { ...g, groups: 1 }).mul(dy.permute([0, 3, 1, 2])).sum().backward();
    expect(maxAbsDiff(gw.data(), wr.grad!.data())).toBeLessThan(1e-2);
    expect(maxAbsDiff(conv2dNhwc(x, w, null, g).data(), conv2dPadded('conv2d', x.permute([0, 3, 1, 2]), w.permute([3, 2, 0, 1]), null, { ...g, groups: 1 }).permute([0, 2, 3, 1]).contiguous().data())).toBeLessThan(1e-4);
    wr.dispose();
  }));

  it('empty batch and zero-sized outputs', () => ag.tidy(() => {
    const y = conv2dNhwc(ag.zeros([0, 5, 5, 2]), ag.ones([3, 3, 2, 4]), null, G({}));
    expect(y.shape).toEqual([0, 3, 3, 4]);
    const b = conv2dNhwc(ag.ones([1, 3, 3, 2]), ag.ones([3, 3, 2, 0]), null, G({}));
    expect(b.shape).toEqual([1, 1, 1, 0]);
  }));

  it('errors name the op, what it got and what it expected', () => ag.tidy(() => {
    const x = ag.zeros([1, 5, 5, 3]), w = ag.zeros([3, 3, 3, 2]);
    expect(() => conv2dNhwc(ag.zeros([5, 5, 3]), w, null, G({}))).toThrow(/conv2dNhwc: expected a 4-D input \[N, H, W, C\] \(channels last\), got shape \[5, 5, 3\]/);
    expect(() => conv2dNhwc(x, ag.zeros([3, 3, 3]), null, G({}))).toThrow(/expected a 4-D kernel \[kh, kw, in, out\], got shape \[3, 3, 3\]/);
    expect(() => conv2dNhwc(x, ag.zeros([3, 3, 4, 2]), null, G({}))).toThrow(/kernel \[3, 3, 4, 2\] expects 4 input channels, got input \[1, 5, 5, 3\] with 3/);
    expect(() => conv2dNhwc(x, ag.zeros([7, 3, 3, 2]), null, G({ pt: 1 }))).toThrow(/kernel size \(7, 3\) with dilation \(1, 1\) is larger than the padded input \(6, 5\)/);
    expect(() => conv2dNhwc(x, w, ag.zeros([3]), G({}), { op: 'conv2d_7' })).toThrow(/asgrad\.conv2d_7: bias must have shape \[2\], got \[3\]/);
    expect(() => conv2dNhwc(x, w, null, G({ sh: 0 }))).toThrow(/expected integer strides and dilation >= 1/);
    expect(() => conv2dNhwc(x.int(), w, null, G({}))).toThrow(/input must be float32, got int32/);
    expect(() => conv2dNhwcInput([1, 5, 5, 3], w, ag.zeros([1, 3, 2, 2]), G({}))).toThrow(/gradOutput must have shape \[1, 3, 3, 2\], got \[1, 3, 2, 2\]/);
    expect(() => maxPool2dNhwc(ag.zeros([5, 5, 3]), PG(2, 2, 0, 0, 2, 2))).toThrow(/maxPool2dNhwc: expected a 4-D input \[N, H, W, C\]/);
    const outside = { ...PG(3, 3, 0, 0, 5, 5), Ho: 3 };
    expect(() => avgPool2dNhwc(x, outside)).toThrow(/avgPool2dNhwc: pool window \(3, 3\) .* has windows outside the input \[1, 5, 5, 3\]/);
  }));
});

/** Pool geometry: kernel k, stride s, pads (before, after) per dim pt/pl; output size from the padded input. */
function PG(k: number, s: number, p0: number, p1: number, H: number, W: number, d = 1): PoolGeom {
  return { kh: k, kw: k, sh: s, sw: s, pt: p0, pb: p1, pl: p0, pr: p1, dh: d, dw: d,
    Ho: outSize(H, k, s, p0, p1, d), Wo: outSize(W, k, s, p0, p1, d) };
}

describe('NHWC pooling vs float64 reference', () => {
  const shapes = [[2, 7, 9, 1], [1, 6, 7, 3], [2, 9, 8, 5], [1, 7, 7, 7], [2, 8, 6, 8], [1, 5, 6, 13]];
  const geoms: [string, (H: number, W: number) => PoolGeom][] = [
    ['2x2 stride 2', (H, W) => PG(2, 2, 0, 0, H, W)],
    ['3x3 stride 2, TF same pads', (H, W) => {
      const [pt, pb] = same(H, 3, 2), [pl, pr] = same(W, 3, 2);
      return { kh: 3, kw: 3, sh: 2, sw: 2, pt, pb, pl, pr, dh: 1, dw: 1, Ho: outSize(H, 3, 2, pt, pb, 1), Wo: outSize(W, 3, 2, pl, pr, 1) };
    }],
    ['3x3 stride 1, asymmetric pads', (H, W) => ({ kh: 3, kw: 3, sh: 1, sw: 1, pt: 0, pb: 2, pl: 2, pr: 0, dh: 1, dw: 1, Ho: H, Wo: W })],
    ['[3, 2] stride [2, 3]', (H, W) => ({ kh: 3, kw: 2, sh: 2, sw: 3, pt: 0, pb: 0, pl: 0, pr: 0, dh: 1, dw: 1, Ho: outSize(H, 3, 2, 0, 0, 1), Wo: outSize(W, 2, 3, 0, 0, 1) })],
  ];
  for (const xs of shapes) for (const [label, mk] of geoms) {
    it(`${label}, x [${xs}]`, () => ag.tidy(() => {
      const [N, H, W, C] = xs, g = mk(H, W);
      const xv = vals(count(xs), 7).map(Math.fround);
      const x = ag.tensor(xv, { shape: xs });
      const xc = toNchw(xv, xs);
      const ym = maxPool2dNhwc(x, g), ya = avgPool2dNhwc(x, g), yi = avgPool2dNhwc(x, g, true);
      expect(ym.shape).toEqual([N, g.Ho, g.Wo, C]);
      const o = [N, C, g.Ho, g.Wo];
      expect(maxAbsDiff(ym.data(), toNhwc(refMaxPool(xc, N * C, H, W, g).y, o))).toBe(0);
      expect(maxAbsDiff(ya.data(), toNhwc(refAvgPool(xc, N * C, H, W, g, false), o))).toBeLessThan(1e-6);
      expect(maxAbsDiff(yi.data(), toNhwc(refAvgPool(xc, N * C, H, W, g, true), o))).toBeLessThan(1e-6);
      // Bitwise equal to the NCHW kernels through permutes (same comparisons, same summation order).
      const [mn] = maxPoolGeom(x.permute([0, 3, 1, 2]), g);
      expect(maxAbsDiff(ym.data(), mn.permute([0, 2, 3, 1]).contiguous().data())).toBe(0);
      expect(maxAbsDiff(ya.data(), avgPoolGeom(x.permute([0, 3, 1, 2]), g, false).permute([0, 2, 3, 1]).contiguous().data())).toBe(0);
    }));
  }

  it('max pool with dilation; gradients go to the first maximum; avg pool adjoint', () => ag.tidy(() => {
    const xs = [1, 9, 8, 5];
    const x = ag.tensor(vals(count(xs), 9), { shape: xs, requiresGrad: true });
    const g = PG(3, 1, 0, 0, 9, 8, 2);
    const y = maxPool2dNhwc(x, g);
    const [, idx] = maxPoolGeom(x.detach().permute([0, 3, 1, 2]), g);
    const ref = refMaxPool(toNchw(Array.from(x.data()), xs), 5, 9, 8, g);
    expect(maxAbsDiff(y.data(), toNhwc(ref.y, [1, 5, g.Ho, g.Wo]))).toBe(0);
    y.sum().backward();
    // dx counts how often each input is a window's max
    const want = new Array<number>(count(xs)).fill(0);
    const iv = idx.contiguous().data(); // [1, C, Ho, Wo] flat h*W + w
    for (let c = 0; c < 5; c++) for (let p = 0; p < g.Ho * g.Wo; p++) want[iv[c * g.Ho * g.Wo + p] * 5 + c] += 1;
    expect(Array.from(x.grad!.data())).toEqual(want);
    // <avg(x), dy> = <x, avg_adjoint(dy)>
    const xa = ag.tensor(vals(count(xs), 10), { shape: xs, requiresGrad: true });
    const ga = PG(3, 2, 1, 1, 9, 8);
    const ya = avgPool2dNhwc(xa, ga);
    const dy = ag.randn(ya.shape);
    ya.mul(dy).sum().backward();
    expect(xa.grad!.mul(xa).sum().item()).toBeCloseTo(ya.mul(dy).sum().item(), 4);
    x.dispose(); xa.dispose();
  }));

  it('argmax with ties and NaNs (2×2 and 3×3 windows) matches the NCHW kernel', () => ag.tidy(() => {
    const [N, H, W, C] = [2, 6, 7, 6];
    const r = seeded(12);
    const v = Array.from({ length: N * H * W * C }, () => Math.round(r() * 4) / 2); // many ties
    for (const i of [5, 77, 78, 300, 301, 302]) v[i] = NaN;
    for (const g of [PG(2, 2, 0, 0, H, W), { ...PG(3, 2, 1, 1, H, W), pb: 1 }]) {
      const x = ag.tensor(v, { shape: [N, H, W, C], requiresGrad: true });
      const y = maxPool2dNhwc(x, g);
      y.backward(ag.onesLike(y));
      const [, idx] = maxPoolGeom(x.detach().permute([0, 3, 1, 2]), g);
      const want = new Array<number>(v.length).fill(0);
      const iv = idx.contiguous().data(), P = g.Ho * g.Wo;
      for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let p = 0; p < P; p++) want[(n * H * W + iv[(n * C + c) * P + p]) * C + c] += 1;
      expect(Array.from(x.grad!.data())).toEqual(want);
      x.dispose();
    }
  }));

  it('NaN wins a max window, as the NCHW kernel', () => ag.tidy(() => {
    const v = vals(2 * 4 * 4 * 6, 11);
    v[(1 * 4 + 1) * 6 + 2] = NaN;
    const x = ag.tensor(v, { shape: [2, 4, 4, 6] });
    const y = maxPool2dNhwc(x, PG(2, 2, 0, 0, 4, 4));
    const [mn] = maxPoolGeom(x.permute([0, 3, 1, 2]), PG(2, 2, 0, 0, 4, 4));
    expect(Array.from(y.data()).map(String)).toEqual(Array.from(mn.permute([0, 2, 3, 1]).contiguous().data()).map(String));
    expect(Number.isNaN(y.data()[2])).toBe(true);
  }));
});

describe('Keras layers on the NHWC ops', () => {
  it('channelsLast equals channelsFirst (NCHW ops) in values and gradients: conv2d (fused and unfused activations), pools', () => ag.tidy(() => {
    const nhwc = (t: ag.Tensor) => t.permute([0, 2, 3, 1]);
    for (const activation of ['relu', 'elu', 'sigmoid'] as const) {
      for (const [C, padding, strides] of [[1, 'same', 1], [3, 'valid', 2], [5, 'same', 2]] as const) {
        const L = ag.layers;
        const a = [L.conv2d({ filters: 6, kernelSize: 3, padding, strides, activation, inputShape: [9, 8, C] }),
          L.maxPooling2d({ poolSize: 2, padding: 'same' }), L.averagePooling2d({ poolSize: [2, 3], strides: 1, padding: 'same' })];
        const b = [L.conv2d({ filters: 6, kernelSize: 3, padding, strides, activation, dataFormat: 'channelsFirst', inputShape: [C, 9, 8] }),
          L.maxPooling2d({ poolSize: 2, padding: 'same', dataFormat: 'channelsFirst' }), L.averagePooling2d({ poolSize: [2, 3], strides: 1, padding: 'same', dataFormat: 'channelsFirst' })];
        const x = ag.randn([2, 9, 8, C]);
        const xa = x.detach().requiresGrad_(), xb = x.permute([0, 3, 1, 2]).contiguous().detach().requiresGrad_();
        a[0].call(xa); b[0].call(xb); // build
        const ca = a[0] as unknown as { kernel: ag.Tensor; bias: ag.Tensor }, cb = b[0] as unknown as { kernel: ag.Tensor; bias: ag.Tensor };
        ag.nn.assign(cb.kernel, ca.kernel); ag.nn.assign(cb.bias, ca.bias);
        const ya = a.reduce((h, l) => l.call(h), xa as ag.Tensor), yb = b.reduce((h, l) => l.call(h), xb as ag.Tensor);
        expect(maxAbsDiff(ya.contiguous().data(), nhwc(yb).contiguous().data()), `${activation} C=${C}`).toBeLessThan(1e-5);
        const r = ag.randn(ya.shape);
        ya.mul(r).sum().backward(); yb.mul(r.permute([0, 3, 1, 2])).sum().backward();
        expect(maxAbsDiff(xa.grad!.data(), nhwc(xb.grad!).contiguous().data())).toBeLessThan(1e-4);
        expect(maxAbsDiff(ca.kernel.grad!.data(), cb.kernel.grad!.data())).toBeLessThan(1e-4);
        expect(maxAbsDiff(ca.bias.grad!.data(), cb.bias.grad!.data())).toBeLessThan(1e-4);
        for (const l of [...a, ...b]) { for (const p of l.parameters()) { p.grad?.dispose(); p.grad = null; } l.dispose(); }
        xa.dispose(); xb.dispose();
      }
    }
  }));
});
