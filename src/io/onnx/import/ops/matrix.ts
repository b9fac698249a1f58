// ONNX converters: MatMul, Gemm, Softmax / LogSoftmax / Hardmax (2-D coercion before opset 13),
// CumSum, TopK and Einsum, composed from asgrad's differentiable ops.
import { arange, zeros } from '../../../../creation';
import type { Tensor } from '../../../../tensor';
import { castK } from '../../../../backend/kernels';
import { add, eq, mul } from '../../../../ops/binary';
import { argmax } from '../../../../ops/reduce';
import { matmul } from '../../../../ops/matmul';
import { logSoftmax, softmax } from '../../../../ops/softmax';
import { cumsum, topk } from '../../../../ops/sort';
import { cat, flip, narrow, reshape, transpose } from '../../../../ops/movement';
import { gather } from '../../../../ops/indexing';
import { nodeError, type OnnxOp } from '../attrs';
import { normAxis, scalarOf } from '../values';
import { backToInt, checkExact, floatIn, guarded } from './reduce';
import { einsumWith } from '../../../../ops/einsum';

const fmt = (t: Tensor) => `[${t.shape.join(', ')}]`;

const matMul: OnnxOp = guarded((inputs, a, ctx) => {
  a.only();
  const x = floatIn(ctx, inputs, 0, 'A'), y = floatIn(ctx, inputs, 1, 'B');
  if (x.ndim === 0 || y.ndim === 0) nodeError(ctx.node, `operands must have at least 1 dim, got shapes ${fmt(x)} and ${fmt(y)}`);
  return matmul(x, y);
});

/** Y = alpha * A' B' + beta * C, C broadcast unidirectionally to [M, N] (Gemm-6's broadcast=0: C exactly [M, N]). */
const gemm: OnnxOp = guarded((inputs, a, ctx) => {
  const legacy = ctx.opset < 7;
  if (legacy) a.only('alpha', 'beta', 'transA', 'transB', 'broadcast'); else a.only('alpha', 'beta', 'transA', 'transB');
  const A = floatIn(ctx, inputs, 0, 'A'), B = floatIn(ctx, inputs, 1, 'B');
  if (A.ndim !== 2 || B.ndim !== 2) nodeError(ctx.node, `A and B must be 2-D, got shapes ${fmt(A)} and ${fmt(B)}`);
  const At = a.int('transA', 0) ? transpose(A, 0, 1) : A;
  const Bt = a.int('transB', 0) ? transpose(B, 0, 1) : B;
  if (At.shape[1] !== Bt.shape[0]) {
    nodeError(ctx.node, `A' ${fmt(At)} and B' ${fmt(Bt)} (after transA=${a.int('transA', 0)}, transB=${a.int('transB', 0)}) cannot be multiplied`);
  }
  const alpha = a.float('alpha', 1), beta = a.float('beta', 1);
  let y = matmul(At, Bt);
  if (alpha !== 1) y = mul(y, alpha);
  const C = inputs[2];
  if (!C) return y;
  if (C.dtype !== 'float32') nodeError(ctx.node, `input 2 (C) must be a float tensor, got ${C.dtype}`);
  const [M, N] = y.shape;
  const exact = C.ndim === 2 && C.shape[0] === M && C.shape[1] === N;
  const broadcastable = C.ndim <= 2 && C.shape.every((s, i) => s === 1 || s === y.shape[2 - C.ndim + i]);
  if (legacy && !a.int('broadcast', 0) && !exact) nodeError(ctx.node, `C ${fmt(C)} must be [${M}, ${N}] when broadcast=0`);
  if (!broadcastable) nodeError(ctx.node, `C ${fmt(C)} does not broadcast to the product's shape [${M}, ${N}]`);
  // beta = 0 ignores C altogether, as onnxruntime does (so an inf or NaN in C does not leak in).
  if (beta === 0) return y;
  return add(y, beta === 1 ? C : mul(C, beta));
});

/**
 * Softmax-like op: from opset 13 along `axis` (default -1); before, the input is coerced to 2-D
 * [prod(shape[:axis]), prod(shape[axis:])] (axis default 1) and normalized along the second dim.
 */
const normalizer = (f: (x: Tensor, axis: number) => Tensor): OnnxOp => guarded((inputs, a, ctx) => {
  a.only('axis');
  const x = floatIn(ctx, inputs, 0, 'input');
  if (ctx.opset >= 13) return f(x, normAxis(ctx, a.int('axis', -1), x.ndim));
  const k = x.ndim === 0 ? 0 : normAxis(ctx, a.int('axis', 1), x.ndim);
  if (k === x.ndim - 1) return f(x, k); // the 2-D coercion changes nothing
  const outer = x.shape.slice(0, k).reduce((p, s) => p * s, 1);
  const y = f(reshape(x, [outer, x.size === 0 ? 0 : x.size / outer]), 1);
  return reshape(y, x.shape);
});

/** 1 at the first maximum along `axis`, 0 elsewhere. */
function hardmax(x: Tensor, axis: number): Tensor {
  const n = x.shape[axis];
  if (x.size === 0) return zeros([...x.shape]);
  const positions = reshape(arange(n, { dtype: 'int32' }), x.shape.map((s, i) => (i === axis ? n : 1)));
  return castK(eq(argmax(x, axis, true), positions), 'float32');
}

/** Running sums along the `axis` input; exclusive shifts in a zero, reverse sums from the end. */
const cumSum: OnnxOp = guarded((inputs, a, ctx) => {
  a.only('exclusive', 'reverse');
  const x = inputs[0];
  if (!x) nodeError(ctx.node, 'needs input 0 (x)');
  if (x.dtype !== 'float32' && x.dtype !== 'int32') nodeError(ctx.node, `input 0 (x) must be a float or int tensor, got ${x.dtype}`);
  if (!inputs[1]) nodeError(ctx.node, 'needs input 1 (axis)');
  const axis = normAxis(ctx, scalarOf(ctx, inputs[1], 'input 1 (axis)'), x.ndim);
  const reverse = a.int('reverse', 0) !== 0, exclusive = a.int('exclusive', 0) !== 0;
  const f = x.dtype === 'float32' ? x : castK(x, 'float32');
  const src = reverse ? flip(f, axis) : f;
  let y = cumsum(src, axis);
  const n = x.shape[axis];
  if (exclusive && n > 0) {
    const shape = [...x.shape];
    shape[axis] = 1;
    y = cat([zeros(shape), narrow(y, axis, 0, n - 1)], axis);
  }
  if (reverse) y = flip(y, axis);
  return x.dtype === 'int32' ? backToInt(ctx, y, 'a running sum') : y;
});

/** [values, indices] of the k largest (or smallest) along `axis`, sorted; ties: the lower index first. */
const topK: OnnxOp = guarded((inputs, a, ctx) => {
  if (ctx.opset < 10) a.only('axis', 'k'); else if (ctx.opset < 11) a.only('axis'); else a.only('axis', 'largest', 'sorted');
  const x = inputs[0];
  if (!x) nodeError(ctx.node, 'needs input 0 (X)');
  if (x.dtype !== 'float32' && x.dtype !== 'int32') nodeError(ctx.node, `input 0 (X) must be a float or int tensor, got ${x.dtype}`);
  if (x.ndim === 0) nodeError(ctx.node, 'input 0 (X) must have at least 1 dim, got a scalar');
  let k: number;
  if (ctx.opset < 10) k = a.int('k');
  else {
    if (!inputs[1]) nodeError(ctx.node, 'needs input 1 (K)');
    k = scalarOf(ctx, inputs[1], 'input 1 (K)');
  }
  const axis = normAxis(ctx, a.int('axis', -1), x.ndim);
  if (!(Number.isInteger(k) && k >= 0 && k <= x.shape[axis])) nodeError(ctx.node, `K = ${k} must be from 0 to ${x.shape[axis]} (the size of axis ${axis})`);
  // sorted=0 leaves the order unspecified: sorted order is one valid answer.
  const largest = a.int('largest', 1) !== 0;
  if (x.dtype === 'float32') return topk(x, k, axis, largest);
  checkExact(ctx, x, 'input 0 (X)'); // ordered in float32
  const [, idx] = topk(castK(x, 'float32'), k, axis, largest);
  return [gather(x, axis, idx), idx];
});

const einsumOp: OnnxOp = guarded((inputs, a, ctx) => {
  a.only('equation');
  const xs = inputs.map((_, i) => floatIn(ctx, inputs, i, `Inputs[${i}]`));
  if (xs.length === 0) nodeError(ctx.node, 'needs at least one input');
  return einsumWith((msg) => nodeError(ctx.node, msg), a.string('equation'), xs);
});

export const MATRIX_OPS: Record<string, OnnxOp> = {
  MatMul: matMul,
  Gemm: gemm,
  Softmax: normalizer(softmax),
  LogSoftmax: normalizer(logSoftmax),
  Hardmax: normalizer(hardmax),
  CumSum: cumSum,
  TopK: topK,
  Einsum: einsumOp,
};
