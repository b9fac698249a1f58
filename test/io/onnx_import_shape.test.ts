// importOnnx: shape / movement / indexing ops (ops/shape.ts, ops/indexing.ts) against ONNX's
// conformance data, plus direct checks of errors, opset-dependent forms and gradients.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnnxCase, caseDir } from './onnx_conformance';
import { importOnnx } from '../../src/io/onnx/import';
import { SHAPE_OPS } from '../../src/io/onnx/import/ops/shape';
import { INDEXING_OPS } from '../../src/io/onnx/import/ops/indexing';
import { ONNX_OPS } from '../../src/io/onnx/import/ops';
import { Attrs, type OpContext } from '../../src/io/onnx/import/attrs';
import type { AttrProto, NodeProto } from '../../src/io/onnx/import/model_proto';
import { tensor, tidy, type Tensor } from '../../src/index';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const NODE = [
  ...['1d_axis_0', '1d_axis_negative_1', '2d_axis_0', '2d_axis_1', '2d_axis_negative_1', '2d_axis_negative_2', '3d_axis_0',
    '3d_axis_1', '3d_axis_2', '3d_axis_negative_1', '3d_axis_negative_2', '3d_axis_negative_3'].map((s) => `test_concat_${s}`),
  'test_constantofshape_float_ones', 'test_constantofshape_int_shape_zero', 'test_constantofshape_int_zeros',
  'test_depthtospace_crd_mode', 'test_depthtospace_crd_mode_example', 'test_depthtospace_dcr_mode', 'test_depthtospace_example',
  'test_spacetodepth', 'test_spacetodepth_example',
  'test_expand_dim_changed', 'test_expand_dim_unchanged',
  'test_eyelike_populate_off_main_diagonal', 'test_eyelike_with_dtype', 'test_eyelike_without_dtype',
  ...['axis0', 'axis1', 'axis2', 'axis3', 'default_axis', 'negative_axis1', 'negative_axis2', 'negative_axis3', 'negative_axis4'].map((s) => `test_flatten_${s}`),
  'test_gather_0', 'test_gather_1', 'test_gather_2d_indices', 'test_gather_negative_indices',
  'test_gather_elements_0', 'test_gather_elements_1', 'test_gather_elements_negative_indices',
  'test_gathernd_example_float32', 'test_gathernd_example_int32', 'test_gathernd_example_int32_batch_dim1',
  'test_nonzero_example',
  'test_onehot_negative_indices', 'test_onehot_with_axis', 'test_onehot_with_negative_axis', 'test_onehot_without_axis',
  'test_constant_pad', 'test_edge_pad', 'test_reflect_pad',
  'test_range_float_type_positive_delta', 'test_range_int32_type_negative_delta',
  ...['allowzero_reordered', 'extended_dims', 'negative_dim', 'negative_extended_dims', 'one_dim', 'reduced_dims',
    'reordered_all_dims', 'reordered_last_dims', 'zero_and_negative_dim', 'zero_dim'].map((s) => `test_reshape_${s}`),
  ...['', '_clip_end', '_clip_start', '_end_1', '_end_negative_1', '_example', '_start_1', '_start_1_end_2',
    '_start_1_end_negative_1', '_start_negative_1'].map((s) => `test_shape${s}`),
  'test_size', 'test_size_example',
  ...['', '_default_axes', '_default_steps', '_end_out_of_bounds', '_neg', '_neg_steps', '_negative_axes', '_start_out_of_bounds'].map((s) => `test_slice${s}`),
  ...['equal_parts_1d', 'equal_parts_2d', 'equal_parts_default_axis', 'variable_parts_1d', 'variable_parts_2d',
    'variable_parts_default_axis', 'zero_size_splits'].map((s) => `test_split_${s}`),
  'test_squeeze', 'test_squeeze_negative_axes',
  ...['axis_0', 'axis_1', 'axis_2', 'axis_3', 'negative_axes', 'three_axes', 'two_axes', 'unsorted_axes'].map((s) => `test_unsqueeze_${s}`),
  'test_tile', 'test_tile_precomputed',
  ...range(6).map((i) => `test_transpose_all_permutations_${i}`), 'test_transpose_default',
  ...['', '_neg', '_one_row_neg', '_out_neg', '_out_pos', '_pos', '_square', '_square_neg', '_zero'].map((s) => `test_tril${s}`),
  ...['', '_neg', '_one_row', '_out_neg_out', '_out_pos', '_pos', '_square', '_square_neg', '_zero'].map((s) => `test_triu${s}`),
];

/** Models (opset 6 PyTorch exports, opset 9 'simple' models) whose every node is ours or Constant/Identity. */
const MODELS = [
  ...['chunk', 'concat2', 'flatten', 'index', 'pad', 'permute2', 'repeat', 'repeat_dim_overflow', 'view'].map((s) => `pytorch-operator/test_operator_${s}`),
  ...['ConstantPad2d', 'ZeroPad2d', 'ReflectionPad2d', 'ReplicationPad2d', 'PixelShuffle', 'Embedding', 'Embedding_sparse'].map((s) => `pytorch-converted/test_${s}`),
  ...range(4).map((i) => `simple/test_expand_shape_model${i + 1}`),
];

/** Cases of these ops asgrad cannot run, with the reason; each must fail with an error naming it. */
const UNSUPPORTED: [name: string, reason: string][] = [
  ['test_range_float_type_positive_delta_expanded', "ONNX's function expansion of Range runs a Loop (control flow with loop-carried state), which the importer does not run"],
  ['test_range_int32_type_negative_delta_expanded', "ONNX's function expansion of Range runs a Loop (control flow with loop-carried state), which the importer does not run"],
];

describe('importOnnx conformance: shape, movement and indexing ops', () => {
  for (const name of NODE) it(name, () => runOnnxCase(name));
  for (const name of MODELS) it(name, () => runOnnxCase(name));
  for (const [name] of UNSUPPORTED) {
    it(`${name} is unsupported and says so at import`, () => {
      expect(ONNX_OPS.Loop).toBeUndefined();
      // The first node the importer lacks is named (Loop, or an elementwise op before it while those are missing).
      expect(() => runOnnxCase(name)).toThrow(/asgrad\.importOnnx: node '[^']+' \((Loop|Sub|Cast|Div|Ceil|Relu)\): the op is not supported/);
    });
  }
});

// Direct converter calls: a hand-made node, so errors and opset-dependent forms can be checked.
const OPS = { ...SHAPE_OPS, ...INDEXING_OPS };
type AttrValue = number | number[] | string | { f: number };

function node(opType: string, attrs: Record<string, AttrValue> = {}, outputs = ['y']): NodeProto {
  const m = new Map<string, AttrProto>();
  for (const [name, v] of Object.entries(attrs)) {
    const a = typeof v === 'string' ? { name, type: 3, s: v } : Array.isArray(v) ? { name, type: 7, ints: v }
      : typeof v === 'object' ? { name, type: 1, f: v.f } : { name, type: 2, i: v };
    m.set(name, a as unknown as AttrProto);
  }
  return { name: `my_${opType}`, opType, domain: '', inputs: [], outputs, attrs: m } as unknown as NodeProto;
}

function call(opType: string, inputs: (Tensor | undefined)[], attrs: Record<string, AttrValue> = {}, opset = 17, outputs?: string[]): Tensor | Tensor[] {
  const n = node(opType, attrs, outputs);
  const ctx: OpContext = { opset, node: n, runGraph: () => { throw new Error('no subgraphs'); } };
  return OPS[opType](inputs, new Attrs(n), ctx);
}

const ints = (v: number[], shape?: number[]) => tensor(Int32Array.from(v), { shape: shape ?? [v.length], dtype: 'int32' });
const one = (r: Tensor | Tensor[]) => r as Tensor;

describe('importOnnx shape ops: opset forms and semantics', () => {
  it('Squeeze / Unsqueeze take axes as an attribute before opset 13 and as an input from it', () => tidy(() => {
    const x = tensor([[1, 2, 3]]);
    expect(one(call('Squeeze', [x], { axes: [0] }, 11)).shape).toEqual([3]);
    expect(one(call('Squeeze', [x, ints([-2])], {}, 13)).shape).toEqual([3]);
    expect(one(call('Squeeze', [x], {}, 13)).shape).toEqual([3]);
    expect(one(call('Unsqueeze', [x], { axes: [-1, 0] }, 11)).shape).toEqual([1, 1, 3, 1]);
    expect(one(call('Unsqueeze', [x, ints([1])], {}, 13)).shape).toEqual([1, 1, 3]);
    expect(() => call('Squeeze', [x], { axes: [0] }, 13)).toThrow(/node 'my_Squeeze' \(Squeeze\): the attribute 'axes' is not supported/);
  }));

  it('Split: the split attribute before 13, equal parts by output count, num_outputs at 18 (last part smaller)', () => tidy(() => {
    const x = tensor([1, 2, 3, 4, 5]);
    expect((call('Split', [x], { split: [1, 4] }, 11, ['a', 'b']) as Tensor[]).map((t) => t.toArray())).toEqual([[1], [2, 3, 4, 5]]);
    expect((call('Split', [x], { num_outputs: 3 }, 18, ['a', 'b', 'c']) as Tensor[]).map((t) => t.toArray())).toEqual([[1, 2], [3, 4], [5]]);
    expect(() => call('Split', [x], {}, 13, ['a', 'b'])).toThrow(/\(Split\): cannot split axis 0 of size 5 into 2 equal parts/);
    expect(() => call('Split', [x, ints([1, 1])], {}, 13, ['a', 'b'])).toThrow(/\(Split\): split \[1, 1\] must be 2 non-negative sizes summing to 5/);
  }));

  it('Slice: attributes before opset 10, INT64 sentinels (saturated to int32) and negative steps', () => tidy(() => {
    const x = tensor([0, 1, 2, 3, 4, 5, 6]);
    expect(one(call('Slice', [x], { starts: [1], ends: [-2] }, 9)).toArray()).toEqual([1, 2, 3, 4]);
    const MAX = 2147483647, MIN = -2147483648;
    expect(one(call('Slice', [x, ints([2]), ints([MAX])])).toArray()).toEqual([2, 3, 4, 5, 6]);
    expect(one(call('Slice', [x, ints([MAX]), ints([MIN]), ints([0]), ints([-1])])).toArray()).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(one(call('Slice', [x, ints([-1]), ints([MIN]), ints([0]), ints([-3])])).toArray()).toEqual([6, 3, 0]);
    expect(one(call('Slice', [x, ints([5]), ints([1]), ints([0]), ints([-2])])).toArray()).toEqual([5, 3]);
    expect(one(call('Slice', [x, ints([1]), ints([5]), ints([0]), ints([-1])])).shape).toEqual([0]);
    expect(() => call('Slice', [x, ints([0]), ints([3]), ints([0]), ints([0])])).toThrow(/\(Slice\): steps \[0\] must be non-zero/);
  }));

  it('Reshape: 0 copies a dim unless allowzero, -1 is inferred; bad shapes name the node', () => tidy(() => {
    const x = tensor(new Float32Array(12), { shape: [2, 3, 2] });
    expect(one(call('Reshape', [x, ints([0, -1])])).shape).toEqual([2, 6]);
    expect(() => call('Reshape', [x, ints([5, -1])])).toThrow(/node 'my_Reshape' \(Reshape\): cannot reshape an input of shape \[2, 3, 2\] \(12 elements\) to \[5, -1\]/);
    expect(() => call('Reshape', [x, ints([0, -1])], { allowzero: 1 })).toThrow(/cannot hold both 0 and -1/);
  }));

  it('Pad: attributes before opset 11, inputs after, axes at 18; negative constant pads crop', () => tidy(() => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(one(call('Pad', [x], { pads: [0, 1, 0, 0], value: { f: 9 } }, 10)).toArray()).toEqual([[9, 1, 2], [9, 3, 4]]);
    expect(one(call('Pad', [x, ints([1, 0]), tensor(7), ints([-1])], {}, 18)).toArray()).toEqual([[7, 1, 2], [7, 3, 4]]);
    expect(one(call('Pad', [x, ints([0, -1, 0, 0])], {}, 13)).toArray()).toEqual([[2], [4]]);
    expect(one(call('Pad', [x, ints([0, 1, 0, 1])], { mode: 'edge' }, 13)).toArray()).toEqual([[1, 1, 2, 2], [3, 3, 4, 4]]);
    expect(() => call('Pad', [x, ints([0, 2, 0, 0])], { mode: 'reflect' }, 13)).toThrow(/\(Pad\): mode 'reflect' supports pads from 0 to 1 on axis 1 of size 2, got 2 and 0/);
    expect(() => call('Pad', [x, ints([0, 1, 0, 0])], { mode: 'wrap' }, 13)).toThrow(/\(Pad\): mode 'wrap' is not supported/);
    expect(() => call('Pad', [x, ints([0, 1])], {}, 13)).toThrow(/\(Pad\): pads \[0, 1\] must hold 2 x 2 amounts/);
  }));

  it('Gather / GatherElements / OneHot: out-of-range indices name the node', () => tidy(() => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(() => call('Gather', [x, ints([2])], { axis: 0 })).toThrow(/node 'my_Gather' \(Gather\): indices holds 2, out of range \[-2, 1\]/);
    expect(() => call('GatherElements', [x, ints([0, -3], [1, 2])], { axis: 0 })).toThrow(/\(GatherElements\): indices holds -3/);
    expect(one(call('Gather', [x, ints([-1], [])], { axis: 1 })).toArray()).toEqual([2, 4]);
    expect(one(call('OneHot', [ints([1, 5]), tensor(3), tensor([0, 1])])).toArray()).toEqual([[0, 1, 0], [0, 0, 0]]);
  }));

  it('unknown attributes and modes throw naming the node', () => tidy(() => {
    const x = tensor(new Float32Array(16), { shape: [1, 4, 2, 2] });
    expect(() => call('DepthToSpace', [x], { blocksize: 2, mode: 'XYZ' })).toThrow(/node 'my_DepthToSpace' \(DepthToSpace\): mode 'XYZ' is not supported \(supported: DCR, CRD\)/);
    expect(() => call('Transpose', [x], { perm: [0, 1, 1, 2] })).toThrow(/\(Transpose\): perm \[0, 1, 1, 2\] is not a permutation/);
    expect(() => call('Flatten', [x], { axis: 5 })).toThrow(/\(Flatten\): axis 5 is out of range \[-4, 4\]/);
    expect(() => call('Concat', [x, x], { axis: 1, foo: 1 })).toThrow(/\(Concat\): the attribute 'foo' is not supported/);
    expect(() => call('Squeeze', [x, ints([1])])).toThrow(/\(Squeeze\): cannot squeeze axis 1 of size 4/);
    expect(() => call('Expand', [x, ints([3, 1, 1])])).toThrow(/\(Expand\): cannot broadcast input \[1, 4, 2, 2\] with shape \[3, 1, 1\]/);
  }));

  it('Shape / Size / NonZero give int32', () => tidy(() => {
    const x = tensor([[0, 2, 0], [3, 0, 4]]);
    const s = one(call('Shape', [x], { start: -1 }));
    expect([s.dtype, s.toArray()]).toEqual(['int32', [3]]);
    const n = one(call('Size', [x]));
    expect([n.dtype, n.shape, n.item()]).toEqual(['int32', [], 6]);
    const z = one(call('NonZero', [x]));
    expect([z.dtype, z.toArray()]).toEqual(['int32', [[0, 1, 1], [1, 0, 2]]]);
  }));

  it('gradients flow through an imported Slice (negative step) + Gather + Pad + Tile graph', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    tidy(() => {
      const f = one(call('Slice', [x, ints([-1]), ints([-2147483648]), ints([1]), ints([-2])]));  // columns 2, 0
      const g = one(call('Gather', [f, ints([1, 1])], { axis: 0 }));                                   // row 1 twice
      const p = one(call('Pad', [g, ints([0, 1, 0, 0])], { mode: 'reflect' }, 13));                    // [[4, 6, 4], ...]
      const t = one(call('Tile', [p, ints([1, 2])]));
      t.mul(tensor([[1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1]])).sum().backward();
    });
    // Output columns (x entries): 1:x[1][0] 2:x[1][2] 3:x[1][0] 4:x[1][0] 5:x[1][2] 6:x[1][0], plus row 2 (all weights 1).
    expect(x.grad!.toArray()).toEqual([[0, 0, 0], [(1 + 3 + 4 + 6) + 4, 0, (2 + 5) + 2]]);
    x.grad!.dispose();
    x.dispose();
  });

  it('a model file of these ops imports without running (case data present)', () => {
    const m = importOnnx(readFileSync(join(caseDir('test_slice_neg_steps'), 'model.onnx')));
    expect(m.inputs.map((v) => v.name)).toEqual(['x', 'starts', 'ends', 'axes', 'steps']);
    m.dispose();
  });
});
