// importOnnx: reductions, ArgMax/ArgMin, Softmax/LogSoftmax/Hardmax, MatMul, Gemm, CumSum, TopK and
// Einsum (ops/reduce.ts, ops/matrix.ts, ops/einsum.ts) against ONNX's conformance data, plus direct
// checks of opset-dependent forms, edge cases, errors and gradients against float64 references.
import { describe, expect, it } from 'vitest';
import { runOnnxCase } from './onnx_conformance';
import { REDUCE_OPS } from '../../src/io/onnx/import/ops/reduce';
import { MATRIX_OPS } from '../../src/io/onnx/import/ops/matrix';
import { Attrs, type OpContext } from '../../src/io/onnx/import/attrs';
import type { AttrProto, NodeProto } from '../../src/io/onnx/import/model_proto';
import { tensor, tidy, type Tensor } from '../../src/index';

const each = (prefix: string, suffixes: string[]) => suffixes.map((s) => `${prefix}${s}`);
const EX_RANDOM = (stems: string[]) => stems.flatMap((s) => [`${s}_example`, `${s}_random`]);

const ARG = ['argmax', 'argmin'].flatMap((op) => EX_RANDOM(['default_axis', 'keepdims', 'negative_axis_keepdims', 'no_keepdims'])
  .flatMap((s) => [`test_${op}_${s}`, `test_${op}_${s}_select_last_index`]));
const REDUCE = [
  ...['l1', 'l2'].flatMap((op) => EX_RANDOM(['default_axes_keepdims', 'do_not_keepdims', 'keep_dims', 'negative_axes_keep_dims']).map((s) => `test_reduce_${op}_${s}`)),
  ...each('test_reduce_log_sum', ['', '_asc_axes', '_default', '_desc_axes', '_negative_axes']),
  ...EX_RANDOM(['default_axes_keepdims', 'do_not_keepdims', 'keepdims', 'negative_axes_keepdims']).map((s) => `test_reduce_log_sum_exp_${s}`),
  'test_reduce_max_default_axes_keepdim_example', 'test_reduce_max_default_axes_keepdims_random',
  ...EX_RANDOM(['do_not_keepdims', 'keepdims', 'negative_axes_keepdims']).map((s) => `test_reduce_max_${s}`),
  ...['mean', 'min', 'prod', 'sum', 'sum_square'].flatMap((op) => EX_RANDOM(['default_axes_keepdims', 'do_not_keepdims', 'keepdims', 'negative_axes_keepdims'])
    .map((s) => `test_reduce_${op}_${s}`)),
  ...EX_RANDOM(['empty_axes_input_noop']).map((s) => `test_reduce_sum_${s}`),
];
const NORMALIZE = [
  ...each('test_softmax_', ['axis_0', 'axis_1', 'axis_2', 'default_axis', 'example', 'large_number', 'negative_axis']),
  ...each('test_logsoftmax_', ['axis_0', 'axis_1', 'axis_2', 'default_axis', 'example_1', 'large_number', 'negative_axis']),
  ...each('test_hardmax_', ['axis_0', 'axis_1', 'axis_2', 'default_axis', 'example', 'negative_axis', 'one_hot']),
];
const MATRIX = [
  ...each('test_matmul_', ['2d', '3d', '4d']),
  ...each('test_gemm_', ['all_attributes', 'alpha', 'beta', 'default_matrix_bias', 'default_no_bias', 'default_scalar_bias',
    'default_single_elem_vector_bias', 'default_vector_bias', 'default_zero_bias', 'transposeA', 'transposeB']),
  ...each('test_cumsum_', ['1d', '1d_exclusive', '1d_reverse', '1d_reverse_exclusive', '2d_axis_0', '2d_axis_1', '2d_negative_axis']),
  ...each('test_top_k', ['', '_negative_axis', '_smallest']),
  ...each('test_einsum_', ['batch_diagonal', 'batch_matmul', 'inner_prod', 'sum', 'transpose']),
];
/** ONNX's function expansions of Softmax / LogSoftmax: ReduceMax / ReduceSum with Sub, Exp, Div, Log (the elementwise family). */
const EXPANDED = [...NORMALIZE.filter((n) => !n.includes('hardmax')).map((n) => `${n}_expanded`)];
/** Opset-6 PyTorch exports whose every node is one of these ops (Gemm-6 with broadcast, Softmax-1's 2-D coercion). */
const MODELS = [
  ...each('pytorch-operator/test_operator_', ['mm', 'addmm', 'reduced_mean', 'reduced_mean_keepdim', 'reduced_sum', 'reduced_sum_keepdim']),
  ...each('pytorch-converted/test_', ['Linear', 'LogSoftmax', 'Softmax', 'log_softmax_dim3', 'log_softmax_lastdim', 'softmax_functional_dim3', 'softmax_lastdim']),
];
/** Neg (the elementwise family) then Softmax-1. */
const SOFTMIN = 'pytorch-converted/test_Softmin';

/** Cases listed by `ls node | grep` for these ops that asgrad cannot run, with the reason; each must fail naming it. */
const UNSUPPORTED: [name: string, reason: string, error: RegExp][] = [
  ['test_matmulinteger', 'MatMulInteger is a quantized uint8 x uint8 -> int32 product with zero points; asgrad has no uint8 dtype and no integer GEMM',
    /node '[^']*' \(MatMulInteger\): the op is not supported/],
];

describe('importOnnx conformance: reductions, softmax and matrix ops', () => {
  for (const name of [...ARG, ...REDUCE, ...NORMALIZE, ...MATRIX]) it(name, () => runOnnxCase(name));
  for (const name of MODELS) it(name, () => runOnnxCase(name));
  for (const [name, reason, error] of UNSUPPORTED) it(`${name} is unsupported (${reason.split(';')[0]})`, () => expect(() => runOnnxCase(name)).toThrow(error));
  for (const name of [...EXPANDED, SOFTMIN]) it(name, () => runOnnxCase(name));
});

// Direct converter calls on a hand-made node, so opset forms, edge cases and errors can be checked.
const OPS = { ...REDUCE_OPS, ...MATRIX_OPS };
type AttrValue = number | number[] | string | { f: number };

function call(opType: string, inputs: (Tensor | undefined)[], attrs: Record<string, AttrValue> = {}, opset = 17): Tensor | Tensor[] {
  const m = new Map<string, AttrProto>();
  for (const [name, v] of Object.entries(attrs)) {
    const a = typeof v === 'string' ? { name, type: 3, s: v } : Array.isArray(v) ? { name, type: 7, ints: v }
      : typeof v === 'object' ? { name, type: 1, f: v.f } : { name, type: 2, i: v };
    m.set(name, { floats: [], ints: [], strings: [], ...a } as AttrProto);
  }
  const node = { name: `my_${opType}`, opType, domain: '', inputs: [], outputs: ['y'], attrs: m } as NodeProto;
  const ctx: OpContext = { opset, node, runGraph: () => { throw new Error('no subgraphs'); } };
  return OPS[opType](inputs, new Attrs(node), ctx);
}
const one = (r: Tensor | Tensor[]) => r as Tensor;
const ints = (v: number[], shape?: number[]) => tensor(Int32Array.from(v), { shape: shape ?? [v.length], dtype: 'int32' });
/** Deterministic values in (-2, 2) of `shape`. */
const vals = (shape: number[], seed = 1) => {
  const n = shape.reduce((p, s) => p * s, 1);
  return tensor(Float32Array.from({ length: n }, (_, i) => 2 * Math.sin(seed * 12.9898 + i * 78.233)), { shape });
};
/** Float32 result vs a float64 reference: |got - want| <= 1e-5 + 1e-4 |want|. */
function expectClose(got: Tensor, shape: number[], want: ArrayLike<number>): void {
  expect(got.shape).toEqual(shape);
  const g = got.data() as Float32Array;
  expect(g.length).toBe(want.length);
  for (let i = 0; i < g.length; i++) if (!(Math.abs(g[i] - want[i]) <= 1e-5 + 1e-4 * Math.abs(want[i]))) expect([i, g[i]]).toEqual([i, want[i]]);
}

/** Softmax (or log-softmax) over groups of `n` consecutive elements... along a dim split as [outer, n, inner], in float64. */
function refSoftmax(x: ArrayLike<number>, outer: number, n: number, inner: number, log = false): Float64Array {
  const y = new Float64Array(x.length);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    const at = (k: number) => (o * n + k) * inner + i;
    let m = -Infinity, s = 0;
    for (let k = 0; k < n; k++) m = Math.max(m, x[at(k)]);
    for (let k = 0; k < n; k++) s += Math.exp(x[at(k)] - m);
    for (let k = 0; k < n; k++) y[at(k)] = log ? x[at(k)] - m - Math.log(s) : Math.exp(x[at(k)] - m) / s;
  }
  return y;
}

/** numpy's einsum for letter-only explicit equations, in float64 by brute force over every label assignment. */
function refEinsum(eq: string, xs: Tensor[]): { shape: number[]; data: Float64Array } {
  const [lhs, out] = eq.split('->');
  const terms = lhs.split(',');
  const size = new Map<string, number>();
  terms.forEach((t, i) => [...t].forEach((l, d) => size.set(l, xs[i].shape[d])));
  const labels = [...size.keys()], datas = xs.map((x) => x.data() as Float32Array);
  const shape = [...out].map((l) => size.get(l)!);
  const data = new Float64Array(shape.reduce((p, s) => p * s, 1));
  const flat = (term: string, at: Map<string, number>) => [...term].reduce((f, l) => f * size.get(l)! + at.get(l)!, 0);
  const total = labels.reduce((p, l) => p * size.get(l)!, 1);
  for (let c = 0; c < total; c++) {
    const at = new Map<string, number>();
    let r = c;
    for (const l of labels) { at.set(l, r % size.get(l)!); r = Math.floor(r / size.get(l)!); }
    data[flat(out, at)] += terms.reduce((p, t, i) => p * datas[i][flat(t, at)], 1);
  }
  return { shape, data };
}

describe('importOnnx reductions: opset forms and edge cases', () => {
  it('Reduce* take axes as an attribute before opset 18 (ReduceSum: 13) and as an input from it', () => tidy(() => {
    const x = tensor([[1, -2, 3], [4, 5, -6]]);
    expect(one(call('ReduceMax', [x], { axes: [1], keepdims: 0 }, 13)).toArray()).toEqual([3, 5]);
    expect(one(call('ReduceMax', [x, ints([-1])], { keepdims: 0 }, 18)).toArray()).toEqual([3, 5]);
    expect(one(call('ReduceSum', [x], { axes: [0] }, 11)).toArray()).toEqual([[5, 3, -3]]);
    expect(one(call('ReduceSum', [x, ints([0])], {}, 13)).toArray()).toEqual([[5, 3, -3]]);
    expect(one(call('ReduceL1', [x, ints([1])], {}, 18)).toArray()).toEqual([[6], [15]]);
    expect(one(call('ReduceSumSquare', [x], {}, 18)).toArray()).toEqual([[91]]); // no axes: all of them
    expect(() => call('ReduceSum', [x], { axes: [0] }, 13)).toThrow(/node 'my_ReduceSum' \(ReduceSum\): the attribute 'axes' is not supported/);
    expect(() => call('ReduceMean', [x, ints([0])], {}, 13)).toThrow(/\(ReduceMean\): takes axes as an attribute at opset 13, got 2 inputs/);
    expect(() => call('ReduceMean', [x], { noop_with_empty_axes: 1 }, 13)).toThrow(/the attribute 'noop_with_empty_axes' is not supported/);
  }));

  it('noop_with_empty_axes keeps the composite steps: L1 -> |x|, L2 -> |x|, SumSquare -> x^2, LogSum -> log x', () => tidy(() => {
    const x = tensor([[1, -2], [3, -4]]);
    const noop = (op: string) => one(call(op, [x, ints([])], { noop_with_empty_axes: 1 }, 18)).toArray();
    expect(noop('ReduceL1')).toEqual([[1, 2], [3, 4]]);
    expect(noop('ReduceL2')).toEqual([[1, 2], [3, 4]]);
    expect(noop('ReduceSumSquare')).toEqual([[1, 4], [9, 16]]);
    expect(noop('ReduceMax')).toEqual([[1, -2], [3, -4]]);
    expectClose(one(call('ReduceLogSum', [tensor([1, 2, 4]), ints([])], { noop_with_empty_axes: 1 }, 18)), [3], [0, Math.log(2), Math.log(4)]);
    expect(one(call('ReduceSum', [x, ints([])], { noop_with_empty_axes: 1 }, 13)).toArray()).toEqual([[1, -2], [3, -4]]);
  }));

  it('reductions over an empty set give their identities (ONNX-18): 0, 1, -inf, +inf; int32 extremes for ints', () => tidy(() => {
    const x = tensor(new Float32Array(0), { shape: [2, 0] });
    const r = (op: string, t = x) => one(call(op, [t], { axes: [1], keepdims: 0 }, 11)).toArray();
    expect(r('ReduceSum')).toEqual([0, 0]);
    expect(r('ReduceProd')).toEqual([1, 1]);
    expect(r('ReduceMax')).toEqual([-Infinity, -Infinity]);
    expect(r('ReduceMin')).toEqual([Infinity, Infinity]);
    expect(r('ReduceLogSumExp')).toEqual([-Infinity, -Infinity]);
    expect(r('ReduceLogSum')).toEqual([-Infinity, -Infinity]);
    expect(r('ReduceL2')).toEqual([0, 0]);
    expect(r('ReduceMin', ints([], [2, 0]))).toEqual([2147483647, 2147483647]);
  }));

  it('int32 data: Sum, Max, Min, L1, SumSquare, Prod stay int32; Mean and the log kinds ask for floats', () => tidy(() => {
    const x = ints([1, -2, 3, 4, 5, -6], [2, 3]);
    const r = (op: string) => { const t = one(call(op, [x], { axes: [1], keepdims: 0 }, 11)); return [t.dtype, t.toArray()]; };
    expect(r('ReduceSum')).toEqual(['int32', [2, 3]]);
    expect(r('ReduceMax')).toEqual(['int32', [3, 5]]);
    expect(r('ReduceMin')).toEqual(['int32', [-2, -6]]);
    expect(r('ReduceL1')).toEqual(['int32', [6, 15]]);
    expect(r('ReduceSumSquare')).toEqual(['int32', [14, 77]]);
    expect(r('ReduceProd')).toEqual(['int32', [-6, -120]]);
    expect(() => r('ReduceMean')).toThrow(/node 'my_ReduceMean' \(ReduceMean\): input 0 \(data\) must be a float tensor, got int32/);
    // A product past 2^24 would come back rounded from float32: an error, not a wrong int.
    expect(() => call('ReduceProd', [ints([4097, 4099])], {}, 13)).toThrow(/\(ReduceProd\): ReduceProd's result reaches \d+; .* exact only below 2\^24/);
  }));

  it('a rank-0 input reduces to itself; bad axes name the node', () => tidy(() => {
    const s = tensor(-3);
    expect(one(call('ReduceL1', [s], {}, 13)).toArray()).toBe(3);
    const x = tensor([[1, 2], [3, 4]]);
    expect(() => call('ReduceSum', [x], { axes: [2] }, 11)).toThrow(/node 'my_ReduceSum' \(ReduceSum\): axis 2 is out of range for a tensor of rank 2/);
    expect(() => call('ReduceMax', [x], { axes: [1, -1] }, 13)).toThrow(/\(ReduceMax\): axes \[1, -1\] repeat an axis/);
    expect(() => call('ReduceSum', [x, tensor([0.5])], {}, 13)).toThrow(/\(ReduceSum\): input 1 \(axes\) must be an int tensor, got float32/);
  }));

  it('ArgMax / ArgMin: the first extreme index on ties, or the last with select_last_index; int32 results', () => tidy(() => {
    const x = tensor([[1, 3, 3], [2, 2, 1]]);
    const r = (op: string, attrs: Record<string, number>) => { const t = one(call(op, [x], attrs, 13)); return [t.dtype, t.toArray()]; };
    expect(r('ArgMax', { axis: 1, keepdims: 0 })).toEqual(['int32', [1, 0]]);
    expect(r('ArgMax', { axis: 1, keepdims: 0, select_last_index: 1 })).toEqual(['int32', [2, 1]]);
    expect(r('ArgMin', { axis: -1, select_last_index: 1 })).toEqual(['int32', [[0], [2]]]);
    expect(r('ArgMin', {})).toEqual(['int32', [[0, 1, 1]]]); // axis 0, keepdims 1 by default
    expect(one(call('ArgMax', [ints([5, 9, 9, -1])], { select_last_index: 1 }, 13)).toArray()).toEqual([2]);
    expect(() => call('ArgMax', [x], { axis: 2 }, 13)).toThrow(/node 'my_ArgMax' \(ArgMax\): axis 2 is out of range/);
    expect(() => call('ArgMax', [tensor(new Float32Array(0), { shape: [0, 2] })], { axis: 0 }, 13)).toThrow(/\(ArgMax\): cannot take ArgMax along axis 0 of size 0/);
  }));

  it('ReduceL2 and ReduceLogSumExp differentiate: d||x||/dx = x / ||x||, d lse/dx = softmax(x)', () => {
    const x = tensor([3, -4, 12], { requiresGrad: true });
    tidy(() => one(call('ReduceL2', [x], { keepdims: 0 }, 13)).backward());
    expectClose(x.grad!, [3], [3 / 13, -4 / 13, 12 / 13]);
    const z = tensor([3, -4, 12], { requiresGrad: true });
    tidy(() => one(call('ReduceLogSumExp', [z], { keepdims: 0 }, 13)).backward());
    expectClose(z.grad!, [3], refSoftmax([3, -4, 12], 1, 3, 1));
    for (const t of [x, z]) { t.grad!.dispose(); t.dispose(); }
  });
});

describe('importOnnx Softmax / LogSoftmax / Hardmax: the 2-D coercion before opset 13', () => {
  it('before 13, axis=1 normalizes over all trailing dims at once; from 13 over that one dim', () => tidy(() => {
    const x = vals([2, 3, 4]);
    const d = x.data() as Float32Array;
    expectClose(one(call('Softmax', [x], {}, 11)), [2, 3, 4], refSoftmax(d, 2, 12, 1));
    expectClose(one(call('Softmax', [x], { axis: 1 }, 13)), [2, 3, 4], refSoftmax(d, 2, 3, 4));
    expectClose(one(call('Softmax', [x], {}, 13)), [2, 3, 4], refSoftmax(d, 6, 4, 1));
    expectClose(one(call('LogSoftmax', [x], { axis: 0 }, 11)), [2, 3, 4], refSoftmax(d, 1, 24, 1, true));
    expectClose(one(call('LogSoftmax', [x], { axis: -2 }, 11)), [2, 3, 4], refSoftmax(d, 2, 12, 1, true));
    expectClose(one(call('LogSoftmax', [x], { axis: -2 }, 13)), [2, 3, 4], refSoftmax(d, 2, 3, 4, true));
  }));

  it('Hardmax: 1 at the first maximum, over the coerced block before 13 and along the axis from 13', () => tidy(() => {
    const x = tensor([[[1, 5], [5, 0]], [[2, 2], [0, 1]]]);
    expect(one(call('Hardmax', [x], {}, 11)).toArray()).toEqual([[[0, 1], [0, 0]], [[1, 0], [0, 0]]]);
    expect(one(call('Hardmax', [x], { axis: 1 }, 13)).toArray()).toEqual([[[0, 1], [1, 0]], [[1, 1], [0, 0]]]);
    expect(one(call('Hardmax', [x], {}, 13)).toArray()).toEqual([[[0, 1], [1, 0]], [[1, 0], [0, 1]]]);
  }));

  it('gradients flow through Softmax-11 coerced over two dims', () => {
    const x = vals([2, 3], 3).requiresGrad_();
    const w = vals([2, 3], 4);
    tidy(() => one(call('Softmax', [x], { axis: 0 }, 11)).mul(w).sum().backward());
    // dL/dx = y * (w - sum(w * y)) over the whole (coerced to [1, 6]) tensor.
    const y = refSoftmax(x.data() as Float32Array, 1, 6, 1), wd = w.data() as Float32Array;
    const s = y.reduce((p, v, i) => p + v * wd[i], 0);
    expectClose(x.grad!, [2, 3], y.map((v, i) => v * (wd[i] - s)));
    x.grad!.dispose(); x.dispose(); w.dispose();
  });

  it('non-float inputs and unknown attributes name the node', () => tidy(() => {
    expect(() => call('Softmax', [ints([1, 2])], {}, 13)).toThrow(/node 'my_Softmax' \(Softmax\): input 0 \(input\) must be a float tensor, got int32/);
    expect(() => call('LogSoftmax', [tensor([1, 2])], { axis: 0, foo: 1 }, 13)).toThrow(/\(LogSoftmax\): the attribute 'foo' is not supported/);
    expect(() => call('Hardmax', [tensor([1, 2])], { axis: 1 }, 13)).toThrow(/\(Hardmax\): axis 1 is out of range for a tensor of rank 1/);
  }));
});

describe('importOnnx MatMul and Gemm', () => {
  it('MatMul: 1-D operands as numpy, batch dims broadcast', () => tidy(() => {
    const a = vals([2, 1, 3, 4]), b = vals([5, 4, 2], 2), v = vals([4], 3);
    expectClose(one(call('MatMul', [a, b])), [2, 5, 3, 2], refEinsum('abij,bjk->abik', [a.expand([2, 5, 3, 4]), b]).data);
    expectClose(one(call('MatMul', [v, b])), [5, 2], refEinsum('j,bjk->bk', [v, b]).data);
    expectClose(one(call('MatMul', [a, v])), [2, 1, 3], refEinsum('abij,j->abi', [a, v]).data);
    expect(one(call('MatMul', [v, v])).shape).toEqual([]);
    expect(() => call('MatMul', [a, vals([3, 2])])).toThrow(/node 'my_MatMul' \(MatMul\): .*cannot be multiplied/);
    expect(() => call('MatMul', [ints([1, 2]), ints([3, 4])])).toThrow(/\(MatMul\): input 0 \(A\) must be a float tensor, got int32/);
  }));

  it("Gemm: alpha * A' B' + beta * C with C of shape [], [N], [M, 1] or [M, N]", () => tidy(() => {
    const A = vals([4, 3]), B = vals([5, 4], 2); // transA, transB: A' [3, 4], B' [4, 5]
    const ab = refEinsum('ki,jk->ij', [A, B]).data;
    const check = (C: Tensor, at: (i: number, j: number) => number) =>
      expectClose(one(call('Gemm', [A, B, C], { transA: 1, transB: 1, alpha: { f: 0.5 }, beta: { f: 2 } })), [3, 5],
        ab.map((v, k) => 0.5 * v + 2 * at(Math.floor(k / 5), k % 5)));
    check(tensor(1.5), () => 1.5);
    check(tensor([1, 2, 3, 4, 5]), (_, j) => j + 1);
    check(tensor([[1], [2], [3]]), (i) => i + 1);
    const Cf = vals([3, 5], 9), cd = Cf.data() as Float32Array;
    check(Cf, (i, j) => cd[i * 5 + j]);
    expectClose(one(call('Gemm', [A, B], { transA: 1, transB: 1 })), [3, 5], ab); // no C (optional from 11)
  }));

  it('Gemm: C must broadcast one way to [M, N]; Gemm-6 without broadcast needs it exact; broadcast is an attribute only before 7', () => tidy(() => {
    const A = vals([2, 3]), B = vals([3, 4]);
    expect(() => call('Gemm', [A, B, vals([3, 4])])).toThrow(/node 'my_Gemm' \(Gemm\): C \[3, 4\] does not broadcast to the product's shape \[2, 4\]/);
    expect(() => call('Gemm', [A, B, vals([1, 2, 4])])).toThrow(/C \[1, 2, 4\] does not broadcast/);
    expect(() => call('Gemm', [A, B, vals([4])], {}, 6)).toThrow(/\(Gemm\): C \[4\] must be \[2, 4\] when broadcast=0/);
    expectClose(one(call('Gemm', [A, B, tensor([0, 0, 0, 0])], { broadcast: 1 }, 6)), [2, 4], refEinsum('ij,jk->ik', [A, B]).data);
    expect(() => call('Gemm', [A, B], { broadcast: 1 }, 7)).toThrow(/\(Gemm\): the attribute 'broadcast' is not supported/);
    expect(() => call('Gemm', [A, A])).toThrow(/\(Gemm\): A' \[2, 3\] and B' \[2, 3\] \(after transA=0, transB=0\) cannot be multiplied/);
    expect(() => call('Gemm', [vals([2, 3, 1]), B])).toThrow(/\(Gemm\): A and B must be 2-D, got shapes \[2, 3, 1\] and \[3, 4\]/);
  }));

  it('Gemm differentiates (fine-tuning an imported Linear): dA = alpha dY B, dC = beta * column sums', () => {
    const x = vals([2, 3]).requiresGrad_(), W = vals([4, 3], 2).requiresGrad_(), c = tensor([1, 2, 3, 4], { requiresGrad: true });
    tidy(() => one(call('Gemm', [x, W, c], { transB: 1, alpha: { f: 2 }, beta: { f: 0.5 } })).sum().backward());
    const wd = W.data() as Float32Array, xd = x.data() as Float32Array;
    expectClose(x.grad!, [2, 3], Array.from({ length: 6 }, (_, k) => 2 * [0, 1, 2, 3].reduce((s, o) => s + wd[o * 3 + (k % 3)], 0)));
    expectClose(W.grad!, [4, 3], Array.from({ length: 12 }, (_, k) => 2 * (xd[k % 3] + xd[3 + (k % 3)])));
    expectClose(c.grad!, [4], [1, 1, 1, 1]);
    for (const t of [x, W, c]) { t.grad!.dispose(); t.dispose(); }
  });
});

describe('importOnnx CumSum and TopK', () => {
  it('CumSum: exclusive and reverse along the axis input; int32 stays int32', () => tidy(() => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const r = (attrs: Record<string, number>, axis = 1, t: Tensor = x) => one(call('CumSum', [t, ints([axis], [])], attrs, 14)).toArray();
    expect(r({})).toEqual([[1, 3, 6], [4, 9, 15]]);
    expect(r({ exclusive: 1 })).toEqual([[0, 1, 3], [0, 4, 9]]);
    expect(r({ reverse: 1 })).toEqual([[6, 5, 3], [15, 11, 6]]);
    expect(r({ exclusive: 1, reverse: 1 }, -2)).toEqual([[4, 5, 6], [0, 0, 0]]);
    const i = one(call('CumSum', [ints([3, -1, 7]), ints([0])], { exclusive: 1 }, 11));
    expect([i.dtype, i.toArray()]).toEqual(['int32', [0, 3, 2]]);
    expect(() => r({}, 2)).toThrow(/node 'my_CumSum' \(CumSum\): axis 2 is out of range for a tensor of rank 2/);
    expect(() => call('CumSum', [x, ints([0, 1])], {}, 14)).toThrow(/\(CumSum\): input 1 \(axis\) must hold one value, got shape \[2\]/);
  }));

  it('TopK: k as an attribute before opset 10, an input from it; ties keep the lower index first', () => tidy(() => {
    const x = tensor([[1, 3, 3, 2], [5, 5, 5, 0]]);
    const r = (res: Tensor | Tensor[]) => (res as Tensor[]).map((t) => [t.dtype, t.toArray()]);
    expect(r(call('TopK', [x], { k: 2 }, 1))).toEqual([['float32', [[3, 3], [5, 5]]], ['int32', [[1, 2], [0, 1]]]]);
    expect(r(call('TopK', [x, ints([3])], { axis: 1 }, 10))).toEqual([['float32', [[3, 3, 2], [5, 5, 5]]], ['int32', [[1, 2, 3], [0, 1, 2]]]]);
    expect(r(call('TopK', [x, ints([2])], { largest: 0 }, 11))).toEqual([['float32', [[1, 2], [0, 5]]], ['int32', [[0, 3], [3, 0]]]]);
    expect(r(call('TopK', [x, ints([1])], { axis: 0 }, 11))).toEqual([['float32', [[5, 5, 5, 2]]], ['int32', [[1, 1, 1, 0]]]]);
    expect(r(call('TopK', [ints([4, -1, 9]), ints([2])], {}, 11))).toEqual([['int32', [9, 4]], ['int32', [2, 0]]]);
    expect(() => call('TopK', [x, ints([5])], {}, 11)).toThrow(/node 'my_TopK' \(TopK\): K = 5 must be from 0 to 4 \(the size of axis 1\)/);
    expect(() => call('TopK', [x], { k: 2 }, 11)).toThrow(/\(TopK\): the attribute 'k' is not supported/);
    expect(() => call('TopK', [x, ints([2])], { largest: 0 }, 10)).toThrow(/\(TopK\): the attribute 'largest' is not supported/);
  }));
});

describe('importOnnx Einsum', () => {
  it('explicit equations match a float64 brute-force einsum', () => tidy(() => {
    const a = vals([3, 4]), b = vals([4, 5], 2), c = vals([5, 2], 3), sq = vals([4, 4], 4), t = vals([2, 3, 4], 5), u = vals([2, 4, 3], 6);
    const cases: [string, Tensor[]][] = [
      ['ij,jk->ik', [a, b]], ['ij,jk,kl->il', [a, b, c]], ['ij->ji', [a]], ['ij->', [a]], ['ii->i', [sq]], ['ii->', [sq]],
      ['i,j->ij', [vals([3]), vals([2], 2)]], ['bij,bjk->bik', [t, u]], ['bij,bjk->kib', [t, u]], ['abc->cb', [t]],
      ['ij,ij->ij', [a, vals([3, 4], 7)]], ['ij,ij->i', [a, vals([3, 4], 7)]], ['bij,bkj->bik', [t, vals([2, 5, 4], 8)]],
      ['ijk,jil->kl', [vals([2, 3, 4]), vals([3, 2, 5], 2)]], ['iij->j', [vals([3, 3, 2])]],
    ];
    for (const [eq, xs] of cases) {
      const ref = refEinsum(eq, xs);
      expectClose(one(call('Einsum', xs, { equation: eq }, 12)), ref.shape, ref.data);
    }
  }));

  it("implicit outputs (letters used once, alphabetically) and '...' dims that broadcast", () => tidy(() => {
    const a = vals([3, 4]), b = vals([4, 5], 2);
    const ik = refEinsum('ij,jk->ik', [a, b]);
    expectClose(one(call('Einsum', [a, b], { equation: 'ij,jk' }, 12)), ik.shape, ik.data);
    expectClose(one(call('Einsum', [b], { equation: 'ba' }, 12)), [5, 4], refEinsum('ba->ab', [b]).data);
    expectClose(one(call('Einsum', [vals([3, 3])], { equation: 'ii' }, 12)), [], refEinsum('ii->', [vals([3, 3])]).data);
    const x = vals([2, 1, 3, 4]), y = vals([5, 4, 2], 3);
    const xy = refEinsum('abij,bjk->abik', [x.expand([2, 5, 3, 4]), y]).data;
    expectClose(one(call('Einsum', [x, y], { equation: '...ij,...jk->...ik' }, 12)), [2, 5, 3, 2], xy);
    expectClose(one(call('Einsum', [x, y], { equation: '...ij,...jk' }, 12)), [2, 5, 3, 2], xy);
    const z = vals([3, 3, 4], 11);
    expectClose(one(call('Einsum', [z], { equation: 'i...->...' }, 12)), [3, 4], refEinsum('ijk->jk', [z]).data);
    expectClose(one(call('Einsum', [z, vals([4], 2)], { equation: 'i...j,j->...i' }, 12)), [3, 3], refEinsum('ikj,j->ki', [z, vals([4], 2)]).data);
  }));

  it('differentiates like the matmul it computes', () => {
    const a = vals([3, 4]).requiresGrad_(), b = vals([4, 2], 2).requiresGrad_();
    const w = vals([3, 2], 3);
    tidy(() => one(call('Einsum', [a, b], { equation: 'ij,jk->ik' }, 12)).mul(w).sum().backward());
    expectClose(a.grad!, [3, 4], refEinsum('ik,jk->ij', [w, b]).data);
    expectClose(b.grad!, [4, 2], refEinsum('ij,ik->jk', [a, w]).data);
    for (const t of [a, b]) { t.grad!.dispose(); t.dispose(); }
    w.dispose();
  });

  it('bad equations name the node', () => tidy(() => {
    const a = vals([3, 4]);
    expect(() => call('Einsum', [a], { equation: 'ij,jk->ik' }, 12)).toThrow(/node 'my_Einsum' \(Einsum\): equation 'ij,jk->ik' names 2 operand\(s\), got 1 input\(s\)/);
    expect(() => call('Einsum', [a], { equation: 'ijk->i' }, 12)).toThrow(/\(Einsum\): equation 'ijk->i': term 'ijk' does not fit input 0 of shape \[3, 4\]/);
    expect(() => call('Einsum', [a, a], { equation: 'ij,ij->ik' }, 12)).toThrow(/output label 'k' is in no input/);
    expect(() => call('Einsum', [a, a], { equation: 'ij,jk->ik' }, 12)).toThrow(/label 'j' has sizes 4 and 3/);
    expect(() => call('Einsum', [a], { equation: 'i1->i' }, 12)).toThrow(/term 'i1' is not letters with at most one '...'/);
    expect(() => call('Einsum', [vals([3, 3])], { equation: 'ii->ii' }, 12)).toThrow(/output label 'i' repeats/);
    expect(() => call('Einsum', [ints([1, 2])], { equation: 'i->' }, 12)).toThrow(/\(Einsum\): input 0 \(Inputs\[0\]\) must be a float tensor, got int32/);
  }));
});
