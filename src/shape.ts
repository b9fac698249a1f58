// Shape arithmetic, pure functions over number arrays (no tensors). Vocabulary: `shape` is the
// size per dim, `strides` are in elements, `dim` may be negative (counted from the end).
import { check, fmtShape } from './util/errors';

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** [outer, len, inner]: the sizes before dim, of dim, and after it (the kernels' axis layout). */
export function axisSplit(shape: readonly number[], dim: number): [number, number, number] {
  return [sizeOf(shape.slice(0, dim)), shape[dim], sizeOf(shape.slice(dim + 1))];
}

/** Row-major strides (a packed array: `new Array(n)` would make a holey one, slower to read). */
export function contiguousStrides(shape: readonly number[]): number[] {
  const n = shape.length, s: number[] = [];
  for (let i = 0; i < n; i++) s.push(0);
  let acc = 1;
  for (let i = n - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function checkShape(op: string, shape: readonly number[]): void {
  check(Array.isArray(shape), op, () => `expected a shape (array of sizes), got ${String(shape)}`);
  for (const d of shape) {
    check(Number.isInteger(d) && d >= 0, op, () => `sizes must be non-negative integers, got ${fmtShape(shape)}`);
  }
  check(sizeOf(shape) <= 2 ** 30, op, () => `shape ${fmtShape(shape)} has ${sizeOf(shape)} elements, more than the 2^30 the wasm32 heap can hold`);
}

/** Normalizes a possibly negative dim for a tensor of rank `ndim` (rank 0 accepts -1 and 0). */
export function normDim(op: string, dim: number, ndim: number): number {
  const r = Math.max(ndim, 1);
  check(Number.isInteger(dim) && dim >= -r && dim < r, op, () => `dim ${dim} is out of range for a tensor of rank ${ndim} (expected -${r} <= dim < ${r})`);
  return dim < 0 ? dim + r : dim;
}

/** Sorted, de-duplicated, non-negative dims; `undefined` means all dims. */
export function normDims(op: string, dims: number | readonly number[] | undefined | null, ndim: number): number[] {
  // Plain loops: this runs for every reduction and softmax (a hot path at small sizes).
  if (dims === undefined || dims === null) {
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
  if (typeof dims === 'number') return [normDim(op, dims, ndim)];
  const out = new Array<number>(dims.length);
  for (let i = 0; i < dims.length; i++) out[i] = normDim(op, dims[i], ndim);
  out.sort((a, b) => a - b);
  for (let i = 1; i < out.length; i++) check(out[i] !== out[i - 1], op, () => `dim ${JSON.stringify(dims)} repeats a dim`);
  return out;
}

/** NumPy broadcasting of two shapes; the error names both. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    check(da === db || da === 1 || db === 1, op, () =>
      `shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together (dim ${i - n} has sizes ${da} and ${db})`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Merges adjacent dims that are contiguous in every operand and pads to exactly four dims, so
 * an elementwise kernel can take [d0..d3] plus per-operand strides. Returns null above rank 4.
 */
export function collapse(shape: readonly number[], stridesList: readonly (readonly number[])[]): { dims: number[]; strides: number[][] } | null {
  const dims: number[] = [];
  const strides: number[][] = stridesList.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && stridesList.every((s, k) => strides[k][last] === s[i] * shape[i])) {
      dims[last] *= shape[i];
      stridesList.forEach((s, k) => { strides[k][last] = s[i]; });
    } else {
      dims.push(shape[i]);
      stridesList.forEach((s, k) => strides[k].push(s[i]));
    }
  }
  if (dims.length > 4) return null;
  while (dims.length < 4) {
    dims.unshift(1);
    strides.forEach((s) => s.unshift(0));
  }
  return { dims, strides };
}
