// Convolution, pooling, padding and upsampling ops (and through them every conv/pool kernel)
// against float64 references at odd sizes with stride, padding (asymmetric too), dilation and
// groups varied, channels-last views, hand-computed values, and the error messages.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { conv1d, conv2d, conv2dPadded } from '../../src/ops/conv';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, maxPool2dWithIndices, poolGeom } from '../../src/ops/pool';
import { pad, upsample } from '../../src/ops/pad';
import * as nn from '../../src/nn';
import { refAdaptiveAvg, refAvgPool, refConv2d, refConv2dGrads, refMaxPool, maxAbsDiff, type Geom } from '../helpers/conv_reference';
import { seeded } from '../helpers/gradcheck';

const vals = (n: number, seed: number) => { const r = seeded(seed); return Array.from({ length: n }, () => r() * 2 - 1); };
const count = (s: number[]) => s.reduce((a, b) => a * b, 1);

interface Case { label: string; xs: number[]; ws: number[]; g: Partial<Geom>; bias?: boolean }
const G = (g: Partial<Geom>): Geom => ({ sh: 1, sw: 1, pt: 0, pb: 0, pl: 0, pr: 0, dh: 1, dw: 1, groups: 1, ...g });

const CASES: Case[] = [
  { label: '1x1 image, 1x1 kernel', xs: [1, 1, 1, 1], ws: [1, 1, 1, 1], g: {} },
  { label: 'odd sizes', xs: [2, 3, 7, 5], ws: [5, 3, 3, 3], g: {}, bias: true },
  { label: 'stride 2, pad 1', xs: [3, 2, 9, 11], ws: [4, 2, 3, 3], g: { sh: 2, sw: 2, pt: 1, pb: 1, pl: 1, pr: 1 }, bias: true },
  { label: 'stride (3,2), pad (2,1), dilation (2,3)', xs: [2, 3, 13, 17], ws: [5, 3, 3, 2], g: { sh: 3, sw: 2, pt: 2, pb: 2, pl: 1, pr: 1, dh: 2, dw: 3 } },
  { label: 'asymmetric pads', xs: [2, 2, 6, 7], ws: [3, 2, 4, 4], g: { pt: 1, pb: 2, pl: 2, pr: 1 }, bias: true },
  { label: 'groups 3', xs: [2, 6, 8, 9], ws: [9, 2, 3, 3], g: { groups: 3, pt: 1, pb: 1, pl: 1, pr: 1 }, bias: true },
  { label: 'depthwise', xs: [2, 5, 9, 10], ws: [5, 1, 3, 3], g: { groups: 5, pt: 1, pb: 1, pl: 1, pr: 1 }, bias: true },
  { label: 'depthwise stride 2 dilation 2', xs: [2, 4, 11, 9], ws: [4, 1, 3, 3], g: { groups: 4, sh: 2, sw: 2, pt: 2, pb: 2, pl: 2, pr: 2, dh: 2, dw: 2 } },
  { label: 'depthwise multiplier 2', xs: [1, 3, 7, 7], ws: [6, 1, 3, 3], g: { groups: 3, pt: 1, pb: 1, pl: 1, pr: 1 } },
  { label: 'pointwise 1x1', xs: [2, 7, 5, 3], ws: [4, 7, 1, 1], g: {}, bias: true },
  { label: 'kernel = padded input', xs: [1, 2, 3, 4], ws: [3, 2, 5, 4], g: { pt: 1, pb: 1 } },
  { label: 'wide (SIMD runs + tails)', xs: [1, 2, 6, 37], ws: [3, 2, 3, 5], g: { pl: 2, pr: 2 } },
];

describe('conv2d vs float64 reference', () => {
  for (const c of CASES) {
    for (const layout of ['nchw', 'nhwc view'] as const) {
      it(`${c.label} (${layout})`, () => ag.tidy(() => {
        const g = G(c.g);
        const xv = vals(count(c.xs), 1), wv = vals(count(c.ws), 2), bv = c.bias ? vals(c.ws[0], 3) : null;
        const ref = refConv2d(xv, c.xs, wv, c.ws, bv, g);
        const dyv = vals(count(ref.shape), 4);
        const grads = refConv2dGrads(xv, c.xs, wv, c.ws, dyv, g);
        // The NHWC case: an NHWC leaf whose permuted NCHW view reaches the op (strided im2col).
        const x = layout === 'nchw' ? ag.tensor(xv, { shape: c.xs, requiresGrad: true })
          : ag.tensor(xv, { shape: c.xs }).permute([0, 2, 3, 1]).contiguous().detach().requiresGrad_();
        const xin = layout === 'nchw' ? x : x.permute([0, 3, 1, 2]);
        const w = ag.tensor(wv, { shape: c.ws, requiresGrad: true });
        const b = bv ? ag.tensor(bv, { requiresGrad: true }) : null;
        const y = conv2dPadded('conv2d', xin, w, b, g);
        expect(y.shape).toEqual(ref.shape);
        expect(maxAbsDiff(y.data(), ref.y)).toBeLessThan(1e-5);
        y.mul(ag.tensor(dyv, { shape: ref.shape })).sum().backward();
        const gx = layout === 'nchw' ? x.grad! : x.grad!.permute([0, 3, 1, 2]);
        expect(maxAbsDiff(gx.data(), grads.dx)).toBeLessThan(1e-5);
        expect(maxAbsDiff(w.grad!.data(), grads.dw)).toBeLessThan(1e-5);
        if (b) {
          const [N, Co, Ho, Wo] = ref.shape;
          const db = Array.from({ length: Co }, (_, co) => { let s = 0; for (let n = 0; n < N; n++) for (let p = 0; p < Ho * Wo; p++) s += dyv[(n * Co + co) * Ho * Wo + p]; return s; });
          expect(maxAbsDiff(b.grad!.data(), db)).toBeLessThan(1e-5);
        }
        x.dispose(); w.dispose(); b?.dispose();
      }));
    }
  }
});

describe('conv2d hand-computed values and variants', () => {
  it('a 3x3 image with a 2x2 kernel, padding 1 and stride 2', () => ag.tidy(() => {
    const x = ag.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = ag.tensor([[[[1, 0], [0, -1]]]]);
    // y[oh][ow] = x[2oh-1][2ow-1] - x[2oh][2ow] + 0.5 (taps outside read 0): -1, -3, -7, 5 - 9
    expect(conv2d(x, w, ag.tensor([0.5]), { stride: 2, padding: 1 }).toArray()).toEqual([[[[-0.5, -2.5], [-6.5, -3.5]]]]);
  }));

  it("padding 'same' keeps H and W and puts the odd pixel at the end (even kernel)", () => ag.tidy(() => {
    const x = ag.tensor([[[[1, 2, 3, 4]]]]);
    const w = ag.tensor([[[[1, 10]]]]);
    // total pad 1: left 0, right 1 -> [1+20, 2+30, 3+40, 4+0]
    expect(conv2d(x, w, null, { padding: 'same' }).toArray()).toEqual([[[[21, 32, 43, 4]]]]);
  }));

  it('unbatched 3-D input and conv1d (batched, unbatched, same)', () => ag.tidy(() => {
    const xv = vals(2 * 3 * 9, 7), wv = vals(4 * 3 * 3, 8), bv = vals(4, 9);
    const ref = refConv2d(xv, [2, 3, 1, 9], wv, [4, 3, 1, 3], bv, G({ sw: 2, pl: 1, pr: 1 }));
    const y = conv1d(ag.tensor(xv, { shape: [2, 3, 9] }), ag.tensor(wv, { shape: [4, 3, 3] }), ag.tensor(bv), { stride: 2, padding: 1 });
    expect(y.shape).toEqual([2, 4, 5]);
    expect(maxAbsDiff(y.data(), ref.y)).toBeLessThan(1e-5);
    const y1 = conv1d(ag.tensor(xv.slice(0, 27), { shape: [3, 9] }), ag.tensor(wv, { shape: [4, 3, 3] }), null, { padding: 'same' });
    expect(y1.shape).toEqual([4, 9]);
    const y3 = conv2d(ag.tensor(xv.slice(0, 27), { shape: [3, 1, 9] }), ag.tensor(wv, { shape: [4, 3, 1, 3] }));
    expect(y3.shape).toEqual([4, 1, 7]);
  }));

  it('second-order: the gradient of a gradient (createGraph) matches finite differences of dL/dw', () => ag.tidy(() => {
    // L(w) = |d/dx sum(conv(x, w) * R)|^2 = |conv2dInput(R, w)|^2 is quadratic in w; check d/dw against the reference.
    const xs = [1, 2, 5, 5], ws = [3, 2, 3, 3];
    const xv = vals(count(xs), 11), wv = vals(count(ws), 12);
    const R = vals(count([1, 3, 3, 3]), 13);
    const g = G({ sh: 2, sw: 2, pt: 1, pb: 1, pl: 1, pr: 1 });
    const x = ag.tensor(xv, { shape: xs, requiresGrad: true }), w = ag.tensor(wv, { shape: ws, requiresGrad: true });
    conv2dPadded('conv2d', x, w, null, g).mul(ag.tensor(R, { shape: [1, 3, 3, 3] })).sum().backward(undefined, { createGraph: true });
    const gx = x.grad!; x.grad = null; w.grad?.dispose(); w.grad = null;
    gx.square().sum().backward();
    const loss = (wt: number[]) => refConv2dGrads(xv, xs, wt, ws, R, g).dx.reduce((a, v) => a + v * v, 0);
    const num = wv.map((_, i) => { const p = [...wv], m = [...wv]; p[i] += 1e-4; m[i] -= 1e-4; return (loss(p) - loss(m)) / 2e-4; });
    expect(maxAbsDiff(w.grad!.data(), num)).toBeLessThan(1e-3);
    gx.dispose(); x.dispose(); w.dispose();
  }));

  it('errors name the op and the shapes', () => ag.tidy(() => {
    const x = ag.zeros([1, 4, 5, 5]);
    expect(() => conv2d(x, ag.zeros([6, 3, 3, 3]), null, { groups: 2 })).toThrow(/conv2d.*expects 6 input channels, got input \[1, 4, 5, 5\]/);
    expect(() => conv2d(x, ag.zeros([3, 2, 3, 3]), null, { groups: 2 })).toThrow(/divisible by groups=2/);
    expect(() => conv2d(x, ag.zeros([2, 4, 7, 3]))).toThrow(/kernel size \(7, 3\).*larger than the padded input \(5, 5\)/);
    expect(() => conv2d(ag.zeros([4, 5]), ag.zeros([2, 4, 3, 3]))).toThrow(/asgrad\.conv2d: expected a 4-D input/);
    expect(() => conv2d(x, ag.zeros([2, 4, 3]))).toThrow(/4-D weight/);
    expect(() => conv2d(x, ag.zeros([2, 4, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(/'same' is not supported for strided/);
    expect(() => conv2d(x, ag.zeros([2, 4, 3, 3]), ag.zeros([3]))).toThrow(/bias must have shape \[2\]/);
    expect(() => conv2d(x, ag.zeros([2, 4, 3, 3]), null, { stride: 0 })).toThrow(/stride must be an integer >= 1/);
    expect(() => conv1d(x, ag.zeros([2, 4, 3]))).toThrow(/conv1d: expected a 3-D input/);
  }));
});

/** Pool geometry in the reference's terms from PyTorch-style arguments. */
function pg(H: number, W: number, k: [number, number], s: [number, number], p: [number, number], d: [number, number], ceil: boolean) {
  return ag.tidy(() => poolGeom('test', ag.zeros([1, 1, H, W]), k, { stride: s, padding: p, dilation: d, ceilMode: ceil }));
}

const POOLS: { label: string; xs: number[]; k: [number, number]; s: [number, number]; p: [number, number]; d: [number, number]; ceil: boolean }[] = [
  { label: '2x2', xs: [2, 3, 6, 8], k: [2, 2], s: [2, 2], p: [0, 0], d: [1, 1], ceil: false },
  { label: 'odd 3x3 s2 p1', xs: [1, 2, 7, 9], k: [3, 3], s: [2, 2], p: [1, 1], d: [1, 1], ceil: false },
  { label: 'ceil mode 3x2 s(2,3) p(1,1)', xs: [2, 1, 8, 7], k: [3, 2], s: [2, 3], p: [1, 1], d: [1, 1], ceil: true },
  { label: 'ceil mode drops a window starting in the padding', xs: [1, 1, 5, 5], k: [2, 2], s: [2, 2], p: [1, 1], d: [1, 1], ceil: true },
  { label: 'dilation 2', xs: [1, 2, 9, 7], k: [3, 2], s: [1, 2], p: [1, 1], d: [2, 2], ceil: false },
  { label: '1x1 input', xs: [1, 1, 1, 1], k: [1, 1], s: [1, 1], p: [0, 0], d: [1, 1], ceil: false },
  { label: 'wide 17x1003 (row tails)', xs: [1, 1, 3, 1003], k: [2, 3], s: [1, 2], p: [1, 1], d: [1, 1], ceil: false },
];

describe('pooling vs float64 reference', () => {
  for (const c of POOLS) {
    it(`maxPool2d ${c.label}: values, indices, gradient`, () => ag.tidy(() => {
      const [N, C, H, W] = c.xs;
      const xv = vals(count(c.xs), 21);
      const geom = pg(H, W, c.k, c.s, c.p, c.d, c.ceil);
      const ref = refMaxPool(xv, N * C, H, W, geom);
      const x = ag.tensor(xv, { shape: c.xs, requiresGrad: true });
      const [y, idx] = maxPool2dWithIndices(x, c.k, { stride: c.s, padding: c.p, dilation: c.d, ceilMode: c.ceil });
      expect(y.shape).toEqual([N, C, geom.Ho, geom.Wo]);
      expect(Array.from(y.data())).toEqual(ref.y.map(Math.fround));
      expect(Array.from(idx.data())).toEqual(ref.idx);
      const dy = vals(y.size, 22);
      y.mul(ag.tensor(dy, { shape: y.shape })).sum().backward();
      const dx = new Array<number>(xv.length).fill(0);
      ref.idx.forEach((k, o) => { const plane = Math.floor(o / (geom.Ho * geom.Wo)); dx[plane * H * W + k] += dy[o]; });
      expect(maxAbsDiff(x.grad!.data(), dx)).toBeLessThan(1e-6);
      x.dispose();
    }));

    for (const include of c.d[0] === 1 && c.d[1] === 1 ? [true, false] : []) {
      it(`avgPool2d ${c.label} countIncludePad=${include}`, () => ag.tidy(() => {
        const [N, C, H, W] = c.xs;
        const xv = vals(count(c.xs), 23);
        const geom = pg(H, W, c.k, c.s, c.p, c.d, c.ceil);
        const y = avgPool2d(ag.tensor(xv, { shape: c.xs }), c.k, { stride: c.s, padding: c.p, ceilMode: c.ceil, countIncludePad: include });
        expect(y.shape).toEqual([N, C, geom.Ho, geom.Wo]);
        expect(maxAbsDiff(y.data(), refAvgPool(xv, N * C, H, W, geom, include))).toBeLessThan(1e-6);
      }));
    }
  }

  it('avgPool2d divisorOverride and hand values', () => ag.tidy(() => {
    const x = ag.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    expect(avgPool2d(x, 2, { stride: 1 }).toArray()).toEqual([[[[3, 4], [6, 7]]]]);
    expect(avgPool2d(x, 2, { stride: 1, divisorOverride: 2 }).toArray()).toEqual([[[[6, 8], [12, 14]]]]);
    // padding 1, countIncludePad: the corner window holds one real value out of 4
    expect(avgPool2d(x, 2, { padding: 1 }).toArray()).toEqual([[[[0.25, 1.25], [2.75, 7]]]]);
    expect(avgPool2d(x, 2, { padding: 1, countIncludePad: false }).toArray()).toEqual([[[[1, 2.5], [5.5, 7]]]]);
  }));

  for (const [H, W, Ho, Wo] of [[7, 5, 3, 2], [5, 5, 1, 1], [4, 6, 4, 6], [3, 4, 5, 7], [10, 1, 4, 1]]) {
    it(`adaptiveAvgPool2d ${H}x${W} -> ${Ho}x${Wo}`, () => ag.tidy(() => {
      const xv = vals(2 * 3 * H * W, 31);
      const y = adaptiveAvgPool2d(ag.tensor(xv, { shape: [2, 3, H, W] }), [Ho, Wo]);
      expect(y.shape).toEqual([2, 3, Ho, Wo]);
      expect(maxAbsDiff(y.data(), refAdaptiveAvg(xv, 6, H, W, Ho, Wo))).toBeLessThan(1e-6);
    }));
  }

  it('adaptiveAvgPool2d null keeps a size; 3-D input', () => ag.tidy(() => {
    expect(adaptiveAvgPool2d(ag.zeros([2, 5, 7]), [null, 3]).shape).toEqual([2, 5, 3]);
  }));

  it('pooling errors', () => ag.tidy(() => {
    expect(() => maxPool2d(ag.zeros([1, 1, 4, 4]), 2, { padding: 2 })).toThrow(/maxPool2d: padding should be at most half of kernel size/);
    expect(() => maxPool2d(ag.zeros([4, 4]), 2)).toThrow(/maxPool2d: expected a 4-D input/);
    expect(() => avgPool2d(ag.zeros([1, 1, 2, 2]), 3)).toThrow(/avgPool2d: output size is too small/);
    expect(() => adaptiveAvgPool2d(ag.zeros([1, 1, 2, 2]), 0)).toThrow(/adaptiveAvgPool2d: outputSize/);
  }));
});

/** JS reference of F.pad's non-constant modes on a row-major array: out index -> source index per dim. */
function refPadIndex(i: number, n: number, b: number, mode: string): number {
  const j = i - b;
  if (mode === 'replicate') return Math.min(Math.max(j, 0), n - 1);
  if (mode === 'circular') return ((j % n) + n) % n;
  return j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j; // reflect
}

describe('pad modes reflect, replicate, circular', () => {
  it('match the index maps of PyTorch (corners included), over the last one, two and three dims', () => ag.tidy(() => {
    const shape = [2, 3, 4, 5];
    const vals = Array.from({ length: 120 }, (_, i) => i);
    const x = ag.tensor(vals, { shape });
    for (const mode of ['reflect', 'replicate', 'circular'] as const) {
      for (const padding of [[2, 1], [1, 3, 2, 0], [0, 2, 1, 1, 1, 0]]) {
        const before = shape.map(() => 0), after = shape.map(() => 0);
        for (let i = 0; i < padding.length / 2; i++) { before[3 - i] = padding[2 * i]; after[3 - i] = padding[2 * i + 1]; }
        const out = shape.map((n, d) => n + before[d] + after[d]);
        const y = pad(x, padding, mode);
        expect(y.shape, `${mode} ${padding}`).toEqual(out);
        const got = y.data(), want: number[] = [];
        for (let a = 0; a < out[0]; a++) for (let b = 0; b < out[1]; b++) for (let c = 0; c < out[2]; c++) for (let e = 0; e < out[3]; e++) {
          const src = [a, b, c, e].map((v, d) => refPadIndex(v, shape[d], before[d], mode));
          want.push(vals[((src[0] * 3 + src[1]) * 4 + src[2]) * 5 + src[3]]);
        }
        expect(Array.from(got), `${mode} ${padding}`).toEqual(want);
      }
    }
    expect(pad(ag.tensor([[1, 2, 3]]), [2, 2], 'reflect').toArray()).toEqual([[3, 2, 1, 2, 3, 2, 1]]);
    expect(pad(x.T, [1, 1], 'replicate').shape).toEqual([5, 4, 3, 4]); // a strided view
  }));

  it('errors name the mode and what it needs; nn modules print as PyTorch', () => ag.tidy(() => {
    const x = ag.zeros([1, 3, 4]);
    expect(() => pad(x, [4, 0], 'reflect')).toThrow(/pad: mode 'reflect' needs padding below the size 4 of dim 2 \(input \[1, 3, 4\]\), got 4 and 0/);
    expect(() => pad(x, [5, 0], 'circular')).toThrow(/pad: mode 'circular' needs padding at most the size 4 of dim 2/);
    expect(() => pad(x, [-1, 0], 'replicate')).toThrow(/pad: mode 'replicate' takes no negative padding/);
    expect(() => pad(ag.zeros([2, 0]), [1, 0], 'replicate')).toThrow(/cannot pad the empty dim 1/);
    expect(() => pad(x, [1, 0], 'mirror' as 'reflect')).toThrow(/pad: mode must be one of 'constant', 'reflect', 'replicate', 'circular', got 'mirror'/);
    expect(new nn.ReflectionPad2d(1).toString()).toBe('ReflectionPad2d((1, 1, 1, 1))');
    expect(new nn.ReplicationPad2d([1, 0, 2, 0]).call(ag.ones([1, 1, 2, 2])).shape).toEqual([1, 1, 4, 3]);
    expect(() => new nn.ReflectionPad2d([1, 2] as unknown as number)).toThrow(/ReflectionPad2d: padding must be an int or \[left, right, top, bottom\]/);
  }));
});

describe('pad and upsample', () => {
  it('pad in F.pad order, with a value and with cropping', () => ag.tidy(() => {
    const x = ag.tensor([[1, 2], [3, 4]]);
    expect(pad(x, [1, 0]).toArray()).toEqual([[0, 1, 2], [0, 3, 4]]);
    expect(pad(x, [0, 1, 1, 0], 'constant', 9).toArray()).toEqual([[9, 9, 9], [1, 2, 9], [3, 4, 9]]);
    expect(pad(x, [-1, 1, 0, -1]).toArray()).toEqual([[2, 0]]);
    expect(() => pad(x, [1])).toThrow(/pad: padding must be an even-length list/);
    expect(() => pad(x, [-3, 0])).toThrow(/makes dim 1 of input \[2, 2\] negative/);
  }));

  it('upsample bilinear: PyTorch\'s values for [[1, 2], [3, 4]], and a direct 4-tap reference at odd sizes', () => ag.tidy(() => {
    const x = ag.tensor([[[[1, 2], [3, 4]]]]);
    expect(upsample(x, { scaleFactor: 2, mode: 'bilinear' }).toArray()).toEqual([[[[1, 1.25, 1.75, 2], [1.5, 1.75, 2.25, 2.5], [2.5, 2.75, 3.25, 3.5], [3, 3.25, 3.75, 4]]]]);
    const ac = upsample(x, { scaleFactor: 2, mode: 'bilinear', alignCorners: true }).data();
    [1, 4 / 3, 5 / 3, 2, 5 / 3, 2, 7 / 3, 8 / 3].forEach((v, i) => expect(ac[i]).toBeCloseTo(v, 6));
    // [2, 3, 5, 7] to [6, 4] (up along H, down along W), both corner conventions, and by factors
    const r = seeded(21), shape = [2, 3, 5, 7];
    const vals = Array.from({ length: 210 }, () => Math.fround(r() * 4 - 2));
    const xs = ag.tensor(vals, { shape });
    for (const [opts, Ho, Wo] of [[{ size: [6, 4] }, 6, 4], [{ size: [6, 4], alignCorners: true }, 6, 4], [{ scaleFactor: [1.5, 0.6] }, 7, 4]] as const) {
      const y = upsample(xs, { ...opts, mode: 'bilinear' } as Parameters<typeof upsample>[1]);
      expect(y.shape).toEqual([2, 3, Ho, Wo]);
      const ac2 = 'alignCorners' in opts, fac = 'scaleFactor' in opts ? opts.scaleFactor : null;
      const src = (o: number, n: number, out: number, fct: number | null) => {
        if (ac2) return out > 1 ? o * (n - 1) / (out - 1) : 0;
        return Math.max((o + 0.5) * (fct ? 1 / fct : n / out) - 0.5, 0);
      };
      const got = y.data();
      for (let p = 0; p < 6; p++) for (let oh = 0; oh < Ho; oh++) for (let ow = 0; ow < Wo; ow++) {
        const sh = src(oh, 5, Ho, fac ? fac[0] : null), sw = src(ow, 7, Wo, fac ? fac[1] : null);
        const h0 = Math.min(Math.floor(sh), 4), w0 = Math.min(Math.floor(sw), 6), h1 = Math.min(h0 + 1, 4), w1 = Math.min(w0 + 1, 6);
        const lh = sh - h0, lw = sw - w0, at = (h: number, w: number) => vals[p * 35 + h * 7 + w];
        const want = (1 - lh) * ((1 - lw) * at(h0, w0) + lw * at(h0, w1)) + lh * ((1 - lw) * at(h1, w0) + lw * at(h1, w1));
        expect(got[(p * Ho + oh) * Wo + ow]).toBeCloseTo(want, 5);
      }
    }
    expect(() => upsample(x, { scaleFactor: 2, alignCorners: true })).toThrow(/upsample: alignCorners only applies to mode 'bilinear'/);
    expect(() => upsample(x, { scaleFactor: 2, mode: 'bicubic' as 'bilinear' })).toThrow(/upsample: mode must be 'nearest' or 'bilinear', got 'bicubic'/);
    expect(new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }).toString()).toBe("Upsample(scale_factor=2.0, mode='bilinear')");
  }));

  it('upsample nearest by factor and to a size (PyTorch source indices)', () => ag.tidy(() => {
    const x = ag.tensor([[[[1, 2], [3, 4]]]]);
    expect(upsample(x, { scaleFactor: 2 }).toArray()).toEqual([[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]);
    // size 3 from 2: src = floor(o * 2/3) = 0, 0, 1
    expect(upsample(x, { size: [3, 3] }).toArray()).toEqual([[[[1, 1, 2], [1, 1, 2], [3, 3, 4]]]]);
    // downsampling by size 1: src 0
    expect(upsample(x, { size: [1, 1] }).toArray()).toEqual([[[[1]]]]);
    // non-integer factor 1.5: out = floor(2 * 1.5) = 3, src = floor(o / 1.5) = 0, 0, 1
    expect(upsample(x, { scaleFactor: 1.5 }).shape).toEqual([1, 1, 3, 3]);
    const xr = ag.tensor([[[[1, 2], [3, 4]]]], { requiresGrad: true });
    upsample(xr, { scaleFactor: [1, 3] }).sum().backward();
    expect(xr.grad!.toArray()).toEqual([[[[3, 3], [3, 3]]]]);
    xr.dispose();
    expect(() => upsample(x, {})).toThrow(/exactly one of size and scaleFactor/);
  }));
});
