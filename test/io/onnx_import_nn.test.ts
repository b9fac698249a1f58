// importOnnx: Conv, ConvTranspose, ConvInteger, MaxPool, AveragePool, Global*Pool, BatchNormalization,
// InstanceNormalization, LayerNormalization, LRN, Resize and Upsample (ops/nn_*.ts) against ONNX's
// conformance data and PyTorch's exported modules, plus direct checks of forms, errors and gradients.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseDir, runOnnxCase } from './onnx_conformance';
import { NN_OPS } from '../../src/io/onnx/import/ops/nn';
import { ONNX_OPS } from '../../src/io/onnx/import/ops';
import { Attrs, type OpContext } from '../../src/io/onnx/import/attrs';
import { decodeModel, type AttrProto, type NodeProto } from '../../src/io/onnx/import/model_proto';
import { dataToTensor, decodeTensorProto } from '../../src/io/onnx/import/tensor_proto';
import { OnnxModule } from '../../src/io/onnx/import';
import { dispose, noGrad, tensor, tidy, type Tensor } from '../../src/index';

const each = (prefix: string, suffixes: string[]) => suffixes.map((s) => `${prefix}${s}`);

const CONV = [
  ...each('test_basic_conv_', ['with_padding', 'without_padding']),
  ...each('test_conv_with_', ['autopad_same', 'strides_and_asymmetric_padding', 'strides_no_padding', 'strides_padding']),
  ...each('test_convtranspose', ['', '_1d', '_autopad_same', '_dilations', '_kernel_shape', '_output_shape', '_pad', '_pads', '_with_kernel']),
  'test_basic_convinteger', 'test_convinteger_with_padding', 'test_convinteger_without_padding',
];
const POOL = [
  ...each('test_averagepool_', ['1d_default', '2d_ceil', '2d_default', '2d_pads', '2d_pads_count_include_pad', '2d_precomputed_pads',
    '2d_precomputed_pads_count_include_pad', '2d_precomputed_same_upper', '2d_precomputed_strides', '2d_same_lower', '2d_same_upper', '2d_strides']),
  ...each('test_maxpool_', ['1d_default', '2d_ceil', '2d_default', '2d_dilations', '2d_pads', '2d_precomputed_pads', '2d_precomputed_same_upper',
    '2d_precomputed_strides', '2d_same_lower', '2d_same_upper', '2d_strides', '2d_uint8', 'with_argmax_2d_precomputed_pads', 'with_argmax_2d_precomputed_strides']),
];
const NORM = [
  'test_batchnorm_epsilon', 'test_batchnorm_example', 'test_instancenorm_epsilon', 'test_instancenorm_example', 'test_lrn', 'test_lrn_default',
  ...each('test_layer_normalization_', ['2d_axis0', '2d_axis1', '2d_axis_negative_1', '2d_axis_negative_2',
    ...['0', '1', '2', '_negative_1', '_negative_2', '_negative_3'].map((s) => `3d_axis${s}_epsilon`),
    ...['0', '1', '2', '3', '_negative_1', '_negative_2', '_negative_3', '_negative_4'].map((s) => `4d_axis${s}`), 'default_axis']),
];
const RESIZE = [
  ...each('test_resize_downsample_', ['scales_cubic', 'scales_cubic_A_n0p5_exclude_outside', 'scales_cubic_align_corners', 'scales_linear',
    'scales_linear_align_corners', 'scales_nearest', 'sizes_cubic', 'sizes_linear_pytorch_half_pixel', 'sizes_nearest', 'sizes_nearest_tf_half_pixel_for_nn']),
  ...each('test_resize_upsample_', ['scales_cubic', 'scales_cubic_A_n0p5_exclude_outside', 'scales_cubic_align_corners', 'scales_cubic_asymmetric',
    'scales_linear', 'scales_linear_align_corners', 'scales_nearest', 'sizes_cubic', 'sizes_nearest', 'sizes_nearest_ceil_half_pixel',
    'sizes_nearest_floor_align_corners', 'sizes_nearest_round_prefer_ceil_asymmetric']),
  'test_resize_tf_crop_and_resize', 'test_upsample_nearest',
];
/** PyTorch exports (opset 6, two MaxPools at 12) whose every node is one of these ops. */
const MODELS = [
  ...each('pytorch-converted/test_AvgPool2d', ['', '_stride']),
  ...each('pytorch-converted/test_BatchNorm', ['1d_3d_input_eval', '2d_eval', '2d_momentum_eval', '3d_eval', '3d_momentum_eval']),
  ...each('pytorch-converted/test_Conv1d', ['', '_dilated', '_groups', '_pad1', '_pad1size1', '_pad2', '_pad2size1', '_stride']),
  ...each('pytorch-converted/test_Conv2d', ['', '_depthwise', '_depthwise_padded', '_depthwise_strided', '_depthwise_with_multiplier', '_dilated',
    '_groups', '_groups_thnn', '_no_bias', '_padding', '_strided']),
  ...each('pytorch-converted/test_ConvTranspose2d', ['', '_no_bias']),
  ...each('pytorch-converted/test_MaxPool1d', ['', '_stride', '_stride_padding_dilation']),
  ...each('pytorch-converted/test_MaxPool2d', ['', '_stride_padding_dilation']),
  ...each('pytorch-operator/test_operator_', ['conv', 'convtranspose', 'maxpool', 'symbolic_override']),
];
/** Cases that need other families too: AveragePool between Unsqueeze and Squeeze (shape), and
 *  ONNX's function expansion of LayerNormalization (no LayerNormalization node: ReduceMean, Sub,
 *  Pow, Sqrt, Div, Shape, Slice, ... of the reduce, elementwise and shape families). */
const WITH_OTHER_FAMILIES = [
  ...each('pytorch-converted/test_AvgPool1d', ['', '_stride']),
  ...NORM.filter((n) => n.startsWith('test_layer_normalization')).map((n) => `${n}_expanded`),
];

const VOLUMETRIC = 'asgrad has 1-D and 2-D convolution and pooling only';
const THREE_D = /\((Conv|ConvTranspose|MaxPool|AveragePool)\): 3-D \(volumetric\) input \[[\d, ]+\] is not supported/;
/** Cases of these ops asgrad cannot run, with the reason; each must throw naming the node and what it lacks. */
const UNSUPPORTED: [name: string, reason: string, error: RegExp][] = [
  ...['test_averagepool_3d_default', 'test_maxpool_3d_default', 'test_convtranspose_3d'].map((n) => [n, VOLUMETRIC, THREE_D] as [string, string, RegExp]),
  ...each('pytorch-converted/test_', ['AvgPool3d', 'AvgPool3d_stride', 'AvgPool3d_stride1_pad0_gpu_input', 'Conv3d', 'Conv3d_dilated', 'Conv3d_dilated_strided',
    'Conv3d_groups', 'Conv3d_no_bias', 'Conv3d_stride', 'Conv3d_stride_padding', 'MaxPool3d', 'MaxPool3d_stride', 'MaxPool3d_stride_padding'])
    .map((n) => [n, VOLUMETRIC, THREE_D] as [string, string, RegExp]),
  ...['test_batchnorm_epsilon_training_mode', 'test_batchnorm_example_training_mode'].map((n) => [n,
    'training_mode=1 normalizes with batch statistics and outputs updated running ones; an imported model runs BatchNormalization in inference form',
    /\(BatchNormalization\): training_mode=1 is not supported/] as [string, string, RegExp]),
];

const opsOf = (name: string) => [...new Set(decodeModel(readFileSync(join(caseDir(name), 'model.onnx'))).graph.nodes.map((n) => n.opType))];

describe('importOnnx conformance: nn ops', () => {
  for (const name of [...CONV, ...POOL, ...NORM, ...RESIZE]) it(name, () => runOnnxCase(name));
  for (const name of MODELS) it(name, () => runOnnxCase(name));
  for (const [name, reason, error] of UNSUPPORTED) it(`${name} is unsupported (${reason.split(';')[0]})`, () => expect(() => runOnnxCase(name)).toThrow(error));
  // These need other families too; until they have the ops, import must fail naming the missing one.
  for (const name of WITH_OTHER_FAMILIES) {
    it(name, () => {
      const missing = opsOf(name).filter((op) => !ONNX_OPS[op]);
      if (missing.length === 0) runOnnxCase(name);
      else expect(() => runOnnxCase(name)).toThrow(new RegExp(`\\((${missing.join('|')})\\): the op is not supported`));
    });
  }
});

/** GlobalAveragePool / GlobalMaxPool are unchanged since opset 1, but their conformance models
 *  declare opset 1, below importOnnx's floor (6 when written): the import passes or refuses them
 *  clearly, and the same model with its opset read as 6 reproduces the reference outputs. */
const OPSET1 = ['test_globalaveragepool', 'test_globalaveragepool_precomputed', 'test_globalmaxpool', 'test_globalmaxpool_precomputed'];

describe('importOnnx conformance: opset-1 global pools', () => {
  for (const name of OPSET1) {
    it(name, () => {
      try { runOnnxCase(name); } catch (e) { expect(String(e)).toMatch(/the model uses opset 1; opsets from \d+ are supported/); }
      const dir = caseDir(name), set = join(dir, 'test_data_set_0');
      const model = new OnnxModule({ ...decodeModel(readFileSync(join(dir, 'model.onnx'))), opset: 6 });
      const x = dataToTensor(decodeTensorProto(readFileSync(join(set, 'input_0.pb'))));
      const want = decodeTensorProto(readFileSync(join(set, 'output_0.pb')));
      const out = model.run({ [model.inputs[0].name]: x });
      const y = out[model.outputs[0].name];
      expectClose(y, want.dims, want.values);
      dispose([x, y]);
      model.dispose();
    });
  }
});

// Direct converter calls on a hand-made node, so opset forms, edge cases and errors can be checked.
type AttrValue = number | number[] | string | { f: number } | { fs: number[] };

function call(opType: string, inputs: (Tensor | undefined)[], attrs: Record<string, AttrValue> = {}, opset = 17, outputs = ['y']): Tensor | Tensor[] {
  const m = new Map<string, AttrProto>();
  for (const [name, v] of Object.entries(attrs)) {
    const a = typeof v === 'string' ? { name, type: 3, s: v } : Array.isArray(v) ? { name, type: 7, ints: v }
      : typeof v === 'number' ? { name, type: 2, i: v } : 'f' in v ? { name, type: 1, f: v.f } : { name, type: 6, floats: v.fs };
    m.set(name, { floats: [], ints: [], strings: [], ...a } as AttrProto);
  }
  const node = { name: `my_${opType}`, opType, domain: '', inputs: [], outputs, attrs: m } as NodeProto;
  const ctx: OpContext = { opset, node, runGraph: () => { throw new Error('no subgraphs'); } };
  return NN_OPS[opType](inputs, new Attrs(node), ctx);
}
const one = (r: Tensor | Tensor[]) => r as Tensor;
const ints = (v: number[], shape?: number[]) => tensor(Int32Array.from(v), { shape: shape ?? [v.length], dtype: 'int32' });
const size = (shape: number[]) => shape.reduce((p, s) => p * s, 1);
/** Deterministic distinct values in (-2, 2) of `shape`. */
const vals = (shape: number[], seed = 1) => tensor(Float32Array.from({ length: size(shape) }, (_, i) => 2 * Math.sin(seed * 12.9898 + i * 78.233)), { shape });

/** Float32 result vs a float64 reference: |got - want| <= 1e-5 + 1e-4 |want|. */
function expectClose(got: Tensor, shape: number[], want: ArrayLike<number>): void {
  expect(got.shape).toEqual(shape);
  const g = got.data() as Float32Array;
  expect(g.length).toBe(want.length);
  for (let i = 0; i < g.length; i++) if (!(Math.abs(g[i] - want[i]) <= 1e-5 + 1e-4 * Math.abs(want[i]))) expect([i, g[i]]).toEqual([i, want[i]]);
}

/** float64 1-D convolution: x [N, C, L], w [M, C/g, K], pads (pb, pe) -> [N, M, Lo]. */
function refConv1d(x: Tensor, w: Tensor, b: number[] | null, s: number, d: number, pb: number, pe: number, g: number): { shape: number[]; data: number[] } {
  const [N, C, L] = x.shape, [M, Cg, K] = w.shape, xd = x.data() as Float32Array, wd = w.data() as Float32Array;
  const Lo = Math.floor((L + pb + pe - d * (K - 1) - 1) / s) + 1, data: number[] = [];
  for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) for (let o = 0; o < Lo; o++) {
    const q = Math.floor(m / (M / g));
    let acc = b ? b[m] : 0;
    for (let c = 0; c < Cg; c++) for (let j = 0; j < K; j++) {
      const i = o * s - pb + j * d;
      if (i >= 0 && i < L) acc += xd[(n * C + q * Cg + c) * L + i] * wd[(m * Cg + c) * K + j];
    }
    data.push(acc);
  }
  return { shape: [N, M, Lo], data };
}

/** float64 1-D transposed convolution: x [N, C, L], w [C, M/g, K] -> [N, M, Lo], y[o] += x[i] w[j] at o = i s - pb + j d. */
function refConvT1d(x: Tensor, w: Tensor, s: number, d: number, pb: number, Lo: number, g: number): number[] {
  const [N, C, L] = x.shape, [, Mg, K] = w.shape, xd = x.data() as Float32Array, wd = w.data() as Float32Array;
  const y = new Array(N * Mg * g * Lo).fill(0);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let i = 0; i < L; i++) for (let m = 0; m < Mg; m++) for (let j = 0; j < K; j++) {
    const o = i * s - pb + j * d, q = Math.floor(c / (C / g));
    if (o >= 0 && o < Lo) y[(n * Mg * g + q * Mg + m) * Lo + o] += xd[(n * C + c) * L + i] * wd[(c * Mg + m) * K + j];
  }
  return y;
}

describe('importOnnx nn converters: forms and edge cases', () => {
  it('Conv 1-D with asymmetric pads, stride, dilation, groups and bias; 2-D SAME_LOWER', () => tidy(() => {
    const x = vals([2, 4, 11]), w = vals([6, 2, 3], 2), b = [0.5, -1, 2, 0, 1, -0.25];
    const ref = refConv1d(x, w, b, 2, 2, 3, 1, 2);
    expectClose(one(call('Conv', [x, w, tensor(b)], { pads: [3, 1], strides: [2], dilations: [2], group: 2 })), ref.shape, ref.data);
    // SAME_LOWER on L = 11, k = 4, s = 3: out ceil(11/3) = 4, total pad 3*3 + 4 - 11 = 2 -> 1 / 1; SAME_UPPER likewise for odd total 3 (k = 5): 1 / 2.
    const w4 = vals([6, 2, 4], 3), w5 = vals([6, 2, 5], 4);
    const lower = refConv1d(x, w4, null, 3, 1, 1, 1, 2), upper = refConv1d(x, w5, null, 3, 1, 1, 2, 2);
    expectClose(one(call('Conv', [x, w4], { auto_pad: 'SAME_LOWER', strides: [3], group: 2 })), lower.shape, lower.data);
    expectClose(one(call('Conv', [x, w5], { auto_pad: 'SAME_UPPER', strides: [3], group: 2 })), upper.shape, upper.data);
    const lower5 = refConv1d(x, w5, null, 3, 1, 2, 1, 2);
    expectClose(one(call('Conv', [x, w5], { auto_pad: 'SAME_LOWER', strides: [3], group: 2 })), lower5.shape, lower5.data);
  }));

  it('ConvTranspose 1-D: groups, dilation, pads, output_padding, output_shape (spec split), bias', () => tidy(() => {
    const x = vals([2, 4, 5]), w = vals([4, 3, 3], 5);
    // full = 2 * 4 + 1 + 2 * 2 + 1 = 14; pads 2 / 1 -> 11.
    const y = one(call('ConvTranspose', [x, w, tensor([1, 2, 3, 4, 5, 6])], { strides: [2], dilations: [2], pads: [2, 1], output_padding: [1], group: 2 }));
    const ref = refConvT1d(x, w, 2, 2, 2, 11, 2).map((v, i) => v + 1 + (Math.floor(i / 11) % 6));
    expectClose(y, [2, 6, 11], ref);
    // output_shape 9 of full 14 (no output_padding: 13): total 4 -> begin 2 (NOTSET puts the odd pixel first).
    expectClose(one(call('ConvTranspose', [x, w], { strides: [2], dilations: [2], output_shape: [10], group: 2 })), [2, 6, 10], refConvT1d(x, w, 2, 2, 2, 10, 2));
    expectClose(one(call('ConvTranspose', [x, w], { strides: [2], dilations: [2], output_shape: [10], auto_pad: 'SAME_UPPER', group: 2 })), [2, 6, 10],
      refConvT1d(x, w, 2, 2, 1, 10, 2));
  }));

  it('MaxPool: ceil_mode drops a last window that would start in the end padding; Indices in 1-D and column-major', () => tidy(() => {
    const x = tensor([[[3, 1, 4, 1, 5]]]);
    // n 5, k 2, s 2, pads 0/1, ceil: ceil(4/2) + 1 = 3 windows: [3 1] [4 1] [5 pad].
    expect(one(call('MaxPool', [x], { kernel_shape: [2], strides: [2], pads: [0, 1], ceil_mode: 1 })).toArray()).toEqual([[[3, 4, 5]]]);
    // n 4, pads 0/1: ceil(3/2) + 1 = 3, but window 2 would start at 4 = n + pad_begin: dropped.
    const x4 = tensor([[[3, 1, 4, 9]]]);
    expect(one(call('MaxPool', [x4], { kernel_shape: [2], strides: [2], pads: [0, 1], ceil_mode: 1 })).toArray()).toEqual([[[3, 9]]]);
    const [y, idx] = call('MaxPool', [tensor([[[3, 1, 4], [1, 5, 9]], [[2, 6, 5], [3, 5, 8]]])], { kernel_shape: [2], strides: [1] }, 12, ['y', 'i']) as Tensor[];
    expect(y.toArray()).toEqual([[[3, 4], [5, 9]], [[6, 6], [5, 8]]]);
    expect([idx.dtype, idx.toArray()]).toEqual(['int32', [[[0, 2], [4, 5]], [[7, 7], [10, 11]]]]);
    // 2-D [1, 2, 2, 3], 2x2 windows, stride 1: storage_order 1 numbers each plane column by column (h + w * H).
    const x2 = tensor([[[[1, 9, 2], [3, 4, 8]], [[7, 1, 0], [2, 6, 5]]]]);
    const [, rowMajor] = call('MaxPool', [x2], { kernel_shape: [2, 2] }, 12, ['y', 'i']) as Tensor[];
    const [, colMajor] = call('MaxPool', [x2], { kernel_shape: [2, 2], storage_order: 1 }, 12, ['y', 'i']) as Tensor[];
    expect(rowMajor.toArray()).toEqual([[[[1, 1]], [[6, 10]]]]);
    expect(colMajor.toArray()).toEqual([[[[2, 2]], [[6, 9]]]]);
  }));

  it('AveragePool with asymmetric pads, with and without count_include_pad; int MaxPool stays int', () => tidy(() => {
    const x = tensor([[[1, 2, 3, 4, 5]]]);
    // pads 2 / 1, k 3, s 2: floor((5 + 3 - 3) / 2) + 1 = 3 windows [-2, 0], [0, 2], [2, 4].
    expectClose(one(call('AveragePool', [x], { kernel_shape: [3], strides: [2], pads: [2, 1] })), [1, 1, 3], [1, 2, 4]);
    expectClose(one(call('AveragePool', [x], { kernel_shape: [3], strides: [2], pads: [2, 1], count_include_pad: 1 })), [1, 1, 3], [1 / 3, 2, 4]);
    // ceil_mode adds [4, 6], which runs past the end pad: the divisor counts the 2 taps up to 5 + 1.
    expectClose(one(call('AveragePool', [x], { kernel_shape: [3], strides: [2], pads: [2, 1], count_include_pad: 1, ceil_mode: 1 })), [1, 1, 4], [1 / 3, 2, 4, 5 / 2]);
    const xi = ints([7, -3, 250, 4], [1, 1, 2, 2]);
    const y = one(call('MaxPool', [xi], { kernel_shape: [2, 2] }, 12));
    expect([y.dtype, y.toArray()]).toEqual(['int32', [[[[250]]]]]);
  }));

  it('BatchNormalization: per channel at any rank, spatial=0 (opset 7) per activation', () => tidy(() => {
    const x = vals([2, 3, 2]), s = tensor([1, 2, -1]), b = tensor([0, 1, 2]), m = tensor([0.5, -0.5, 0]), v = tensor([1, 4, 0.25]);
    const xd = x.data() as Float32Array, sd = [1, 2, -1], bd = [0, 1, 2], md = [0.5, -0.5, 0], vd = [1, 4, 0.25];
    const ref = Array.from(xd, (e, i) => { const c = Math.floor(i / 2) % 3; return (e - md[c]) / Math.sqrt(vd[c] + 1e-3) * sd[c] + bd[c]; });
    expectClose(one(call('BatchNormalization', [x, s, b, m, v], { epsilon: { f: 1e-3 } }, 15)), [2, 3, 2], ref);
    const p = (seed: number) => vals([3, 2], seed), ps = [p(2), p(3), p(4), p(5).abs().add(0.5)];
    const pd = ps.map((t) => t.data() as Float32Array);
    const ref0 = Array.from(xd, (e, i) => { const k = i % 6; return (e - pd[2][k]) / Math.sqrt(pd[3][k] + 1e-5) * pd[0][k] + pd[1][k]; });
    expectClose(one(call('BatchNormalization', [x, ...ps], { spatial: 0 }, 7)), [2, 3, 2], ref0);
  }));

  it('LayerNormalization: no B, Mean and InvStdDev keep the rank; InstanceNormalization; LRN with an even size', () => tidy(() => {
    const x = vals([2, 3, 4]), w = vals([4], 2), xd = x.data() as Float32Array, wd = w.data() as Float32Array;
    const mean: number[] = [], inv: number[] = [], y: number[] = [];
    for (let r = 0; r < 6; r++) {
      const row = Array.from(xd.subarray(r * 4, r * 4 + 4)), mu = row.reduce((p, e) => p + e, 0) / 4;
      const is = 1 / Math.sqrt(row.reduce((p, e) => p + (e - mu) ** 2, 0) / 4 + 1e-5);
      mean.push(mu); inv.push(is); row.forEach((e, k) => y.push((e - mu) * is * wd[k]));
    }
    const [ly, lm, li] = call('LayerNormalization', [x, w], {}, 17, ['y', 'mean', 'inv']) as Tensor[];
    expectClose(ly, [2, 3, 4], y); expectClose(lm, [2, 3, 1], mean); expectClose(li, [2, 3, 1], inv);
    // InstanceNormalization over [1, 2, 4]: statistics per (n, c).
    const xi = tensor([[[1, 2, 3, 6], [0, 0, 1, -1]]]);
    const iv = (v: number[]) => { const mu = v.reduce((p, e) => p + e, 0) / 4, sd = Math.sqrt(v.reduce((p, e) => p + (e - mu) ** 2, 0) / 4 + 1e-5); return v.map((e) => (e - mu) / sd); };
    expectClose(one(call('InstanceNormalization', [xi, tensor([2, 1]), tensor([0, -1])], {}, 6)), [1, 2, 4],
      [...iv([1, 2, 3, 6]).map((e) => 2 * e), ...iv([0, 0, 1, -1]).map((e) => e - 1)]);
    // LRN size 4: channels c-1 .. c+2.
    const xl = vals([1, 5, 2]), ld = xl.data() as Float32Array, lrnRef: number[] = [];
    for (let c = 0; c < 5; c++) for (let p = 0; p < 2; p++) {
      let sq = 0;
      for (let k = Math.max(0, c - 1); k <= Math.min(4, c + 2); k++) sq += ld[k * 2 + p] ** 2;
      lrnRef.push(ld[c * 2 + p] / (2 + 0.3 / 4 * sq) ** 0.6);
    }
    expectClose(one(call('LRN', [xl], { size: 4, alpha: { f: 0.3 }, beta: { f: 0.6 }, bias: { f: 2 } }, 13)), [1, 5, 2], lrnRef);
  }));

  it('Upsample-7 (scales attribute), Upsample-9 and Resize-10: asymmetric, nearest floors upsampling and ceils downsampling', () => tidy(() => {
    const x = tensor([[[[1, 2], [3, 4]]]]);
    const want = [[[[1, 1, 1, 2, 2, 2], [1, 1, 1, 2, 2, 2], [3, 3, 3, 4, 4, 4], [3, 3, 3, 4, 4, 4]]]];
    expect(one(call('Upsample', [x], { scales: { fs: [1, 1, 2, 3] } }, 7)).toArray()).toEqual(want);
    expect(one(call('Upsample', [x, tensor([1, 1, 2, 3])], {}, 9)).toArray()).toEqual(want);
    // linear, asymmetric: sources 0, 0.5, 1, 1.5 (clamped to the last input).
    expectClose(one(call('Resize', [tensor([[1, 3]]), tensor([1, 2])], { mode: 'linear' }, 10)), [1, 4], [1, 2, 3, 3]);
    // downsampling by 0.6: sources 0, 1.67, 3.33 -> ceil -> 0, 2, 4 (onnxruntime's opset-10 rule).
    expect(one(call('Resize', [tensor([[0, 1, 2, 3, 4]]), tensor([1, 0.6])], {}, 10)).toArray()).toEqual([[0, 2, 4]]);
    // int32 nearest stays int32.
    const yi = one(call('Resize', [ints([5, 6], [1, 2]), undefined, undefined, ints([1, 4])], { mode: 'nearest' }, 13));
    expect([yi.dtype, yi.toArray()]).toEqual(['int32', [[5, 5, 6, 6]]]);
    // tf_crop_and_resize, nearest, roi [-0.5, 1.5] on the last dim: sources 1.5 x - 1.5 = -1.5, 0, 1.5, 3, 4.5;
    // outside [0, 3] -> extrapolation_value, 1.5 rounds to 1 (round_prefer_floor).
    const crop = one(call('Resize', [tensor([[1, 2, 3, 4]]), tensor([0, -0.5, 1, 1.5]), undefined, ints([1, 5])],
      { mode: 'nearest', coordinate_transformation_mode: 'tf_crop_and_resize', extrapolation_value: { f: 10 } }, 13));
    expect(crop.toArray()).toEqual([[10, 1, 2, 4, 10]]);
  }));
});

describe('importOnnx nn converters: errors name the node and what is unsupported', () => {
  it('Conv / ConvTranspose / ConvInteger', () => tidy(() => {
    const x = vals([1, 4, 6, 6]), w = vals([2, 4, 3, 3], 2);
    expect(() => call('Conv', [vals([1, 2, 3, 3, 3]), vals([1, 2, 1, 1, 1])])).toThrow(/node 'my_Conv' \(Conv\): 3-D \(volumetric\) input \[1, 2, 3, 3, 3\] is not supported/);
    expect(() => call('Conv', [x, w], { auto_pad: 'SAME' })).toThrow(/\(Conv\): auto_pad must be one of NOTSET, SAME_UPPER, SAME_LOWER, VALID, got 'SAME'/);
    expect(() => call('Conv', [x, w], { auto_pad: 'VALID', pads: [1, 1, 1, 1] })).toThrow(/\(Conv\): pads \[1, 1, 1, 1\] cannot be used with auto_pad 'VALID'/);
    expect(() => call('Conv', [x, w], { group: 2 })).toThrow(/\(Conv\): group=2 does not fit 4 input channels and a weight of 2 x 4 channels/);
    expect(() => call('Conv', [x, w], { kernel_shape: [3, 2] })).toThrow(/\(Conv\): kernel_shape \[3, 2\] does not match the weight's kernel \[3, 3\]/);
    expect(() => call('Conv', [x, w], { strides: [1] })).toThrow(/\(Conv\): strides must be 2 integer\(s\) >= 1 \(one per spatial axis\), got \[1\]/);
    expect(() => call('Conv', [x, w], { pads: [-1, 0, 0, 0] })).toThrow(/\(Conv\): pads must be 4 integer\(s\) >= 0/);
    expect(() => call('Conv', [x, vals([2, 4, 9, 3])])).toThrow(/\(Conv\): the kernel \(size 9, dilation 1\) is larger than the padded input \(6 \+ 0 \+ 0\) along spatial axis 0/);
    expect(() => call('Conv', [x, w], { foo: 1 })).toThrow(/node 'my_Conv' \(Conv\): the attribute 'foo' is not supported/);
    expect(() => call('Conv', [ints([1, 2, 3], [1, 1, 3]), vals([1, 1, 1])])).toThrow(/\(Conv\): X must be a float tensor, got int32/);
    // k 1, stride 2, SAME_UPPER: the full output (5) is below in * stride (6), which would need a negative begin pad.
    expect(() => call('ConvTranspose', [vals([1, 1, 3]), vals([1, 1, 1])], { strides: [2], auto_pad: 'SAME_UPPER' }))
      .toThrow(/\(ConvTranspose\): an output size of 6 along spatial axis 0 \(full size 5\) needs a negative begin pad \(-1\) with auto_pad 'SAME_UPPER'/);
    expect(() => call('ConvTranspose', [x, vals([3, 2, 3, 3])])).toThrow(/\(ConvTranspose\): the weight \[3, 2, 3, 3\] expects 3 input channels, got input \[1, 4, 6, 6\]/);
    // 255 * 255 * 300 taps > 2^24: float32 would round the sums.
    expect(() => call('ConvInteger', [ints(new Array(300).fill(255), [1, 300, 1]), ints(new Array(300).fill(255), [1, 300, 1])]))
      .toThrow(/\(ConvInteger\): sums up to 19507500 exceed float32's exact integer range \(2\^24\)/);
  }));

  it('pools, norms and resize', () => tidy(() => {
    const x = vals([1, 1, 5]);
    expect(() => call('MaxPool', [x], { kernel_shape: [2], storage_order: 2 })).toThrow(/\(MaxPool\): storage_order must be 0 \(row major\) or 1 \(column major\), got 2/);
    expect(() => call('MaxPool', [x])).toThrow(/\(MaxPool\): needs the attribute kernel_shape/);
    expect(() => call('MaxPool', [x], { kernel_shape: [2], pads: [3, 0] })).toThrow(/\(MaxPool\): window 0 along spatial axis 0 lies entirely in the padding/);
    expect(() => call('AveragePool', [x], { kernel_shape: [2], dilations: [2] })).toThrow(/\(AveragePool\): dilations \[2\] are not supported for AveragePool/);
    expect(() => call('AveragePool', [vals([1, 1, 2, 2, 2])], { kernel_shape: [1, 1, 1] })).toThrow(/\(AveragePool\): 3-D \(volumetric\) input/);
    const c = tensor([1, 1]), bn = [vals([2, 2, 3]), c, c, c, c];
    expect(() => call('BatchNormalization', bn, { training_mode: 1 }, 15)).toThrow(/\(BatchNormalization\): training_mode=1 is not supported/);
    expect(() => call('BatchNormalization', bn, { is_test: 0 }, 6)).toThrow(/\(BatchNormalization\): is_test=0 \(training\) is not supported/);
    expect(() => call('BatchNormalization', bn, {}, 9, ['y', 'mean'])).toThrow(/\(BatchNormalization\): the outputs after Y .* only exist in training mode/);
    expect(() => call('BatchNormalization', [bn[0], tensor([1, 1, 1]), c, c, c], {}, 15)).toThrow(/\(BatchNormalization\): scale \(spatial=1\) must have shape \[2\], got \[3\]/);
    expect(() => call('LayerNormalization', [vals([2, 3]), tensor([1, 1, 1])], { stash_type: 11 })).toThrow(/\(LayerNormalization\): stash_type=11 is not supported/);
    expect(() => call('LayerNormalization', [vals([2, 3]), tensor([1, 1])], { axis: -1 })).toThrow(/\(LayerNormalization\): Scale \[2\] must broadcast to the normalized shape \[3\]/);
    expect(() => call('LRN', [vals([1, 3, 2])], { size: 0 })).toThrow(/\(LRN\): size must be a positive integer, got 0/);
    const img = vals([1, 1, 2, 2]), sc = tensor([1, 1, 2, 2]);
    expect(() => call('Resize', [img, undefined, sc], { mode: 'area' })).toThrow(/\(Resize\): mode must be one of nearest, linear, cubic, got 'area'/);
    expect(() => call('Resize', [img, undefined, sc], { coordinate_transformation_mode: 'half_pixel_symmetric' })).toThrow(/\(Resize\): coordinate_transformation_mode must be one of/);
    expect(() => call('Resize', [img, undefined, sc], { nearest_mode: 'round' })).toThrow(/\(Resize\): nearest_mode must be one of round_prefer_floor/);
    expect(() => call('Resize', [img, undefined, sc], { antialias: 1 }, 18)).toThrow(/\(Resize\): the attribute 'antialias' is not supported/);
    expect(() => call('Resize', [img, undefined, sc, ints([1, 1, 4, 4])])).toThrow(/\(Resize\): only one of scales and sizes may be given/);
    expect(() => call('Resize', [img, undefined, tensor([1, 2])])).toThrow(/\(Resize\): scales must hold 4 positive numbers \(one per dim of X\), got \[1, 2\]/);
    expect(() => call('Resize', [img, undefined, undefined, ints([1, 1, 4, 4])], { coordinate_transformation_mode: 'tf_crop_and_resize' })).toThrow(/\(Resize\): needs input 1 \(roi\)/);
    expect(() => call('Resize', [ints([1, 2], [1, 2]), undefined, tensor([1, 2])], { mode: 'linear' })).toThrow(/\(Resize\): mode 'linear' needs a float input, got int32/);
    expect(() => call('Upsample', [img], { scales: { fs: [1, 1, 2, 2] }, mode: 'cubic' }, 7)).toThrow(/\(Upsample\): mode must be one of nearest, linear, got 'cubic'/);
  }));
});

/** Checks d sum(f(x) * R) / dx from autograd against central differences in float32 (smooth f); disposes x0. */
function gradCheck(f: (x: Tensor) => Tensor, x0: Tensor, tol = 2e-2): void {
  const x = tensor(x0.data() as Float32Array, { shape: [...x0.shape], requiresGrad: true });
  const R = tidy(() => vals(f(x0).shape, 7));
  tidy(() => f(x).mul(R).sum().backward());
  const g = x.grad!.data() as Float32Array, base = x0.data() as Float32Array, eps = 1e-2;
  const loss = (v: Float32Array) => noGrad(() => tidy(() => { const t = tensor(v, { shape: [...x0.shape] }); return f(t).mul(R).sum().item(); }));
  for (let i = 0; i < base.length; i++) {
    const up = base.slice(), dn = base.slice();
    up[i] += eps; dn[i] -= eps;
    const fd = (loss(up) - loss(dn)) / (2 * eps);
    if (!(Math.abs(fd - g[i]) <= tol * (1 + Math.abs(fd)))) expect([i, g[i]]).toEqual([i, fd]);
  }
  dispose([x.grad!, x, R, x0]);
}

describe('importOnnx nn converters: gradients flow to the inputs', () => {
  it('Conv (asymmetric pads), ConvTranspose (output_shape), AveragePool, MaxPool with Indices', () => {
    const w = vals([3, 2, 2, 3], 2), wt = vals([2, 3, 3, 2], 3);
    gradCheck((x) => one(call('Conv', [x, w], { pads: [1, 0, 2, 1], strides: [2, 1] })), vals([1, 2, 4, 5]));
    gradCheck((w2) => one(call('Conv', [vals([1, 2, 4, 5]), w2], { pads: [1, 0, 2, 1], strides: [2, 1] })), w.clone());
    gradCheck((x) => one(call('ConvTranspose', [x, wt], { strides: [2, 2], output_shape: [8, 9] })), vals([1, 2, 3, 4]));
    gradCheck((x) => one(call('AveragePool', [x], { kernel_shape: [3, 2], pads: [1, 0, 2, 1], strides: [2, 1] })), vals([1, 2, 4, 5]));
    gradCheck((x) => (call('MaxPool', [x], { kernel_shape: [2], strides: [1] }, 12, ['y', 'i']) as Tensor[])[0], vals([1, 2, 6]));
    dispose([w, wt]);
  });

  it('BatchNormalization, LayerNormalization, InstanceNormalization, LRN, Resize (linear and cubic)', () => {
    const c = (v: number[]) => tensor(v);
    const [s, b, m, v] = [c([1, -2, 0.5]), c([0, 1, 2]), c([0.1, 0.2, -0.3]), c([1, 2, 0.5])];
    gradCheck((x) => one(call('BatchNormalization', [x, s, b, m, v], {}, 15)), vals([2, 3, 2]));
    gradCheck((sc) => one(call('BatchNormalization', [vals([2, 3, 2]), sc, b, m, v], {}, 15)), s.clone());
    gradCheck((x) => one(call('LayerNormalization', [x, c([1, 2, 3]), c([0, 1, 0])], { axis: -1 })), vals([2, 3]));
    gradCheck((x) => one(call('InstanceNormalization', [x, c([1, 2]), c([0, 1])], {}, 6)), vals([1, 2, 4]));
    gradCheck((x) => one(call('LRN', [x], { size: 3, alpha: { f: 0.5 } }, 13)), vals([1, 4, 2]));
    gradCheck((x) => one(call('Resize', [x, undefined, c([1, 1, 2, 1.5])], { mode: 'linear' }, 13)), vals([1, 1, 3, 4]));
    gradCheck((x) => one(call('Resize', [x, undefined, c([1, 1, 1.5, 2])], { mode: 'cubic', exclude_outside: 1 }, 13)), vals([1, 1, 3, 4]));
    dispose([s, b, m, v]);
  });
});
