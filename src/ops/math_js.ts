// Elementwise math with torch semantics and no wasm kernel: the forward in float64 JS over a copy
// of the values (Math.expm1, Math.log2, ... rounded once to float32), the backward composed from
// differentiable ops. For functions that PyTorch models use off the hot path (expm1 near 0, the
// inverse trigonometric and hyperbolic functions, hypot without overflow).
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { defineOp, type OpDef } from './registry';
import { binaryJS, floatUnary, mapJS, trunc } from './math_extra';
import { maximum, where } from './binary';
import type { TensorLike } from './operands';

/** A float32 op y = f(x) with dy/dx = d(x, y). */
function unaryJS(name: string, f: (v: number) => number, d: (x: Tensor, y: Tensor) => Tensor): OpDef<object> {
  return defineOp<object>({
    name,
    forward: ([x]) => mapJS([x], 'float32', ([v], i) => f(v[i])),
    save: ([x], y) => [x, y],
    backward: ({ saved: [x, y] }, dy) => [() => tidy(() => d(x, y).mul(dy))],
  });
}

const rsqrtOf = (t: Tensor): Tensor => t.rsqrt();
const ops = {
  expm1: unaryJS('expm1', Math.expm1, (_, y) => y.add(1)),
  log2: unaryJS('log2', Math.log2, (x) => x.mul(Math.LN2).reciprocal()),
  log10: unaryJS('log10', Math.log10, (x) => x.mul(Math.LN10).reciprocal()),
  tan: unaryJS('tan', Math.tan, (_, y) => y.square().add(1)),
  atan: unaryJS('atan', Math.atan, (x) => x.square().add(1).reciprocal()),
  asin: unaryJS('asin', Math.asin, (x) => rsqrtOf(x.square().neg().add(1))),
  acos: unaryJS('acos', Math.acos, (x) => rsqrtOf(x.square().neg().add(1)).neg()),
  sinh: unaryJS('sinh', Math.sinh, (x) => x.exp().add(x.neg().exp()).mul(0.5)),
  cosh: unaryJS('cosh', Math.cosh, (x) => x.exp().sub(x.neg().exp()).mul(0.5)),
  asinh: unaryJS('asinh', Math.asinh, (x) => rsqrtOf(x.square().add(1))),
  acosh: unaryJS('acosh', Math.acosh, (x) => rsqrtOf(x.square().sub(1))),
  atanh: unaryJS('atanh', Math.atanh, (x) => x.square().neg().add(1).reciprocal()),
};

/** e^x - 1, exact near 0 (torch.expm1). */
export const expm1 = (x: Tensor): Tensor => floatUnary(ops.expm1, x);
/** Base-2 logarithm (torch.log2). */
export const log2 = (x: Tensor): Tensor => floatUnary(ops.log2, x);
/** Base-10 logarithm (torch.log10). */
export const log10 = (x: Tensor): Tensor => floatUnary(ops.log10, x);
/** torch.tan. */
export const tan = (x: Tensor): Tensor => floatUnary(ops.tan, x);
/** torch.atan. */
export const atan = (x: Tensor): Tensor => floatUnary(ops.atan, x);
/** torch.asin (NaN outside [-1, 1]). */
export const asin = (x: Tensor): Tensor => floatUnary(ops.asin, x);
/** torch.acos (NaN outside [-1, 1]). */
export const acos = (x: Tensor): Tensor => floatUnary(ops.acos, x);
/** torch.sinh. */
export const sinh = (x: Tensor): Tensor => floatUnary(ops.sinh, x);
/** torch.cosh. */
export const cosh = (x: Tensor): Tensor => floatUnary(ops.cosh, x);
/** torch.asinh. */
export const asinh = (x: Tensor): Tensor => floatUnary(ops.asinh, x);
/** torch.acosh (NaN below 1). */
export const acosh = (x: Tensor): Tensor => floatUnary(ops.acosh, x);
/** torch.atanh (NaN outside [-1, 1]). */
export const atanh = (x: Tensor): Tensor => floatUnary(ops.atanh, x);

/** x - trunc(x), the sign of x (torch.frac); gradient 1. */
export const frac = (x: Tensor): Tensor => tidy(() => x.sub(trunc(x.detach())));
export { trunc };

/** log(p / (1 - p)), p first clamped to [eps, 1 - eps] when eps is given (torch.logit). */
export function logit(x: Tensor, eps?: number): Tensor {
  return tidy(() => {
    const p = eps === undefined ? x : x.clamp(eps, 1 - eps);
    return p.div(p.neg().add(1)).log();
  });
}

const hypotOp = defineOp<object>({
  name: 'hypot',
  forward: ([a, b]) => mapJS([a, b], 'float32', ([x, y], i) => Math.hypot(x[i], y[i])),
  save: ([a, b], y) => [a, b, y],
  // d/da = a / h, d/db = b / h (NaN at the origin, as PyTorch).
  backward: ({ saved: [a, b, h] }, dy) => [() => tidy(() => dy.mul(a).div(h)), () => tidy(() => dy.mul(b).div(h))],
});

/** sqrt(a² + b²) without overflow or underflow, broadcasting (torch.hypot). */
export const hypot = (a: TensorLike, b: TensorLike): Tensor => binaryJS(hypotOp, a, b, 'float32');

/** log(e^a + e^b) without overflow, broadcasting (torch.logaddexp). */
export function logaddexp(a: Tensor, b: Tensor): Tensor {
  return tidy(() => {
    const m = maximum(a, b).detach();
    // m = ±inf (both operands the same infinity): the answer is m itself, not inf - inf.
    const finite = m.abs().lt(Infinity);
    const mm = where(finite, m, 0);
    return where(finite, a.sub(mm).exp().add(b.sub(mm).exp()).log().add(mm), m);
  });
}
