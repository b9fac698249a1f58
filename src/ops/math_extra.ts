// Tensor math with torch semantics: norm (linalg.vector_norm), fmod / remainder, cumprod, erf /
// erfc and atan2. Forwards with no wasm kernel run as float64 JS loops over a copy of the values
// (exact for fmod / remainder); every backward is composed from differentiable ops.
import { Tensor, type TypedArray } from '../tensor';
import { tidy } from '../memory';
import { fromFlat, full } from '../creation';
import { castK } from '../backend/kernels';
import type { DType } from '../dtype';
import { axisSplit, normDim, normDims } from '../shape';
import { check } from '../util/errors';
import { defineOp, run, type OpDef } from './registry';
import { disposeAll, isTensor, operands, type TensorLike } from './operands';
import { where } from './binary';
import { cat } from './movement';
import { cumsum } from './sort';
import type { Dims } from './reduce';

function checkT(op: string, x: Tensor): void {
  check(isTensor(x), op, () => `expected a tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
}

/** out[i] = f(values, i) over same-shape inputs, computed in float64 and stored as `dtype`. */
export function mapJS(xs: readonly Tensor[], dtype: DType, f: (v: TypedArray[], i: number) => number): Tensor {
  const v = xs.map((t) => t.data());
  const out = dtype === 'float32' ? new Float32Array(xs[0].size) : new Int32Array(xs[0].size);
  for (let i = 0; i < out.length; i++) out[i] = f(v, i);
  return fromFlat(out, xs[0].shape, dtype);
}

/**
 * The p-norm over dim (all dims when omitted), as torch.linalg.vector_norm: p any number > 0,
 * 'fro' (= 2), Infinity (max |x|), -Infinity (min |x|) or 0 (count of non-zeros). The gradient
 * at x = 0 is 0, PyTorch's subgradient, for every p.
 * @example
 * norm(tensor([[3, 4], [0, 0]]), 2, 1) // [5, 0]
 */
export function norm(x: Tensor, p: number | 'fro' = 2, dim?: Dims, keepdim = false): Tensor {
  checkT('norm', x);
  check(x.dtype === 'float32', 'norm', () => `expected a float32 tensor, got ${x.dtype} (cast with .float())`);
  const q = p === 'fro' ? 2 : p;
  check(typeof q === 'number' && (q >= 0 || q === -Infinity), 'norm', () =>
    `p must be a number > 0, 0, Infinity, -Infinity or 'fro', got ${typeof p === 'string' ? JSON.stringify(p) : String(p)}`);
  normDims('norm', dim, x.ndim); // errors name norm, not the reduction inside
  return tidy(() => {
    if (q === Infinity) return x.abs().max(dim, keepdim);
    if (q === -Infinity) return x.abs().min(dim, keepdim);
    if (q === 0) return where(x.ne(0), 1, x.mul(0)).sum(dim, keepdim); // x.mul(0) only links the graph
    if (q === 1) return x.abs().sum(dim, keepdim);
    // Zeros go through `where` branches that are constants, so no 0 * inf reaches the gradient.
    const z = q === 2 ? null : x.eq(0);
    const s = z ? where(z, 0, where(z, 1, x.abs()).pow(q)).sum(dim, keepdim) : x.square().sum(dim, keepdim);
    const sz = s.eq(0), safe = where(sz, 1, s);
    return where(sz, 0, q === 2 ? safe.sqrt() : safe.pow(1 / q));
  });
}

/** sign(q) floor(|q|): q rounded toward zero (torch.trunc; no gradient, as floor). */
export const trunc = (q: Tensor): Tensor => tidy(() => q.abs().floor().mul(q.sign()));

function modOp(name: string, floorMode: boolean): OpDef<object> {
  return defineOp<object>({
    name,
    forward: ([a, b]) => {
      const z = a.dtype === 'int32' ? b.data().indexOf(0) : -1;
      check(z < 0, name, () => `integer division by zero (the divisor at flat index ${z} of the broadcast operands is 0)`);
      return mapJS([a, b], a.dtype, ([x, y], i) => {
        const m = x[i] % y[i];
        return floorMode && m !== 0 && (m < 0) !== (y[i] < 0) ? m + y[i] : m;
      });
    },
    save: ([a, b]) => [a, b],
    // d/da = 1, d/db = -trunc(a / b) (fmod) or -floor(a / b) (remainder), as PyTorch.
    backward: ({ saved: [a, b] }, dy) => [() => dy, () => tidy(() => {
      const q = a.div(b);
      return dy.mul(floorMode ? q.floor() : trunc(q)).neg();
    })],
  });
}
const fmodOp = modOp('fmod', false);
const remainderOp = modOp('remainder', true);

/** Runs a binary op on operands promoted and broadcast together (bool counts as int32). */
export function binaryJS(op: OpDef<object>, x: TensorLike, y: TensorLike, force?: DType): Tensor {
  const { a, b, temps } = operands(op.name, x, y, force);
  try { return run(op, [a, b], {}); } finally { disposeAll(temps); }
}

/** C fmod: a - trunc(a / b) b, the sign of a (torch.fmod). float32 or int32 (exact; bool counts as int32); an int32 zero divisor throws. */
export const fmod = (a: TensorLike, b: TensorLike): Tensor => binaryJS(fmodOp, a, b);
/** Python %: a - floor(a / b) b, the sign of b (torch.remainder). float32 or int32 (exact); an int32 zero divisor throws. */
export const remainder = (a: TensorLike, b: TensorLike): Tensor => binaryJS(remainderOp, a, b);

interface DimAttrs { dim: number }

const cumprodOp: OpDef<DimAttrs> = defineOp<DimAttrs>({
  name: 'cumprod',
  forward: ([x], { dim }) => {
    const v = x.data(), isInt = x.dtype === 'int32';
    const out = isInt ? new Int32Array(x.size) : new Float32Array(x.size);
    const [outer, len, inner] = x.ndim === 0 ? [1, 1, 1] : axisSplit(x.shape, dim);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let p = 1; // float64 accumulation, as PyTorch's CPU kernel; int32 wraps
        for (let k = 0, at = o * len * inner + i; k < len; k++, at += inner) out[at] = p = isInt ? Math.imul(p, v[at]) : p * v[at];
      }
    }
    return fromFlat(out, x.shape, x.dtype);
  },
  save: ([x], y) => [x, y],
  backward: ({ saved: [x, y], attrs: { dim } }, dy) => [() => tidy(() => cumprodGrad(x, y, dy, dim))],
});

/**
 * PyTorch's cumprod_backward. With c = the running count of zeros: before the first zero the
 * gradient is revcumsum(y dy) / x; at the first zero z1 it is prod(x[<z1]) sum_{j in [z1, z2)}
 * dy_j prod(x(z1, j]); everywhere after, 0. No division touches a zero.
 */
function cumprodGrad(x: Tensor, y: Tensor, dy: Tensor, d: number): Tensor {
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (n <= 1) return dy.mul(1);
  const z = x.eq(0), c = cumsum(z.float(), d);
  const before = c.eq(0), one = c.eq(1);
  const rev = where(before, y.mul(dy), 0).flip(d).cumsum(d).flip(d);
  const g1 = where(before, rev.div(where(before, x, 1)), 0);
  const mid = where(z, 1, where(one, x, 1));
  const s = cumprod(mid, d).mul(where(one, dy, 0)).sum(d, true);
  const excl = cat([full(x.shape.map((k, i) => (i === d ? 1 : k)), 1), y.narrow(d, 0, n - 1)], d); // prod(x[<k])
  return g1.add(where(c.mul(z.float()).eq(1), s.mul(excl), 0)); // c z = 1 only at the first zero
}

/** Running products along dim (torch.cumprod), float32 (int32 wraps; bool counts as int32). Gradient exact with zeros. */
export function cumprod(x: Tensor, dim: number): Tensor {
  checkT('cumprod', x);
  check(typeof dim === 'number', 'cumprod', () => 'expected a dim (torch.cumprod requires one)');
  const src = x.dtype === 'bool' ? castK(x, 'int32') : x;
  const out = run(cumprodOp, [src], { dim: normDim('cumprod', dim, x.ndim) });
  if (src !== x) src.dispose();
  return out;
}

/** erf(x) by its Taylor series (float64; used for 0 <= x < 3, where cancellation costs < 1e-13). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let t = x, s = x;
  for (let n = 1; n < 100; n++) {
    t *= -x2 / n;
    const d = t / (2 * n + 1);
    s += d;
    if (Math.abs(d) <= 1e-17 * Math.abs(s)) break;
  }
  return s * 1.1283791670955126;
}
/** erfc(x) for x >= 3 by Laplace's continued fraction (float64). */
function erfcTail(x: number): number {
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / (1.7724538509055159 * f);
}
const erf64 = (x: number): number => (x < 0 ? -erf64(-x) : x < 3 ? erfSeries(x) : 1 - erfcTail(x));
const erfc64 = (x: number): number => (x < 0 ? 2 - erfc64(-x) : x < 3 ? 1 - erfSeries(x) : erfcTail(x));

function erfOp(name: string, complement: boolean): OpDef<object> {
  const f = complement ? erfc64 : erf64;
  return defineOp<object>({
    name,
    forward: ([x]) => mapJS([x], 'float32', ([v], i) => f(v[i])),
    save: ([x]) => [x],
    // d/dx erf = 2/sqrt(pi) e^{-x^2}; erfc the negative.
    backward: ({ saved: [x] }, dy) => [() => tidy(() => x.square().neg().exp().mul(complement ? -1.1283791670955126 : 1.1283791670955126).mul(dy))],
  });
}
const erfFwd = erfOp('erf', false), erfcFwd = erfOp('erfc', true);

/** Runs a unary op on x as float32 (int32 and bool inputs are cast). */
export function floatUnary(op: OpDef<object>, x: Tensor): Tensor {
  checkT(op.name, x);
  const f = x.dtype === 'float32' ? x : castK(x, 'float32');
  const out = run(op, [f], {});
  if (f !== x) f.dispose();
  return out;
}

/** The error function, float32 to about 1e-7 (torch.erf). */
export const erf = (x: Tensor): Tensor => floatUnary(erfFwd, x);
/** 1 - erf(x), accurate in the tail (erfc(5) ~ 1.5e-12), as torch.erfc. */
export const erfc = (x: Tensor): Tensor => floatUnary(erfcFwd, x);

const atan2Op = defineOp<object>({
  name: 'atan2',
  forward: ([a, b]) => mapJS([a, b], 'float32', ([y, x], i) => Math.atan2(y[i], x[i])),
  save: ([a, b]) => [a, b],
  // d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2) (NaN at the origin, as PyTorch).
  backward: ({ saved: [a, b] }, dy) => [
    () => tidy(() => dy.mul(b).div(a.square().add(b.square()))),
    () => tidy(() => dy.mul(a).div(a.square().add(b.square())).neg()),
  ],
});

/** The angle of the point (other, input) in (-pi, pi], elementwise with broadcasting (torch.atan2(input, other)). */
export const atan2 = (a: TensorLike, b: TensorLike): Tensor => binaryJS(atan2Op, a, b, 'float32');
