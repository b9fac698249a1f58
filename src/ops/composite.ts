// Tensor utilities composed from other ops (so they differentiate through them where that makes
// sense), with torch's names and semantics: tril / triu, repeat, roll, outer, lerp, isnan /
// isfinite, any / all.
import { arange } from '../creation';
import { Tensor } from '../tensor';
import { normDim, normDims } from '../shape';
import { check, fmtShape } from '../util/errors';
import { add, eq, ge, le, mul, ne, sub, where } from './binary';
import { cat, expand, narrow, reshape } from './movement';
import { sum } from './reduce';
import { unsqueeze } from './shaping';

function checkTensor(op: string, x: Tensor): void {
  check(x?._isTensor, op, () => `expected a tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
}

/** x where col - row <= k (lower) or >= k (upper) over the last two dims, else 0. */
function triangle(op: string, x: Tensor, k: number, lower: boolean): Tensor {
  checkTensor(op, x);
  check(x.ndim >= 2, op, () => `expected a tensor with at least 2 dims, got shape ${fmtShape(x.shape)}`);
  check(Number.isInteger(k), op, () => `diagonal must be an integer, got ${k}`);
  const [R, C] = x.shape.slice(-2);
  const rows = arange(R).reshape([R, 1]), cols = arange(C);
  const offset = sub(cols, rows); // [R, C]: col - row
  const keep = lower ? le(offset, k) : ge(offset, k);
  const out = where(keep, x, 0);
  for (const t of [rows, cols, offset, keep]) t.dispose();
  return out;
}

/** The lower triangle of the last two dims (torch.tril): entries with col - row <= diagonal, others 0. */
export const tril = (x: Tensor, diagonal = 0): Tensor => triangle('tril', x, diagonal, true);
/** The upper triangle of the last two dims (torch.triu): entries with col - row >= diagonal, others 0. */
export const triu = (x: Tensor, diagonal = 0): Tensor => triangle('triu', x, diagonal, false);

/**
 * x tiled `sizes[i]` times along each dim (torch.Tensor.repeat); more sizes than dims add leading
 * dims. Each dim becomes [times, size] by a broadcast, then the two merge.
 * @example
 * repeat(tensor([1, 2]), [2, 3]) // [[1, 2, 1, 2, 1, 2], [1, 2, 1, 2, 1, 2]]
 */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  checkTensor('repeat', x);
  check(Array.isArray(sizes) && sizes.length >= x.ndim && sizes.every((s) => Number.isInteger(s) && s >= 0), 'repeat', () =>
    `sizes must list a non-negative integer for each of the ${x.ndim} dims (or more), got ${JSON.stringify(sizes)}`);
  const lead = sizes.length - x.ndim;
  const base = reshape(x, [...sizes.slice(0, lead).map(() => 1), ...x.shape]); // [1.., ...shape]
  const shape = base.shape;
  // [s0, d0, s1, d1, ...] broadcast from [1, d0, 1, d1, ...], then merged pairwise
  let inter: Tensor = base;
  for (let d = shape.length - 1; d >= 0; d--) { const u = unsqueeze(inter, d); if (inter !== base) inter.dispose(); inter = u; }
  const big = expand(inter, shape.flatMap((n, d) => [sizes[d], n]));
  const out = reshape(big, shape.map((n, d) => n * sizes[d]));
  for (const t of [base, inter, big]) if (t !== out) t.dispose();
  return out;
}

/**
 * x shifted circularly by shifts[i] along dims[i] (torch.roll); with no dims, the flattened x is
 * rolled and reshaped back.
 * @example
 * roll(tensor([1, 2, 3, 4]), 1) // [4, 1, 2, 3]
 */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  checkTensor('roll', x);
  const sh = typeof shifts === 'number' ? [shifts] : [...shifts];
  check(sh.every(Number.isInteger), 'roll', () => `shifts must be integers, got ${JSON.stringify(shifts)}`);
  if (dims === undefined) {
    check(sh.length === 1, 'roll', () => `without dims, shifts must be one integer, got ${JSON.stringify(shifts)}`);
    const flat = reshape(x, [x.size]);
    const r = roll(flat, sh, [0]);
    const out = reshape(r, [...x.shape]);
    flat.dispose(); if (r !== out) r.dispose();
    return out;
  }
  const ds = (typeof dims === 'number' ? [dims] : [...dims]).map((d) => normDim('roll', d, x.ndim));
  check(ds.length === sh.length, 'roll', () => `shifts and dims must have the same length, got ${JSON.stringify(shifts)} and ${JSON.stringify(dims)}`);
  let cur = x;
  for (let i = 0; i < ds.length; i++) {
    const d = ds[i], n = cur.shape[d];
    const k = n === 0 ? 0 : ((sh[i] % n) + n) % n;
    if (k === 0) continue;
    const tail = narrow(cur, d, n - k, k), head = narrow(cur, d, 0, n - k);
    const next = cat([tail, head], d);
    tail.dispose(); head.dispose();
    if (cur !== x) cur.dispose();
    cur = next;
  }
  return cur === x ? reshape(x, [...x.shape]) : cur;
}

/** The outer product of two 1-D tensors: [n] x [m] -> [n, m] (torch.outer). */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkTensor('outer', a); checkTensor('outer', b);
  check(a.ndim === 1 && b.ndim === 1, 'outer', () => `expected two 1-D tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const col = reshape(a, [a.shape[0], 1]);
  const r = mul(col, b);
  col.dispose();
  return r;
}

/** start + weight · (end - start) (torch.lerp); weight a number or a tensor, broadcasting. */
export function lerp(start: Tensor, end: Tensor, weight: Tensor | number): Tensor {
  checkTensor('lerp', start); checkTensor('lerp', end);
  const d = sub(end, start);
  const s = mul(d, weight);
  const r = add(start, s);
  d.dispose(); s.dispose();
  return r;
}

/** True (bool) where x is NaN. */
export function isnan(x: Tensor): Tensor {
  checkTensor('isnan', x);
  return ne(x, x);
}

/** True (bool) where x is neither NaN nor ±Infinity (x - x is 0 only for finite x). */
export function isfinite(x: Tensor): Tensor {
  checkTensor('isfinite', x);
  if (x.dtype !== 'float32') return eq(x, x);
  const d = sub(x, x);
  const r = eq(d, 0);
  d.dispose();
  return r;
}

/** Whether any (or every) element over dim is non-zero: a bool tensor (torch.any / torch.all). */
function anyAll(op: 'any' | 'all', x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  checkTensor(op, x);
  const dims = normDims(op, dim, x.ndim);
  const nz = ne(x, 0);
  const count = sum(nz, dims, keepdim); // int32
  nz.dispose();
  let n = 1;
  for (const d of dims) n *= x.shape[d];
  const r = op === 'any' ? ne(count, 0) : eq(count, n);
  count.dispose();
  return r;
}

export const any = (x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor => anyAll('any', x, dim, keepdim);
export const all = (x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor => anyAll('all', x, dim, keepdim);
