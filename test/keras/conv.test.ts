// Keras-style conv/pool layers (channelsLast, TF 'same' padding, Keras kernel layouts): output
// shapes, values against the NCHW ops and float64 references, a small CNN that trains with fit,
// and a save/load round trip.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ag from '../../src/index';
import { layers, loadModel, regularizers, sequential, tensor, tidy } from '../../src/index';
import { conv2d } from '../../src/ops/conv';
import { pad } from '../../src/ops/pad';
import { refAvgPool, refMaxPool, maxAbsDiff } from '../helpers/conv_reference';
import { seeded } from '../helpers/gradcheck';

const vals = (n: number, seed: number) => { const r = seeded(seed); return Array.from({ length: n }, () => r() * 2 - 1); };
const nhwc = (t: ag.Tensor) => t.permute([0, 2, 3, 1]);
const nchw = (t: ag.Tensor) => t.permute([0, 3, 1, 2]);

describe('layers.conv2d', () => {
  it('valid/same output shapes with strides and dilation (TensorFlow sizes)', () => tidy(() => {
    const x = ag.zeros([2, 11, 8, 3]);
    const cases: [object, number[]][] = [
      [{ filters: 4, kernelSize: 3 }, [2, 9, 6, 4]],
      [{ filters: 4, kernelSize: 3, padding: 'same' }, [2, 11, 8, 4]],
      [{ filters: 5, kernelSize: [3, 2], strides: 2, padding: 'same' }, [2, 6, 4, 5]],
      [{ filters: 5, kernelSize: [4, 3], strides: [3, 2] }, [2, 3, 3, 5]],
      [{ filters: 2, kernelSize: 3, dilationRate: 2 }, [2, 7, 4, 2]],
    ];
    for (const [args, shape] of cases) {
      const l = layers.conv2d(args as never);
      expect(l.call(x).shape).toEqual(shape);
      expect(l.computeOutputShape([11, 8, 3])).toEqual(shape.slice(1));
      l.dispose();
    }
  }));

  it("equals the NCHW op with kernel [kh, kw, in, out] permuted; 'same' with stride 2 pads bottom/right", () => tidy(() => {
    const l = layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [6, 7, 2] });
    const xv = vals(2 * 6 * 7 * 2, 1);
    const x = tensor(xv, { shape: [2, 6, 7, 2] });
    const y = l.call(x);
    expect(y.shape).toEqual([2, 3, 4, 3]);
    expect((l as unknown as { kernel: ag.Tensor }).kernel.shape).toEqual([3, 3, 2, 3]);
    // TF: out 3 x 4, total pad H = (3-1)*2+3-6 = 1 -> (0, 1); W = (4-1)*2+3-7 = 2 -> (1, 1)
    const w = l.kernel!.permute([3, 2, 0, 1]);
    const xp = pad(nchw(x), [1, 1, 0, 1]);
    const want = nhwc(conv2d(xp, w, l.bias, { stride: 2 }).relu());
    expect(maxAbsDiff(y.data(), want.data())).toBeLessThan(1e-6);
    l.dispose();
  }));

  it('channelsFirst gives the same numbers transposed; gradients reach kernel and bias', () => tidy(() => {
    const a = layers.conv2d({ filters: 2, kernelSize: 2, useBias: true, inputShape: [5, 4, 3] });
    const b = layers.conv2d({ filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', inputShape: [3, 5, 4] });
    const x = ag.randn([1, 5, 4, 3]);
    a.call(x); b.call(nchw(x)); // builds both
    const ya = a.call(x);
    ag.nn.assign(b.kernel!, a.kernel!); ag.nn.assign(b.bias!, a.bias!);
    const yb = b.call(nchw(x));
    expect(maxAbsDiff(ya.data(), nhwc(yb).contiguous().data())).toBeLessThan(1e-6);
    const xr = x.detach().requiresGrad_();
    a.forward(xr).sum().backward();
    expect(a.kernel!.grad!.shape).toEqual([2, 2, 3, 2]);
    expect(a.bias!.grad!.data()[0]).toBeCloseTo(4 * 3, 5); // one per output position
    a.kernel!.grad.dispose(); a.bias!.grad.dispose(); a.kernel!.grad = null; a.bias!.grad = null;
    xr.dispose(); a.dispose(); b.dispose();
  }));
});

describe('layers.depthwiseConv2d', () => {
  it('kernel [kh, kw, in, mult]: out channel c*mult + m equals conv2d with groups = in', () => tidy(() => {
    const l = layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', inputShape: [5, 6, 3] });
    const x = ag.randn([2, 5, 6, 3]);
    const y = l.call(x);
    expect(y.shape).toEqual([2, 5, 6, 6]);
    expect(l.depthwiseKernel!.shape).toEqual([3, 3, 3, 2]);
    const k = l.depthwiseKernel!.data();
    const y0 = y.contiguous().data();
    // output channel 3 = input channel 1, multiplier 1, at pixel (2, 2): sum over the 3x3 window
    const xv = x.data();
    let s = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += xv[((0 * 5 + 1 + i) * 6 + 1 + j) * 3 + 1] * k[((i * 3 + j) * 3 + 1) * 2 + 1];
    expect(y0[((0 * 5 + 2) * 6 + 2) * 6 + 3]).toBeCloseTo(s, 5);
    // multiplier 1 hits the direct depthwise kernels; compare with groups conv through the GEMM path's reference
    const d1 = layers.depthwiseConv2d({ kernelSize: [3, 2], strides: 2, inputShape: [7, 6, 4] });
    const x1 = ag.randn([1, 7, 6, 4]);
    const y1 = d1.call(x1);
    const w1 = d1.depthwiseKernel!.reshape([3, 2, 4]).permute([2, 0, 1]).reshape([4, 1, 3, 2]);
    const want = nhwc(conv2d(nchw(x1).contiguous(), w1, d1.bias, { stride: 2, groups: 4 }));
    expect(maxAbsDiff(y1.data(), want.data())).toBeLessThan(1e-6);
    l.dispose(); d1.dispose();
  }));
});

describe('pooling and padding layers', () => {
  it("maxPooling2d / averagePooling2d 'valid' and TF 'same' (extra pad bottom/right, average over valid taps)", () => tidy(() => {
    const [N, H, W, C] = [2, 5, 7, 3];
    const xv = vals(N * H * W * C, 5);
    const x = tensor(xv, { shape: [N, H, W, C] });
    const xc = Array.from(nchw(x).contiguous().data());
    for (const padding of ['valid', 'same'] as const) {
      const mp = layers.maxPooling2d({ poolSize: [3, 2], strides: [2, 3], padding });
      const ap = layers.averagePooling2d({ poolSize: [3, 2], strides: [2, 3], padding });
      const ym = mp.call(x), ya = ap.call(x);
      // TF: valid out = ceil((n - k + 1) / s); same out = ceil(n / s), pads (total/2, rest)
      const Ho = padding === 'valid' ? 2 : 3, Wo = padding === 'valid' ? 2 : 3;
      const g = padding === 'valid' ? { pt: 0, pb: 0, pl: 0, pr: 0 } : { pt: 1, pb: 1, pl: 0, pr: 1 };
      const geom = { kh: 3, kw: 2, sh: 2, sw: 3, dh: 1, dw: 1, Ho, Wo, ...g };
      expect(ym.shape).toEqual([N, Ho, Wo, C]);
      expect(maxAbsDiff(nchw(ym).contiguous().data(), refMaxPool(xc, N * C, H, W, geom).y)).toBeLessThan(1e-6);
      expect(maxAbsDiff(nchw(ya).contiguous().data(), refAvgPool(xc, N * C, H, W, geom, false))).toBeLessThan(1e-6);
      expect(mp.computeOutputShape([H, W, C])).toEqual([Ho, Wo, C]);
      mp.dispose(); ap.dispose();
    }
    expect(layers.maxPooling2d({}).call(x).shape).toEqual([2, 2, 3, 3]);
  }));

  it('globalAveragePooling2d and zeroPadding2d', () => tidy(() => {
    const x = ag.randn([2, 3, 4, 5]);
    const g = layers.globalAveragePooling2d({});
    expect(maxAbsDiff(g.call(x).data(), x.mean([1, 2]).data())).toBeLessThan(1e-6);
    expect(g.computeOutputShape([3, 4, 5])).toEqual([5]);
    const z = layers.zeroPadding2d({ padding: [[1, 0], [2, 3]] });
    const y = z.call(x);
    expect(y.shape).toEqual([2, 4, 9, 5]);
    expect(z.computeOutputShape([3, 4, 5])).toEqual([4, 9, 5]);
    expect(y.slice(1, 1).slice(2, 2, 6).sub(x).abs().max().item()).toBe(0);
    expect(y.sum().item()).toBeCloseTo(x.sum().item(), 4);
    expect(layers.zeroPadding2d({}).computeOutputShape([3, 4, 5])).toEqual([5, 6, 5]);
  }));
});

describe('a small Keras CNN', () => {
  it('trains with fit, prints a summary, and round-trips through save/loadModel', async () => {
    ag.manualSeed(3);
    const m = sequential({
      layers: [
        layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
        layers.batchNormalization(),
        layers.maxPooling2d({ poolSize: 2 }),
        layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }),
        layers.zeroPadding2d({ padding: 1 }),
        layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
        layers.flatten(),
        layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    expect(m.outputShape).toEqual([2]);
    const x = ag.randn([16, 8, 8, 1]);
    const y = tidy(() => x.mean([1, 2, 3]).gt(0).int());
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const h = await m.fit(x, y, { epochs: 12, batchSize: 16, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
    const dir = mkdtempSync(join(tmpdir(), 'asgrad-conv-'));
    await m.save(dir);
    const back = await loadModel(dir);
    expect(back.layers.map((l) => l.className))
      .toEqual(['Conv2D', 'BatchNormalization', 'MaxPooling2D', 'DepthwiseConv2D', 'ZeroPadding2D', 'AveragePooling2D', 'Flatten', 'Dense']);
    const pa = m.predict(x), pb = back.predict(x);
    expect(maxAbsDiff(pa.data(), pb.data())).toBe(0);
    pa.dispose(); pb.dispose(); x.dispose(); y.dispose(); m.dispose(); back.dispose();
  });
});

describe('regularizationLoss (conv2d, depthwiseConv2d, dense)', () => {
  it('sums the kernel l2 and bias l1 penalties; null without regularizers', () => {
    const kernelRegularizer = regularizers.l2({ l2: 0.1 }), biasRegularizer = regularizers.l1({ l1: 0.2 });
    const made = [
      layers.conv2d({ filters: 3, kernelSize: 2, biasInitializer: 'ones', kernelRegularizer, biasRegularizer }),
      layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, biasInitializer: 'ones', depthwiseRegularizer: kernelRegularizer, biasRegularizer }),
      layers.dense({ units: 3, biasInitializer: 'ones', kernelRegularizer, biasRegularizer }),
    ];
    for (const l of made) {
      l.build(l.className === 'Dense' ? [5] : [4, 4, 2]);
      const [k, b] = l.parameters();
      const want = 0.1 * Array.from(k.data()).reduce((s, v) => s + v * v, 0) + 0.2 * b.size;
      const r = l.regularizationLoss()!;
      expect(r.item()).toBeCloseTo(want, 5);
      r.dispose();
      l.dispose();
    }
    const plain = layers.conv2d({ filters: 1, kernelSize: 1 });
    plain.build([2, 2, 1]);
    expect(plain.regularizationLoss()).toBeNull();
    plain.dispose();
  });
});
