// Elementwise unary ops over float32 (int inputs are promoted). Each backward is one line over
// other ops; derivative masks of piecewise activations (relu's step, gelu') come from kernels
// and are treated as constants, so second derivatives through them are zero.
import { castK, unaryK } from '../backend/kernels';
import { U } from '../backend/exports';
import { Tensor } from '../tensor';
import { check } from '../util/errors';
import { defineOp, run, type OpDef } from './registry';
import { add, div, mul, neg as negF, sub } from './binary';

type Attrs = { alpha: number };

function floatInput(x: Tensor, op: string): [Tensor, Tensor | null] {
  check(x !== null && typeof x === 'object' && (x as Tensor)._isTensor, op, () => `expected a tensor, got ${typeof x}`);
  x._assertLive(op);
  if (x.dtype === 'float32') return [x, null];
  const c = castK(x, 'float32');
  return [c, c];
}

function apply(op: OpDef<Attrs>, x: Tensor, alpha = 0): Tensor {
  const [f, temp] = floatInput(x, op.name);
  const out = run(op, [f], { alpha });
  temp?.dispose();
  return out;
}

/** A mask computed by a kernel, no graph: the derivative of a piecewise function. */
function mask(code: number, x: Tensor, alpha = 0): Tensor {
  return unaryK(code, x, alpha);
}

function scaled(dy: Tensor, m: Tensor): Tensor {
  const r = mul(dy, m);
  m.dispose();
  return r;
}

function def(name: string, code: number, save: 'x' | 'y' | 'none', grad: (dy: Tensor, x: Tensor, y: Tensor, alpha: number) => Tensor): OpDef<Attrs> {
  return defineOp<Attrs>({
    name,
    forward: ([x], { alpha }) => unaryK(code, x, alpha),
    save: save === 'none' ? undefined : ([x], y) => [save === 'x' ? x : y],
    backward: ({ saved: [s], attrs: { alpha } }, dy) => [() => grad(dy, s, s, alpha)],
  });
}

const tmp = (t: Tensor, f: (t: Tensor) => Tensor) => { const r = f(t); t.dispose(); return r; };

const negOp = def('neg', U.neg, 'none', (dy) => negF(dy));
const absOp = def('abs', U.abs, 'x', (dy, x) => scaled(dy, mask(U.sign, x)));
const sqrtOp = def('sqrt', U.sqrt, 'y', (dy, _, y) => tmp(mul(y, 2), (d) => div(dy, d)));
const rsqrtOp = def('rsqrt', U.rsqrt, 'y', (dy, _, y) => tmp(mul(y, y), (y2) => tmp(mul(y2, y), (y3) => tmp(mul(y3, -0.5), (c) => mul(dy, c)))));
const expOp = def('exp', U.exp, 'y', (dy, _, y) => mul(dy, y));
const logOp = def('log', U.log, 'x', (dy, x) => div(dy, x));
const log1pOp = def('log1p', U.log1p, 'x', (dy, x) => tmp(add(x, 1), (d) => div(dy, d)));
const squareOp = def('square', U.square, 'x', (dy, x) => tmp(mul(x, 2), (d) => mul(dy, d)));
const reciprocalOp = def('reciprocal', U.reciprocal, 'y', (dy, _, y) => tmp(mul(y, y), (y2) => tmp(mul(dy, y2), negF)));
const reluOp = def('relu', U.relu, 'x', (dy, x) => scaled(dy, mask(U.step, x)));
const sigmoidOp = def('sigmoid', U.sigmoid, 'y', (dy, _, y) => tmp(sub(1, y), (omy) => tmp(mul(y, omy), (d) => mul(dy, d))));
const tanhOp = def('tanh', U.tanh, 'y', (dy, _, y) => tmp(mul(y, y), (y2) => tmp(sub(1, y2), (d) => mul(dy, d))));
const leakyReluOp = def('leakyRelu', U.leakyRelu, 'x', (dy, x, _, a) => scaled(dy, mask(U.leakyGrad, x, a)));
const eluOp = def('elu', U.elu, 'x', (dy, x, _, a) => scaled(dy, mask(U.eluGrad, x, a)));
const geluOp = def('gelu', U.gelu, 'x', (dy, x) => scaled(dy, mask(U.geluGrad, x)));
const softplusOp = def('softplus', U.softplus, 'x', (dy, x, _, b) => scaled(dy, mask(U.softplusGrad, x, b)));
const sinOp: OpDef<Attrs> = def('sin', U.sin, 'x', (dy, x) => tmp(cos(x), (c) => mul(dy, c)));
const cosOp: OpDef<Attrs> = def('cos', U.cos, 'x', (dy, x) => tmp(sin(x), (s) => tmp(mul(dy, s), negF)));

export const neg = (x: Tensor): Tensor => apply(negOp, x);
export const abs = (x: Tensor): Tensor => apply(absOp, x);
export const sqrt = (x: Tensor): Tensor => apply(sqrtOp, x);
export const rsqrt = (x: Tensor): Tensor => apply(rsqrtOp, x);
export const exp = (x: Tensor): Tensor => apply(expOp, x);
export const log = (x: Tensor): Tensor => apply(logOp, x);
export const log1p = (x: Tensor): Tensor => apply(log1pOp, x);
export const sin = (x: Tensor): Tensor => apply(sinOp, x);
export const cos = (x: Tensor): Tensor => apply(cosOp, x);
export const square = (x: Tensor): Tensor => apply(squareOp, x);
export const reciprocal = (x: Tensor): Tensor => apply(reciprocalOp, x);
export const relu = (x: Tensor): Tensor => apply(reluOp, x);
export const sigmoid = (x: Tensor): Tensor => apply(sigmoidOp, x);
export const tanh = (x: Tensor): Tensor => apply(tanhOp, x);
/** max(x, 0) + negativeSlope * min(x, 0); PyTorch's default slope 0.01. */
export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor => apply(leakyReluOp, x, negativeSlope);
/** x > 0 ? x : alpha (e^x - 1). */
export const elu = (x: Tensor, alpha = 1): Tensor => apply(eluOp, x, alpha);
/** x Phi(x), the exact (erf) form. */
export const gelu = (x: Tensor): Tensor => apply(geluOp, x);
/** log(1 + e^(beta x)) / beta, linear above beta x > 20 (PyTorch's threshold). */
export const softplus = (x: Tensor, beta = 1): Tensor => apply(softplusOp, x, beta);

/** Heaviside step: 1 where x > 0, else 0 (float32, not differentiable). */
export function step(x: Tensor): Tensor {
  const [f, temp] = floatInput(x, 'step');
  const r = unaryK(U.step, f);
  temp?.dispose();
  return r;
}

/** -1, 0 or 1 (float32, not differentiable). */
export function sign(x: Tensor): Tensor {
  const [f, temp] = floatInput(x, 'sign');
  const r = unaryK(U.sign, f);
  temp?.dispose();
  return r;
}

function rounding(code: number, name: string) {
  return (x: Tensor): Tensor => {
    if (x.dtype !== 'float32') { x._assertLive(name); return castK(x, x.dtype); }
    return unaryK(code, x);
  };
}
/** Not differentiable (zero gradient almost everywhere), like PyTorch's. */
export const floor = rounding(U.floor, 'floor');
export const ceil = rounding(U.ceil, 'ceil');
/** Round half to even. */
export const round = rounding(U.round, 'round');
