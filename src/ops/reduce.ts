// Reductions with `dim` (a number or a list; all dims when omitted) and `keepdim`, PyTorch
// style. sum, max, min and prod are primitives; mean, var, std and logsumexp are composed.
import { argK, castK, copyK, reduceK, allFinite } from '../backend/kernels';
import { getBackend } from '../backend/load';
import { Tensor } from '../tensor';
import { normDim, normDims, sizeOf } from '../shape';
import { check, fmtShape } from '../util/errors';
import { defineOp, run } from './registry';
import { noGrad } from '../autograd';
import { expand, permute, reshape } from './movement';
import { add, div, eq, mul, sub, where } from './binary';
import { exp, log, sqrt } from './unary';

export type Dims = number | readonly number[] | undefined | null;

interface RAttrs { dims: number[]; keepdim: boolean }

const outShape = (x: Tensor, { dims, keepdim }: RAttrs) =>
  keepdim ? x.shape.map((d, i) => (dims.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !dims.includes(i));

function reduceForward(op: 'sum' | 'max' | 'min' | 'prod', x: Tensor, a: RAttrs): Tensor {
  const r = reduceK(op, x, a.dims);
  if (a.keepdim) return r;
  const v = r._view(outShape(x, a));
  r.dispose();
  return v;
}

/** dy of a reduction, reshaped to keepdim form and broadcast back to x's shape. */
function spread(dy: Tensor, x: Tensor, a: RAttrs): Tensor {
  const kd = reshape(dy, x.shape.map((d, i) => (a.dims.includes(i) ? 1 : d)));
  const e = expand(kd, x.shape);
  if (e !== kd) kd.dispose();
  return e;
}

const sumOp = defineOp<RAttrs>({
  name: 'sum',
  forward: ([x], a) => reduceForward('sum', x, a),
  backward: ({ inputs: [x], attrs }, dy) => [() => spread(dy, x, attrs)],
});

/** max/min backward: the gradient goes to the extreme elements, split evenly among ties. */
function extremeGrad(dy: Tensor, x: Tensor, y: Tensor, a: RAttrs): Tensor {
  const ys = spread(y, x, a);
  const hit = eq(x, ys);
  const m = castK(hit, 'float32');
  const cnt = sum(m, a.dims, true);
  const dys = spread(dy, x, a);
  const share = div(dys, cnt);
  const r = mul(share, m);
  for (const t of [ys, hit, m, cnt, dys, share]) t.dispose();
  return r;
}

const maxOp = defineOp<RAttrs>({
  name: 'max',
  forward: ([x], a) => reduceForward('max', x, a),
  save: ([x], y) => [x, y],
  backward: ({ saved: [x, y], attrs }, dy) => [() => extremeGrad(dy, x, y, attrs)],
});

const minOp = defineOp<RAttrs>({
  name: 'min',
  forward: ([x], a) => reduceForward('min', x, a),
  save: ([x], y) => [x, y],
  backward: ({ saved: [x, y], attrs }, dy) => [() => extremeGrad(dy, x, y, attrs)],
});

/** Product of the other elements of each reduced group: exact with zeros (prefix x suffix). */
function prodOthers(x: Tensor, dims: number[]): Tensor {
  const keep = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const perm = [...keep, ...dims];
  const p = permute(x, perm);
  const c = copyK(p);
  p.dispose();
  const len = sizeOf(dims.map((d) => x.shape[d]));
  const out = Tensor._empty(c.shape, 'float32');
  getBackend().k.prod_others_f32(out._ptr, c._ptr, len === 0 ? 0 : c.size / len, len);
  c.dispose();
  const inv = new Array<number>(perm.length);
  perm.forEach((d, i) => { inv[d] = i; });
  const r = permute(out, inv);
  out.dispose();
  return r;
}

const prodOp = defineOp<RAttrs>({
  name: 'prod',
  forward: ([x], a) => reduceForward('prod', x, a),
  save: ([x]) => [x],
  backward: ({ saved: [x], attrs }, dy) => [() => {
    const others = prodOthers(x, attrs.dims);
    const dys = spread(dy, x, attrs);
    const r = mul(dys, others);
    others.dispose(); dys.dispose();
    return r;
  }],
});

function reduction(op: typeof sumOp, x: Tensor, dim: Dims, keepdim: boolean): Tensor {
  check(x !== null && typeof x === 'object' && x._isTensor, op.name, () => `expected a tensor, got ${typeof x}`);
  x._assertLive(op.name);
  const dims = normDims(op.name, dim, x.ndim);
  if (op !== sumOp) {
    for (const d of dims) check(x.shape[d] > 0, op.name, () => `cannot reduce an empty dim ${d} of shape ${fmtShape(x.shape)} (no identity for ${op.name})`);
    const extreme = op === maxOp || op === minOp;
    check(x.dtype === 'float32' || op === prodOp || (extreme && x.dtype === 'int32'), op.name, () =>
      `expected a float32${extreme ? ' or int32' : ''} tensor, got ${x.dtype}`);
  }
  let src = x;
  // bool sums count as int32; int32 and bool products run in float32 (max and min of int32 stay int32).
  if (x.dtype === 'bool' || (x.dtype === 'int32' && op === prodOp)) src = castK(x, op === sumOp ? 'int32' : 'float32');
  const out = run(op, [src], { dims, keepdim });
  if (src !== x) src.dispose();
  return out;
}

/** Sum over dim (all dims when omitted); int32 and bool inputs sum as int32. */
export const sum = (x: Tensor, dim?: Dims, keepdim = false): Tensor => reduction(sumOp, x, dim, keepdim);
/** Largest value over dim (values only, like torch.amax; use argmax for indices); float32 or int32. */
export const max = (x: Tensor, dim?: Dims, keepdim = false): Tensor => reduction(maxOp, x, dim, keepdim);
/** Smallest value over dim (as max). */
export const min = (x: Tensor, dim?: Dims, keepdim = false): Tensor => reduction(minOp, x, dim, keepdim);
export const prod = (x: Tensor, dim?: Dims, keepdim = false): Tensor => reduction(prodOp, x, dim, keepdim);

function count(x: Tensor, dim: Dims, op: string): number {
  return sizeOf(normDims(op, dim, x.ndim).map((d) => x.shape[d]));
}

export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  check(x.dtype === 'float32', 'mean', () => `mean needs a float32 tensor, got ${x.dtype} (cast with .float())`);
  const s = sum(x, dim, keepdim);
  const r = div(s, count(x, dim, 'mean'));
  s.dispose();
  return r;
}

export interface VarOptions { correction?: number; unbiased?: boolean; keepdim?: boolean }

/** Variance with Bessel's correction by default (correction = 1), as torch.var. */
export function variance(x: Tensor, dim?: Dims, opts: VarOptions | boolean = {}): Tensor {
  const o: VarOptions = typeof opts === 'boolean' ? { keepdim: opts } : opts;
  const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
  const n = count(x, dim, 'var');
  const m = mean(x, dim, true);
  const d = sub(x, m);
  const d2 = mul(d, d);
  const s = sum(d2, dim, o.keepdim ?? false);
  const r = div(s, Math.max(0, n - correction));
  for (const t of [m, d, d2, s]) t.dispose();
  return r;
}

export function std(x: Tensor, dim?: Dims, opts: VarOptions | boolean = {}): Tensor {
  const v = variance(x, dim, opts);
  const r = sqrt(v);
  v.dispose();
  return r;
}

/** log(sum(exp(x))) over dim, shifted by the max so it never overflows. */
export function logsumexp(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  // The shift is a constant for autograd: the gradient of logsumexp does not depend on it.
  const m = noGrad(() => max(x, dim, true));
  // An all -inf group would give -inf - -inf = NaN; shift such groups by 0 instead.
  let shift = m;
  if (!allFinite(m)) { const inf = eq(m, -Infinity); shift = where(inf, 0, m); inf.dispose(); }
  const d = sub(x, shift);
  const e = exp(d);
  const s = sum(e, dim, true);
  const l = log(s);
  const r1 = add(l, shift);
  const r = keepdim ? r1 : reshape(r1, outShape(x, { dims: normDims('logsumexp', dim, x.ndim), keepdim: false }));
  for (const t of [m, d, e, s, l]) t.dispose();
  if (shift !== m) shift.dispose();
  if (r !== r1) r1.dispose();
  return r;
}

function argReduce(isMin: boolean, x: Tensor, dim: number | undefined | null, keepdim: boolean): Tensor {
  const name = isMin ? 'argmin' : 'argmax';
  x._assertLive(name);
  check(x.size > 0, name, () => `cannot take ${name} of an empty tensor (shape ${fmtShape(x.shape)})`);
  const f = x.dtype === 'float32' ? x : castK(x, 'float32');
  let r: Tensor;
  if (dim === undefined || dim === null) {
    let src: Tensor;
    if (f.isContiguous()) src = f._view([f.size], undefined, f.offset);
    else { const c = copyK(f); src = c._view([f.size], undefined, 0); c.dispose(); }
    const a = argK(isMin, src, 0);
    src.dispose();
    r = a._view(keepdim ? x.shape.map(() => 1) : []);
    a.dispose();
  } else {
    const d = normDim(name, dim, x.ndim);
    const a = argK(isMin, f, d);
    r = keepdim ? a : a._view(x.shape.filter((_, i) => i !== d));
    if (r !== a) a.dispose();
  }
  if (f !== x) f.dispose();
  return r;
}

/** Index of the largest value (first one on ties) over dim, or over the flattened tensor. int32. */
export const argmax = (x: Tensor, dim?: number | null, keepdim = false): Tensor => argReduce(false, x, dim, keepdim);
export const argmin = (x: Tensor, dim?: number | null, keepdim = false): Tensor => argReduce(true, x, dim, keepdim);
