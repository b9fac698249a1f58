// ONNX converters: the Reduce* family (axes as an attribute or, from ReduceSum-13 / the others' 18,
// an input; noop_with_empty_axes), ArgMax / ArgMin (select_last_index), and the helpers the
// matrix converters share (node-named errors, float / exact-int operand checks).
import { full } from '../../../../creation';
import { tidy } from '../../../../memory';
import type { Tensor } from '../../../../tensor';
import { castK } from '../../../../backend/kernels';
import { mul, sub, lt, where } from '../../../../ops/binary';
import { abs, exp, log, sqrt, square } from '../../../../ops/unary';
import { argmax, argmin, logsumexp, max, mean, min, prod, sum } from '../../../../ops/reduce';
import { flip } from '../../../../ops/movement';
import { nodeError, type Attrs, type OnnxOp, type OpContext } from '../attrs';
import { valuesOf, normAxis } from '../values';

/**
 * A converter whose temporaries are freed (tidy) and whose errors name the node: an asgrad op's
 * own error ("asgrad.matmul: ...") is rethrown as "asgrad.importOnnx: node 'n' (MatMul): ...".
 */
export const guarded = (f: OnnxOp): OnnxOp => (inputs, a, ctx) => tidy(() => {
  try {
    return f(inputs, a, ctx);
  } catch (e) {
    // Only asgrad's own checks are renamed; anything else (a bug) surfaces as it is.
    if (!(e instanceof Error) || !e.message.startsWith('asgrad.') || e.message.startsWith('asgrad.importOnnx:')) throw e;
    return nodeError(ctx.node, e.message);
  }
});

/** Input `i`, present and float32 (ONNX float / double / float16). */
export function floatIn(ctx: OpContext, inputs: (Tensor | undefined)[], i: number, what: string): Tensor {
  const t = inputs[i];
  if (!t) nodeError(ctx.node, `needs input ${i} (${what})`);
  if (t.dtype !== 'float32') nodeError(ctx.node, `input ${i} (${what}) must be a float tensor, got ${t.dtype}`);
  return t;
}

/** Largest integer magnitude float32 holds exactly: int32 work routed through float32 must stay below it. */
const EXACT = 2 ** 24;

/** Throws unless every |value| of t is below 2^24 (so a float32 detour of int32 data is exact). */
export function checkExact(ctx: OpContext, t: Tensor, what: string): void {
  const d = t.data() as ArrayLike<number>;
  for (let i = 0; i < d.length; i++) {
    if (!(Math.abs(d[i]) < EXACT)) nodeError(ctx.node, `${what} reaches ${d[i]}; int32 data is computed through float32 here, exact only below 2^24`);
  }
}

/** A float32 result of int32 work back to int32, after checking it is exact. */
export function backToInt(ctx: OpContext, f: Tensor, what: string): Tensor {
  checkExact(ctx, f, what);
  return castK(f, 'int32');
}

type Kind = 'Sum' | 'Mean' | 'Max' | 'Min' | 'Prod' | 'L1' | 'L2' | 'LogSum' | 'LogSumExp' | 'SumSquare';

/** The dims to reduce (sorted, non-negative), or null for "reduce over no axes" (noop_with_empty_axes). */
function reduceDims(kind: Kind, x: Tensor, inputs: (Tensor | undefined)[], a: Attrs, ctx: OpContext): number[] | null {
  const axesAsInput = ctx.opset >= (kind === 'Sum' ? 13 : 18);
  let axes: number[];
  let noop = false;
  if (axesAsInput) {
    a.only('keepdims', 'noop_with_empty_axes');
    const t = inputs[1];
    if (t && t.dtype !== 'int32') nodeError(ctx.node, `input 1 (axes) must be an int tensor, got ${t.dtype}`);
    if (t && t.ndim > 1) nodeError(ctx.node, `input 1 (axes) must be 1-D, got shape [${t.shape.join(', ')}]`);
    axes = valuesOf(t) ?? [];
    noop = a.int('noop_with_empty_axes', 0) !== 0;
  } else {
    if (inputs.length > 1) nodeError(ctx.node, `takes axes as an attribute at opset ${ctx.opset}, got ${inputs.length} inputs`);
    a.only('keepdims', 'axes');
    axes = a.ints('axes', []);
  }
  if (axes.length === 0) return noop ? null : x.shape.map((_, i) => i);
  const dims = axes.map((ax) => normAxis(ctx, ax, x.ndim)).sort((p, q) => p - q);
  for (let i = 1; i < dims.length; i++) if (dims[i] === dims[i - 1]) nodeError(ctx.node, `axes [${axes.join(', ')}] repeat an axis`);
  return dims;
}

/** The value a reduction over an empty set yields (ONNX-18's definitions; Sum, Mean (0/0), L1, L2, SumSquare and LogSum (log 0) need no help). */
const EMPTY_VALUE: Partial<Record<Kind, number>> = { Max: -Infinity, Min: Infinity, Prod: 1, LogSumExp: -Infinity };

/** `kind` of x over `dims` (non-empty); float32 x, or int32 for the kinds that keep ints. */
function reduceOver(kind: Kind, x: Tensor, dims: number[], keep: boolean): Tensor {
  if (EMPTY_VALUE[kind] !== undefined && dims.some((d) => x.shape[d] === 0)) {
    const shape = keep ? x.shape.map((s, i) => (dims.includes(i) ? 1 : s)) : x.shape.filter((_, i) => !dims.includes(i));
    const v = EMPTY_VALUE[kind]!;
    // int32 has no infinities: the dtype's extremes, as ONNX specifies.
    return full(shape, x.dtype === 'int32' && !Number.isFinite(v) ? (v < 0 ? -(2 ** 31) : 2 ** 31 - 1) : v, { dtype: x.dtype });
  }
  switch (kind) {
    case 'Sum': return sum(x, dims, keep);
    case 'Mean': return mean(x, dims, keep);
    case 'Max': return max(x, dims, keep);
    case 'Min': return min(x, dims, keep);
    case 'Prod': return prod(x, dims, keep);
    case 'L1': return sum(absOf(x), dims, keep);
    case 'L2': return sqrt(sum(square(x), dims, keep));
    case 'LogSum': return log(sum(x, dims, keep));
    case 'LogSumExp': return logsumexp(x, dims, keep);
    case 'SumSquare': return sum(mul(x, x), dims, keep);
  }
}

/** |x| keeping int32 ints (asgrad's abs promotes to float32). */
const absOf = (x: Tensor): Tensor => (x.dtype === 'int32' ? where(lt(x, 0), sub(0, x), x) : abs(x));

/** The reduction over no axes: the identity, with the composite kinds' elementwise steps. */
function noReduce(kind: Kind, x: Tensor): Tensor {
  switch (kind) {
    case 'L1': return absOf(x);
    case 'L2': return sqrt(square(x));
    case 'LogSum': return log(x);
    case 'LogSumExp': return log(exp(x));
    case 'SumSquare': return mul(x, x);
    default: return x;
  }
}

/** Kinds an int32 input runs natively (Prod detours through float32, checked exact). */
const INT_KINDS: Kind[] = ['Sum', 'Max', 'Min', 'L1', 'SumSquare', 'Prod'];

const reduceOp = (kind: Kind): OnnxOp => guarded((inputs, a, ctx) => {
  const x = inputs[0];
  if (!x) nodeError(ctx.node, 'needs input 0 (data)');
  if (x.dtype !== 'float32' && !(x.dtype === 'int32' && INT_KINDS.includes(kind))) {
    nodeError(ctx.node, `input 0 (data) must be a float${INT_KINDS.includes(kind) ? ' or int' : ''} tensor, got ${x.dtype}`);
  }
  const dims = reduceDims(kind, x, inputs, a, ctx);
  const keep = a.int('keepdims', 1) !== 0;
  // A rank-0 input reduces over no dims: its one element is the (composite) result.
  const r = dims === null || dims.length === 0 ? noReduce(kind, x) : reduceOver(kind, x, dims, keep);
  return x.dtype === 'int32' && r.dtype !== 'int32' ? backToInt(ctx, r, `Reduce${kind}'s result`) : r;
});

const argOp = (isMin: boolean): OnnxOp => guarded((inputs, a, ctx) => {
  a.only('axis', 'keepdims', 'select_last_index');
  const x = inputs[0];
  if (!x) nodeError(ctx.node, 'needs input 0 (data)');
  if (x.dtype === 'int32') checkExact(ctx, x, 'input 0 (data)'); // compared in float32
  const axis = normAxis(ctx, a.int('axis', 0), x.ndim);
  const keep = a.int('keepdims', 1) !== 0;
  if (x.shape[axis] === 0) nodeError(ctx.node, `cannot take ${isMin ? 'ArgMin' : 'ArgMax'} along axis ${axis} of size 0`);
  const f = isMin ? argmin : argmax;
  if (a.int('select_last_index', 0) === 0) return f(x, axis, keep); // asgrad's: the first index on ties
  // The last extreme index is the first one of the flipped tensor, counted from the end.
  return sub(x.shape[axis] - 1, f(flip(x, axis), axis, keep));
});

export const REDUCE_OPS: Record<string, OnnxOp> = {
  ReduceSum: reduceOp('Sum'),
  ReduceMean: reduceOp('Mean'),
  ReduceMax: reduceOp('Max'),
  ReduceMin: reduceOp('Min'),
  ReduceProd: reduceOp('Prod'),
  ReduceL1: reduceOp('L1'),
  ReduceL2: reduceOp('L2'),
  ReduceLogSum: reduceOp('LogSum'),
  ReduceLogSumExp: reduceOp('LogSumExp'),
  ReduceSumSquare: reduceOp('SumSquare'),
  ArgMax: argOp(false),
  ArgMin: argOp(true),
};
