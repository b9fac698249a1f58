// Indexing: indexSelect (rows by an index vector), gather (torch.gather) and its adjoint
// scatterAdd (torch.scatter_add), oneHot. Indices are
// int32 and range-checked before any kernel runs; negative indices count from the end.
import { copyK, fillK, minmaxI32, withContiguous } from '../backend/kernels';
import { getBackend } from '../backend/load';
import { Tensor } from '../tensor';
import { axisSplit, normDim } from '../shape';
import { check, fmtShape } from '../util/errors';
import { defineOp, run } from './registry';
import { add, lt, where } from './binary';

interface Attrs { dim: number }

/** Validates an index tensor against an axis of size n; returns a copy with negatives wrapped. */
function normIndex(op: string, index: Tensor, n: number): Tensor {
  check(index?._isTensor, op, () => `index must be an int32 tensor, got ${typeof index}`);
  index._assertLive(op);
  check(index.dtype === 'int32', op, () => `index must be int32, got ${index.dtype}`);
  if (index.size === 0) return copyK(index);
  const [lo, hi] = minmaxI32(index);
  check(lo >= -n && hi < n, op, () => `index out of range: values span [${lo}, ${hi}] for a dim of size ${n}`);
  if (lo >= 0) return copyK(index);
  const neg = lt(index, 0);
  const wrapped = add(index, n);
  const r = where(neg, wrapped, index);
  neg.dispose(); wrapped.dispose();
  return r;
}

const indexSelectOp = defineOp<Attrs>({
  name: 'indexSelect',
  forward: ([x, idx], { dim }) => withContiguous(x, (c) => {
    const shape = [...x.shape]; shape[dim] = idx.size;
    const out = Tensor._empty(shape, x.dtype);
    const [outer, len, inner] = axisSplit(x.shape, dim);
    getBackend().k.index_select_32(out._ptr, c._ptr, idx._ptr, outer, len, idx.size, inner);
    return out;
  }),
  save: ([, idx]) => [idx],
  // Not itself recorded: the scatter-add of the gradient runs as a kernel (first order only).
  backward: ({ inputs: [x], saved: [idx], attrs: { dim } }, dy) => [() => withContiguous(dy, (c) => {
    const out = fillK(Tensor._empty(x.shape, 'float32'), 0);
    const [outer, len, inner] = axisSplit(x.shape, dim);
    getBackend().k.index_add_f32(out._ptr, c._ptr, idx._ptr, outer, len, idx.size, inner);
    return out;
  }), null],
});

/** Entries of x along dim at positions `index` (1-D int32). */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  x._assertLive('indexSelect');
  const d = normDim('indexSelect', dim, x.ndim);
  check(index?._isTensor && index.ndim <= 1, 'indexSelect', () => `index must be a 1-D int32 tensor, got shape ${index?._isTensor ? fmtShape(index.shape) : typeof index}`);
  const idx = normIndex('indexSelect', index, x.ndim === 0 ? 1 : x.shape[d]);
  const flat = idx._view([idx.size]);
  idx.dispose();
  const out = run(indexSelectOp, [x, flat], { dim: d });
  flat.dispose();
  return out;
}

const gatherOp = defineOp<Attrs>({
  name: 'gather',
  forward: ([x, idx], { dim }) => withContiguous(x, (c) => {
    const out = Tensor._empty(idx.shape, x.dtype);
    const [outer, len, inner] = axisSplit(x.shape, dim);
    getBackend().k.gather_32(out._ptr, c._ptr, idx._ptr, outer, len, idx.shape[dim], inner);
    return out;
  }),
  save: ([, idx]) => [idx],
  backward: ({ inputs: [x], saved: [idx], attrs: { dim } }, dy) => [() => withContiguous(dy, (c) => {
    const out = fillK(Tensor._empty(x.shape, 'float32'), 0);
    const [outer, len, inner] = axisSplit(x.shape, dim);
    getBackend().k.scatter_add_f32(out._ptr, c._ptr, idx._ptr, outer, len, idx.shape[dim], inner);
    return out;
  }), null],
});

/** torch.gather: out[i][j][k] = x[i][index[i][j][k]][k] for dim = 1. index has x's rank and the
 *  same sizes as x outside dim (this implementation requires equality there). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  x._assertLive('gather');
  const d = normDim('gather', dim, x.ndim);
  check(index?._isTensor && index.ndim === x.ndim && index.shape.every((s, i) => i === d || s === x.shape[i]), 'gather', () =>
    `index must have the shape of x ${fmtShape(x.shape)} except in dim ${dim}, got ${index?._isTensor ? fmtShape(index.shape) : typeof index}`);
  const idx = normIndex('gather', index, x.shape[d]);
  const out = run(gatherOp, [x, idx], { dim: d });
  idx.dispose();
  return out;
}

const scatterAddOp = defineOp<Attrs>({
  name: 'scatterAdd',
  forward: ([x, src, idx], { dim }) => withContiguous(src, (c) => {
    const out = copyK(x); // contiguous, whatever x's strides
    const [outer, len, inner] = axisSplit(x.shape, dim);
    getBackend().k.scatter_add_f32(out._ptr, c._ptr, idx._ptr, outer, len, idx.shape[dim], inner);
    return out;
  }),
  save: ([, , idx]) => [idx],
  backward: ({ saved: [idx], attrs: { dim } }, dy) => [() => dy, () => gather(dy, dim, idx), null],
});

/**
 * torch.scatter_add: a copy of x with out[i][index[i][j][k]][k] += src[i][j][k] for dim = 1
 * (repeated indices add up). float32; src and index have one shape, which is x's outside dim
 * (this implementation requires equality there, as gather). Differentiable in x and src.
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  for (const t of [x, src]) {
    check(t?._isTensor, 'scatterAdd', () => `expected tensors (x, dim, index, src), got ${t === null ? 'null' : typeof t}`);
    t._assertLive('scatterAdd');
    check(t.dtype === 'float32', 'scatterAdd', () => `x and src must be float32, got ${t.dtype}`);
  }
  const d = normDim('scatterAdd', dim, x.ndim);
  check(index?._isTensor && index.ndim === x.ndim && src.ndim === x.ndim && index.shape.every((n, i) => n === src.shape[i] && (i === d || n === x.shape[i])), 'scatterAdd', () =>
    `index and src must have one shape, equal to x ${fmtShape(x.shape)} outside dim ${dim}; got index ${index?._isTensor ? fmtShape(index.shape) : typeof index} and src ${fmtShape(src.shape)}`);
  const idx = normIndex('scatterAdd', index, x.shape[d]);
  try { return run(scatterAddOp, [x, src, idx], { dim: d }); } finally { idx.dispose(); }
}

/** One-hot rows (float32): labels int32 of any shape -> [...shape, numClasses]. */
export function oneHot(labels: Tensor, numClasses: number, onValue = 1, offValue = 0): Tensor {
  labels._assertLive('oneHot');
  check(labels.dtype === 'int32', 'oneHot', () => `labels must be int32, got ${labels.dtype}`);
  check(Number.isInteger(numClasses) && numClasses > 0, 'oneHot', () => `numClasses must be a positive integer, got ${numClasses}`);
  if (labels.size > 0) {
    const [lo, hi] = minmaxI32(labels);
    check(lo >= 0 && hi < numClasses, 'oneHot', () => `labels span [${lo}, ${hi}], expected values in [0, ${numClasses})`);
  }
  return withContiguous(labels, (c) => {
    const out = Tensor._empty([...labels.shape, numClasses], 'float32');
    getBackend().k.one_hot_f32(out._ptr, c._ptr, labels.size, numClasses, onValue, offValue);
    return out;
  });
}

