// Movement ops. reshape (of contiguous data), permute, expand, slice and flip are O(1) views
// sharing storage; contiguous/clone/cat/sliceScatter copy. Broadcasting is undone in one place:
// expand, whose backward sums back to the input shape.
import { copyInto, copyK, fillK } from '../backend/kernels';
import { Tensor } from '../tensor';
import { checkShape, normDim, sizeOf, sameShape } from '../shape';
import { check, fmtShape } from '../util/errors';
import { defineOp, run, type OpDef } from './registry';
import { sum } from './reduce';

function inferReshape(op: string, x: Tensor, shape: readonly number[]): number[] {
  const free = shape.filter((d) => d === -1).length;
  check(free <= 1, op, () => `only one dim can be -1, got ${fmtShape(shape)}`);
  const known = sizeOf(shape.filter((d) => d !== -1));
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  check(out.every((d) => Number.isInteger(d) && d >= 0) && sizeOf(out) === x.size, op, () =>
    `shape ${fmtShape(shape)} is invalid for input of size ${x.size} (shape ${fmtShape(x.shape)})`);
  return out;
}

const reshapeOp = defineOp<{ shape: number[] }>({
  name: 'reshape',
  forward: ([x], { shape }) => {
    if (x.isContiguous()) return x._view(shape, undefined, x.offset);
    const c = copyK(x);
    const v = c._view(shape, undefined, 0);
    c.dispose();
    return v;
  },
  backward: ({ inputs: [x] }, dy) => [() => reshape(dy, [...x.shape])],
});

/** A tensor with the same data and a new shape (one dim may be -1). A view when x is contiguous. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const s = inferReshape('reshape', x, shape);
  return run(reshapeOp, [x], { shape: s });
}

/** Like reshape, but requires a layout that allows a view (PyTorch's view). */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  check(x.isContiguous(), 'view', () => `view needs a contiguous tensor (got strides [${x.strides.join(', ')}] for shape ${fmtShape(x.shape)}); use reshape() or contiguous() first`);
  return reshape(x, shape);
}

const permuteOp = defineOp<{ dims: number[] }>({
  name: 'permute',
  forward: ([x], { dims }) => x._view(dims.map((d) => x.shape[d]), dims.map((d) => x.strides[d]), x.offset),
  backward: ({ attrs: { dims } }, dy) => {
    const inv = new Array<number>(dims.length);
    dims.forEach((d, i) => { inv[d] = i; });
    return [() => permute(dy, inv)];
  },
});

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  check(dims.length === x.ndim, 'permute', () => `expected ${x.ndim} dims for a tensor of shape ${fmtShape(x.shape)}, got [${dims.join(', ')}]`);
  const d = dims.map((v) => normDim('permute', v, x.ndim));
  check(new Set(d).size === d.length, 'permute', () => `dims [${dims.join(', ')}] repeat a dim`);
  return run(permuteOp, [x], { dims: d });
}

export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  if (x.ndim < 2 && arguments.length === 1) return run(permuteOp, [x], { dims: x.shape.map((_, i) => i) });
  const a = normDim('transpose', dim0, x.ndim), b = normDim('transpose', dim1, x.ndim);
  const dims = x.shape.map((_, i) => i);
  dims[a] = b; dims[b] = a;
  return run(permuteOp, [x], { dims });
}

/** Sums dy down to `shape`, the inverse of broadcasting `shape` up to dy.shape. */
export function sumTo(dy: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(dy.shape, shape)) return dy;
  const lead = dy.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < dy.ndim; i++) if (i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1)) dims.push(i);
  const s = sum(dy, dims, true);
  const r = reshape(s, shape);
  s.dispose();
  return r;
}

const expandOp = defineOp<{ shape: number[] }>({
  name: 'expand',
  forward: ([x], { shape }) => {
    const lead = shape.length - x.ndim;
    const strides = shape.map((d, i) => (i < lead || (x.shape[i - lead] === 1 && d !== 1) ? 0 : x.strides[i - lead]));
    return x._view(shape, strides, x.offset);
  },
  backward: ({ inputs: [x] }, dy) => [() => sumTo(dy, x.shape)],
});

/** Broadcasts x to `shape` as a stride-0 view (-1 keeps a dim). Returns x itself when equal. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  check(shape.length >= x.ndim, 'expand', () => `cannot expand shape ${fmtShape(x.shape)} to fewer dims ${fmtShape(shape)}`);
  const lead = shape.length - x.ndim;
  const s = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead] : d));
  checkShape('expand', s);
  for (let i = 0; i < x.ndim; i++) {
    const a = x.shape[i], b = s[i + lead];
    check(a === b || a === 1, 'expand', () => `cannot expand shape ${fmtShape(x.shape)} to ${fmtShape(shape)} (dim ${i} has size ${a}, not 1)`);
  }
  if (sameShape(s, x.shape)) return x;
  return run(expandOp, [x], { shape: s });
}

const contiguousOp = defineOp<object>({
  name: 'contiguous',
  forward: ([x]) => (x.isContiguous() ? x._view(x.shape, x.strides, x.offset) : copyK(x)),
  backward: (_, dy) => [() => dy],
});

/** A contiguous tensor with x's values (a new handle on the same storage when already contiguous). */
export function contiguous(x: Tensor): Tensor {
  return run(contiguousOp, [x], {});
}

const cloneOp = defineOp<object>({
  name: 'clone',
  forward: ([x]) => copyK(x),
  backward: (_, dy) => [() => dy],
});

/** A copy with its own storage. */
export function clone(x: Tensor): Tensor {
  return run(cloneOp, [x], {});
}

interface SliceAttrs { dim: number; start: number; end: number; step: number }

function sliceView(x: Tensor, { dim, start, end, step }: SliceAttrs): Tensor {
  const n = Math.max(0, Math.ceil((end - start) / step));
  const shape = [...x.shape]; shape[dim] = n;
  const strides = [...x.strides]; strides[dim] = x.strides[dim] * step;
  return x._view(shape, strides, x.offset + (n > 0 ? start * x.strides[dim] : 0));
}

const sliceScatterOp: OpDef<SliceAttrs & { shape: number[] }> = defineOp<SliceAttrs & { shape: number[] }>({
  name: 'sliceScatter',
  forward: ([src], a) => {
    const out = fillK(Tensor._empty(a.shape, src.dtype), 0);
    const v = sliceView(out, a);
    copyInto(v, src);
    v.dispose();
    return out;
  },
  backward: ({ attrs }, dy) => [() => run(sliceOp, [dy], attrs)],
});

const sliceOp: OpDef<SliceAttrs> = defineOp<SliceAttrs>({
  name: 'slice',
  forward: ([x], a) => sliceView(x, a),
  backward: ({ inputs: [x], attrs }, dy) => [() => run(sliceScatterOp, [dy], { ...attrs, shape: [...x.shape] })],
});

/** Elements start <= i < end (step >= 1) along dim, as a view; negative and out-of-range bounds clamp like Python slices. */
export function slice(x: Tensor, dim: number, start = 0, end?: number, step = 1): Tensor {
  const d = normDim('slice', dim, x.ndim);
  check(Number.isInteger(step) && step >= 1, 'slice', () => `step must be a positive integer, got ${step}`);
  const n = x.shape[d];
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const s = clamp(start), e = Math.max(clamp(end ?? n), s);
  return run(sliceOp, [x], { dim: d, start: s, end: e, step });
}

/** `length` elements from `start` along dim (torch.narrow); errors when out of range. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim('narrow', dim, x.ndim);
  const s = start < 0 ? start + x.shape[d] : start;
  check(Number.isInteger(s) && Number.isInteger(length) && s >= 0 && length >= 0 && s + length <= x.shape[d], 'narrow', () =>
    `start ${start} + length ${length} is out of range for dim ${dim} of size ${x.shape[d]}`);
  return run(sliceOp, [x], { dim: d, start: s, end: s + length, step: 1 });
}

const flipOp: OpDef<{ dims: number[] }> = defineOp<{ dims: number[] }>({
  name: 'flip',
  forward: ([x], { dims }) => {
    let offset = x.offset;
    const strides = [...x.strides];
    for (const d of dims) {
      if (x.shape[d] > 0) offset += (x.shape[d] - 1) * x.strides[d];
      strides[d] = -x.strides[d];
    }
    return x._view(x.shape, strides, offset);
  },
  backward: ({ attrs: { dims } }, dy) => [() => run(flipOp, [dy], { dims })],
});

/** Reverses the order along `dims`, as a view with negative strides. */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  const list = (typeof dims === 'number' ? [dims] : [...dims]).map((d) => normDim('flip', d, x.ndim));
  return run(flipOp, [x], { dims: list });
}

const catOp = defineOp<{ dim: number }>({
  name: 'cat',
  forward: (xs, { dim }) => {
    const shape = [...xs[0].shape];
    shape[dim] = xs.reduce((a, t) => a + t.shape[dim], 0);
    const out = Tensor._empty(shape, xs[0].dtype);
    let at = 0;
    for (const t of xs) {
      const v = sliceView(out, { dim, start: at, end: at + t.shape[dim], step: 1 });
      copyInto(v, t);
      v.dispose();
      at += t.shape[dim];
    }
    return out;
  },
  backward: ({ inputs, attrs: { dim } }, dy) => {
    let at = 0;
    return inputs.map((t) => {
      const start = at;
      at += t.shape[dim];
      return () => run(sliceOp, [dy], { dim, start, end: start + t.shape[dim], step: 1 });
    });
  },
});

/** Concatenates along an existing dim; all other sizes and the dtype must match. */
export function cat(xs: readonly Tensor[], dim = 0): Tensor {
  check(Array.isArray(xs) && xs.length > 0, 'cat', () => 'expected a non-empty array of tensors');
  const d = normDim('cat', dim, xs[0].ndim);
  for (const t of xs) {
    check(t.ndim === xs[0].ndim && t.shape.every((s: number, i: number) => i === d || s === xs[0].shape[i]), 'cat', () =>
      `sizes must match except in dim ${dim}: got ${xs.map((x) => fmtShape(x.shape)).join(' and ')}`);
    check(t.dtype === xs[0].dtype, 'cat', () => `dtypes must match: got ${xs.map((x) => x.dtype).join(', ')}`);
  }
  return run(catOp, xs, { dim: d });
}
