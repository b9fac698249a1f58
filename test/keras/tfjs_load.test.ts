// loadLayersModel on Sequential models built and saved by tfjs-layers 4.22 (cpu backend): the
// same outputs within 1e-5 relative, from in-memory artifacts, a Node directory with several shards
// and groups, file:// and http:// URLs; quantized weights; fine-tuning; clear errors.
import { createServer } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLayersModel, noGrad, optim, tidy, type Tensor } from '../../src/index';
import { Sequential } from '../../src/keras/sequential';
import { Functional } from '../../src/keras/tfjs/functional';
import { artifactsOf, both, expectClose, quantize, randomizeWeights, tf, tfl, tfPredict, tfReady } from './tfjs_helpers';

let root = '';
beforeAll(async () => {
  await tfReady();
  root = await mkdtemp(join(tmpdir(), 'asgrad-tfjs-'));
});
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

/** Loads `artifacts` (or `source`), predicts x with both and compares; disposes everything of ours. */
async function expectSame(ref: tfl.LayersModel, xShape: number[], source: Parameters<typeof loadLayersModel>[0], opts: { int?: boolean; hi?: number; seed?: number } = {}): Promise<Sequential | Functional> {
  const [fx, gx] = both([3, ...xShape], opts.seed ?? 7, opts.int ? { int: true, lo: 0, hi: opts.hi } : {});
  const model = await loadLayersModel(source);
  const want = tfPredict(ref, fx);
  const got = model.predict(gx, { batchSize: 2 }) as Tensor;
  try {
    expectClose(got, want[0]);
  } finally {
    got.dispose(); gx.dispose(); tf.dispose([fx, ...want]); model.dispose();
  }
  return model;
}

const mlp = () => tfl.sequential({
  layers: [
    tfl.layers.dense({ units: 8, activation: 'relu', inputShape: [5] }),
    tfl.layers.dense({ units: 7, activation: 'hardSigmoid' }),
    tfl.layers.dense({ units: 6, activation: 'selu', useBias: false }),
    tfl.layers.activation({ activation: 'relu6' }),
    tfl.layers.dropout({ rate: 0.3 }),
    tfl.layers.dense({ units: 6, activation: 'softsign' }),
    tfl.layers.dense({ units: 5, activation: 'elu' }),
    tfl.layers.dense({ units: 5, activation: 'swish' }),
    tfl.layers.dense({ units: 4, activation: 'tanh' }),
    tfl.layers.dense({ units: 3, activation: 'softmax' }),
  ],
});

const convnet = () => tfl.sequential({
  layers: [
    tfl.layers.zeroPadding2d({ padding: [[1, 0], [2, 1]], inputShape: [9, 8, 3] }),
    tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
    tfl.layers.batchNormalization(),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.conv2d({ filters: 5, kernelSize: [2, 3], strides: 2, padding: 'same' }),
    tfl.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 3, activation: 'softmax' }),
  ],
});

const depthwise = () => tfl.sequential({
  layers: [
    tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2, inputShape: [8, 8, 3], activation: 'relu' }),
    tfl.layers.conv2d({ filters: 4, kernelSize: 1 }),
    tfl.layers.batchNormalization({ epsilon: 1e-2 }),
    tfl.layers.globalAveragePooling2d({}),
    tfl.layers.layerNormalization(),
    tfl.layers.dense({ units: 2 }),
  ],
});

const embedLstm = () => tfl.sequential({
  layers: [
    tfl.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 5 }),
    // tfjs-layers' default orthogonal initializer needs chained ops tfjs-core alone lacks.
    tfl.layers.lstm({ units: 6, returnSequences: true, recurrentInitializer: 'glorotUniform' }),
    tfl.layers.lstm({ units: 3, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' }),
    tfl.layers.dense({ units: 2 }),
  ],
});

const grus = () => tfl.sequential({
  layers: [
    tfl.layers.gru({ units: 4, returnSequences: true, inputShape: [5, 3], recurrentInitializer: 'glorotUniform' }),
    tfl.layers.gru({ units: 4, returnSequences: true, goBackwards: true, recurrentInitializer: 'glorotUniform' }),
    tfl.layers.simpleRNN({ units: 3, recurrentInitializer: 'glorotUniform' }),
    tfl.layers.dense({ units: 2, activation: 'sigmoid' }),
  ],
});

const cases: [string, () => tfl.Sequential, number[], { int?: boolean; hi?: number }][] = [
  ['a dense MLP with Keras-named activations', mlp, [5], {}],
  ['zeroPadding2d + conv2d + batchNormalization + pooling + flatten + dense', convnet, [9, 8, 3], {}],
  ['depthwiseConv2d + globalAveragePooling2d + layerNormalization', depthwise, [8, 8, 3], {}],
  ['embedding + lstm (int indices)', embedLstm, [5], { int: true, hi: 10 }],
  ['gru (forwards and backwards) + simpleRNN', grus, [5, 3], {}],
];

describe('loadLayersModel: Sequential models saved by tfjs-layers', () => {
  for (const [what, make, xShape, opts] of cases) {
    it(`${what}: same predictions from in-memory artifacts`, async () => {
      const ref = make();
      randomizeWeights(ref);
      const a = await artifactsOf(ref);
      const m = await expectSame(ref, xShape, a, opts);
      expect(m).toBeInstanceOf(Sequential);
      ref.dispose();
    });
  }

  it('keeps names and weights: getLayer, stateDict keys, values equal to tfjs getWeights', async () => {
    const ref = convnet();
    randomizeWeights(ref, 5);
    const m = await loadLayersModel(await artifactsOf(ref)) as Sequential;
    expect(m.layers.map((l) => l.layerName)).toEqual(ref.layers.map((l) => l.name));
    const bn = m.getLayer(ref.layers[2].name);
    const refBn = ref.layers[2].getWeights();
    expect(Array.from(bn.stateDict().movingVariance.data())).toEqual(Array.from(refBn[3].dataSync()));
    expect(Array.from(bn.stateDict().gamma.data())).toEqual(Array.from(refBn[0].dataSync()));
    m.dispose(); ref.dispose();
  });

  it("reads Keras' own layouts: model_config wrapper, a layer list as config, a leading InputLayer, TF 2 cell weight names", async () => {
    const ref = embedLstm();
    randomizeWeights(ref, 21);
    const a = await artifactsOf(ref);
    const topo = JSON.parse(JSON.stringify(a.modelTopology)) as { config: { name: string; layers: { class_name: string; config: Record<string, unknown> }[] } };
    const first = topo.config.layers[0].config;
    const input = { class_name: 'InputLayer', config: { batch_input_shape: first.batch_input_shape, dtype: 'int32', sparse: false, name: 'ids' } };
    delete first.batch_input_shape;
    const keras = { keras_version: '2.2.4', backend: 'tensorflow', model_config: { class_name: 'Sequential', config: [input, ...topo.config.layers] } };
    const specs = a.weightSpecs!.map((w) => ({ ...w, name: w.name.replace(/^(lstm_\w+)\/(\w+)$/, '$1/lstm_cell/$2:0') }));
    expect(specs.filter((w) => w.name.includes('/lstm_cell/')).length).toBe(6);
    await expectSame(ref, [5], { ...a, modelTopology: keras, weightSpecs: specs }, { int: true, hi: 10 });
    ref.dispose();
  });

  it('reads a Node directory with several shards in two groups, its model.json, and file:// URLs', async () => {
    const ref = convnet();
    randomizeWeights(ref, 3);
    const a = await artifactsOf(ref);
    const bytes = new Uint8Array(a.weightData as ArrayBuffer);
    const specs = a.weightSpecs!;
    // Group 1: the first 4 weights, group 2 the rest; shards cut at arbitrary byte offsets (as the converter's shard size).
    const split = specs.slice(0, 4).reduce((n, s) => n + 4 * s.shape.reduce((x, y) => x * y, 1), 0);
    const cut = (b: Uint8Array, size: number) => Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size));
    const g1 = cut(bytes.subarray(0, split), 101), g2 = cut(bytes.subarray(split), 257);
    expect(g1.length + g2.length).toBeGreaterThan(3);
    const dir = join(root, 'sharded');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    const names = (g: number, parts: Uint8Array[]) => parts.map((_, i) => `group${g}-shard${i + 1}of${parts.length}`);
    for (const [g, parts] of [[1, g1], [2, g2]] as const) {
      for (const [i, n] of names(g, parts).entries()) await writeFile(join(dir, n), parts[i]);
    }
    const json = { format: 'layers-model', generatedBy: a.generatedBy, convertedBy: null, modelTopology: a.modelTopology,
      weightsManifest: [{ paths: names(1, g1), weights: specs.slice(0, 4) }, { paths: names(2, g2), weights: specs.slice(4) }] };
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    await expectSame(ref, [9, 8, 3], dir);
    await expectSame(ref, [9, 8, 3], join(dir, 'model.json'));
    await expectSame(ref, [9, 8, 3], pathToFileURL(join(dir, 'model.json')).href);
    ref.dispose();
  });

  it('fetches model.json and its shards over http, shard paths relative to model.json', async () => {
    const ref = mlp();
    randomizeWeights(ref, 11);
    const a = await artifactsOf(ref);
    const bytes = new Uint8Array(a.weightData as ArrayBuffer);
    const half = Math.floor(bytes.length / 2);
    const files: Record<string, Uint8Array | string> = {
      '/models/mlp/model.json': JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['w/shard1', 'w/shard2'], weights: a.weightSpecs }] }),
      '/models/mlp/w/shard1': bytes.subarray(0, half), '/models/mlp/w/shard2': bytes.subarray(half),
    };
    const requested: string[] = [];
    const server = createServer((req, res) => {
      const path = new URL(req.url!, 'http://x').pathname;
      requested.push(req.url!);
      const body = files[path];
      res.statusCode = body === undefined ? 404 : 200;
      res.end(body ?? 'not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as { port: number }).port;
      await expectSame(ref, [5], `http://127.0.0.1:${port}/models/mlp/model.json?v=2`);
      expect(requested).toEqual(['/models/mlp/model.json?v=2', '/models/mlp/w/shard1?v=2', '/models/mlp/w/shard2?v=2']);
      await expect(loadLayersModel(`http://127.0.0.1:${port}/models/none/model.json`)).rejects.toThrow(/HTTP 404/);
    } finally {
      server.close();
      ref.dispose();
    }
  });

  for (const q of ['uint8', 'uint16', 'float16'] as const) {
    it(`dequantizes ${q} weights as tfjs does`, async () => {
      const ref = convnet();
      randomizeWeights(ref, 13);
      const qa = quantize(await artifactsOf(ref), q);
      // The reference is tfjs loading the same quantized artifacts.
      const qref = await tfl.loadLayersModel(tf.io.fromMemory(qa as unknown as tf.io.ModelArtifacts));
      await expectSame(qref, [9, 8, 3], qa);
      // The same through a tf.io IOHandler (an object with load()).
      if (q === 'uint8') await expectSame(qref, [9, 8, 3], tf.io.fromMemory(qa as unknown as tf.io.ModelArtifacts) as never);
      ref.dispose(); qref.dispose();
    });
  }

  it('fine-tunes: every loaded parameter gets a gradient and SGD lowers the loss', async () => {
    const ref = convnet();
    randomizeWeights(ref, 17);
    const m = await loadLayersModel(await artifactsOf(ref)) as Sequential;
    ref.dispose();
    const [tx, x] = both([4, 9, 8, 3], 23);
    tx.dispose();
    const opt = new optim.SGD(m.parameters(), { lr: 0.05 });
    const lossOf = () => tidy(() => m.forward(x).sub(0.25).square().mean());
    m.train();
    const l0 = lossOf();
    l0.backward();
    const params = m.parameters();
    expect(params.length).toBe(8);
    for (const p of params) expect(p.grad !== null && tidy(() => p.grad!.abs().sum().item()) > 0, p.name ?? '').toBe(true);
    opt.step();
    m.zeroGrad();
    const l1 = noGrad(lossOf);
    expect(l1.item()).toBeLessThan(l0.item());
    for (const t of [l0, l1, x]) t.dispose();
    opt.dispose();
    m.dispose();
  });
});
