// The functional-model builder (input, layer.apply on SymbolicTensors, model) and models as layers,
// checked against tfjs-layers 4.22 (cpu): the same DAGs built in both, tfjs's weights copied into
// ours, predictions within 1e-5 and parameter counts equal; training on iris; nesting; errors.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispose, Functional, datasets, input, keras, layers, loadModel, manualSeed, model, nn, optim, sequential, SymbolicTensor, tensor, tidy, type Tensor } from '../../src/index';
import type { Layer } from '../../src/keras/layers';
import { both, expectClose, randomizeWeights, tf, tfl, tfPredict, tfReady } from './tfjs_helpers';

let root = '';
beforeAll(async () => { await tfReady(); root = await mkdtemp(join(tmpdir(), 'asgrad-functional-')); });
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

/* eslint-disable @typescript-eslint/no-explicit-any */
type Api = { input: (a: any) => any; model: (a: any) => any; sequential: (a: any) => any; L: any };
const TF: Api = { input: tfl.input, model: tfl.model, sequential: tfl.sequential, L: tfl.layers };
const AG: Api = { input, model, sequential, L: layers };

/** The api with every layer factory call recorded, in order (to pair our layers with tfjs's). */
function recording(api: Api): { api: Api; made: any[] } {
  const made: any[] = [];
  const L = new Proxy(api.L, { get: (t, k) => (...a: unknown[]) => { const l = t[k](...a); made.push(l); return l; } });
  return { api: { ...api, L }, made };
}

/** Copies every weight of tfjs layer `theirs[i]` into our `ours[i]` (same order: kernel, recurrent_kernel, bias). */
function copyWeights(ours: Layer[], theirs: tfl.layers.Layer[]): void {
  expect(ours.length).toBe(theirs.length);
  ours.forEach((o, i) => {
    const ws = theirs[i].getWeights(), ps = o.namedParameters();
    expect(ps.map(([, p]) => p.shape)).toEqual(ws.map((w) => w.shape));
    const sd = Object.fromEntries(ps.map(([k], j) => [k, tensor(ws[j].dataSync() as Float32Array, { shape: ws[j].shape })]));
    o.loadStateDict(sd);
    Object.values(sd).forEach((t) => t.dispose());
  });
}

type Dag = (api: Api) => any;
const maxDiff = (a: Tensor, b: Tensor) => tidy(() => a.sub(b).abs().max().item());

/** Builds `dag` in tfjs and here, copies tfjs's (randomized) weights, compares predict on seeded inputs. */
function expectSameAsTfjs(dag: Dag, inShapes: number[][], check?: (ours: Functional, theirs: tfl.LayersModel) => void): void {
  const t = recording(TF), a = recording(AG);
  const ref = dag(t.api) as tfl.LayersModel, m = dag(a.api) as Functional;
  randomizeWeights(ref, 5);
  copyWeights(a.made, t.made);
  const ins = inShapes.map((s, i) => both([7, ...s], 11 + i));
  const want = tfPredict(ref, ins.length === 1 ? ins[0][0] : ins.map((p) => p[0]));
  const got = m.predict(ins.length === 1 ? ins[0][1] : ins.map((p) => p[1]), { batchSize: 3 });
  const gots = Array.isArray(got) ? got : [got];
  try {
    expect(gots.length).toBe(want.length);
    gots.forEach((g, i) => expectClose(g, want[i]));
    expect(m.countParams()).toBe(ref.countParams());
    check?.(m, ref);
  } finally {
    gots.forEach((g) => g.dispose());
    ins.forEach(([x, y]) => { x.dispose(); y.dispose(); });
    tf.dispose(want);
    ref.dispose();
    m.dispose();
  }
}

const twoInputs: Dag = ({ input: I, model: M, L }) => {
  const a = I({ shape: [5] }), b = I({ shape: [3] });
  const c = L.concatenate().apply([L.dense({ units: 6, activation: 'relu' }).apply(a), L.dense({ units: 4, activation: 'tanh' }).apply(b)]);
  return M({ inputs: [a, b], outputs: L.dense({ units: 3, activation: 'softmax' }).apply(c) });
};

const residual: Dag = ({ input: I, model: M, L }) => {
  const x = I({ shape: [6] });
  const h = L.dense({ units: 6 }).apply(L.dense({ units: 9, activation: 'relu' }).apply(x));
  return M({ inputs: x, outputs: L.dense({ units: 2 }).apply(L.add().apply([x, h])) });
};

/** One dense layer called three times (two inputs and its own output), two outputs. */
const shared: Dag = ({ input: I, model: M, L }) => {
  const x1 = I({ shape: [4] }), x2 = I({ shape: [4] });
  const d = L.dense({ units: 4, activation: 'tanh' });
  const y1 = d.apply(x1), y2 = d.apply(x2), y3 = d.apply(L.add().apply([y1, y2]));
  return M({ inputs: [x1, x2], outputs: [L.dense({ units: 2 }).apply(L.concatenate().apply([y1, y3])), y2] });
};

const recurrentStates: Dag = ({ input: I, model: M, L }) => {
  const x = I({ shape: [5, 3] });
  const [seq, h, c] = L.lstm({ units: 4, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' }).apply(x);
  const g = L.gru({ units: 3, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' }).apply(seq);
  return M({ inputs: x, outputs: [g, L.dense({ units: 2 }).apply(L.concatenate().apply([h, c]))] });
};

/** A functional model used twice as a layer of another, and a Sequential applied to a SymbolicTensor. */
const nested: Dag = ({ input: I, model: M, sequential: S, L }) => {
  const a = I({ shape: [4] });
  const inner = M({ inputs: a, outputs: L.dense({ units: 4 }).apply(L.dense({ units: 5, activation: 'relu' }).apply(a)) });
  const seq = S({ layers: [L.dense({ units: 3, activation: 'tanh', inputShape: [4] })] });
  const x = I({ shape: [4] });
  const y = inner.apply(inner.apply(x));
  return M({ inputs: x, outputs: L.dense({ units: 2 }).apply(L.concatenate().apply([y, seq.apply(x)])) });
};

describe('model({ inputs, outputs }) matches tfjs-layers', () => {
  it('two inputs -> dense each -> concatenate -> dense: predict, countParams and the summary table', () => {
    expectSameAsTfjs(twoInputs, [[5], [3]], (m, ref) => {
      const lines: string[] = [];
      m.summary((l) => lines.push(l));
      expect(lines[2]).toMatch(/^Layer \(type\)\s+Output shape\s+Param #\s+Connected to$/);
      expect(lines).toContain(`Total params: ${ref.countParams()}`);
      const [d1, d2, cat] = m.layers;
      expect(lines.find((l) => l.startsWith(`${cat.name} (Concatenate)`))).toMatch(new RegExp(`\\[null, 10\\]\\s+0\\s+${d1.name}\\[0\\]\\[0\\], ${d2.name}\\[0\\]\\[0\\]$`));
      expect(lines.filter((l) => /\(InputLayer\)/.test(l)).length).toBe(2);
      expect(m.inputs.map((s) => s.shape)).toEqual([[5], [3]]);
      expect(m.outputShapes).toEqual([[3]]);
    });
  });

  it('a residual add', () => expectSameAsTfjs(residual, [[6]]));

  it('a layer applied three times shares one set of weights; two outputs', () => {
    expectSameAsTfjs(shared, [[4], [4]], (m) => {
      const d = m.layers[0];
      expect(m.layers.filter((l) => l === d).length).toBe(1);
      expect(Object.keys(m.stateDict()).filter((k) => k.startsWith(`${d.name}.`))).toEqual([`${d.name}.kernel`, `${d.name}.bias`]);
      const lines: string[] = [];
      m.summary((l) => lines.push(l));
      const rows = lines.filter((l) => l.startsWith(`${d.name} (Dense)`));
      expect(rows.length).toBe(3);
      expect(rows.map((r) => r.split(/\s{2,}/)[2])).toEqual(['20', '0', '0']);
    });
  });

  it('an LSTM returning its states (apply gives three SymbolicTensors) into a GRU and a dense', () => expectSameAsTfjs(recurrentStates, [[5, 3]]));

  it('a functional model applied twice as a layer of another (shared weights), and a Sequential applied in it', () => {
    expectSameAsTfjs(nested, [[4]], (m) => {
      const inner = m.layers[0] as unknown as Functional;
      expect(inner).toBeInstanceOf(Functional);
      expect(m.layers.map((l) => l.className)).toEqual(['Functional', 'Sequential', 'Concatenate', 'Dense']);
      const lines: string[] = [];
      m.summary((l) => lines.push(l));
      const rows = lines.filter((l) => l.startsWith(`${inner.name} (Functional)`));
      expect(rows.map((r) => r.split(/\s{2,}/)[2])).toEqual([String(inner.countParams()), '0']);
    });
  });
});

describe('SymbolicTensor, input and apply', () => {
  it('input gives [null, ...shape]; apply records the call, builds the layer and gives the output shape', () => {
    const x = input({ shape: [null, 3], name: 'seq_in' });
    expect(x).toBeInstanceOf(SymbolicTensor);
    expect([x.shape, x.dtype, x.name, x.rank, x.sourceLayer]).toEqual([[null, null, 3], 'float32', 'seq_in', 3, null]);
    expect(input({ batchShape: [8, 2], dtype: 'int32' }).shape).toEqual([8, 2]);
    const d = layers.dense({ units: 7 });
    expect(d.built).toBe(false);
    const y = d.apply(x);
    expect(d.built).toBe(true);
    expect([y.shape, y.sourceLayer, y.nodeIndex, y.tensorIndex, y.inputs]).toEqual([[null, null, 7], d, 0, 0, [x]]);
    expect(d.apply(x).nodeIndex).toBe(1);
    expect(keras.input).toBe(input);
    expect(keras.model).toBe(model);
    d.dispose();
  });

  it('apply on tensors runs the layer (as call); apply(fn) is still Module.apply for layers, models and nn modules', () => {
    manualSeed(3);
    const d = layers.dense({ units: 3, inputShape: [2] });
    const x = tensor([[1, 2], [3, -4]]);
    const [a, b] = [d.apply(x), d.call(x)];
    expect(a.toArray()).toEqual(b.toArray());
    const s = tidy(() => layers.add().apply([x, x]).sub(x.mul(2)).abs().max().item());
    expect(s).toBe(0);
    const seen: string[] = [];
    expect(d.apply((m) => seen.push(m.constructor.name))).toBe(d);
    expect(seen).toEqual(['Dense']);
    const lin = new nn.Linear(2, 2);
    let n = 0;
    expect(lin.apply(() => { n++; })).toBe(lin);
    expect(n).toBe(1);
    const seqm = sequential({ layers: [d, layers.dense({ units: 1 })] });
    n = 0;
    seqm.apply(() => { n++; });
    expect(n).toBe(3);
    const xi = input({ shape: [2] });
    const f = model({ inputs: xi, outputs: seqm.apply(xi) });
    n = 0;
    f.apply(() => { n++; });
    expect(n).toBe(4);
    const [fa, sa] = [f.apply(x) as Tensor, seqm.predict(x)];
    expect(fa.toArray()).toEqual(sa.toArray());
    [a, b, x, fa, sa].forEach((t) => t.dispose());
    f.dispose(); lin.dispose();
  });
});

describe('training, weights and saving', () => {
  it('fit lowers the loss of a one-input one-output functional model on iris', async () => {
    manualSeed(11);
    const { features, labels } = await datasets.iris();
    const xs = tidy(() => { const mu = features.mean(0, true), sd = features.std(0, true); return features.sub(mu).div(sd); });
    const x = input({ shape: [4] });
    const h = layers.dense({ units: 12, activation: 'relu' }).apply(x);
    const skip = layers.concatenate().apply([h, x]);
    const m = model({ inputs: x, outputs: layers.dense({ units: 3, activation: 'softmax' }).apply(skip) });
    const adam = new optim.Adam(undefined, { lr: 0.01 });
    m.compile({ optimizer: adam, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const hist = await m.fit(xs, labels, { epochs: 25, batchSize: 16, verbose: 0 });
    const loss = hist.history.loss;
    expect(loss[0]).toBeGreaterThan(2.5 * loss[loss.length - 1]);
    const r = m.evaluate(xs, labels) as Tensor[];
    expect(r[1].item()).toBeGreaterThan(0.9);
    m.dispose(); adam.dispose();
    [...r, features, labels, xs].forEach((t) => t.dispose());
  });

  it('stateDict round trip into a second model built the same way', () => {
    const build = () => {
      const x = input({ shape: [3] });
      return model({ inputs: x, outputs: layers.dense({ units: 2, name: 'out' }).apply(layers.dense({ units: 4, name: 'hid' }).apply(x)) });
    };
    const a = build(), b = build();
    expect(Object.keys(a.stateDict())).toEqual(['hid.kernel', 'hid.bias', 'out.kernel', 'out.bias']);
    b.loadStateDict(a.stateDict());
    const x = tensor([[1, -2, 0.5]]);
    const [ya, yb] = [a.predict(x) as Tensor, b.predict(x) as Tensor];
    expect(ya.toArray()).toEqual(yb.toArray());
    [x, ya, yb].forEach((t) => t.dispose());
    a.dispose(); b.dispose();
  });

  it('a functional model nested in a saved Sequential comes back (round trips of functional models: save.test.ts)', async () => {
    const x = input({ shape: [2] });
    const m = model({ inputs: x, outputs: layers.dense({ units: 3, activation: 'relu' }).apply(x) });
    const s = sequential({ layers: [m, layers.dense({ units: 1 })] });
    await s.save(join(root, 'g'));
    const back = await loadModel(join(root, 'g'));
    const t = tensor([[1, -2], [0.5, 3]]);
    const [ya, yb] = [s.predict(t) as Tensor, back.predict(t) as Tensor];
    expect(yb.toArray()).toEqual(ya.toArray());
    [t, ya, yb].forEach((v) => v.dispose());
    s.dispose(); back.dispose();
  });
});

describe('models as layers', () => {
  it('a Sequential in a Sequential: same weight tensors, predict equals the composition, one summary row, tfjs param count', async () => {
    manualSeed(5);
    const inner = sequential({ layers: [layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), layers.dense({ units: 3 })] });
    const head = layers.dense({ units: 2, activation: 'softmax' });
    const outer = sequential({ layers: [inner, head] });
    const added = sequential();
    added.add(inner);
    expect(outer.parameters().slice(0, 4).every((p, i) => p === inner.parameters()[i])).toBe(true);
    const x = tidy(() => tensor(Array.from({ length: 20 }, (_, i) => Math.sin(i))).reshape([5, 4]));
    const got = outer.predict(x);
    const want = tidy(() => head.call(inner.predict(x)));
    expect(maxDiff(got, want)).toBeLessThan(1e-6);
    const viaAdd = added.predict(x), innerOut = inner.predict(x);
    expect(viaAdd.toArray()).toEqual(innerOut.toArray());
    const lines: string[] = [];
    outer.summary(undefined, undefined, (l) => lines.push(l));
    expect(lines.filter((l) => l.startsWith(`${inner.name} (Sequential)`)).length).toBe(1);
    expect(lines.find((l) => l.startsWith(`${inner.name} (Sequential)`))).toMatch(/\[\[null,4\]\]\s+\[null,3\]\s+67/);
    const tInner = tfl.sequential({ layers: [tfl.layers.dense({ units: 8, inputShape: [4] }), tfl.layers.dense({ units: 3 })] });
    const tOuter = tfl.sequential({ layers: [tInner, tfl.layers.dense({ units: 2 })] });
    expect(lines).toContain(`Total params: ${tOuter.countParams()}`);
    tOuter.dispose();
    // freezing the nested model keeps its weights out of the outer model's training
    inner.trainable = false;
    outer.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const w = outer.getWeights();
    expect([w[0] === head.parameters()[0], w[1] === head.parameters()[1], w.length]).toEqual([true, true, 6]);
    const before = [inner.parameters()[0].toArray(), head.parameters()[0].toArray()];
    const y = tensor([[1, 0], [0, 1], [1, 1], [0, 0], [1, 0]]);
    await outer.trainOnBatch(x, y);
    expect(inner.parameters()[0].toArray()).toEqual(before[0]);
    expect(head.parameters()[0].toArray()).not.toEqual(before[1]);
    [x, y, got, want, viaAdd, innerOut].forEach((t) => t.dispose());
    outer.dispose();
  });

  it('a functional model in a Sequential, and a Sequential applied inside a functional model', () => {
    const a = input({ shape: [3] });
    const f = model({ inputs: a, outputs: layers.dense({ units: 4, activation: 'tanh' }).apply(a) });
    const s = sequential({ layers: [f, layers.dense({ units: 2 })] });
    const x = tensor([[0.1, 0.2, 0.3], [-1, 0, 2]]);
    const [ys, yf] = [s.predict(x), f.predict(x) as Tensor];
    const want = tidy(() => s.layers[1].call(yf));
    expect(maxDiff(ys, want)).toBeLessThan(1e-6);
    const b = input({ shape: [3] });
    const g = model({ inputs: b, outputs: layers.dense({ units: 1 }).apply(s.apply(b)) });
    const yg = g.predict(x) as Tensor;
    const want2 = tidy(() => g.layers[1].call(ys));
    expect(maxDiff(yg, want2)).toBeLessThan(1e-6);
    [x, ys, yf, want, yg, want2].forEach((t) => t.dispose());
    g.dispose();
  });

  it('a Sequential nested in a saved Sequential loads back with the same outputs', async () => {
    const inner = sequential({ layers: [layers.dense({ units: 5, activation: 'relu', inputShape: [3] })] });
    const outer = sequential({ layers: [inner, layers.dense({ units: 2 })] });
    const dir = join(root, 'nested');
    await outer.save(dir);
    const back = await loadModel(dir);
    expect(back.layers[0].className).toBe('Sequential');
    const x = tensor([[1, 2, 3]]);
    const [p, q] = [outer.predict(x), back.predict(x)];
    expect(q.toArray()).toEqual(p.toArray());
    [x, p, q].forEach((t) => t.dispose());
    outer.dispose(); back.dispose();
  });
});

describe('errors', () => {
  it('a disconnected output, inputs that are not input() results, outputs that are not symbolic', () => {
    const x1 = input({ shape: [2], name: 'first' }), x2 = input({ shape: [2], name: 'second' });
    const add = layers.add(), d = layers.dense({ units: 1 });
    const out = d.apply(add.apply([x1, x2]));
    expect(() => model({ inputs: x1, outputs: out })).toThrow(/asgrad.model: Graph disconnected: layer 'add\w*' needs input 'second', which is not among the model's inputs \('first'\)/);
    expect(() => model({ inputs: [x1, out], outputs: out })).toThrow(/inputs must be results of input\(\); 'dense\w*' is an output of layer 'dense\w*' \(Dense\)/);
    const t = tensor([1]);
    expect(() => model({ inputs: x1, outputs: t as never })).toThrow(/outputs must be SymbolicTensor\(s\) \(from input\(\) and layer.apply\), got Tensor \[1\]/);
    const same1 = layers.dense({ units: 2, name: 'twin' }), same2 = layers.dense({ units: 2, name: 'twin' });
    expect(() => model({ inputs: x1, outputs: same2.apply(same1.apply(x1)) })).toThrow(/the name 'twin' is used by two layers/);
    [d, same1, same2].forEach((l) => l.dispose());
    t.dispose();
  });

  it('apply on a value that is neither symbolic nor a tensor', () => {
    const d = layers.dense({ units: 2 });
    const t = tensor([[1, 2]]);
    expect(() => d.apply(3 as never)).toThrow(/asgrad.dense\w*.apply: expected SymbolicTensor\(s\) .* got number 3/);
    expect(() => d.apply([input({ shape: [2] }), t] as never)).toThrow(/got \[SymbolicTensor \[null, 2\], Tensor \[1, 2\]\]/);
    expect(() => d.apply({ shape: [2] } as never)).toThrow(/got an object/);
    expect(() => input({ shape: [2], batchShape: [1, 2] })).toThrow(/asgrad.input: expected \{ shape \} .* got \{"shape":\[2\],"batchShape":\[1,2\]\}/);
    expect(() => input({ shape: [0] })).toThrow(/of positive integers or null.* got \{"shape":\[0\]\}/);
    t.dispose();
  });

  it('shape mismatches at build time name the layer and the shapes', () => {
    const a = input({ shape: [3] }), b = input({ shape: [4, 2] }), c = input({ shape: [5] });
    expect(() => layers.concatenate().apply([a, b])).toThrow(/concatenate\w*.*\[null, 3\], \[null, 4, 2\]/);
    const d = layers.dense({ units: 2 });
    d.apply(a);
    expect(() => d.apply(c)).toThrow(/layer 'dense\w*' \(Dense\) was built for inputs of shape \[null, 3\] and cannot take shape \[null, 5\]/);
    const conv = layers.conv2d({ filters: 2, kernelSize: 1 });
    expect(() => conv.apply(a)).toThrow(/asgrad.conv2d\w*.apply: layer 'conv2d\w*' \(Conv2D\) on input shape \[null, 3\]: layers.conv2d: needs a known channel dim/);
    expect(() => layers.maxPooling2d().apply(b)).toThrow(/layer 'max_pooling2d\w*' \(MaxPooling2D\) cannot take input shape \[null, 4, 2\]/);
    const f = model({ inputs: a, outputs: d.apply(a) });
    expect(() => f.apply(c)).toThrow(/the model takes inputs of shape \[null, 3\], got \[null, 5\]/);
    expect(() => layers.dense({ units: 2 }).apply([a, c])).toThrow(/layer 'dense\w*' \(Dense\) takes one input, got 2 \(\[null, 3\], \[null, 5\]\)/);
    f.dispose(); conv.dispose();
  });
});

describe('fit with several inputs and outputs', () => {
  /** Two inputs (a [4], b [3]) into a shared trunk, two heads: 'cls' (3 classes, softmax) and 'reg' (1 unit). */
  function twoByTwo() {
    manualSeed(21);
    const a = input({ shape: [4], name: 'a' }), b = input({ shape: [3], name: 'b' });
    const h = layers.dense({ units: 8, activation: 'relu', name: 'trunk' }).apply(layers.concatenate({}).apply([a, b]) as SymbolicTensor) as SymbolicTensor;
    const cls = layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h) as SymbolicTensor;
    const reg = layers.dense({ units: 1, name: 'reg' }).apply(h) as SymbolicTensor;
    return model({ inputs: [a, b], outputs: [cls, reg] });
  }
  const data = () => tidy(() => {
    const xa = tensor(Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.37))).reshape([16, 4]);
    const xb = tensor(Array.from({ length: 48 }, (_, i) => Math.cos(i * 0.23))).reshape([16, 3]);
    const yc = xa.sum(1).gt(0).int().add(xb.sum(1).gt(0.5).int());
    const yr = xa.narrow(1, 0, 1).mul(2).add(xb.narrow(1, 2, 1));
    return [xa, xb, yc, yr];
  });

  it("trains on the weighted sum of the outputs' losses, logging each as Keras names them", async () => {
    const m = twoByTwo();
    const [xa, xb, yc, yr] = data();
    m.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'meanSquaredError'], lossWeights: [1, 0.5], metrics: ['accuracy'] });
    const e0 = m.evaluate([xa, xb], [yc, yr]) as Tensor[];
    expect(e0.length).toBe(5); // loss, cls_loss, cls_acc, reg_loss, reg_acc (tfjs' metric name)
    const [loss, clsLoss, , regLoss] = e0.map((t) => t.item());
    expect(loss).toBeCloseTo(clsLoss + 0.5 * regLoss, 5);
    const h = await m.fit([xa, xb], [yc, yr], { epochs: 30, batchSize: 8, verbose: 0, validationSplit: 0.25 });
    expect(Object.keys(h.history).sort()).toEqual(['cls_acc', 'cls_loss', 'loss', 'reg_acc', 'reg_loss',
      'val_cls_acc', 'val_cls_loss', 'val_loss', 'val_reg_acc', 'val_reg_loss'].sort());
    const hl = h.history.loss as number[];
    expect(hl[hl.length - 1]).toBeLessThan(hl[0]);
    const e1 = m.evaluate([xa, xb], [yc, yr]) as Tensor[];
    expect(e1[0].item()).toBeLessThan(loss);
    dispose([...e0, ...e1, xa, xb, yc, yr]);
    m.dispose();
  });

  it('one loss for every output; clear errors for counts that do not match', async () => {
    const m = twoByTwo();
    const [xa, xb, yc, yr] = data();
    expect(() => m.compile({ optimizer: 'sgd', loss: ['meanSquaredError'] })).toThrow("asgrad.compile: expected one loss, or one per output (2), got 1");
    expect(() => m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', lossWeights: [1] })).toThrow('asgrad.compile: lossWeights must be one finite number per output (2), got [1]');
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const yc3 = tidy(() => yc.float().unsqueeze(1).expand(16, 3).clone()), xbHalf = xb.narrow(0, 0, 8);
    const r = m.evaluate([xa, xb], [yc3, yr]) as Tensor[];
    expect(r.length).toBe(3); // loss, cls_loss, reg_loss
    expect(r[0].item()).toBeCloseTo(r[1].item() + r[2].item(), 5);
    await expect(m.fit([xa, xb], [yc], { verbose: 0 })).rejects.toThrow(/asgrad\.fit: the model has 2 outputs and compile named 2 losses; got 1 targets/);
    await expect(m.fit([xa, xbHalf], [yc, yr], { verbose: 0 })).rejects.toThrow(/asgrad\.fit: every x and y must have the same number of samples/);
    dispose([...r, xa, xb, yc, yr, yc3, xbHalf]);
    m.dispose();
  });

  it('save and loadModel keep the per-output losses and weights', async () => {
    const m = twoByTwo();
    m.compile({ optimizer: 'adam', loss: ['sparseCategoricalCrossentropy', 'meanSquaredError'], lossWeights: [2, 1] });
    await m.save(join(root, 'multi'));
    const back = await loadModel(join(root, 'multi')) as Functional;
    expect(back.compiled?.config.loss).toEqual(['sparseCategoricalCrossentropy', 'meanSquaredError']);
    expect(back.compiled?.outputs?.map((o) => [o.name, o.weight])).toEqual([['cls', 2], ['reg', 1]]);
    m.dispose(); back.dispose();
  });
});
