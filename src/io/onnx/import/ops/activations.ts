// ONNX converters: elementwise unary math and activations (Neg ... Tanh, Relu ... Mish, Erf,
// Floor / Ceil / Round, Sign, IsNaN / IsInf, PRelu, Shrink), composed from asgrad's
// differentiable ops; merged into ELEMENTWISE_OPS by elementwise.ts.
import { tidy } from '../../../../memory';
import type { Tensor } from '../../../../tensor';
import { add, clamp, div, eq, gt, lt, maximum, mul, ne, sub, where } from '../../../../ops/binary';
import {
  abs, ceil, cos, elu, exp, floor, leakyRelu, log, neg, reciprocal, relu, round, sigmoid, sign, sin, softplus, sqrt, tanh,
} from '../../../../ops/unary';
import { hardswish, mish, softsign } from '../../../../ops/activations';
import { reshape } from '../../../../ops/movement';
import { nodeError, type Attrs, type OnnxOp, type OpContext } from '../attrs';
import { need } from '../values';

const isFloat = (t: Tensor) => t.dtype === 'float32';

/** A one-input converter; `f` reads its attributes (checking them with a.only) and runs inside tidy. */
const unary = (f: (x: Tensor, a: Attrs, ctx: OpContext) => Tensor): OnnxOp => (inputs, a, ctx) => {
  const x = need(ctx, inputs, 0, 'X');
  return tidy(() => f(x, a, ctx));
};

/** A one-input converter without attributes. */
const plain = (f: (x: Tensor) => Tensor): OnnxOp => unary((x, a) => { a.only(); return f(x); });

/** p(z) for coefficients from the highest power down (Horner). */
function horner(z: Tensor, cs: readonly number[]): Tensor {
  let p = add(mul(z, cs[0]), cs[1]);
  for (const c of cs.slice(2)) { const m = mul(p, z); p.dispose(); p = add(m, c); m.dispose(); }
  return p;
}

// erf(x) / x in x² on |x| < 1 (Cephes erff: relative error ~1e-9 in exact arithmetic).
const ERF_SMALL = [7.853861353153693e-5, -8.010193625184903e-4, 5.188327685732524e-3, -2.685381193529856e-2,
  1.128358514861418e-1, -3.761262582423300e-1, 1.128379165726710];
// erfc(z) = t·exp(-z² + p(t)), t = 1 / (1 + z/2), for z >= 0 (Numerical Recipes' erfcc: fractional error < 1.2e-7).
const ERFC = [0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196,
  1.00002368, -1.26551223];

/**
 * erf in float32 to a few ulps: x·P(x²) on |x| < 1, sign(x)·(1 - erfc|x|) beyond (no
 * cancellation: erfc <= 0.16 there). Each branch sees inputs where it stays finite (the
 * polynomial a clamped x), so the gradient of the unused branch is 0, never NaN.
 */
export function erf(x: Tensor): Tensor {
  const ax = abs(x);
  // Each branch in its own tidy: its temporaries go before the next is built.
  const inner = tidy(() => { const xs = clamp(x, -1, 1); return mul(xs, horner(mul(xs, xs), ERF_SMALL)); });
  const outer = tidy(() => {
    const t = reciprocal(add(mul(ax, 0.5), 1));
    const erfc = mul(t, exp(sub(horner(t, ERFC), mul(ax, ax))));
    return mul(sub(1, erfc), sign(x));
  });
  return where(lt(ax, 1), inner, outer);
}

/** sinh: 2u / (1 - u²) with u = tanh(x/2) on |x| < 1 (no cancellation), (eˣ - e⁻ˣ) / 2 beyond. */
function sinh(x: Tensor): Tensor {
  const u = tanh(mul(clamp(x, -1, 1), 0.5));
  const inner = div(mul(u, 2), sub(1, mul(u, u)));
  const outer = mul(sub(exp(x), exp(neg(x))), 0.5);
  return where(lt(abs(x), 1), inner, outer);
}

const cosh = (x: Tensor) => mul(add(exp(x), exp(neg(x))), 0.5);

/** IsInf: +inf and / or -inf as the attributes ask. */
const isInf = unary((x, a) => {
  a.only('detect_negative', 'detect_positive');
  const n = a.int('detect_negative', 1) !== 0, p = a.int('detect_positive', 1) !== 0;
  if (n && p) return eq(abs(x), Infinity);
  return n ? eq(x, -Infinity) : p ? eq(x, Infinity) : gt(x, Infinity); // neither: all false
});

/** PRelu: slope broadcasts to X one way (before opset 7, a 1-D slope of X's channel count is per channel, as Caffe2's). */
const prelu: OnnxOp = (inputs, a, ctx) => {
  a.only();
  const x = need(ctx, inputs, 0, 'X'), slope0 = need(ctx, inputs, 1, 'slope');
  return tidy(() => {
    let slope = slope0;
    if (ctx.opset < 7 && slope.ndim === 1 && slope.size > 1 && x.ndim > 1 && slope.size === x.shape[1]) {
      slope = reshape(slope, [slope.size, ...new Array<number>(x.ndim - 2).fill(1)]);
    }
    const lead = x.ndim - slope.ndim;
    if (lead < 0 || slope.shape.some((n, i) => n !== 1 && n !== x.shape[lead + i])) nodeError(ctx.node, `slope [${slope0.shape.join(', ')}] does not broadcast to X [${x.shape.join(', ')}]`);
    return where(lt(x, 0), mul(x, slope), x);
  });
};

export const ACTIVATION_OPS: Record<string, OnnxOp> = {
  Neg: plain((x) => (isFloat(x) ? neg(x) : mul(x, -1))),
  Abs: plain((x) => (isFloat(x) ? abs(x) : maximum(x, mul(x, -1)))),
  Sign: plain((x) => (isFloat(x) ? sign(x) : sign(x).to(x.dtype))),
  Sqrt: plain(sqrt),
  Reciprocal: plain(reciprocal),
  Exp: plain(exp),
  Log: plain(log),
  Sin: plain(sin),
  Cos: plain(cos),
  Tan: plain((x) => div(sin(x), cos(x))),
  Sinh: plain(sinh),
  Cosh: plain(cosh),
  Tanh: plain(tanh),
  Sigmoid: plain(sigmoid),
  Erf: plain(erf),
  Floor: plain(floor),
  Ceil: plain(ceil),
  Round: plain(round), // half to even, as ONNX
  IsNaN: plain((x) => ne(x, x)),
  IsInf: isInf,
  Relu: plain((x) => (isFloat(x) ? relu(x) : maximum(x, 0))),
  LeakyRelu: unary((x, a) => leakyRelu(x, a.only('alpha').float('alpha', 0.01))),
  Elu: unary((x, a) => elu(x, a.only('alpha').float('alpha', 1))),
  Selu: unary((x, a) => {
    a.only('alpha', 'gamma');
    return mul(elu(x, a.float('alpha', 1.67326319217681884765625)), a.float('gamma', 1.05070102214813232421875));
  }),
  Celu: unary((x, a, ctx) => { // alpha · elu(x / alpha)
    const alpha = a.only('alpha').float('alpha', 1);
    if (alpha === 0) nodeError(ctx.node, 'alpha must be non-zero');
    return mul(elu(div(x, alpha)), alpha);
  }),
  ThresholdedRelu: unary((x, a) => where(gt(x, a.only('alpha').float('alpha', 1)), x, 0)),
  HardSigmoid: unary((x, a) => {
    a.only('alpha', 'beta');
    return clamp(add(mul(x, a.float('alpha', 0.2)), a.float('beta', 0.5)), 0, 1);
  }),
  HardSwish: plain(hardswish),
  Softplus: plain((x) => softplus(x)), // linear past x = 20, where log(1 + eˣ) - x < 3e-9
  Softsign: plain(softsign),
  Mish: plain(mish),
  PRelu: prelu,
  Shrink: unary((x, a) => {
    a.only('bias', 'lambd');
    const bias = a.float('bias', 0), lambd = a.float('lambd', 0.5);
    const y = where(lt(x, -lambd), add(x, bias), where(gt(x, lambd), sub(x, bias), 0));
    return isFloat(x) ? y : y.to(x.dtype);
  }),
};
