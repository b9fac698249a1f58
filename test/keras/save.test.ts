// model.save(dir) / loadModel(dir): bit-exact round trips (batchNormalization moving statistics,
// regularizers, frozen layers, the compile config incl. optimizer instances) and clear errors for
// truncated or corrupted files.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispose, Functional, input, layers, loadModel, manualSeed, model, optim, regularizers, sequential, tensor, tidy, type LayersModel, type SymbolicTensor, type Tensor } from '../../src/index';

let root = '';
beforeAll(async () => { root = await mkdtemp(join(tmpdir(), 'asgrad-keras-')); });
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

let n = 0;
const freshDir = () => join(root, `m${n++}`);

function sameBits(a: Tensor, b: Tensor): boolean {
  const u = new Uint32Array(a.data().buffer), v = new Uint32Array(b.data().buffer);
  return a.shape.join() === b.shape.join() && u.length === v.length && u.every((w, i) => w === v[i]);
}

async function trainedBnModel(): Promise<{ m: LayersModel; x: Tensor; y: Tensor }> {
  manualSeed(9);
  const m = sequential({
    layers: [
      layers.dense({ units: 8, activation: 'relu', inputShape: [3], kernelRegularizer: regularizers.l2({ l2: 0.01 }) }),
      layers.batchNormalization({ momentum: 0.8 }),
      layers.dropout({ rate: 0.2 }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = tidy(() => tensor(Array.from({ length: 60 }, (_, i) => Math.cos(i * 1.3) * 3)).reshape([20, 3]));
  const y = tidy(() => x.sum(1).gt(0).int());
  await m.fit(x, y, { epochs: 3, batchSize: 5, verbose: 0 });
  return { m, x, y };
}

describe('save and load', () => {
  it('round-trips a trained batchNormalization model bit for bit, with its compile config', async () => {
    const { m, x, y } = await trainedBnModel();
    const dir = freshDir();
    const paths = await m.save(dir);
    expect(paths.modelJson).toBe(join(dir, 'model.json'));
    const json = JSON.parse(await readFile(paths.modelJson, 'utf8'));
    expect(json.trainingConfig).toEqual({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    expect(json.modelTopology.config.layers.map((l: { className: string }) => l.className)).toEqual(['Dense', 'BatchNormalization', 'Dropout', 'Dense']);

    const back = await loadModel(dir);
    expect(back.name).toBe(m.name);
    expect(back.layers.map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
    const wa = m.getWeights(), wb = back.getWeights();
    expect(wb.length).toBe(8);
    wa.forEach((w, i) => expect(sameBits(w, wb[i])).toBe(true));
    // the moving statistics moved away from their initial 0 / 1 and came back intact
    const bn = back.layers[1] as InstanceType<typeof layers.BatchNormalization>;
    expect(Array.from(bn.movingMean!.data()).some((v) => v !== 0)).toBe(true);
    const pa = m.predict(x), pb = back.predict(x);
    expect(sameBits(pa, pb)).toBe(true);
    // compiled again from the config: evaluate works and agrees; regularizer survived
    expect(back.compiled!.lossName).toBe('sparseCategoricalCrossentropy');
    expect(back.compiled!.metrics.map(([k]) => k)).toEqual(['acc']);
    const ea = m.evaluate(x, y) as Tensor[], eb = back.evaluate(x, y) as Tensor[];
    expect(eb.map((t) => t.item())).toEqual(ea.map((t) => t.item()));
    const ra = m.regularizationLoss()!, rb = back.regularizationLoss()!;
    expect(rb.item()).toBe(ra.item());
    await back.fit(x, y, { epochs: 1, verbose: 0 });
    [pa, pb, ...ea, ...eb, ra, rb, x, y].forEach((t) => t.dispose());
    m.dispose(); back.dispose();
  });

  it('round-trips a trained layerNormalization model (gamma, beta, epsilon, center / scale)', async () => {
    manualSeed(4);
    const m = sequential({ layers: [
      layers.dense({ units: 6, inputShape: [3] }), layers.layerNormalization({ epsilon: 1e-2 }),
      layers.layerNormalization({ center: false }), layers.dense({ units: 2, activation: 'softmax' })] });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = tidy(() => tensor(Array.from({ length: 30 }, (_, i) => Math.sin(i * 0.7) * 2)).reshape([10, 3]));
    const y = tidy(() => x.sum(1).gt(0).int());
    await m.fit(x, y, { epochs: 2, batchSize: 5, verbose: 0 });
    expect(m.getWeights().map((w) => w.shape)).toEqual([[3, 6], [6], [6], [6], [6], [6, 2], [2]]); // 2nd norm: gamma only
    const dir = freshDir();
    await m.save(dir);
    const back = await loadModel(dir);
    const bits = (mm: LayersModel) => mm.getWeights().map((w) => Array.from(new Uint32Array(w.data().buffer)).join());
    expect(bits(back)).toEqual(bits(m));
    const p1 = m.predict(x), p2 = back.predict(x);
    expect(Array.from(p2.data())).toEqual(Array.from(p1.data()));
    expect((back.layers[1].getConfig() as { epsilon: number }).epsilon).toBe(0.01);
    dispose([p1, p2, x, y]); m.dispose(); back.dispose();
  });

  it('keeps an optimizer instance config, frozen layers and an uncompiled model', async () => {
    manualSeed(2);
    const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [2], trainable: false }), layers.dense({ units: 1, activation: 'sigmoid' })] });
    const opt = new optim.SGD(undefined, { lr: 0.05, momentum: 0.9 });
    m.compile({ optimizer: opt, loss: 'binaryCrossentropy' });
    const dir = freshDir();
    await m.save(`file://${dir}`);
    const back = await loadModel(dir);
    const o = back.compiled!.optimizer;
    expect(o).toBeInstanceOf(optim.SGD);
    expect(o.defaults).toMatchObject({ lr: 0.05, momentum: 0.9 });
    expect(back.layers[0].trainable).toBe(false);
    expect(o.params()).toEqual(back.layers[1].parameters());
    back.dispose();

    const plain = sequential({ layers: [layers.dense({ units: 2, inputShape: [2] })] });
    const dir2 = freshDir();
    await plain.save(dir2);
    const back2 = await loadModel(dir2);
    expect(back2.compiled).toBe(null);
    plain.dispose(); back2.dispose(); m.dispose(); opt.dispose();
  });

  it('a truncated or corrupted weights.safetensors gives a clear error and leaks nothing', async () => {
    const m = sequential({ layers: [layers.dense({ units: 4, inputShape: [3] }), layers.dense({ units: 2 })] });
    const dir = freshDir();
    const { weights } = await m.save(dir);
    const bytes = await readFile(weights);
    await writeFile(weights, bytes.subarray(0, bytes.length - 10));
    await expect(loadModel(dir)).rejects.toThrow(/weights\.safetensors is not a valid weights file: .*/);
    await writeFile(weights, bytes.subarray(0, 5));
    await expect(loadModel(dir)).rejects.toThrow(/not a valid weights file: .*truncated/);
    const garbled = Uint8Array.from(bytes);
    garbled.fill(0x41, 8, 40);
    await writeFile(weights, garbled);
    await expect(loadModel(dir)).rejects.toThrow(/not a valid weights file/);
    await rm(weights);
    await expect(loadModel(dir)).rejects.toThrow(/cannot read the weights file .*weights\.safetensors/);
    m.dispose();
  });

  it('a corrupted or foreign model.json, or weights of the wrong shapes, give clear errors', async () => {
    const m = sequential({ layers: [layers.dense({ units: 4, inputShape: [3] })] });
    const dir = freshDir();
    const { modelJson } = await m.save(dir);
    const text = await readFile(modelJson, 'utf8');
    await writeFile(modelJson, text.slice(0, text.length / 2));
    await expect(loadModel(dir)).rejects.toThrow(/model\.json is not valid JSON \(truncated or corrupted\?\)/);
    await writeFile(modelJson, JSON.stringify({ format: 'layers-model', modelTopology: {} }));
    await expect(loadModel(dir)).rejects.toThrow(/is not an asgrad-layers-model file with a Sequential or Functional topology/);
    const json = JSON.parse(text);
    json.modelTopology.config.layers[0].config.units = 5;
    await writeFile(modelJson, JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(/size mismatch for .*kernel/);
    json.modelTopology.config.layers[0].className = 'Conv9d';
    await writeFile(modelJson, JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(/unknown layer class 'Conv9d'/);
    await expect(loadModel(join(root, 'missing'))).rejects.toThrow(/cannot read the model file/);
    await expect(loadModel('indexeddb://x')).rejects.toThrow(/not supported/);
    m.dispose();
  });
});

describe('functional models', () => {
  it('round-trip through save and loadModel: same graph, weights bit for bit, compile config, nested models', async () => {
    manualSeed(11);
    const x = input({ shape: [4], name: 'features' });
    const shared = layers.dense({ units: 6, activation: 'tanh', name: 'shared' });
    const left = shared.apply(x) as SymbolicTensor;
    const inner = sequential({ name: 'inner', layers: [layers.dense({ units: 5, activation: 'relu', inputShape: [6] }), layers.batchNormalization({})] });
    const right = inner.apply(shared.apply(layers.dense({ units: 4, name: 'pre' }).apply(x) as SymbolicTensor) as SymbolicTensor) as SymbolicTensor;
    const out = layers.dense({ units: 3, activation: 'softmax', name: 'head' }).apply(layers.concatenate({}).apply([left, right]) as SymbolicTensor) as SymbolicTensor;
    const m = model({ inputs: x, outputs: out, name: 'two_paths' });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const data = tidy(() => tensor(Array.from({ length: 48 }, (_, i) => Math.sin(i * 0.7) * 2)).reshape([12, 4]));
    const labels = tidy(() => data.sum(1).gt(0).int().add(data.narrow(1, 0, 1).squeeze(1).gt(1).int()));
    await m.fit(data, labels, { epochs: 2, batchSize: 4, verbose: 0 });
    const dir = freshDir();
    await m.save(dir);
    const back = await loadModel(dir) as Functional;
    expect(back).toBeInstanceOf(Functional);
    expect(back.name).toBe('two_paths');
    expect(back.layers.map((l) => l.layerName)).toEqual(m.layers.map((l) => l.layerName));
    const [p, q] = [m.predict(data) as Tensor, back.predict(data) as Tensor];
    expect(sameBits(p, q)).toBe(true);
    expect(back.compiled?.config.loss).toBe('sparseCategoricalCrossentropy');
    await back.fit(data, labels, { epochs: 1, batchSize: 4, verbose: 0 }); // trains on after loading
    dispose([p, q, data, labels]);
    m.dispose(); back.dispose();
  });

  it('two inputs and two outputs', async () => {
    manualSeed(12);
    const a = input({ shape: [3], name: 'a' }), b = input({ shape: [2], name: 'b' });
    const h = layers.dense({ units: 4, activation: 'relu' }).apply(layers.concatenate({}).apply([a, b]) as SymbolicTensor) as SymbolicTensor;
    const o1 = layers.dense({ units: 2 }).apply(h) as SymbolicTensor, o2 = layers.dense({ units: 1 }).apply(h) as SymbolicTensor;
    const m = model({ inputs: [a, b], outputs: [o1, o2] });
    const dir = freshDir();
    await m.save(dir);
    const back = await loadModel(dir) as Functional;
    const xa = tensor([[1, 2, 3], [-1, 0, 1]]), xb = tensor([[0.5, -0.5], [2, 1]]);
    const [ys, zs] = [m.predict([xa, xb]) as Tensor[], back.predict([xa, xb]) as Tensor[]];
    expect(ys.length).toBe(2);
    ys.forEach((y, i) => expect(sameBits(y, zs[i])).toBe(true));
    dispose([...ys, ...zs, xa, xb]);
    m.dispose(); back.dispose();
  });
});
