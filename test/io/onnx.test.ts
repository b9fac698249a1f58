// exportOnnx on Keras-style models: every supported layer kind (odd sizes, strides, 'same'
// padding, both data formats), an MLP and LeNet-5, run in onnxruntime-node and compared with
// model.predict; the file's own fields (a small protobuf reader); the protobuf writer; errors.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { exportOnnx, layers, randn, sequential, tidy } from '../../src/index';
import type { Layer } from '../../src/keras/layers';
import { cat, float, floats, int, ints, str as strField } from '../../src/io/onnx/protobuf';
import { checkExport, get, msg, readFields, str } from './onnx_helpers';

/** Builds sequential(ls), checks its export against predict on a random batch, disposes it. */
async function keras(ls: Layer[], inShape: number[], batch = 3): Promise<Uint8Array> {
  const m = sequential({ layers: ls });
  try {
    return await checkExport(m, inShape, (x) => m.predict(x), {}, batch);
  } finally {
    m.dispose();
  }
}

const bias = { biasInitializer: 'randomNormal' as const };

describe('exportOnnx (Keras-style models) against onnxruntime-node', () => {
  it('dense with every activation, with and without bias, and the activation layer', async () => {
    for (const activation of ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'logSoftmax', 'elu', 'softplus', 'gelu', 'selu', 'swish'] as const) {
      await keras([layers.dense({ units: 5, activation, inputShape: [7], kernelInitializer: 'randomNormal', ...bias })], [7]);
      await keras([layers.dense({ units: 6, inputShape: [7], useBias: false }), layers.activation({ activation })], [7]);
    }
  });

  it('dense on a 3-D input (MatMul + Add) and dropout (left out)', async () => {
    await keras([layers.dense({ units: 5, inputShape: [4, 6], ...bias }), layers.dropout({ rate: 0.5 }), layers.dense({ units: 3, activation: 'softmax' })], [4, 6]);
  });

  it('conv2d channelsLast: 3 channels, 7x9 images, same/valid padding, strides 2, dilation, non-square kernels, then flatten + dense', async () => {
    const cases = [
      { filters: 4, kernelSize: 3, padding: 'same' as const, strides: 2 },
      { filters: 5, kernelSize: [2, 3], padding: 'valid' as const, strides: [2, 1] },
      { filters: 2, kernelSize: 3, padding: 'same' as const, dilationRate: 2 },
      { filters: 3, kernelSize: [4, 2], padding: 'same' as const, strides: [1, 2], useBias: false },
    ];
    for (const c of cases) {
      await keras([layers.conv2d({ ...c, activation: 'relu', inputShape: [7, 9, 3], ...bias }), layers.flatten(), layers.dense({ units: 4, ...bias })], [7, 9, 3]);
    }
  });

  it('conv2d channelsFirst, and softmax over the channels of a channelsLast conv output', async () => {
    await keras([layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', strides: 2, dataFormat: 'channelsFirst', inputShape: [3, 7, 9], ...bias }),
      layers.activation({ activation: 'softmax' }), layers.flatten(), layers.dense({ units: 2 })], [3, 7, 9]);
    // Keras' softmax axis -1 is the channels: axis 1 of the NCHW-held tensor.
    await keras([layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [7, 9, 3] }), layers.activation({ activation: 'softmax' }),
      layers.conv2d({ filters: 2, kernelSize: 2 })], [7, 9, 3]);
  });

  it('maxPooling2d and averagePooling2d: valid and same (odd sizes), strides, both formats', async () => {
    for (const dataFormat of ['channelsLast', 'channelsFirst'] as const) {
      const inShape = dataFormat === 'channelsLast' ? [7, 9, 3] : [3, 7, 9];
      for (const pool of [layers.maxPooling2d, layers.averagePooling2d]) {
        await keras([pool({ poolSize: 3, strides: 2, padding: 'same', dataFormat, inputShape: inShape })], inShape);
        await keras([pool({ poolSize: [2, 3], padding: 'valid', dataFormat, inputShape: inShape }), layers.flatten()], inShape);
        await keras([pool({ poolSize: 2, strides: 1, padding: 'same', dataFormat, inputShape: inShape })], inShape);
      }
    }
  });

  it('depthwiseConv2d, zeroPadding2d, globalAveragePooling2d and batchNormalization (moving statistics)', async () => {
    await keras([layers.zeroPadding2d({ padding: [[1, 2], [0, 3]], inputShape: [7, 9, 3] }),
      layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', ...bias }),
      layers.batchNormalization(), layers.globalAveragePooling2d(), layers.dense({ units: 2 })], [7, 9, 3]);
    const m = sequential({ layers: [layers.dense({ units: 5, inputShape: [4] }), layers.batchNormalization({ epsilon: 0.01 })] });
    try {
      tidy(() => m.setWeights(m.getWeights().map((w) => (w.shape.length === 1 ? randn([...w.shape]).abs().add(0.5) : randn([...w.shape])))));
      await checkExport(m, [4], (x) => m.predict(x));
    } finally {
      m.dispose();
    }
    // BatchNorm on an NCHW-held tensor (after a channelsLast conv): per-channel [C, 1, 1] constants.
    const c = sequential({ layers: [layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [5, 6, 2] }), layers.batchNormalization(), layers.flatten()] });
    try {
      tidy(() => c.setWeights(c.getWeights().map((w) => (w.shape.length === 1 ? randn([...w.shape]).abs().add(0.5) : randn([...w.shape])))));
      await checkExport(c, [5, 6, 2], (x) => c.predict(x));
    } finally {
      c.dispose();
    }
  });

  it('the MNIST MLP (784-128-10) and LeNet-5 at batch 1 and 5', async () => {
    for (const batch of [1, 5]) {
      await keras([layers.dense({ units: 128, activation: 'relu', inputShape: [784], ...bias }), layers.dense({ units: 10, activation: 'softmax' })], [784], batch);
      await keras([
        layers.conv2d({ filters: 6, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1], ...bias }),
        layers.maxPooling2d({ poolSize: 2 }),
        layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
        layers.maxPooling2d({ poolSize: 2 }),
        layers.flatten(),
        layers.dense({ units: 120, activation: 'relu' }),
        layers.dense({ units: 84, activation: 'relu' }),
        layers.dense({ units: 10, activation: 'softmax' }),
      ], [28, 28, 1], batch);
    }
  });

  it('the file: ir_version, producer, opset, graph input/output with the dynamic batch dim N; opsets 17 and 21 (IR 8, 10) load', async () => {
    const m = sequential({ layers: [layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 6, 1] }), layers.flatten(), layers.dense({ units: 3 })] });
    try {
      const model = readFields(exportOnnx(m));
      expect(get(model, 1)).toEqual([7]);
      expect(str(get(model, 2)[0])).toBe('asgrad');
      const opset = msg(get(model, 8)[0]);
      expect(str(get(opset, 1)[0])).toBe('');
      expect(get(opset, 2)).toEqual([13]);
      const graph = msg(get(model, 7)[0]);
      const io = (n: number) => get(graph, n).map((v) => {
        const vi = msg(v);
        const shape = msg(get(msg(get(msg(get(vi, 2)[0]), 1)[0]), 2)[0]);
        const dims = get(shape, 1).map((d) => { const f = msg(d)[0]; return f.n === 1 ? f.v : str(f.v); });
        return { name: str(get(vi, 1)[0]), elemType: get(msg(get(msg(get(vi, 2)[0]), 1)[0]), 1)[0], dims };
      });
      expect(io(11)).toEqual([{ name: 'input', elemType: 1, dims: ['N', 5, 6, 1] }]);
      expect(io(12)).toEqual([{ name: 'output', elemType: 1, dims: ['N', 3] }]);
      const ops = get(graph, 1).map((n) => str(get(msg(n), 4)[0]));
      expect(ops).toEqual(['Transpose', 'Conv', 'Transpose', 'Flatten', 'Gemm']);
      // Initializers: conv kernel as [out, in, kh, kw], bias, dense kernel [in, out], bias; float32, packed float_data.
      const inits = get(graph, 5).map((t) => { const f = msg(t); return { name: str(get(f, 8)[0]), type: get(f, 2)[0], n: (get(f, 4)[0] as Uint8Array).length / 4 }; });
      expect(inits.map((t) => [t.type, t.n])).toEqual([[1, 18], [1, 2], [1, 72], [1, 3]]);
      for (const [opsetVersion, ir] of [[17, 8], [21, 10]]) {
        const bytes = exportOnnx(m, { opset: opsetVersion });
        expect(get(readFields(bytes), 1)).toEqual([ir]);
        expect(get(msg(get(readFields(bytes), 8)[0]), 2)).toEqual([opsetVersion]);
        const s = await ort.InferenceSession.create(bytes);
        expect(s.inputNames).toEqual(['input']);
        expect(s.outputNames).toEqual(['output']);
        await s.release();
      }
    } finally {
      m.dispose();
    }
  });

  it('errors: an unsupported layer names its class and the supported ones; bad opset; unbuilt layer', () => {
    const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [4, 2] }), layers.lstm({ units: 2 })] });
    try {
      expect(() => exportOnnx(m)).toThrow(/exportOnnx.*layer 'lstm(_\d+)?' \(LSTM\) has no ONNX conversion; supported layers: Dense, Conv2D, .*BatchNormalization/);
      expect(() => exportOnnx(m, { opset: 9 })).toThrow(/opset must be an integer from 13 to 21, got 9/);
    } finally {
      m.dispose();
    }
    const lone = layers.dense({ units: 3 });
    expect(() => exportOnnx(lone, { inputShape: [4] })).toThrow(/layer 'dense(_\d+)?' has no weights yet/);
    lone.dispose();
  });
});

describe('protobuf writer', () => {
  it('varints (multi-byte and negative int64), fixed32 floats, strings, packed repeats', () => {
    const w = cat([int(1, 300), int(2, -1), float(3, 1.5), strField(4, 'hé'), ints(5, [1, 128]), floats(6, new Float32Array([2]))]);
    expect([...w]).toEqual([
      0x08, 0xac, 0x02,
      0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
      0x1d, 0x00, 0x00, 0xc0, 0x3f,
      0x22, 0x03, 0x68, 0xc3, 0xa9,
      0x2a, 0x03, 0x01, 0x80, 0x01,
      0x32, 0x04, 0x00, 0x00, 0x00, 0x40,
    ]);
    expect(readFields(int(1, 2 ** 40 + 5))).toEqual([{ n: 1, wire: 0, v: 2 ** 40 + 5 }]);
  });
});
