// ONNX converters: indexing and generating ops (Gather, GatherElements, GatherND, Pad, Trilu,
// OneHot, EyeLike, NonZero, ConstantOfShape, Range). Index operands are range-checked on the host
// so a bad index names the node; ONNX's int64 outputs (NonZero) are int32.
import type { Tensor } from '../../../../tensor';
import { tidy } from '../../../../memory';
import { full, tensor, arange } from '../../../../creation';
import { narrow, reshape } from '../../../../ops/movement';
import { gather, indexSelect } from '../../../../ops/indexing';
import { pad, type PadMode } from '../../../../ops/pad';
import { tril, triu } from '../../../../ops/composite';
import { add, eq, lt, sub, where } from '../../../../ops/binary';
import { unsqueeze } from '../../../../ops/shaping';
import { nodeError, type OnnxOp, type OpContext } from '../attrs';
import { dtypeOf, dataTypeName } from '../tensor_proto';
import { intTensor, valuesOf, need, normAxis, scalarOf } from '../values';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The index operand's values, each in [-n, n) (else throws naming the node), as given. */
function checkedIndices(ctx: OpContext, idx: Tensor, n: number, what: string): number[] {
  if (idx.dtype !== 'int32') nodeError(ctx.node, `${what} must be an integer tensor, got ${idx.dtype}`);
  const v = valuesOf(idx)!;
  const bad = v.find((i) => i < -n || i >= n);
  if (bad !== undefined) nodeError(ctx.node, `${what} holds ${bad}, out of range [-${n}, ${n - 1}]`);
  return v;
}

const gatherOp: OnnxOp = (inputs, a, ctx) => {
  a.only('axis');
  const x = need(ctx, inputs, 0, 'data'), idx = need(ctx, inputs, 1, 'indices');
  const axis = normAxis(ctx, a.int('axis', 0), x.ndim);
  checkedIndices(ctx, idx, x.shape[axis], 'indices');
  return tidy(() => reshape(indexSelect(x, axis, reshape(idx, [idx.size])),
    [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)]));
};

const gatherElementsOp: OnnxOp = (inputs, a, ctx) => {
  a.only('axis');
  const x = need(ctx, inputs, 0, 'data'), idx = need(ctx, inputs, 1, 'indices');
  const axis = normAxis(ctx, a.int('axis', 0), x.ndim);
  if (idx.ndim !== x.ndim || idx.shape.some((d, i) => i !== axis && d > x.shape[i])) {
    nodeError(ctx.node, `indices ${fmt(idx.shape)} must have the rank of data ${fmt(x.shape)} and no larger dims outside axis ${axis}`);
  }
  checkedIndices(ctx, idx, x.shape[axis], 'indices');
  return tidy(() => {
    let src = x;
    idx.shape.forEach((d, i) => { if (i !== axis && d < x.shape[i]) src = narrow(src, i, 0, d); });
    return gather(src, axis, idx);
  });
};

/** GatherND: each index row addresses the leading k dims after batch_dims; done as one indexSelect on a flattened view. */
const gatherNDOp: OnnxOp = (inputs, a, ctx) => {
  a.only('batch_dims');
  const x = need(ctx, inputs, 0, 'data'), idx = need(ctx, inputs, 1, 'indices');
  const b = a.int('batch_dims', 0), k = idx.shape[idx.ndim - 1];
  if (idx.dtype !== 'int32' || idx.ndim < 1 || !(b >= 0 && b < idx.ndim && b < x.ndim) || !(k >= 1 && b + k <= x.ndim)
    || idx.shape.slice(0, b).some((d, i) => d !== x.shape[i])) {
    nodeError(ctx.node, `indices ${idx.dtype} ${fmt(idx.shape)} do not fit data ${fmt(x.shape)} with batch_dims ${b}`);
  }
  const dims = x.shape.slice(b, b + k), P = prod(dims), rest = x.shape.slice(b + k);
  const v = valuesOf(idx)!, rows = v.length / k, perBatch = Math.max(1, rows / prod(x.shape.slice(0, b)));
  const lin = new Array<number>(rows);
  for (let r = 0; r < rows; r++) {
    let at = 0;
    for (let t = 0; t < k; t++) {
      const n = dims[t], i = v[r * k + t];
      if (i < -n || i >= n) nodeError(ctx.node, `indices hold ${i} for data axis ${b + t} of size ${n}`);
      at = at * n + (i < 0 ? i + n : i);
    }
    lin[r] = Math.floor(r / perBatch) * P + at;
  }
  const flat = [prod(x.shape.slice(0, b)) * P, ...rest];
  return tidy(() => reshape(indexSelect(reshape(x, flat), 0, intTensor(lin)), [...idx.shape.slice(0, -1), ...rest]));
};

const PAD_MODES: Record<string, PadMode> = { constant: 'constant', reflect: 'reflect', edge: 'replicate', wrap: 'circular' };

const padOp: OnnxOp = (inputs, a, ctx) => {
  const old = ctx.opset < 11;
  a.only('mode', ...(old ? ['pads', 'value'] : []));
  const x = need(ctx, inputs, 0, 'data'), mode = a.string('mode', 'constant');
  const m = PAD_MODES[mode];
  if (!m || (mode === 'wrap' && ctx.opset < 19)) nodeError(ctx.node, `mode '${mode}' is not supported (supported: constant, reflect, edge${ctx.opset >= 19 ? ', wrap' : ''})`);
  const pads = old ? a.ints('pads') : valuesOf(need(ctx, inputs, 1, 'pads'))!;
  const value = old ? a.float('value', 0) : inputs[2] ? scalarOf(ctx, inputs[2], 'constant_value') : 0;
  const given = ctx.opset >= 18 ? valuesOf(inputs[3]) : undefined;
  const axes = (given ?? x.shape.map((_, i) => i)).map((ax) => normAxis(ctx, ax, x.ndim));
  if (pads.length !== 2 * axes.length || new Set(axes).size !== axes.length) {
    nodeError(ctx.node, `pads ${fmt(pads)} must hold 2 x ${axes.length} amounts (begins, then ends) for axes ${fmt(axes)} of input ${fmt(x.shape)}`);
  }
  const before = x.shape.map(() => 0), after = x.shape.map(() => 0);
  axes.forEach((ax, i) => { before[ax] = pads[i]; after[ax] = pads[i + axes.length]; });
  x.shape.forEach((n, d) => {
    const [p, q] = [before[d], after[d]];
    if (n + p + q < 0) nodeError(ctx.node, `pads ${fmt(pads)} make axis ${d} of input ${fmt(x.shape)} negative`);
    if (m === 'constant' || (p === 0 && q === 0)) return;
    const limit = m === 'reflect' ? n - 1 : m === 'circular' ? n : n > 0 ? Infinity : -1;
    if (p < 0 || q < 0 || p > limit || q > limit) {
      nodeError(ctx.node, `mode '${mode}' supports pads from 0 to ${limit === Infinity ? 'any size' : limit} on axis ${d} of size ${n}, got ${p} and ${q}`);
    }
  });
  return pad(x, before.flatMap((_, i) => [before[x.ndim - 1 - i], after[x.ndim - 1 - i]]), m, value);
};

const triluOp: OnnxOp = (inputs, a, ctx) => {
  a.only('upper');
  const x = need(ctx, inputs, 0, 'input'), k = inputs[1] ? scalarOf(ctx, inputs[1], 'k') : 0;
  if (x.ndim < 2) nodeError(ctx.node, `expects an input of rank >= 2, got ${fmt(x.shape)}`);
  return a.int('upper', 1) ? triu(x, k) : tril(x, k);
};

const oneHotOp: OnnxOp = (inputs, a, ctx) => {
  a.only('axis');
  const idx = need(ctx, inputs, 0, 'indices'), values = need(ctx, inputs, 2, 'values');
  const depth = Math.trunc(scalarOf(ctx, need(ctx, inputs, 1, 'depth'), 'depth'));
  if (!(depth >= 1)) nodeError(ctx.node, `depth must be at least 1, got ${depth}`);
  if (values.size !== 2) nodeError(ctx.node, `values must hold [off_value, on_value], got shape ${fmt(values.shape)}`);
  const axis = normAxis(ctx, a.int('axis', -1), idx.ndim + 1);
  return tidy(() => {
    const i = idx.dtype === 'int32' ? idx : idx.to('int32');
    const wrapped = where(lt(i, 0), add(i, depth), i); // out-of-range indices match no class: all off
    const classes = reshape(arange(depth), [depth, ...new Array<number>(idx.ndim - axis).fill(1)]);
    const v = reshape(values, [2]);
    return where(eq(unsqueeze(wrapped, axis), classes), reshape(narrow(v, 0, 1, 1), []), reshape(narrow(v, 0, 0, 1), []));
  });
};

const eyeLikeOp: OnnxOp = (inputs, a, ctx) => {
  a.only('dtype', 'k');
  const x = need(ctx, inputs, 0, 'input'), k = a.int('k', 0);
  if (x.ndim !== 2) nodeError(ctx.node, `expects a 2-D input, got ${fmt(x.shape)}`);
  const code = a.int('dtype', 0), dtype = code ? dtypeOf(code) : x.dtype;
  if (!dtype) nodeError(ctx.node, `dtype ${dataTypeName(code)} is not supported (asgrad has float32, int32 and bool)`);
  const [R, C] = x.shape;
  return tidy(() => eq(sub(arange(C), reshape(arange(R), [R, 1])), k).to(dtype));
};

const nonZeroOp: OnnxOp = (inputs, a, ctx) => {
  a.only();
  const x = need(ctx, inputs, 0, 'X'), shape = x.ndim ? x.shape : [1];
  const hits: number[] = [];
  const v = x.data() as ArrayLike<number>;
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) hits.push(i);
  const out = new Array<number>(shape.length * hits.length);
  hits.forEach((flat, j) => {
    for (let d = shape.length - 1; d >= 0; d--) { out[d * hits.length + j] = flat % shape[d]; flat = Math.floor(flat / shape[d]); }
  });
  return intTensor(out, [shape.length, hits.length]);
};

const constantOfShapeOp: OnnxOp = (inputs, a, ctx) => {
  a.only('value');
  const shape = valuesOf(need(ctx, inputs, 0, 'input'))!;
  if (shape.some((d) => !(d >= 0))) nodeError(ctx.node, `shape ${fmt(shape)} must hold non-negative dims`);
  if (!a.has('value')) return full(shape, 0);
  const t = a.tensor('value');
  try {
    if (t.size !== 1) nodeError(ctx.node, `value must hold one element, got shape ${fmt(t.shape)}`);
    return full(shape, Number((t.data() as ArrayLike<number>)[0]), { dtype: t.dtype });
  } finally {
    t.dispose();
  }
};

const rangeOp: OnnxOp = (inputs, a, ctx) => {
  a.only();
  const [s, l, d] = ['start', 'limit', 'delta'].map((w, i) => scalarOf(ctx, need(ctx, inputs, i, w), w));
  const dtype = inputs[0]!.dtype;
  if (inputs.slice(0, 3).some((t) => t!.dtype !== dtype) || dtype === 'bool') nodeError(ctx.node, `start, limit and delta must share one numeric dtype, got ${inputs.slice(0, 3).map((t) => t!.dtype).join(', ')}`);
  if (d === 0 || !Number.isFinite(s + l + d)) nodeError(ctx.node, `needs finite start, limit and a non-zero delta, got ${s}, ${l}, ${d}`);
  const n = Math.max(Math.ceil((l - s) / d), 0), vals = Array.from({ length: n }, (_, i) => s + i * d);
  return tensor(dtype === 'int32' ? Int32Array.from(vals) : Float32Array.from(vals), { shape: [n], dtype });
};

export const INDEXING_OPS: Record<string, OnnxOp> = {
  Gather: gatherOp,
  GatherElements: gatherElementsOp,
  GatherND: gatherNDOp,
  Pad: padOp,
  Trilu: triluOp,
  OneHot: oneHotOp,
  EyeLike: eyeLikeOp,
  NonZero: nonZeroOp,
  ConstantOfShape: constantOfShapeOp,
  Range: rangeOp,
};
