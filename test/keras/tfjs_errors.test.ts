// loadLayersModel's weight decoding against tfjs-core's own decodeWeights (bit for bit, quantized
// included), and its errors: unknown classes, unsupported config values, missing / unused /
// mis-shaped weights, truncated or oversized data. Failed loads leave no tensor alive.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLayersModel } from '../../src/index';
import { decodeWeights, float16ToFloat32, type WeightSpec } from '../../src/keras/tfjs/weights';
import type { LayersModelArtifacts } from '../../src/keras/tfjs/load';
import { artifactsOf, lcg, tf, tfl, tfReady, toHalf } from './tfjs_helpers';

beforeAll(tfReady);

describe('decodeWeights', () => {
  it('matches tf.io.decodeWeights bit for bit: float32, int32, bool, uint8 / uint16 (float and int32) and float16', () => {
    const f = lcg(12, 1, -3, 3);
    const specs: WeightSpec[] = [
      { name: 'a/kernel', shape: [3, 4], dtype: 'float32' },
      { name: 'b/idx', shape: [5], dtype: 'int32' },
      { name: 'c/mask', shape: [3], dtype: 'bool' },
      { name: 'd/kernel', shape: [2, 3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.0123, min: -1.7 } },
      { name: 'e/kernel', shape: [5], dtype: 'float32', quantization: { dtype: 'uint16', scale: 3.1e-5, min: -0.9 } },
      { name: 'f/idx', shape: [4], dtype: 'int32', quantization: { dtype: 'uint8', scale: 0.5, min: -3 } },
      { name: 'g/kernel', shape: [8], dtype: 'float32', quantization: { dtype: 'float16' } },
    ];
    const half = [0, 0x8000, 0x3c00, 0xc000, 0x0001, 0x03ff, 0x7bff, 0x7c00].map((h, i) => (i < 4 ? toHalf([0, -0, 1, -2][i]) : h));
    const parts = [
      new Uint8Array(f.buffer), new Uint8Array(Int32Array.from([1, -2, 3, 2 ** 30, -7]).buffer), Uint8Array.from([1, 0, 1]),
      Uint8Array.from([0, 1, 17, 128, 254, 255]), new Uint8Array(Uint16Array.from([0, 1, 999, 40000, 65535]).buffer),
      Uint8Array.from([0, 3, 5, 200]), new Uint8Array(Uint16Array.from(half).buffer),
    ];
    const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => { data.set(p, at); return at + p.length; }, 0);
    // Uneven slices of one buffer, as shards are (the data is also accepted as an array).
    const ours = decodeWeights([data.slice(0, 13).buffer, data.slice(13).buffer], specs);
    const ref = tf.io.decodeWeights(data.buffer, specs as tf.io.WeightsManifestEntry[]);
    for (const w of ours) {
      const r = ref[w.name];
      expect(w.shape, w.name).toEqual(r.shape);
      expect(w.dtype, w.name).toBe(r.dtype);
      const a = w.values, b = r.dataSync();
      const bits = (v: ArrayLike<number>, t: string) => Array.from(t === 'float32' ? new Uint32Array(new Float32Array(v).buffer) : Array.from(v));
      expect(bits(a, w.dtype), w.name).toEqual(bits(b, r.dtype));
    }
    tf.dispose(Object.values(ref));
    expect(Array.from(float16ToFloat32(Uint16Array.from([0x7c00, 0xfc00, 0x0001]))).map(String)).toEqual(['Infinity', '-Infinity', String(2 ** -24)]);
    expect(Number.isNaN(float16ToFloat32(Uint16Array.from([0x7e00]))[0])).toBe(true);
  });

  it('throws naming the weight for short data, extra bytes and unsupported dtypes', () => {
    const spec: WeightSpec = { name: 'dense/kernel', shape: [2, 2], dtype: 'float32' };
    expect(() => decodeWeights(new ArrayBuffer(12), [spec])).toThrow(/weight 'dense\/kernel' \(float32 \[2, 2\]\) needs bytes 0..16: a shard is missing or truncated/);
    expect(() => decodeWeights(new ArrayBuffer(20), [spec])).toThrow(/has 20 bytes but the manifest describes 16/);
    expect(() => decodeWeights(new ArrayBuffer(8), [{ ...spec, dtype: 'string' }])).toThrow(/'dense\/kernel' has unsupported dtype "string"/);
    expect(() => decodeWeights(new ArrayBuffer(4), [{ ...spec, quantization: { dtype: 'int8' as 'uint8' } }])).toThrow(/unknown quantization dtype "int8"/);
    expect(() => decodeWeights(new ArrayBuffer(4), [{ ...spec, quantization: { dtype: 'uint8' } }])).toThrow(/lacks numeric min and scale/);
    expect(() => decodeWeights(new ArrayBuffer(8), [{ ...spec, dtype: 'int32', quantization: { dtype: 'float16' } }])).toThrow(/only supports float32 weights/);
  });
});

/** A small tfjs model's artifacts, its topology as a plain object to edit. */
async function mlpArtifacts(): Promise<LayersModelArtifacts & { modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } }> {
  const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), tfl.layers.batchNormalization(), tfl.layers.dense({ units: 2 })] });
  const a = await artifactsOf(m);
  m.dispose();
  return { ...a, modelTopology: JSON.parse(JSON.stringify(a.modelTopology)) } as never;
}

describe('loadLayersModel errors', () => {
  it('names unknown layer classes and model classes', async () => {
    const a = await mlpArtifacts();
    a.modelTopology.config.layers[1].class_name = 'GroupNormalization';
    await expect(loadLayersModel(a)).rejects.toThrow(/layer 'batch_normalization_\w+' \(GroupNormalization\): unknown layer class "GroupNormalization" \(supported: Dense, /);
    await expect(loadLayersModel({ ...a, modelTopology: { class_name: 'Thing', config: {} } })).rejects.toThrow(/unsupported model class "Thing"/);
    await expect(loadLayersModel({ ...a, modelTopology: null as never })).rejects.toThrow(/expected artifacts with a modelTopology object/);
  });

  it('names the layer, key and value of config it does not honour', async () => {
    const cases: [number, Record<string, unknown>, RegExp][] = [
      [0, { activity_regularizer: { class_name: 'L1L2', config: { l1: 0.1, l2: 0 } } }, /layer 'dense_\w+' \(Dense\): config key 'activity_regularizer' = \{"class_name":"L1L2".*is not supported \(only null\)/],
      [0, { some_new_option: 3 }, /\(Dense\): config key 'some_new_option' = 3 is not supported \(asgrad honours: units, activation, use_bias, kernel_regularizer, bias_regularizer\)/],
      [0, { activation: 'exponential' }, /\(Dense\): unsupported activation "exponential"/],
      [0, { kernel_regularizer: { class_name: 'OrthogonalRegularizer', config: {} } }, /\(Dense\): unsupported kernel_regularizer .*OrthogonalRegularizer/],
      [1, { renorm: true }, /\(BatchNormalization\): config key 'renorm' = true is not supported \(only false or null\)/],
      [1, { axis: 2 }, /\(BatchNormalization\): config key 'axis' = 2 is not supported \(only the last axis: -1 or 1 for inputs of shape \[null, 4\]\)/],
      [0, { units: -2 }, /layer 'dense_\w+' \(Dense\): layers.dense: units must be a positive integer, got -2/],
    ];
    for (const [i, patch, re] of cases) {
      const a = await mlpArtifacts();
      Object.assign(a.modelTopology.config.layers[i].config, patch);
      await expect(loadLayersModel(a), JSON.stringify(patch)).rejects.toThrow(re);
    }
    const ok = await mlpArtifacts();
    ok.modelTopology.config.layers[1].config.axis = [1];
    ok.modelTopology.config.layers[0].config.kernel_regularizer = { class_name: 'L2', config: { l2: 0.01 } };
    (await loadLayersModel(ok)).dispose();
    const rnn = tfl.sequential({ layers: [tfl.layers.lstm({ units: 2, inputShape: [3, 2], recurrentInitializer: 'glorotUniform' })] });
    const r = await artifactsOf(rnn);
    rnn.dispose();
    (r.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config.recurrent_dropout = 0.25;
    await expect(loadLayersModel(r)).rejects.toThrow(/layer 'lstm_\w+' \(LSTM\): config key 'recurrent_dropout' = 0.25 is not supported \(only 0 or null\)/);
  });

  it('names missing, unused, duplicated and mis-shaped weights', async () => {
    const a = await mlpArtifacts();
    const specs = a.weightSpecs!;
    const bytes = new Uint8Array(a.weightData as ArrayBuffer);
    // tfjs writes the trainable weights first: the last spec is a moving variance.
    const last = specs[specs.length - 1];
    expect(last.name).toMatch(/^batch_normalization_\w+\/moving_variance$/);
    await expect(loadLayersModel({ ...a, weightSpecs: specs.slice(0, -1), weightData: bytes.slice(0, -16).buffer }))
      .rejects.toThrow(/the weights manifest has no value for batch_normalization_\w+\/moving_variance/);
    const renamed = specs.map((s, i) => (i === 0 ? { ...s, name: 'conv_9/kernel' } : s));
    await expect(loadLayersModel({ ...a, weightSpecs: renamed })).rejects.toThrow(/weight 'conv_9\/kernel' belongs to no layer of the model \(layers with weights: dense_/);
    const wrongSlot = specs.map((s, i) => (i === 0 ? { ...s, name: s.name.replace('kernel', 'gamma') } : s));
    await expect(loadLayersModel({ ...a, weightSpecs: wrongSlot })).rejects.toThrow(/weight 'dense_Dense\d+\/gamma' matches no weight of layer 'dense_Dense\d+' \(it has kernel, bias\)/);
    const transposed = specs.map((s, i) => (i === 0 ? { ...s, shape: [4, 3] } : s));
    await expect(loadLayersModel({ ...a, weightSpecs: transposed })).rejects.toThrow(/weight 'dense_Dense\d+\/kernel' has shape \[4, 3\] but layer 'dense_Dense\d+' expects kernel of shape \[3, 4\]/);
    const twice = [...specs, { ...specs[1] }];
    await expect(loadLayersModel({ ...a, weightSpecs: twice, weightData: [bytes, bytes.slice(48, 64)] })).rejects.toThrow(/weights 'dense_Dense\d+\/bias' and 'dense_Dense\d+\/bias' both map to/);
    await expect(loadLayersModel({ ...a, weightData: bytes.slice(0, 40).buffer })).rejects.toThrow(/a shard is missing or truncated/);
  });

  it('says what a graph model, an unreadable path or an unknown scheme is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'asgrad-tfjs-err-'));
    await writeFile(join(dir, 'model.json'), JSON.stringify({ format: 'graph-model', modelTopology: null, weightsManifest: [] }));
    await expect(loadLayersModel(dir)).rejects.toThrow(/model.json has no modelTopology: not a TensorFlow.js layers model \(it is a graph model/);
    await writeFile(join(dir, 'model.json'), '{"modelTopology": ');
    await expect(loadLayersModel(dir)).rejects.toThrow(/model.json is not valid JSON/);
    await rm(dir, { recursive: true, force: true });
    await expect(loadLayersModel('/nonexistent/dir/model.json')).rejects.toThrow(/cannot read the model \/nonexistent\/dir\/model.json/);
    await expect(loadLayersModel('s3://bucket/model.json')).rejects.toThrow(/the scheme of 's3:\/\/bucket\/model.json' is not supported/);
  });
});
