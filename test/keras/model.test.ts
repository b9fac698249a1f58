// The Keras-style Sequential model without training: construction, naming, Dense forward math,
// weights in TensorFlow.js order, summary table, predict batching, and construction errors.
import { describe, expect, it } from 'vitest';
import { layers, optim, regularizers, sequential, tensor, tidy, type LayersModel } from '../../src/index';

const mlp = () => sequential({
  layers: [
    layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ],
});

/** Sets every weight of a model from nested arrays (getWeights order). */
function setAll(model: LayersModel, values: number[][][] | (number[] | number[][])[]): void {
  const ts = values.map((v) => tensor(v as number[][]));
  model.setWeights(ts);
  for (const t of ts) t.dispose();
}

describe('construction', () => {
  it('sequential({ layers }) and model.add build the same architecture with Keras kernel layout [in, units]', () => {
    const a = sequential({ layers: [layers.dense({ units: 4, inputShape: [3] }), layers.dense({ units: 2 })] });
    const b = sequential();
    b.add(layers.dense({ units: 4, inputShape: [3] }));
    b.add(layers.dense({ units: 2 }));
    for (const m of [a, b]) {
      expect(m.getWeights().map((w) => w.shape)).toEqual([[3, 4], [4], [4, 2], [2]]);
      expect(m.outputShape).toEqual([2]);
      expect(m.layers.length).toBe(2);
    }
    a.dispose(); b.dispose();
  });

  it('names layers dense, dense_1, ... (per class counter) and models sequential, sequential_1, ...', () => {
    const d1 = layers.dense({ units: 1, inputShape: [1] }), d2 = layers.dense({ units: 1 });
    const f = layers.flatten();
    const idx = (name: string) => (name.includes('_') ? Number(name.split('_').at(-1)) : 0);
    expect(d1.name).toMatch(/^dense(_\d+)?$/);
    expect(idx(d2.name)).toBe(idx(d1.name) + 1);
    expect(f.name).toMatch(/^flatten(_\d+)?$/);
    expect(layers.dense({ units: 1, name: 'out' }).name).toBe('out');
    const m1 = sequential({ layers: [d1, d2] }), m2 = sequential({ layers: [layers.dense({ units: 1, inputShape: [1] })] });
    expect(m1.name).toMatch(/^sequential(_\d+)?$/);
    expect(idx(m2.name)).toBe(idx(m1.name) + 1);
    m1.dispose(); m2.dispose();
  });

  it('useBias false has no bias; kernelInitializer zeros/ones are honored', () => {
    const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [2], useBias: false, kernelInitializer: 'ones' })] });
    expect(m.getWeights().length).toBe(1);
    expect(Array.from(m.getWeights()[0].data())).toEqual([1, 1, 1, 1, 1, 1]);
    m.dispose();
  });

  it('clear errors for a first layer without inputShape, bad units, unknown activations, empty models', () => {
    expect(() => sequential({ layers: [layers.dense({ units: 2 })] })).toThrow(/first layer needs an inputShape/);
    expect(() => layers.dense({ units: 0 })).toThrow(/units must be a positive integer, got 0/);
    expect(() => layers.dense({ units: 2, activation: 'relux' as never })).toThrow(/unknown activation 'relux'/);
    expect(() => layers.dropout({ rate: 1.5 })).toThrow(/rate must be in \[0, 1\), got 1.5/);
    const empty = sequential();
    expect(() => empty.compile({ optimizer: 'sgd', loss: 'mse' })).toThrow(/has no layers/);
  });
});

describe('forward math', () => {
  it('dense computes activation(x · kernel + bias) with kernel [in, units]', () => {
    const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], activation: 'relu' })] });
    setAll(m, [[[1, -1], [2, 0.5], [-3, 1]], [0.5, -4]]);
    const x = tensor([[1, 2, 3], [-1, 0, 1]]);
    const y = m.predict(x);
    // pre-activations [[-3.5, -1], [-3.5, -2]]: relu zeroes them all
    expect(y.toArray()).toEqual([[0, 0], [0, 0]]);
    y.dispose();
    setAll(m, [[[1, -1], [2, 0.5], [-3, 1]], [10, 4]]);
    const z = m.predict(x);
    expect(z.toArray()).toEqual([[1 + 4 - 9 + 10, -1 + 1 + 3 + 4], [-1 - 3 + 10, 1 + 1 + 4]]);
    z.dispose(); x.dispose(); m.dispose();
  });

  it('a layer used on its own builds from its first input (layer.call)', () => {
    const d = layers.dense({ units: 2, kernelInitializer: 'ones', biasInitializer: 'ones' });
    const x = tensor([[1, 2, 3]]);
    const y = d.call(x);
    expect(d.kernel!.shape).toEqual([3, 2]);
    expect(y.toArray()).toEqual([[7, 7]]);
    const bn = layers.batchNormalization();
    const x4 = tensor([[1, 2, 3, 4]]);
    bn.eval();
    const z = bn.call(x4);
    expect(z.shape).toEqual([1, 4]);
    expect(() => bn.call(x)).toThrow(/expected inputs \[batch, \.\.\., 4\], got shape \[1, 3\]/);
    [x, y, x4, z].forEach((t) => t.dispose());
    d.dispose(); bn.dispose();
  });

  it('flatten and activation layers', () => {
    const m = sequential({ layers: [layers.flatten({ inputShape: [2, 2] }), layers.activation({ activation: 'sigmoid' })] });
    expect(m.outputShape).toEqual([4]);
    const x = tensor([[[0, 1], [2, -1]]]);
    const y = m.predict(x);
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const got = Array.from(y.data());
    [0, 1, 2, -1].forEach((v, i) => expect(got[i]).toBeCloseTo(s(v), 6));
    expect(y.shape).toEqual([1, 4]);
    y.dispose(); x.dispose(); m.dispose();
  });

  it('layerNormalization normalizes each sample over the last axis, then * gamma + beta', () => {
    const m = sequential({ layers: [layers.layerNormalization({ inputShape: [2, 4], epsilon: 1e-3 })] });
    const vals = [1, 2, 3, 4, -1, 0, 0, 5, 2, 2, 2, 2, 0.5, -3, 4, 9];
    const x = tidy(() => tensor(vals).reshape([2, 2, 4]));
    const [gamma, beta] = m.getWeights();
    expect([gamma.shape, beta.shape]).toEqual([[4], [4]]);
    const g = tensor([1, 2, 0.5, -1]), b = tensor([0, 1, -1, 0.5]);
    m.setWeights([g, b]);
    const y = m.predict(x), got = Array.from(y.data());
    for (let r = 0; r < 4; r++) {
      const row = vals.slice(4 * r, 4 * r + 4), mean = row.reduce((a, v) => a + v, 0) / 4;
      const v = row.reduce((a, u) => a + (u - mean) ** 2, 0) / 4;
      row.forEach((u, i) => expect(got[4 * r + i]).toBeCloseTo((u - mean) / Math.sqrt(v + 1e-3) * [1, 2, 0.5, -1][i] + [0, 1, -1, 0.5][i], 5));
    }
    expect(() => layers.layerNormalization({ axis: 1 })).toThrow(/layers\.layerNormalization: only axis -1 \(the last\) is supported, got 1/);
    y.dispose(); x.dispose(); g.dispose(); b.dispose(); m.dispose();
  });

  it('activation names of TensorFlow.js: relu6, selu, swish, mish, softsign, hardSigmoid (slope 0.2)', () => {
    const vals = [-4, -1, 0.5, 2, 7];
    const want: Record<string, (v: number) => number> = {
      relu6: (v) => Math.min(Math.max(v, 0), 6),
      selu: (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1)),
      swish: (v) => v / (1 + Math.exp(-v)),
      mish: (v) => v * Math.tanh(Math.log1p(Math.exp(v))),
      softsign: (v) => v / (1 + Math.abs(v)),
      hardSigmoid: (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1),
    };
    const x = tensor([vals]);
    for (const [name, f] of Object.entries(want)) {
      const m = sequential({ layers: [layers.activation({ activation: name as 'relu', inputShape: [5] })] });
      const y = m.predict(x), got = Array.from(y.data());
      vals.forEach((v, i) => expect(got[i], `${name}(${v})`).toBeCloseTo(f(v), 5));
      y.dispose(); m.dispose();
    }
    x.dispose();
  });

  it('predict gives the same rows whatever the batch size, and does not alias the input', () => {
    const m = sequential({ layers: [layers.dense({ units: 5, inputShape: [4], activation: 'tanh' }), layers.dense({ units: 3 })] });
    const x = tidy(() => tensor(Array.from({ length: 40 }, (_, i) => Math.sin(i))).reshape([10, 4]));
    const a = m.predict(x, { batchSize: 3 }), b = m.predict(x, { batchSize: 100 });
    expect(a.shape).toEqual([10, 3]);
    const da = a.data(), db = b.data();
    da.forEach((v, i) => expect(v).toBeCloseTo(db[i], 6));
    const id = sequential({ layers: [layers.activation({ activation: 'linear', inputShape: [4] })] });
    const c = id.predict(x);
    expect(c).not.toBe(x);
    c.dispose();
    a.dispose(); b.dispose(); x.dispose(); m.dispose(); id.dispose();
  });

  it('predict and evaluate run every layer in inference mode and leave each layer in the mode it was in', () => {
    const m = sequential({ layers: [layers.dense({ units: 4, inputShape: [4] }), layers.dropout({ rate: 0.5 }), layers.dense({ units: 2 })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = tidy(() => tensor(Array.from({ length: 32 }, (_, i) => Math.cos(i))).reshape([8, 4]));
    const y = tidy(() => tensor(Array.from({ length: 16 }, (_, i) => Math.sin(i))).reshape([8, 2]));
    const modes = () => [m.training, ...m.layers.map((l) => l.training)];
    m.layers[0].eval();
    expect(modes()).toEqual([true, false, true, true]);
    const a = m.predict(x), b = m.predict(x); // dropout off: two calls agree
    expect(Array.from(a.data())).toEqual(Array.from(b.data()));
    expect(modes()).toEqual([true, false, true, true]);
    const loss = m.evaluate(x, y) as ReturnType<typeof tensor>;
    expect(modes()).toEqual([true, false, true, true]);
    m.eval();
    m.predict(x).dispose();
    expect(modes()).toEqual([false, false, false, false]);
    a.dispose(); b.dispose(); loss.dispose(); x.dispose(); y.dispose(); m.dispose();
  });

  it('casts int32 inputs to float32, as Keras does', () => {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones' })] });
    const xi = tensor([[1, 2], [3, 4]], { dtype: 'int32' });
    const p = m.predict(xi);
    expect(p.dtype).toBe('float32');
    expect(p.toArray()).toEqual([[3], [7]]);
    p.dispose(); xi.dispose(); m.dispose();
  });

  it('a wrong input shape gives a clear error', () => {
    const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
    const x = tensor([[1, 2]]);
    expect(() => m.predict(x)).toThrow(/expected input shape \[null, 3\], got \[1, 2\]/);
    x.dispose(); m.dispose();
  });
});

describe('weights', () => {
  it('getWeights lists trainable weights first, then moving statistics (TensorFlow.js order)', () => {
    const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [2] }), layers.batchNormalization(), layers.dense({ units: 1 })] });
    expect(m.getWeights().map((w) => w.shape)).toEqual([[2, 3], [3], [3], [3], [3, 1], [1], [3], [3]]);
    const bn = m.layers[1] as InstanceType<typeof layers.BatchNormalization>;
    const w = m.getWeights();
    expect([w[2], w[3], w[6], w[7]]).toEqual([bn.gamma, bn.beta, bn.movingMean, bn.movingVariance]);
    expect(w[2]).toBe(bn.gamma);
    expect(w[7]).toBe(bn.movingVariance);
    m.dispose();
  });

  it('setWeights copies values and rejects wrong counts and shapes', () => {
    const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [1] })] });
    setAll(m, [[[3, 4]], [5, 6]]);
    expect(m.getWeights().map((w) => w.toArray())).toEqual([[[3, 4]], [5, 6]]);
    const bad = tensor([[1, 2, 3]]), b2 = tensor([0, 0]);
    expect(() => m.setWeights([bad])).toThrow(/expected 2 tensors, got 1/);
    expect(() => m.setWeights([bad, b2])).toThrow(/weight 0 .*has shape \[1, 2\], got \[1, 3\]/);
    bad.dispose(); b2.dispose(); m.dispose();
  });
});

describe('model helpers', () => {
  it('getLayer by name or index, countParams, duplicate names rejected', () => {
    const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [2], name: 'hidden' }), layers.dense({ units: 1, name: 'out' })] });
    expect(m.getLayer('out')).toBe(m.layers[1]);
    expect(m.getLayer(0)).toBe(m.layers[0]);
    expect(() => m.getLayer('nope')).toThrow(/no layer "nope" \(layers: hidden, out\)/);
    expect(m.countParams()).toBe(9 + 4);
    const dup = layers.dense({ units: 1, name: 'out' });
    expect(() => m.add(dup)).toThrow(/already has a layer named 'out'/);
    m.dispose(); dup.dispose();
  });

  it('adding a layer after compile requires compiling again', async () => {
    const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [2] })] });
    m.compile({ optimizer: 'adam', loss: 'mse' });
    m.add(layers.dense({ units: 1 }));
    expect(m.compiled).toBe(null);
    const x = tensor([[1, 2]]), y = tensor([[1]]);
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/before fit/);
    m.compile({ optimizer: 'adam', loss: 'mse', metrics: 'mae' });
    expect(m.compiled!.optimizer.params().length).toBe(4);
    expect(m.compiled!.metrics.map(([k]) => k)).toEqual(['mae']);
    x.dispose(); y.dispose(); m.dispose();
  });
});

describe('summary', () => {
  it('prints the TensorFlow.js table with 100480 and 1290 parameters for 784-128-10', () => {
    const m = mlp();
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    const [d1, d2] = m.layers.map((l) => l.name);
    expect(lines[0]).toBe('_'.repeat(90));
    expect(lines[1]).toBe('Layer (type)                Input Shape               Output shape              Param #   ');
    expect(lines[2]).toBe('='.repeat(90));
    expect(lines[3]).toBe(`${d1} (Dense)`.padEnd(28) + '[[null,784]]'.padEnd(26) + '[null,128]'.padEnd(26) + '100480    ');
    expect(lines[4]).toBe('_'.repeat(90));
    expect(lines[5]).toBe(`${d2} (Dense)`.padEnd(28) + '[[null,128]]'.padEnd(26) + '[null,10]'.padEnd(26) + '1290      ');
    expect(lines[6]).toBe('='.repeat(90));
    expect(lines.slice(7)).toEqual(['Total params: 101770', 'Trainable params: 101770', 'Non-trainable params: 0', '_'.repeat(90)]);
    m.dispose();
  });

  it('counts batchNormalization moving statistics as non-trainable', () => {
    const m = sequential({ layers: [layers.dense({ units: 8, inputShape: [4] }), layers.batchNormalization()] });
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines.slice(-4, -1)).toEqual(['Total params: 72', 'Trainable params: 56', 'Non-trainable params: 16']);
    m.dispose();
  });
});

describe('compile', () => {
  it('accepts optimizer names and instances; rejects unknown loss, optimizer and metric names', () => {
    for (const optimizer of ['sgd', 'adam', 'rmsprop', 'adagrad']) {
      const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
      m.compile({ optimizer, loss: 'meanSquaredError' });
      expect(m.compiled!.optimizer.params().length).toBe(2);
      m.dispose();
    }
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2], kernelRegularizer: regularizers.l2({ l2: 0.1 }) })] });
    const opt = new optim.SGD(undefined, { lr: 0.5 });
    m.compile({ optimizer: opt, loss: 'mse' });
    expect(m.compiled!.optimizer).toBe(opt);
    expect(opt.params()).toEqual(m.getWeights());
    expect(() => m.compile({ optimizer: 'sgdd', loss: 'mse' })).toThrow(/unknown optimizer "sgdd"/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'meanSquaredErr' })).toThrow(/unknown loss "meanSquaredErr"/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['acuracy'] })).toThrow(/unknown metric "acuracy"/);
    expect(() => m.compile({ optimizer: 'sgd' } as never)).toThrow(/expected \{ optimizer, loss, metrics\? \}/);
    m.dispose(); opt.dispose();
  });

  it("'accuracy' resolves to binary, sparse or categorical accuracy as TensorFlow.js does, under the key acc", () => {
    const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [2] })] });
    const cases: [string, string][] = [['sparseCategoricalCrossentropy', 'sparseCategoricalAccuracy'],
      ['categoricalCrossentropy', 'categoricalAccuracy'], ['mse', 'categoricalAccuracy'], ['binaryCrossentropy', 'binaryAccuracy']];
    for (const [loss, fn] of cases) {
      m.compile({ optimizer: 'sgd', loss, metrics: ['accuracy'] });
      expect(m.compiled!.metrics.map(([k, f]) => [k, f.name])).toEqual([['acc', fn]]);
    }
    m.dispose();
    const one = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    one.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['acc', 'mae'] });
    expect(one.compiled!.metrics.map(([k, f]) => [k, f.name])).toEqual([['acc', 'binaryAccuracy'], ['mae', 'meanAbsoluteError']]);
    one.dispose();
  });

  it('only trainable layers are handed to the optimizer', () => {
    const frozen = layers.dense({ units: 2, inputShape: [2], trainable: false });
    const m = sequential({ layers: [frozen, layers.dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(m.compiled!.optimizer.params()).toEqual(m.layers[1].parameters());
    const lines: string[] = [];
    m.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines.slice(-4, -1)).toEqual(['Total params: 9', 'Trainable params: 3', 'Non-trainable params: 6']);
    m.dispose();
  });
});
