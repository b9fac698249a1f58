// Advanced activation layers (reLU, leakyReLU, prelu, elu, thresholdedReLU, softmax) and shape
// layers (reshape, permute, repeatVector, globalMaxPooling2d, upSampling2d) against tfjs-layers
// 4.22 on the cpu backend, Keras' extra ReLU options against float64 formulas, computeOutputShape,
// getConfig names, saveModel / loadModel round trips, gradients by finite differences, fit, errors.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layers, loadModel, manualSeed, sequential, tensor, tidy, type LayersModel, type Tensor } from '../../src/index';
import { deserializeLayer, type Layer, type PReLU } from '../../src/keras/layers';
import { gradCheck, type Gen, type InputSpec } from '../helpers/gradcheck';
import { arr, expectSame, ours, tf, theirs, tfl, type Arr } from '../helpers/tfjs_layers';

let root = '';
beforeAll(async () => { await tf.setBackend('cpu'); root = await mkdtemp(join(tmpdir(), 'asgrad-layers-')); });
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

type Case = [string, () => Layer, () => tfl.layers.Layer, number[]];
const CASES: Case[] = [
  ['reLU', () => layers.reLU(), () => tfl.layers.reLU(), [3, 5]],
  ['reLU maxValue', () => layers.reLU({ maxValue: 1.25 }), () => tfl.layers.reLU({ maxValue: 1.25 }), [2, 3, 4]],
  ['leakyReLU (default alpha 0.3)', () => layers.leakyReLU(), () => tfl.layers.leakyReLU(), [4, 6]],
  ['leakyReLU alpha 0.05', () => layers.leakyReLU({ alpha: 0.05 }), () => tfl.layers.leakyReLU({ alpha: 0.05 }), [2, 3, 4]],
  ['elu', () => layers.elu(), () => tfl.layers.elu(), [3, 7]],
  ['thresholdedReLU', () => layers.thresholdedReLU(), () => tfl.layers.thresholdedReLU(), [3, 5]],
  ['thresholdedReLU theta 0.4', () => layers.thresholdedReLU({ theta: 0.4 }), () => tfl.layers.thresholdedReLU({ theta: 0.4 }), [3, 5]],
  // Our default axis is -1 (Keras, tfjs's docs); tfjs's code defaults to 1: the same axis in 2-D.
  ['softmax (2-D, default axis)', () => layers.softmax(), () => tfl.layers.softmax({ axis: -1 }), [4, 6]],
  ['softmax axis -1 of 3-D', () => layers.softmax({ axis: -1 }), () => tfl.layers.softmax({ axis: -1 }), [2, 5, 3]],
  ['softmax axes [1, 2]', () => layers.softmax({ axis: [1, 2] }), () => tfl.layers.softmax({ axis: [1, 2] }), [2, 3, 4]],
  ['reshape', () => layers.reshape({ targetShape: [3, 4] }), () => tfl.layers.reshape({ targetShape: [3, 4] }), [2, 12]],
  ['reshape with -1', () => layers.reshape({ targetShape: [2, -1, 3] }), () => tfl.layers.reshape({ targetShape: [2, -1, 3] }), [2, 4, 3, 2]],
  ['permute [2, 1]', () => layers.permute({ dims: [2, 1] }), () => tfl.layers.permute({ dims: [2, 1] }), [2, 3, 4]],
  ['permute [3, 1, 2]', () => layers.permute({ dims: [3, 1, 2] }), () => tfl.layers.permute({ dims: [3, 1, 2] }), [2, 3, 4, 5]],
  ['repeatVector', () => layers.repeatVector({ n: 3 }), () => tfl.layers.repeatVector({ n: 3 }), [2, 5]],
  ['globalMaxPooling2d', () => layers.globalMaxPooling2d(), () => tfl.layers.globalMaxPooling2d({}), [2, 3, 4, 5]],
  ['globalMaxPooling2d channelsFirst', () => layers.globalMaxPooling2d({ dataFormat: 'channelsFirst' }), () => tfl.layers.globalMaxPooling2d({ dataFormat: 'channelsFirst' }), [2, 3, 4, 5]],
  // pooling.ts's global pools now share a base class: the average one is checked too.
  ['globalAveragePooling2d channelsFirst', () => layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }),
    () => tfl.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }), [2, 3, 4, 5]],
  ['upSampling2d', () => layers.upSampling2d(), () => tfl.layers.upSampling2d({}), [2, 3, 4, 2]],
  ['upSampling2d size [2, 3] channelsFirst', () => layers.upSampling2d({ size: [2, 3], dataFormat: 'channelsFirst' }),
    () => tfl.layers.upSampling2d({ size: [2, 3], dataFormat: 'channelsFirst' }), [2, 2, 3, 4]],
  ['upSampling2d bilinear [3, 2]', () => layers.upSampling2d({ size: [3, 2], interpolation: 'bilinear' }),
    () => tfl.layers.upSampling2d({ size: [3, 2], interpolation: 'bilinear' }), [2, 3, 4, 2]],
  ['upSampling2d bilinear channelsFirst', () => layers.upSampling2d({ size: 2, interpolation: 'bilinear', dataFormat: 'channelsFirst' }),
    () => tfl.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', dataFormat: 'channelsFirst' }), [1, 2, 3, 3]],
];

describe('advanced activation and shape layers match tfjs-layers', () => {
  CASES.forEach(([label, mine, tfjs, shape], k) => {
    it(`${label}: outputs, computeOutputShape, getConfig`, () => {
      const x = arr(k + 1, shape);
      const want = theirs(tfjs(), x);
      expectSame(ours(mine(), x), want, 1e-6, label);
      // tfjs's own computeOutputShape leaves reshape's -1 unresolved (null); its output's shape is the reference.
      expect(mine().computeOutputShape(shape.slice(1))).toEqual(want.shape.slice(1));
      // Layer-specific options under tfjs's names and values (tfjs leaves an unset maxValue undefined).
      const cfg = mine().getConfig(), their = tfjs().getConfig();
      for (const key of Object.keys(their)) {
        if (['name', 'trainable', 'dtype', 'batchInputShape'].includes(key)) continue;
        expect(cfg[key] ?? null, `${label} config ${key}`).toEqual(their[key] ?? null);
      }
    });
  });

  it('prelu (a learned alpha, shared over axes 1 and 2) with the same weights', () => {
    const x = arr(31, [2, 3, 4, 5]), alpha = arr(32, [1, 1, 5], 0, 0.5);
    const t = tfl.layers.prelu({ sharedAxes: [1, 2] });
    t.build([null, 3, 4, 5]);
    t.setWeights([tf.tensor(alpha.values, alpha.shape)]);
    const m = layers.prelu({ sharedAxes: [1, 2] }) as PReLU;
    m.build([3, 4, 5]);
    expect(m.alpha!.shape).toEqual([1, 1, 5]);
    tidy(() => { m.loadStateDict({ alpha: tensor(alpha.values, { shape: alpha.shape }) }); });
    expectSame(ours(m, x), theirs(t, x), 1e-6, 'prelu');
    const full = layers.prelu() as PReLU;
    full.build([3, 4]);
    expect([full.alpha!.shape, Array.from(full.alpha!.data())]).toEqual([[3, 4], new Array(12).fill(0)]);
    m.dispose();
    full.dispose();
  });
});

/** Keras' relu(x, negative_slope, max_value, threshold) in float64. */
function kerasRelu(x: number, ns: number, mv: number | null, th: number): number {
  let y = th !== 0 ? (x > th ? x : 0) : Math.max(x, 0);
  if (mv !== null) y = Math.min(Math.max(y, 0), mv);
  return y - ns * Math.max(th - x, 0);
}

describe("Keras' options tfjs lacks", () => {
  const opts: [number, number | null, number][] = [[0.1, null, 0], [0.2, 1.5, 0], [0, 1, 0.5], [0.3, 2, 0.5], [0.25, null, 0.75]];
  for (const [ns, mv, th] of opts) {
    it(`reLU negativeSlope ${ns} maxValue ${mv} threshold ${th} follows Keras' formula`, () => {
      const x = arr(5, [4, 25], -3, 3);
      const got = ours(layers.reLU({ negativeSlope: ns, maxValue: mv, threshold: th }), x);
      got.values.forEach((v, i) => expect(Math.abs(v - kerasRelu(x.values[i], ns, mv, th)), `x = ${x.values[i]}`).toBeLessThanOrEqual(1e-6));
    });
  }
  it('elu with alpha 0.5 (tfjs supports only 1) and Keras 3 leakyReLU negativeSlope', () => {
    const x = arr(6, [3, 8]);
    ours(layers.elu({ alpha: 0.5 }), x).values.forEach((v, i) => {
      const u = x.values[i];
      expect(Math.abs(v - (u > 0 ? u : 0.5 * Math.expm1(u)))).toBeLessThanOrEqual(1e-6);
    });
    const l = new (layers.LeakyReLU)({ negativeSlope: 0.2 });
    expect(l.getConfig().alpha).toBe(0.2);
  });
  it('softmax over a middle axis (tfjs-core cannot: "softmax along a non-last dimension")', () => {
    const x = arr(12, [2, 5, 3]);
    const got = ours(layers.softmax({ axis: 1 }), x);
    for (let n = 0; n < 2; n++) {
      for (let c = 0; c < 3; c++) {
        const at = (i: number) => n * 15 + i * 3 + c;
        const z = [0, 1, 2, 3, 4].reduce((a, i) => a + Math.exp(x.values[at(i)]), 0);
        for (let i = 0; i < 5; i++) expect(Math.abs(got.values[at(i)] - Math.exp(x.values[at(i)]) / z)).toBeLessThanOrEqual(1e-6);
      }
    }
  });
  it('softmax defaults to the last axis (Keras; tfjs\'s code uses axis 1)', () => {
    const x = arr(8, [2, 3, 4]);
    expectSame(ours(layers.softmax(), x), theirs(tfl.layers.softmax({ axis: -1 }), x), 1e-6);
  });
});

describe('config round trips and saveModel / loadModel', () => {
  it('deserializeLayer(getConfig) rebuilds every layer', () => {
    const all: Layer[] = [
      layers.reLU({ maxValue: 6, negativeSlope: 0.1, threshold: 0.5 }), layers.leakyReLU({ alpha: 0.2 }), layers.elu({ alpha: 0.7 }),
      layers.thresholdedReLU({ theta: 0.3 }), layers.softmax({ axis: [1, 2] }), layers.prelu({ sharedAxes: 1, alphaInitializer: 'ones' }),
      layers.reshape({ targetShape: [-1, 2] }), layers.permute({ dims: [2, 1] }), layers.repeatVector({ n: 4 }),
      layers.globalMaxPooling2d({ dataFormat: 'channelsFirst' }), layers.upSampling2d({ size: [1, 3], interpolation: 'bilinear' }),
    ];
    for (const l of all) {
      const cfg = JSON.parse(JSON.stringify(l.getConfig()));
      const back = deserializeLayer({ className: l.className, config: cfg });
      expect([back.className, back.getConfig()]).toEqual([l.className, l.getConfig()]);
      back.dispose();
      l.dispose();
    }
  });

  async function roundTrip(m: LayersModel, x: Tensor, dir: string): Promise<void> {
    await m.save(dir);
    const back = await loadModel(dir);
    const [a, b] = [m.predict(x), back.predict(x)];
    expect(b.shape).toEqual(a.shape);
    expect(Array.from(b.data())).toEqual(Array.from(a.data()));
    expect(back.layers.map((l) => [l.className, l.getConfig()])).toEqual(m.layers.map((l) => [l.className, l.getConfig()]));
    for (const t of [a, b]) t.dispose();
    back.dispose();
  }

  it('a dense / activation / shape stack predicts identically after save and load', async () => {
    manualSeed(3);
    const m = sequential({
      layers: [
        layers.dense({ units: 12, inputShape: [6] }),
        layers.reLU({ maxValue: 1, negativeSlope: 0.1, threshold: 0.2 }),
        layers.reshape({ targetShape: [3, -1] }),
        layers.permute({ dims: [2, 1] }),
        layers.leakyReLU({ alpha: 0.2 }),
        layers.flatten(),
        layers.repeatVector({ n: 2 }),
        layers.prelu({ alphaInitializer: 'ones', sharedAxes: [1] }),
        layers.elu({ alpha: 0.5 }),
        layers.thresholdedReLU({ theta: -0.1 }),
        layers.softmax({ axis: 1 }),
      ],
    });
    expect(m.outputShape).toEqual([2, 12]);
    const x = tidy(() => tensor(Array.from({ length: 30 }, (_, i) => Math.sin(i * 0.7) * 2), { shape: [5, 6] }));
    await roundTrip(m, x, join(root, 'stack'));
    x.dispose();
    m.dispose();
  });

  it('a conv stack with upSampling2d, prelu and globalMaxPooling2d round-trips', async () => {
    manualSeed(4);
    const m = sequential({
      layers: [
        layers.upSampling2d({ inputShape: [3, 3, 2], size: [2, 2] }),
        layers.conv2d({ filters: 4, kernelSize: 3 }),
        layers.prelu({ sharedAxes: [1, 2], alphaInitializer: 'randomUniform' }),
        layers.upSampling2d({ interpolation: 'bilinear' }),
        layers.globalMaxPooling2d(),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    expect(m.outputShape).toEqual([3]);
    const x = tidy(() => tensor(Array.from({ length: 36 }, (_, i) => Math.cos(i * 1.1)), { shape: [2, 3, 3, 2] }));
    await roundTrip(m, x, join(root, 'conv'));
    x.dispose();
    m.dispose();
  });

  it('fit trains through them: the loss falls and prelu\'s alpha moves', async () => {
    manualSeed(5);
    // Not zeros: with alpha 0 the following reLU sits on its kink for every negative input.
    const pre = layers.prelu({ alphaInitializer: 'randomUniform' }) as PReLU;
    const m = sequential({
      layers: [layers.dense({ units: 8, inputShape: [4] }), pre, layers.reshape({ targetShape: [2, 4] }), layers.permute({ dims: [2, 1] }),
        layers.flatten(), layers.reLU({ negativeSlope: 0.05 }), layers.dense({ units: 2 }), layers.softmax()],
    });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = tidy(() => tensor(Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.37) * 2), { shape: [16, 4] }));
    const y = tidy(() => x.sum(1).gt(0).int());
    const alpha0 = Array.from(pre.alpha!.data());
    const h = await m.fit(x, y, { epochs: 25, batchSize: 8, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.8);
    const moved = Array.from(pre.alpha!.data()).map((v, i) => Math.abs(v - alpha0[i]));
    expect(Math.max(...moved)).toBeGreaterThan(1e-3);
    for (const t of [x, y]) t.dispose();
    m.dispose();
  });
});

/** Uniform values kept at least `gap` away from every kink. */
function avoiding(g: Gen, shape: number[], kinks: number[], lo = -2, hi = 2, gap = 0.05): InputSpec {
  const n = shape.reduce((a, b) => a * b, 1), values: number[] = [];
  while (values.length < n) {
    const v = lo + (hi - lo) * g.next();
    if (kinks.every((k) => Math.abs(v - k) > gap)) values.push(v);
  }
  return { shape, values };
}

describe('gradients by finite differences', () => {
  const cases: [string, () => Layer, (g: Gen) => InputSpec[]][] = [
    ['reLU (Keras options)', () => layers.reLU({ maxValue: 1.2, negativeSlope: 0.2, threshold: 0.3 }), (g) => [avoiding(g, [3, 6], [0, 0.3, 1.2])]],
    ['reLU maxValue', () => layers.reLU({ maxValue: 0.8 }), (g) => [avoiding(g, [3, 6], [0, 0.8])]],
    ['leakyReLU', () => layers.leakyReLU(), (g) => [g.away([3, 5], 0.05)]],
    ['elu', () => layers.elu({ alpha: 0.7 }), (g) => [g.away([3, 5], 0.05)]],
    ['thresholdedReLU', () => layers.thresholdedReLU({ theta: 0.5 }), (g) => [avoiding(g, [3, 5], [0.5])]],
    ['softmax axis 1', () => layers.softmax({ axis: 1 }), (g) => [g.u([2, 4, 3])]],
    ['softmax axes [1, 2]', () => layers.softmax({ axis: [1, 2] }), (g) => [g.u([2, 3, 2])]],
    ['reshape', () => layers.reshape({ targetShape: [-1, 2] }), (g) => [g.u([2, 3, 4])]],
    ['permute', () => layers.permute({ dims: [3, 1, 2] }), (g) => [g.u([2, 2, 3, 4])]],
    ['repeatVector', () => layers.repeatVector({ n: 3 }), (g) => [g.u([2, 4])]],
    ['globalMaxPooling2d', () => layers.globalMaxPooling2d(), (g) => [g.distinct([2, 3, 3, 2])]],
    ['upSampling2d nearest', () => layers.upSampling2d({ size: [2, 3] }), (g) => [g.u([1, 2, 3, 2])]],
    ['upSampling2d bilinear channelsFirst', () => layers.upSampling2d({ size: [3, 2], interpolation: 'bilinear', dataFormat: 'channelsFirst' }), (g) => [g.u([1, 2, 3, 2])]],
  ];
  for (const [label, make, inputs] of cases) {
    it(label, () => {
      const layer = make();
      expect(gradCheck({ label, inputs, fn: (x: Tensor) => layer.forward(x) }).worst).toBeNull();
    });
  }

  it('prelu: the input gradient and alpha\'s gradient (sum of x * R where x < 0, over the shared axis)', () => {
    const layer = layers.prelu({ sharedAxes: [1], alphaInitializer: 'randomUniform' }) as PReLU;
    layer.build([3, 4]);
    expect(gradCheck({ label: 'prelu', inputs: (g) => [g.away([2, 3, 4], 0.05)], fn: (x: Tensor) => layer.forward(x) }).worst).toBeNull();
    layer.alpha!.grad?.dispose();
    layer.alpha!.grad = null;
    const xs = arr(9, [2, 3, 4]), R = arr(10, [2, 3, 4]);
    tidy(() => {
      const x = tensor(xs.values, { shape: xs.shape }), r = tensor(R.values, { shape: R.shape });
      layer.forward(x).mul(r).sum().backward();
    });
    const want = new Array<number>(4).fill(0);
    xs.values.forEach((v, i) => { if (v < 0) want[i % 4] += v * R.values[i]; });
    const got = Array.from(layer.alpha!.grad!.data());
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-5));
    layer.alpha!.grad!.dispose();
    layer.alpha!.grad = null;
    layer.dispose();
  });
});

describe('errors name the layer', () => {
  const x = (shape: number[]): Arr => arr(1, shape);
  it('reshape of the wrong size', () => {
    expect(() => ours(layers.reshape({ targetShape: [5], name: 'rs' }), x([2, 6]))).toThrow(/asgrad\.rs: Reshape cannot reshape inputs of shape \[null, 6\] \(6 values per example\) to \[null, 5\]: the total size must be unchanged/);
    expect(() => ours(layers.reshape({ targetShape: [4, -1] }), x([2, 6]))).toThrow(/to \[null, 4, null\]: the total size must be unchanged/);
    expect(() => layers.reshape({ targetShape: [-1, -1] })).toThrow(/asgrad\.layers\.reshape: targetShape may have only one unknown dim/);
    expect(() => layers.reshape({ targetShape: [2, 3] }).computeOutputShape([7])).toThrow(/total size must be unchanged/);
  });
  it('bad options', () => {
    expect(() => layers.permute({ dims: [0, 1] })).toThrow(/asgrad\.layers\.permute: dims must be a permutation of 1\.\.2/);
    expect(() => ours(layers.permute({ dims: [2, 1], name: 'pm' }), x([2, 6]))).toThrow(/asgrad\.pm: dims \[2,1\] need inputs of rank 3, got shape \[2, 6\]/);
    expect(() => ours(layers.repeatVector({ n: 2, name: 'rv' }), x([2, 3, 1]))).toThrow(/asgrad\.rv: expected a 2-D input/);
    expect(() => layers.reLU({ maxValue: -1 })).toThrow(/asgrad\.layers\.reLU: maxValue must be a non-negative number, got -1/);
    expect(() => layers.prelu({ alphaConstraint: 'nonNeg' as never })).toThrow(/alphaConstraint is not supported/);
    expect(() => layers.upSampling2d({ size: 1.5 })).toThrow(/size must be a positive integer or a pair of them/);
    expect(() => ours(layers.softmax({ axis: 3, name: 'sm' }), x([2, 3]))).toThrow(/asgrad\.sm: axis 3 is out of range for an input of shape \[2, 3\]/);
    expect(() => ours(layers.upSampling2d({ name: 'up' }), x([2, 3]))).toThrow(/asgrad\.up: expected a 4-D input/);
  });
  it('prelu on inputs of another shape than it was built for', () => {
    const p = layers.prelu({ name: 'pr' }) as PReLU;
    p.build([3]);
    expect(() => ours(p, x([2, 4]))).toThrow(/asgrad\.pr: expected inputs of shape \[null, 3\], got \[2, 4\]/);
    p.dispose();
  });
});
