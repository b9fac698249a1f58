// importOnnx, the elementwise family (arithmetic, Mod, BitShift, comparisons and logic, Where,
// Max / Min / Sum / Mean, Clip, Cast / CastLike, unary math and activations): every ONNX
// conformance case of these ops, the unsupported ones' errors, and direct checks of semantics.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispose, importOnnx, tensor, tidy, zeros, type Tensor } from '../../src/index';
import { Attrs, type OpContext } from '../../src/io/onnx/import/attrs';
import type { AttrProto, NodeProto, ValueInfo } from '../../src/io/onnx/import/model_proto';
import { ELEMENTWISE_OPS } from '../../src/io/onnx/import/ops/elementwise';
import { dataToTensor, decodeTensorProto } from '../../src/io/onnx/import/tensor_proto';
import { fields, readVarint } from '../../src/io/onnx/import/wire';
import { caseDir, ONNX_DATA, runOnnxCase } from './onnx_conformance';

const NODE_CASES = [
  'test_abs', 'test_add', 'test_add_bcast', 'test_add_uint8', 'test_sub', 'test_sub_bcast', 'test_sub_example', 'test_sub_uint8',
  'test_mul', 'test_mul_bcast', 'test_mul_example', 'test_mul_uint8', 'test_div', 'test_div_bcast', 'test_div_example', 'test_div_uint8',
  'test_pow', 'test_pow_bcast_array', 'test_pow_bcast_scalar', 'test_pow_example', 'test_pow_types_float', 'test_pow_types_float32_int32',
  'test_pow_types_float32_int64', 'test_pow_types_float32_uint32', 'test_pow_types_float32_uint64', 'test_pow_types_int',
  'test_pow_types_int32_float32', 'test_pow_types_int32_int32', 'test_pow_types_int64_float32', 'test_pow_types_int64_int64',
  'test_mod_broadcast', 'test_mod_int64_fmod', 'test_mod_mixed_sign_float16', 'test_mod_mixed_sign_float32', 'test_mod_mixed_sign_float64',
  'test_mod_mixed_sign_int16', 'test_mod_mixed_sign_int32', 'test_mod_mixed_sign_int64', 'test_mod_mixed_sign_int8', 'test_mod_uint16',
  'test_mod_uint32', 'test_mod_uint64', 'test_mod_uint8',
  'test_bitshift_left_uint16', 'test_bitshift_left_uint32', 'test_bitshift_left_uint64', 'test_bitshift_left_uint8',
  'test_bitshift_right_uint16', 'test_bitshift_right_uint32', 'test_bitshift_right_uint64', 'test_bitshift_right_uint8',
  'test_neg', 'test_neg_example', 'test_sqrt', 'test_sqrt_example', 'test_reciprocal', 'test_reciprocal_example', 'test_exp', 'test_exp_example',
  'test_log', 'test_log_example', 'test_sin', 'test_sin_example', 'test_cos', 'test_cos_example', 'test_tan', 'test_tan_example',
  'test_sinh', 'test_sinh_example', 'test_cosh', 'test_cosh_example', 'test_tanh', 'test_tanh_example', 'test_sigmoid', 'test_sigmoid_example',
  'test_erf', 'test_floor', 'test_floor_example', 'test_ceil', 'test_ceil_example', 'test_round', 'test_sign', 'test_isnan',
  'test_isinf', 'test_isinf_negative', 'test_isinf_positive',
  'test_relu', 'test_leakyrelu', 'test_leakyrelu_default', 'test_leakyrelu_example', 'test_elu', 'test_elu_default', 'test_elu_example',
  'test_selu', 'test_selu_default', 'test_selu_example', 'test_celu', 'test_celu_expanded', 'test_thresholdedrelu',
  'test_thresholdedrelu_default', 'test_thresholdedrelu_example', 'test_hardsigmoid', 'test_hardsigmoid_default', 'test_hardsigmoid_example',
  'test_hardswish', 'test_hardswish_expanded', 'test_prelu_broadcast', 'test_prelu_example', 'test_shrink_hard', 'test_shrink_soft',
  'test_equal', 'test_equal_bcast', 'test_less', 'test_less_bcast', 'test_greater', 'test_greater_bcast', 'test_less_equal',
  'test_less_equal_bcast', 'test_less_equal_bcast_expanded', 'test_less_equal_expanded', 'test_greater_equal', 'test_greater_equal_bcast',
  'test_greater_equal_bcast_expanded', 'test_greater_equal_expanded',
  'test_and2d', 'test_and3d', 'test_and4d', 'test_and_bcast3v1d', 'test_and_bcast3v2d', 'test_and_bcast4v2d', 'test_and_bcast4v3d', 'test_and_bcast4v4d',
  'test_or2d', 'test_or3d', 'test_or4d', 'test_or_bcast3v1d', 'test_or_bcast3v2d', 'test_or_bcast4v2d', 'test_or_bcast4v3d', 'test_or_bcast4v4d',
  'test_xor2d', 'test_xor3d', 'test_xor4d', 'test_xor_bcast3v1d', 'test_xor_bcast3v2d', 'test_xor_bcast4v2d', 'test_xor_bcast4v3d', 'test_xor_bcast4v4d',
  'test_where_example', 'test_where_long_example',
  'test_max_example', 'test_max_float16', 'test_max_float32', 'test_max_float64', 'test_max_int16', 'test_max_int32', 'test_max_int64', 'test_max_int8',
  'test_max_one_input', 'test_max_two_inputs', 'test_max_uint16', 'test_max_uint32', 'test_max_uint64', 'test_max_uint8',
  'test_min_example', 'test_min_float16', 'test_min_float32', 'test_min_float64', 'test_min_int16', 'test_min_int32', 'test_min_int64', 'test_min_int8',
  'test_min_one_input', 'test_min_two_inputs', 'test_min_uint16', 'test_min_uint32', 'test_min_uint64', 'test_min_uint8',
  'test_sum_example', 'test_sum_one_input', 'test_sum_two_inputs', 'test_mean_example', 'test_mean_one_input', 'test_mean_two_inputs',
  'test_clip', 'test_clip_default_inbounds', 'test_clip_default_int8_inbounds', 'test_clip_default_int8_max', 'test_clip_default_int8_min',
  'test_clip_default_max', 'test_clip_default_min', 'test_clip_example', 'test_clip_inbounds', 'test_clip_outbounds', 'test_clip_splitbounds',
  // FLOAT16 is float32 in asgrad: the casts to it do not round, and agree within ONNX's rtol 1e-3 (float16 keeps 11 bits).
  'test_cast_DOUBLE_to_FLOAT', 'test_cast_DOUBLE_to_FLOAT16', 'test_cast_FLOAT16_to_DOUBLE', 'test_cast_FLOAT16_to_FLOAT', 'test_cast_FLOAT_to_DOUBLE',
  'test_cast_FLOAT_to_FLOAT16', 'test_castlike_DOUBLE_to_FLOAT', 'test_castlike_DOUBLE_to_FLOAT_expanded', 'test_castlike_DOUBLE_to_FLOAT16',
  'test_castlike_DOUBLE_to_FLOAT16_expanded', 'test_castlike_FLOAT16_to_DOUBLE', 'test_castlike_FLOAT16_to_DOUBLE_expanded',
  'test_castlike_FLOAT16_to_FLOAT', 'test_castlike_FLOAT16_to_FLOAT_expanded', 'test_castlike_FLOAT_to_DOUBLE',
  'test_castlike_FLOAT_to_DOUBLE_expanded', 'test_castlike_FLOAT_to_FLOAT16', 'test_castlike_FLOAT_to_FLOAT16_expanded',
];

/** PyTorch's exports (opset 6: Add's legacy broadcast / axis, Clip's attributes, per-channel PRelu) and ONNX's small models. */
const OTHER_CASES = [
  'pytorch-operator/test_operator_add_broadcast', 'pytorch-operator/test_operator_add_size1_broadcast',
  'pytorch-operator/test_operator_add_size1_right_broadcast', 'pytorch-operator/test_operator_add_size1_singleton_broadcast',
  'pytorch-operator/test_operator_addconstant', 'pytorch-operator/test_operator_basic', 'pytorch-operator/test_operator_clip',
  'pytorch-operator/test_operator_exp', 'pytorch-operator/test_operator_max', 'pytorch-operator/test_operator_min',
  'pytorch-operator/test_operator_non_float_params', 'pytorch-operator/test_operator_params', 'pytorch-operator/test_operator_pow',
  'pytorch-operator/test_operator_selu', 'pytorch-operator/test_operator_sqrt', 'pytorch-operator/test_operator_symbolic_override_nested',
  'pytorch-converted/test_ELU', 'pytorch-converted/test_LeakyReLU', 'pytorch-converted/test_LeakyReLU_with_negval',
  'pytorch-converted/test_PReLU_1d', 'pytorch-converted/test_PReLU_1d_multiparam', 'pytorch-converted/test_PReLU_2d',
  'pytorch-converted/test_PReLU_2d_multiparam', 'pytorch-converted/test_PReLU_3d', 'pytorch-converted/test_PReLU_3d_multiparam',
  'pytorch-converted/test_PoissonNLLLLoss_no_reduce', 'pytorch-converted/test_ReLU', 'pytorch-converted/test_SELU',
  'pytorch-converted/test_Sigmoid', 'pytorch-converted/test_Softplus', 'pytorch-converted/test_Softsign', 'pytorch-converted/test_Tanh',
  'simple/test_shrink', 'simple/test_sign_model', 'simple/test_single_relu_model',
];

/** Their BFLOAT16 input is stored as UINT16 bit patterns (older ONNX test data): run with the bits read as bfloat16. */
const BF16_INPUT_CASES = ['test_cast_BFLOAT16_to_FLOAT', 'test_castlike_BFLOAT16_to_FLOAT', 'test_castlike_BFLOAT16_to_FLOAT_expanded'];

/** Opset 1 models, below the importer's minimum: their ops' only versions, so they also run with the opset raised to 7. */
const OPSET_1_CASES = ['test_not_2d', 'test_not_3d', 'test_not_4d', 'test_softplus', 'test_softplus_example', 'test_softsign', 'test_softsign_example'];

/** Cases asgrad cannot run, with the error it gives (run with a float32 stand-in for inputs it cannot load). */
const UNSUPPORTED: Record<string, RegExp> = {
  // asgrad has no string tensors
  test_cast_FLOAT_to_STRING: /\(Cast\): casting to STRING is not supported/,
  // A STRING graph input is refused before any node runs.
  test_cast_STRING_to_FLOAT: /input 'input' is STRING in the model, which asgrad cannot hold/,
  test_castlike_FLOAT_to_STRING: /input 'like' is STRING in the model, which asgrad cannot hold/,
  test_castlike_FLOAT_to_STRING_expanded: /input 'like' is STRING in the model, which asgrad cannot hold/,
  test_castlike_STRING_to_FLOAT: /input 'input' is STRING in the model, which asgrad cannot hold/,
  test_castlike_STRING_to_FLOAT_expanded: /input 'input' is STRING in the model, which asgrad cannot hold/,
  // BFLOAT16 is float32 in asgrad, and a cast to it must round to 8 significant bits (up to 0.4%, beyond ONNX's rtol)
  test_cast_FLOAT_to_BFLOAT16: /\(Cast\): casting to BFLOAT16 is not supported/,
  test_castlike_FLOAT_to_BFLOAT16: /\(CastLike\): casting to BFLOAT16 is not supported/,
  test_castlike_FLOAT_to_BFLOAT16_expanded: /\(Cast\): casting to BFLOAT16 is not supported/,
};

const pb = (dir: string, file: string) => decodeTensorProto(readFileSync(join(dir, 'test_data_set_0', file)));

/**
 * A data-set input as the model declares it: BFLOAT16 stored as UINT16 bits is reinterpreted;
 * float32 zeros of the declared dims stand in where asgrad cannot load it (strings) or where the
 * data contradicts the model's dims (the BFLOAT16 CastLike cases store target_type as [1] for a
 * declared [3, 4]; CastLike reads only its type).
 */
function loadInput(dir: string, i: number, v: ValueInfo): Tensor {
  const standIn = () => zeros((v.dims ?? []).map(Number));
  let d;
  try { d = pb(dir, `input_${i}.pb`); } catch { return standIn(); }
  if (v.dims && v.dims.join() !== d.dims.join()) return standIn();
  if (v.elemType === 16 && d.dataType === 4) return tensor(new Float32Array(Uint32Array.from(d.values, (b) => b << 16).buffer), { shape: d.dims });
  return dataToTensor(d);
}

/** Imports case `name`, runs data set 0 through loadInput and returns the outputs' values (throws what importing or running throws). */
function runLoaded(name: string): { values: number[]; dtype: string; shape: number[] }[] {
  const dir = caseDir(name);
  const model = importOnnx(readFileSync(join(dir, 'model.onnx')));
  const feeds = Object.fromEntries(model.inputs.map((v, i) => [v.name, loadInput(dir, i, v)]));
  try {
    const out = model.run(feeds);
    const r = model.outputs.map((v) => ({ values: Array.from(out[v.name].data() as ArrayLike<number>), dtype: out[v.name].dtype, shape: [...out[v.name].shape] }));
    dispose(Object.values(out));
    return r;
  } finally {
    dispose(Object.values(feeds));
    model.dispose();
  }
}

/** model.onnx with its default-domain opset set to `to` (the version varint is one byte both ways). */
function withOpset(bytes: Uint8Array, to: number): Uint8Array {
  const b = Uint8Array.from(bytes);
  for (const f of fields(b)) {
    if (f.no !== 8 || !f.bytes) continue;
    const m = f.bytes; // a view into b
    let domain = '', at = 0, versionAt = -1;
    while (at < m.length) {
      const [key, next] = readVarint(m, at);
      if (key === 10) { const [len, s] = readVarint(m, next); domain = new TextDecoder().decode(m.subarray(s, s + len)); at = s + len; }
      else { if (key === 16) versionAt = next; at = readVarint(m, next)[1]; }
    }
    if ((domain === '' || domain === 'ai.onnx') && versionAt >= 0 && m[versionAt] < 128) m[versionAt] = to;
  }
  return b;
}

/** Runs `name` with the conformance harness on a copy whose model declares opset `to`. */
function runRaised(name: string, to: number): void {
  const tmp = mkdtempSync(join(tmpdir(), 'asgrad-onnx-'));
  try {
    cpSync(caseDir(name), tmp, { recursive: true });
    writeFileSync(join(tmp, 'model.onnx'), withOpset(readFileSync(join(tmp, 'model.onnx')), to));
    runOnnxCase(relative(ONNX_DATA, tmp));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('importOnnx conformance: elementwise ops', () => {
  for (const name of [...NODE_CASES, ...OTHER_CASES]) it(name, () => runOnnxCase(name));

  for (const name of BF16_INPUT_CASES) {
    it(`${name} (bfloat16 bits as stored)`, () => {
      const [out] = runLoaded(name);
      const ref = pb(caseDir(name), 'output_0.pb');
      expect({ dtype: out.dtype, shape: out.shape }).toEqual({ dtype: 'float32', shape: ref.dims });
      expect(out.values).toEqual(Array.from(ref.values)); // bfloat16 -> float32 is exact, NaN and ±inf included
    });
  }

  for (const name of OPSET_1_CASES) {
    it(`${name}: opset 1 is refused; with the opset raised to 7 it matches`, () => {
      expect(() => importOnnx(readFileSync(join(caseDir(name), 'model.onnx')))).toThrow(/the model uses opset 1; opsets from \d+ are supported/);
      runRaised(name, 7);
    });
  }

  for (const [name, err] of Object.entries(UNSUPPORTED)) {
    it(`${name} is unsupported and says so`, () => expect(() => runLoaded(name)).toThrow(err));
  }

  it('lists every case of the family', () => {
    const all = [...NODE_CASES, ...OTHER_CASES, ...BF16_INPUT_CASES, ...OPSET_1_CASES, ...Object.keys(UNSUPPORTED)];
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(267);
  });
});

// Converters called directly: a node with attributes, and a context with an opset (and declared input types).
type AttrValue = number | string | { f: number };

function call(opType: string, inputs: (Tensor | undefined)[], attrs: Record<string, AttrValue> = {}, opset = 17, types: number[] = []): Tensor {
  const m = new Map<string, AttrProto>();
  for (const [name, v] of Object.entries(attrs)) {
    const a = typeof v === 'string' ? { name, type: 3, s: v } : typeof v === 'object' ? { name, type: 1, f: v.f } : { name, type: 2, i: v };
    m.set(name, a as unknown as AttrProto);
  }
  const node = { name: `my_${opType}`, opType, domain: '', inputs: [], outputs: ['y'], attrs: m } as unknown as NodeProto;
  const ctx: OpContext = { opset, node, runGraph: () => { throw new Error('no subgraphs'); }, inputType: (i) => types[i] ?? 0 };
  return ELEMENTWISE_OPS[opType](inputs, new Attrs(node), ctx) as Tensor;
}

const ints = (v: number[], shape?: number[]) => tensor(Int32Array.from(v), { shape: shape ?? [v.length], dtype: 'int32' });
const f32 = (v: number) => Math.fround(v);
const vals = (t: Tensor) => Array.from(t.data() as ArrayLike<number>);
const FLT_MAX = 3.4028234663852886e38;

/** erf in float64: its Maclaurin series, to 1e-12 on |x| <= 3.5. */
function erf64(x: number): number {
  let term = x, sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17; n++) { term *= (-x * x) / n; sum += term / (2 * n + 1); }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('importOnnx elementwise ops: semantics and errors', () => {
  it('int Div truncates toward zero; int Mod follows Python (fmod=0) or C (fmod=1); a zero divisor throws', () => tidy(() => {
    const a = ints([-7, 7, -7, 6]), b = ints([2, -2, -2, 3]);
    const q = call('Div', [a, b]);
    expect([q.dtype, vals(q)]).toEqual(['int32', [-3, -3, 3, 2]]);
    const x = ints([-7, 7, -7, 5]), y = ints([3, -3, -3, 3]);
    expect(vals(call('Mod', [x, y]))).toEqual([2, -2, -1, 2]);
    expect(vals(call('Mod', [x, y], { fmod: 1 }))).toEqual([-1, 1, -1, 2]);
    expect(() => call('Div', [a, ints([1, 0, 1, 1])])).toThrow(/node 'my_Div' \(Div\): integer division by zero/);
    expect(() => call('Mod', [a, ints([0])])).toThrow(/\(Mod\): integer division by zero/);
  }));

  it('float Mod is C fmod: exact remainders, a rounded-up quotient corrected, special values', () => tidy(() => {
    const x = tensor([5.5, -5.5, 1, Infinity, 3, 3, 16777215, -16777215]);
    const y = tensor([2, 2, Infinity, 2, 0, -Infinity, 2, 2]);
    // 16777215 / 2 rounds to 8388608 in float32; the remainder is still 1
    expect(vals(call('Mod', [x, y], { fmod: 1 }))).toEqual([1.5, -1.5, 1, NaN, NaN, 3, 1, -1]);
    expect(() => call('Mod', [x, y])).toThrow(/\(Mod\): float inputs need fmod=1/);
    expect(() => call('Mod', [x, y], { fmod: 2 })).toThrow(/\(Mod\): fmod must be 0 or 1, got 2/);
  }));

  it('Pow: an int base gives exact ints (int32 overflow throws); a float base takes int exponents', () => tidy(() => {
    const p = call('Pow', [ints([2, -3, 7, 2]), ints([10, 3, 0, -1])]);
    expect([p.dtype, vals(p)]).toEqual(['int32', [1024, -27, 1, 0]]);
    expect(() => call('Pow', [ints([2]), ints([31])])).toThrow(/\(Pow\): gives 2147483648, outside asgrad's int32 range/);
    const f = call('Pow', [tensor([2, 0.5, -2]), ints([3, -1, 2])]);
    expect([f.dtype, vals(f)]).toEqual(['float32', [8, 2, 4]]);
  }));

  it('BitShift shifts exactly and checks its direction and inputs', () => tidy(() => {
    expect(vals(call('BitShift', [ints([1, 3, 5]), ints([4, 1, 0])], { direction: 'LEFT' }))).toEqual([16, 6, 5]);
    expect(vals(call('BitShift', [ints([17, 255]), ints([2, 4])], { direction: 'RIGHT' }))).toEqual([4, 15]);
    expect(() => call('BitShift', [ints([1]), ints([1])], { direction: 'UP' })).toThrow(/\(BitShift\): direction must be 'LEFT' or 'RIGHT', got 'UP'/);
    expect(() => call('BitShift', [tensor([1]), ints([1])], { direction: 'LEFT' })).toThrow(/needs integer inputs, got float32 and int32/);
    expect(() => call('BitShift', [ints([1]), ints([31])], { direction: 'LEFT' })).toThrow(/outside asgrad's int32 range/);
  }));

  it('Cast: floats truncate toward zero, 8/16-bit targets wrap, BOOL is x != 0, same-type casts pass through', () => tidy(() => {
    const x = tensor([-1.7, 2.9, 300.5, -1]);
    expect(vals(call('Cast', [x], { to: 6 }))).toEqual([-1, 2, 300, -1]);
    expect(vals(call('Cast', [x], { to: 3 }))).toEqual([-1, 2, 44, -1]); // INT8
    expect(vals(call('Cast', [x], { to: 2 }))).toEqual([255, 2, 44, 255]); // UINT8
    expect(vals(call('Cast', [ints([40000, -40000])], { to: 5 }))).toEqual([-25536, 25536]); // INT16
    const b = call('Cast', [tensor([NaN, 0, -0, 2])], { to: 9 });
    expect([b.dtype, vals(b)]).toEqual(['bool', [1, 0, 0, 1]]);
    const f = call('Cast', [ints([0, 5])], { to: 11 });
    expect([f.dtype, vals(f)]).toEqual(['float32', [0, 5]]);
    expect(call('Cast', [x], { to: 1 })).toBe(x);
    expect(() => call('Cast', [x], { to: 12 })).toThrow(/\(Cast\): casts -1 to UINT32, whose value asgrad's int32 cannot hold/);
    expect(() => call('Cast', [x], { to: 14 })).toThrow(/\(Cast\): casting to COMPLEX64 is not supported/);
    expect(() => call('Cast', [x])).toThrow(/\(Cast\): needs the attribute 'to'/);
  }));

  it("CastLike casts to target_type's declared ONNX type, else to its dtype", () => tidy(() => {
    const x = tensor([-1.5, 200.7]);
    const r = call('CastLike', [x, ints([0])]);
    expect([r.dtype, vals(r)]).toEqual(['int32', [-1, 200]]);
    expect(vals(call('CastLike', [x, ints([0])], {}, 17, [1, 3]))).toEqual([-1, -56]); // declared INT8
    expect(() => call('CastLike', [x, tensor([0])], {}, 17, [1, 16])).toThrow(/\(CastLike\): casting to BFLOAT16 is not supported/);
  }));

  it('comparisons and logic give bool; Where keeps bool branches bool', () => tidy(() => {
    const p = tensor([true, true, false, false]), q = tensor([true, false, true, false]);
    expect(vals(call('And', [p, q]))).toEqual([1, 0, 0, 0]);
    expect(vals(call('Or', [p, q]))).toEqual([1, 1, 1, 0]);
    expect(vals(call('Xor', [p, q]))).toEqual([0, 1, 1, 0]);
    const n = call('Not', [p]);
    expect([n.dtype, vals(n)]).toEqual(['bool', [0, 0, 1, 1]]);
    const w = call('Where', [p, q, tensor([false])]);
    expect([w.dtype, vals(w)]).toEqual(['bool', [1, 0, 0, 0]]);
    const e = call('Equal', [ints([1, 2]), ints([2])]);
    expect([e.dtype, vals(e)]).toEqual(['bool', [0, 1]]);
  }));

  it('Clip: attributes before opset 11, inputs from it; min > max gives max; absent float bounds are ±FLT_MAX; ints stay ints', () => tidy(() => {
    const x = tensor([-2, 0, 2]);
    expect(vals(call('Clip', [x], { min: { f: -1 }, max: { f: 1 } }, 6))).toEqual([-1, 0, 1]);
    expect(vals(call('Clip', [tensor([Infinity, -Infinity, 3])], {}, 6))).toEqual([f32(FLT_MAX), -f32(FLT_MAX), 3]);
    expect(vals(call('Clip', [x, tensor(2), tensor(1)], {}, 13))).toEqual([1, 1, 1]);
    expect(vals(call('Clip', [tensor([Infinity, 0]), undefined, tensor(1)], {}, 13))).toEqual([1, 0]);
    const c = call('Clip', [ints([-5, 0, 5]), ints([-1], [])], {}, 13);
    expect([c.dtype, vals(c)]).toEqual(['int32', [-1, 0, 5]]);
    expect(() => call('Clip', [x], { min: { f: 0 } }, 13)).toThrow(/\(Clip\): the attribute 'min' is not supported/);
    expect(() => call('Clip', [x, tensor([0, 1])], {}, 13)).toThrow(/\(Clip\): min must hold one value, got shape \[2\]/);
  }));

  it('before opset 7, B broadcasts only with broadcast=1, aligned at axis; later opsets refuse those attributes', () => tidy(() => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]), b = tensor([10, 20]);
    expect(call('Add', [a, b], { broadcast: 1, axis: 0 }, 6).toArray()).toEqual([[11, 12, 13], [24, 25, 26]]);
    expect(call('Mul', [a, tensor([1, 0, 2])], { broadcast: 1 }, 6).toArray()).toEqual([[1, 0, 6], [4, 0, 12]]);
    expect(() => call('Add', [a, b], {}, 6)).toThrow(/\(Add\): without broadcast=1, A \[2, 3\] and B \[2\] must have the same shape/);
    expect(() => call('Add', [a, b], { broadcast: 1, axis: 1 }, 6)).toThrow(/B \[2\] does not match A \[2, 3\] from axis 1/);
    expect(() => call('Add', [a, b], { broadcast: 1 }, 13)).toThrow(/\(Add\): the attribute 'broadcast' is not supported/);
  }));

  it('PRelu: slope broadcasts one way (per channel before opset 7), and its gradient reaches the slope', () => tidy(() => {
    const x = tensor([[-1, 2], [-3, 4]]);
    const slope = tensor([0.5, 0.25], { requiresGrad: true });
    const y = call('PRelu', [x, slope]);
    expect(y.toArray()).toEqual([[-0.5, 2], [-1.5, 4]]);
    y.sum().backward();
    expect(vals(slope.grad!)).toEqual([-4, 0]);
    expect(call('PRelu', [tensor([[[-1], [-1]]]), tensor([2, 3])], {}, 6).toArray()).toEqual([[[-2], [-3]]]);
    expect(() => call('PRelu', [x, tensor([1, 2, 3])])).toThrow(/\(PRelu\): slope \[3\] does not broadcast to X \[2, 2\]/);
  }));

  it('Neg, Abs, Relu, Sign and Shrink keep int inputs int', () => tidy(() => {
    const x = ints([-3, 0, 4]);
    for (const [op, want] of [['Neg', [3, 0, -4]], ['Abs', [3, 0, 4]], ['Relu', [0, 0, 4]], ['Sign', [-1, 0, 1]], ['Shrink', [-2, 0, 3]]] as const) {
      const r = call(op, [x], op === 'Shrink' ? { lambd: { f: 1 }, bias: { f: 1 } } : {});
      expect([op, r.dtype, vals(r)]).toEqual([op, 'int32', want]);
    }
  }));

  it('Erf is float32-accurate against a float64 series, with the gradient 2/√π·e^(-x²)', () => tidy(() => {
    const xs = [...Array.from({ length: 701 }, (_, i) => -3.5 + i * 0.01), 1e-7, -3e-5, 2e-3, 0.999, 1.001];
    const x = tensor(xs, { requiresGrad: true });
    const y = call('Erf', [x]);
    const got = vals(y);
    let worst = 0;
    xs.forEach((v, i) => { const r = erf64(f32(v)); worst = Math.max(worst, Math.abs(got[i] - r) / Math.max(Math.abs(r), 0.5)); });
    expect(worst).toBeLessThan(2.5e-7); // a few float32 ulps
    expect(vals(call('Erf', [tensor([Infinity, -Infinity, 10, NaN])]))).toEqual([1, -1, 1, NaN]);
    y.sum().backward();
    const g = vals(x.grad!);
    xs.forEach((v, i) => expect(Math.abs(g[i] - (2 / Math.sqrt(Math.PI)) * Math.exp(-(f32(v) ** 2)))).toBeLessThan(2e-6));
  }));

  it('Sinh, Cosh, Tan, Mish, Celu, HardSwish against float64 formulas', () => tidy(() => {
    const xs = [-5, -1.5, -0.9, -1e-4, 1e-6, 0.3, 0.999, 1, 2.5, 8];
    const x = tensor(xs);
    const softplus = (v: number) => Math.log1p(Math.exp(v));
    const refs: [string, (v: number) => number, Record<string, AttrValue>?][] = [
      ['Sinh', Math.sinh], ['Cosh', Math.cosh], ['Tan', Math.tan], ['Mish', (v) => v * Math.tanh(softplus(v))],
      ['Celu', (v) => Math.max(0, v) + Math.min(0, 2 * Math.expm1(v / 2)), { alpha: { f: 2 } }],
      ['HardSwish', (v) => v * Math.max(0, Math.min(1, v / 6 + 0.5))],
    ];
    for (const [op, f, attrs] of refs) {
      const got = vals(call(op, [x], attrs));
      // + 1e-7: Celu's elu takes e^x - 1 in float32, which near 0 is exact only to float32's absolute 6e-8
      xs.forEach((v, i) => expect({ op, v, err: Math.abs(got[i] - f(f32(v))) <= 1e-6 * Math.abs(f(f32(v))) + 1e-7 }).toEqual({ op, v, err: true }));
    }
    expect(() => call('Celu', [x], { alpha: { f: 0 } })).toThrow(/\(Celu\): alpha must be non-zero/);
  }));

  it('IsInf detects the signs its attributes ask for; IsNaN', () => tidy(() => {
    const x = tensor([-Infinity, Infinity, NaN, 1]);
    expect(vals(call('IsInf', [x]))).toEqual([1, 1, 0, 0]);
    expect(vals(call('IsInf', [x], { detect_positive: 0 }))).toEqual([1, 0, 0, 0]);
    expect(vals(call('IsInf', [x], { detect_negative: 0 }))).toEqual([0, 1, 0, 0]);
    expect(vals(call('IsInf', [x], { detect_negative: 0, detect_positive: 0 }))).toEqual([0, 0, 0, 0]);
    expect(vals(call('IsNaN', [x]))).toEqual([0, 0, 1, 0]);
  }));

  it('Max / Min / Sum / Mean broadcast any number of inputs; one input passes through', () => tidy(() => {
    const a = tensor([[1], [6]]), b = tensor([2, 5, 9]), c = tensor(4);
    expect(call('Max', [a, b, c]).toArray()).toEqual([[4, 5, 9], [6, 6, 9]]);
    expect(call('Min', [a, b, c]).toArray()).toEqual([[1, 1, 1], [2, 4, 4]]);
    expect(call('Sum', [a, b, c]).toArray()).toEqual([[7, 10, 14], [12, 15, 19]]);
    expect(call('Mean', [a, b, c]).toArray()).toEqual([[7 / 3, 10 / 3, 14 / 3], [4, 5, 19 / 3]].map((r) => r.map(f32)));
    expect(call('Sum', [a])).toBe(a);
    expect(() => call('Max', [])).toThrow(/\(Max\): needs at least one input/);
  }));

  it('activation attributes are checked by name', () => tidy(() => {
    const x = tensor([1]);
    expect(() => call('Relu', [x], { alpha: { f: 1 } })).toThrow(/node 'my_Relu' \(Relu\): the attribute 'alpha' is not supported \(supported: none\)/);
    expect(() => call('LeakyRelu', [x], { alpha: 1 })).toThrow(/\(LeakyRelu\): attribute 'alpha' is INT, expected FLOAT/);
    expect(() => call('Selu', [x], { beta: { f: 1 } })).toThrow(/\(Selu\): the attribute 'beta' is not supported \(supported: alpha, gamma\)/);
  }));
});
