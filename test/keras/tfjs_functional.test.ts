// loadLayersModel on functional models built and saved by tfjs-layers 4.22 (cpu backend): branches
// merged with Add / Concatenate / Multiply / Average / Maximum / Minimum, several inputs and outputs,
// shared layers, a residual MobileNet-style block, LSTM states as outputs, Keras 3's JSON layout;
// and the advanced activation / reshape layers, predict batching, fine-tuning and memory.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLayersModel, memory, noGrad, optim, tidy, type Tensor } from '../../src/index';
import { Functional } from '../../src/keras/tfjs/functional';
import type { LayersModelArtifacts } from '../../src/keras/tfjs/load';
import { artifactsOf, both, expectClose, randomizeWeights, tf, tfl, tfPredict, tfReady } from './tfjs_helpers';

beforeAll(tfReady);

type Sym = tfl.SymbolicTensor;
const L = tfl.layers;

/** Compares every output of `ref` and of the model loaded from `source` on seeded inputs. */
async function expectSame(ref: tfl.LayersModel, inShapes: number[][], source?: LayersModelArtifacts, batch = 5): Promise<void> {
  const ins = inShapes.map((s, i) => both([batch, ...s], 31 + i));
  const model = await loadLayersModel(source ?? await artifactsOf(ref)) as Functional;
  expect(model).toBeInstanceOf(Functional);
  const want = tfPredict(ref, ins.length === 1 ? ins[0][0] : ins.map((p) => p[0]));
  const got = model.predict(ins.length === 1 ? ins[0][1] : ins.map((p) => p[1]), { batchSize: 2 });
  const gots = Array.isArray(got) ? got : [got];
  try {
    expect(gots.length).toBe(want.length);
    gots.forEach((g, i) => expectClose(g, want[i]));
  } finally {
    for (const g of gots) g.dispose();
    for (const [t, a] of ins) { t.dispose(); a.dispose(); }
    tf.dispose(want);
    model.dispose();
  }
}

function branches(): tfl.LayersModel {
  const inp = tfl.input({ shape: [6] });
  const a = L.dense({ units: 5, activation: 'relu' }).apply(inp) as Sym;
  const b = L.dense({ units: 5, activation: 'tanh' }).apply(inp) as Sym;
  const s = L.add().apply([a, b]) as Sym;
  const c = L.concatenate().apply([s, inp]) as Sym;
  const m = L.multiply().apply([a, L.dense({ units: 5 }).apply(c) as Sym]) as Sym;
  const avg = L.average().apply([m, a, b]) as Sym;
  const mx = L.maximum().apply([avg, b]) as Sym;
  const mn = L.minimum().apply([mx, a]) as Sym;
  return tfl.model({ inputs: inp, outputs: L.dense({ units: 3, activation: 'softmax' }).apply(mn) as Sym });
}

function multiIO(): tfl.LayersModel {
  const x1 = tfl.input({ shape: [4], name: 'first' }), x2 = tfl.input({ shape: [3], name: 'second' });
  const h = L.concatenate().apply([L.dense({ units: 6, activation: 'relu' }).apply(x1) as Sym, L.dense({ units: 2 }).apply(x2) as Sym]) as Sym;
  const h2 = L.dense({ units: 5, activation: 'elu' }).apply(h) as Sym;
  return tfl.model({ inputs: [x1, x2], outputs: [L.dense({ units: 3, activation: 'softmax' }).apply(h2) as Sym, L.dense({ units: 1 }).apply(h2) as Sym, h] });
}

function shared(): tfl.LayersModel {
  const x1 = tfl.input({ shape: [4] }), x2 = tfl.input({ shape: [4] });
  const d = L.dense({ units: 4, activation: 'tanh' });
  const y1 = d.apply(x1) as Sym, y2 = d.apply(x2) as Sym, y3 = d.apply(y1) as Sym;
  const out = L.dense({ units: 2 }).apply(L.add().apply([y1, y2, y3]) as Sym) as Sym;
  return tfl.model({ inputs: [x1, x2], outputs: out });
}

/** An inverted-residual block as MobileNetV2 writes it (ZeroPadding2D, ReLU max 6, DepthwiseConv2D, Add). */
function residual(): tfl.LayersModel {
  const inp = tfl.input({ shape: [9, 9, 4] });
  let x = L.zeroPadding2d({ padding: [[0, 1], [0, 1]] }).apply(inp) as Sym;
  x = L.conv2d({ filters: 8, kernelSize: 3, strides: 2, useBias: false }).apply(x) as Sym;
  x = L.batchNormalization({ epsilon: 1e-3, momentum: 0.999 }).apply(x) as Sym;
  const skip = L.reLU({ maxValue: 6 }).apply(x) as Sym;
  x = L.conv2d({ filters: 12, kernelSize: 1, useBias: false }).apply(skip) as Sym;
  x = L.batchNormalization().apply(x) as Sym;
  x = L.reLU({ maxValue: 6 }).apply(x) as Sym;
  x = L.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }).apply(x) as Sym;
  x = L.batchNormalization().apply(x) as Sym;
  x = L.reLU({ maxValue: 6 }).apply(x) as Sym;
  x = L.conv2d({ filters: 8, kernelSize: 1, useBias: false }).apply(x) as Sym;
  x = L.batchNormalization().apply(x) as Sym;
  x = L.add().apply([skip, x]) as Sym;
  x = L.globalAveragePooling2d({}).apply(x) as Sym;
  x = L.dropout({ rate: 0.5 }).apply(x) as Sym;
  return tfl.model({ inputs: inp, outputs: L.dense({ units: 3, activation: 'softmax' }).apply(x) as Sym });
}

function lstmStates(): tfl.LayersModel {
  const inp = tfl.input({ shape: [4, 3] });
  const [seq, h, c] = L.lstm({ units: 5, returnSequences: true, returnState: true, recurrentInitializer: 'glorotUniform' }).apply(inp) as Sym[];
  const g = L.gru({ units: 3, recurrentInitializer: 'glorotUniform' }).apply(seq) as Sym;
  return tfl.model({ inputs: inp, outputs: [g, L.dense({ units: 2 }).apply(L.concatenate().apply([h, c]) as Sym) as Sym] });
}

describe('loadLayersModel: functional models saved by tfjs-layers', () => {
  const cases: [string, () => tfl.LayersModel, number[][]][] = [
    ['two branches merged with add, concatenate, multiply, average, maximum, minimum', branches, [[6]]],
    ['two inputs and three outputs (one of them an inner tensor)', multiIO, [[4], [3]]],
    ['a layer shared by three calls (two inputs and its own output)', shared, [[4], [4]]],
    ['a MobileNetV2-style inverted residual block', residual, [[9, 9, 4]]],
    ['an LSTM returning its states, used as outputs', lstmStates, [[4, 3]]],
  ];
  for (const [what, make, shapes] of cases) {
    it(`${what}: same predictions`, async () => {
      const ref = make();
      randomizeWeights(ref, 3);
      await expectSame(ref, shapes);
      ref.dispose();
    });
  }

  it('advanced activation and reshape layers (Sequential path)', async () => {
    const ref = tfl.sequential({
      layers: [
        L.upSampling2d({ size: [2, 1], inputShape: [3, 4, 2] }),
        L.conv2d({ filters: 3, kernelSize: 2 }),
        L.leakyReLU({ alpha: 0.2 }),
        L.globalMaxPooling2d({}),
        L.dense({ units: 6 }),
        L.elu(),
        L.reshape({ targetShape: [2, 3] }),
        L.permute({ dims: [2, 1] }),
        L.softmax({ axis: -1 }),
        L.flatten(),
        L.thresholdedReLU({ theta: 0.2 }),
        L.repeatVector({ n: 2 }),
        L.flatten(),
        L.dense({ units: 3 }),
      ],
    });
    randomizeWeights(ref, 9);
    const [tx, ax] = both([3, 3, 4, 2], 5);
    const m = await loadLayersModel(await artifactsOf(ref));
    const want = ref.predict(tx) as tf.Tensor, got = m.predict(ax) as Tensor;
    expectClose(got, want);
    got.dispose(); ax.dispose(); m.dispose(); tf.dispose([tx, want]); ref.dispose();
  });

  it('a Sequential with an unknown time dim loads as a Functional chain that takes any length', async () => {
    const ref = tfl.sequential({ layers: [L.lstm({ units: 4, inputShape: [null, 3], recurrentInitializer: 'glorotUniform' }), L.dense({ units: 2 })] });
    randomizeWeights(ref, 4);
    const m = await loadLayersModel(await artifactsOf(ref));
    expect(m).toBeInstanceOf(Functional);
    for (const T of [2, 7]) {
      const [tx, ax] = both([3, T, 3], T);
      const want = ref.predict(tx) as tf.Tensor, got = m.predict(ax) as Tensor;
      expectClose(got, want);
      got.dispose(); ax.dispose(); tf.dispose([tx, want]);
    }
    m.dispose(); ref.dispose();
  });

  it("reads Keras 3's layout: { args, kwargs } inbound nodes, batch_shape, one input ref, 'layer/index' weight names", async () => {
    const ref = shared();
    randomizeWeights(ref, 8);
    const a = await artifactsOf(ref);
    const topo = JSON.parse(JSON.stringify(a.modelTopology)) as { class_name: string; config: { layers: Record<string, unknown>[]; input_layers: unknown[] } };
    topo.class_name = 'Functional';
    const kt = (r: unknown[]) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: r.slice(0, 3) } });
    for (const l of topo.config.layers) {
      const cfg = l.config as Record<string, unknown>;
      if (l.class_name === 'InputLayer') { cfg.batch_shape = cfg.batch_input_shape; delete cfg.batch_input_shape; }
      l.inbound_nodes = (l.inbound_nodes as unknown[][][]).map((node) => ({
        args: node.length === 1 ? [kt(node[0])] : [node.map(kt)], kwargs: l.class_name === 'Dense' ? { training: false, mask: null } : {},
      }));
    }
    const specs = a.weightSpecs!.map((s) => ({ ...s, name: s.name.replace(/kernel$/, 'vars/0').replace(/bias$/, 'vars/1') }));
    await expectSame(ref, [[4], [4]], { ...a, modelTopology: topo as unknown as Record<string, unknown>, weightSpecs: specs });
    ref.dispose();
  });
});

describe('Functional as an nn Module', () => {
  it('shares weights across calls: one parameter set, gradients from every call, and SGD lowers the loss', async () => {
    const ref = shared();
    randomizeWeights(ref, 2);
    const m = await loadLayersModel(await artifactsOf(ref)) as Functional;
    ref.dispose();
    expect(m.layers.map((l) => l.className)).toEqual(['Dense', 'Add', 'Dense']);
    expect(Object.keys(m.stateDict()).length).toBe(4);
    const [t1, x1] = both([6, 4], 1), [t2, x2] = both([6, 4], 2);
    t1.dispose(); t2.dispose();
    const lossOf = () => tidy(() => (m.forward(x1, x2) as Tensor).square().mean());
    const l0 = lossOf();
    l0.backward();
    for (const p of m.parameters()) expect(p.grad !== null && tidy(() => p.grad!.abs().sum().item()) > 0).toBe(true);
    const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
    opt.step();
    m.zeroGrad();
    const l1 = noGrad(lossOf);
    expect(l1.item()).toBeLessThan(l0.item());
    for (const t of [l0, l1, x1, x2]) t.dispose();
    opt.dispose();
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); // two inputs: fit takes [x1, x2] (functional_builder.test.ts)
    expect(m.compiled?.outputs).toBeUndefined(); // one output: the single-output loss
    m.dispose();
  });

  it('forward frees intermediates: only the outputs stay alive; predict restores training mode', async () => {
    const ref = residual();
    randomizeWeights(ref, 6);
    const m = await loadLayersModel(await artifactsOf(ref)) as Functional;
    ref.dispose();
    const [tx, x] = both([2, 9, 9, 4], 3);
    tx.dispose();
    const before = memory().numTensors;
    const y = noGrad(() => m.eval().forward(x)) as Tensor;
    expect(memory().numTensors).toBe(before + 1);
    y.dispose();
    m.train();
    const p = m.predict(x) as Tensor;
    expect(m.training && m.layers.every((l) => l.training)).toBe(true);
    expect(p.shape).toEqual([2, 3]);
    const lines: string[] = [];
    m.summary((l) => lines.push(l));
    expect(lines.some((l) => l.startsWith('add_Add') && l.includes('[null, 4, 4, 8]'))).toBe(true);
    expect(lines).toContain(`Total params: ${m.countParams()}`);
    expect(m.getLayer(m.layers[1].layerName)).toBe(m.layers[1]);
    expect(() => m.getLayer('nope')).toThrow(/no layer "nope"/);
    expect(() => m.forward(x, x)).toThrow(/expected 1 input tensor/);
    for (const t of [p, x]) t.dispose();
    m.dispose();
  });

  it('compile / fit / evaluate a single-input model: the loss falls, frozen layers keep their weights', async () => {
    const ref = residual();
    randomizeWeights(ref, 12);
    const a = await artifactsOf(ref);
    ref.dispose();
    const topo = a.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    const frozen = topo.config.layers.find((l) => l.class_name === 'Conv2D')!.config;
    frozen.trainable = false;
    const m = await loadLayersModel(a) as Functional;
    const conv = m.getLayer(frozen.name as string);
    expect(conv.trainable).toBe(false);
    const before = Array.from(conv.stateDict().kernel.data());
    const [tx, x] = both([16, 9, 9, 4], 41);
    tx.dispose();
    const y = tidy(() => x.mean([1, 2]).narrow(1, 0, 3).softmax(-1));
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const e0 = m.evaluate(x, y) as Tensor[];
    const h = await m.fit(x, y, { epochs: 8, batchSize: 8, verbose: 0 });
    const e1 = m.evaluate(x, y) as Tensor[];
    expect(h.history.loss.length).toBe(8);
    expect(e1[0].item()).toBeLessThan(e0[0].item());
    expect(Array.from(conv.stateDict().kernel.data())).toEqual(before);
    for (const t of [...e0, ...e1, x, y]) t.dispose();
    m.dispose();
  });
});
