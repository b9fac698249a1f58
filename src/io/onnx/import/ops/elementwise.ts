// ONNX converters: elementwise arithmetic (Add Sub Mul Div Pow Mod BitShift), comparisons and
// logic, Where, the variadic Max Min Sum Mean, Clip, Cast and CastLike. Int Div / Mod / Pow /
// BitShift run exactly in JS (int tensors carry no gradient); the unary ops are in activations.ts.
import { tensor } from '../../../../creation';
import { tidy } from '../../../../memory';
import type { Tensor } from '../../../../tensor';
import { broadcastShapes } from '../../../../shape';
import { abs, ceil, floor, sign } from '../../../../ops/unary';
import { add, clamp, div, eq, ge, gt, le, lt, maximum, minimum, mul, ne, pow, sub, where } from '../../../../ops/binary';
import { expand, reshape } from '../../../../ops/movement';
import { nodeError, type Attrs, type OnnxOp, type OpContext } from '../attrs';
import { dataTypeName } from '../tensor_proto';
import { need, normAxis, scalarOf } from '../values';
import { ACTIVATION_OPS } from './activations';

const isFloat = (t: Tensor) => t.dtype === 'float32';
const INT32_MIN = -2147483648, INT32_MAX = 2147483647, FLT_MAX = 3.4028234663852886e38;

function inInt32(ctx: OpContext, v: number): number {
  if (!(v >= INT32_MIN && v <= INT32_MAX)) nodeError(ctx.node, `gives ${v}, outside asgrad's int32 range`);
  return v;
}

/** f over the values of int tensors a and b broadcast together, in exact JS arithmetic. */
function intZip(ctx: OpContext, a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const shape = broadcastShapes(ctx.node.opType, a.shape, b.shape);
  const [x, y] = tidy(() => [expand(a, shape).data(), expand(b, shape).data()]);
  const out = new Int32Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = inInt32(ctx, f(x[i], y[i]));
  return tensor(out, { shape, dtype: 'int32' });
}

function nonZero(ctx: OpContext, y: number): number {
  if (y === 0) nodeError(ctx.node, 'integer division by zero');
  return y;
}

/**
 * B as the op sees it. Before opset 7 only B broadcasts, and only with `broadcast=1`: aligned
 * at `axis` when given, else at the end (NumPy's rule); without it the shapes must be equal.
 */
function legacyB(a: Attrs, ctx: OpContext, A: Tensor, B: Tensor): Tensor {
  if (ctx.opset >= 7) { a.only(); return B; }
  a.only('broadcast', 'axis');
  if (!a.int('broadcast', 0)) {
    if (A.shape.join() !== B.shape.join()) nodeError(ctx.node, `without broadcast=1, A [${A.shape.join(', ')}] and B [${B.shape.join(', ')}] must have the same shape`);
    return B;
  }
  if (!a.has('axis')) return B;
  const axis = normAxis(ctx, a.int('axis'), A.ndim);
  if (axis + B.ndim > A.ndim || B.shape.some((n, i) => n !== 1 && n !== A.shape[axis + i])) {
    nodeError(ctx.node, `B [${B.shape.join(', ')}] does not match A [${A.shape.join(', ')}] from axis ${axis}`);
  }
  return reshape(B, [...B.shape, ...new Array<number>(A.ndim - axis - B.ndim).fill(1)]);
}

const binary = (f: (A: Tensor, B: Tensor, ctx: OpContext) => Tensor): OnnxOp => (inputs, a, ctx) => {
  const A = need(ctx, inputs, 0, 'A'), B = need(ctx, inputs, 1, 'B');
  return tidy(() => f(A, legacyB(a, ctx, A, B), ctx));
};

const bothInt = (A: Tensor, B: Tensor) => !isFloat(A) && !isFloat(B);

/** ONNX Div: true division for floats, C's truncating division for ints. */
const divide = (A: Tensor, B: Tensor, ctx: OpContext) =>
  bothInt(A, B) ? intZip(ctx, A, B, (x, y) => Math.trunc(x / nonZero(ctx, y))) : div(A, B);

/** ONNX Pow: a float base takes any exponent (differentiably); an int base gives ints, as C's (int)pow(). */
const power = (A: Tensor, B: Tensor, ctx: OpContext) =>
  isFloat(A) ? pow(A, B) : intZip(ctx, A, B, (x, y) => Math.trunc(x ** y));

/**
 * C's fmod over floats, x - y·trunc(x / y) in float32: exact for small quotients; a quotient
 * rounded up to an integer is corrected back, and |x| < |y| (trunc 0, also y = ±inf) gives x.
 */
function fmodFloat(x: Tensor, y: Tensor): Tensor {
  const q = div(x, y);
  const t = where(lt(q, 0), ceil(q), floor(q));
  const r = sub(x, mul(y, t));
  const fixed = where(lt(mul(r, x), 0), add(r, mul(sign(x), abs(y))), r);
  return where(eq(t, 0), x, fixed);
}

const mod: OnnxOp = (inputs, a, ctx) => {
  a.only('fmod');
  const fmod = a.int('fmod', 0);
  if (fmod !== 0 && fmod !== 1) nodeError(ctx.node, `fmod must be 0 or 1, got ${fmod}`);
  const A = need(ctx, inputs, 0, 'A'), B = need(ctx, inputs, 1, 'B');
  if (!bothInt(A, B)) {
    if (!fmod) nodeError(ctx.node, 'float inputs need fmod=1 (fmod=0, Python\'s %, is for integers)');
    return tidy(() => fmodFloat(A, B));
  }
  return intZip(ctx, A, B, (x, y) => {
    const r = x % nonZero(ctx, y); // sign of x, as C's fmod
    return fmod || r === 0 || (r < 0) === (y < 0) ? r : r + y; // else the sign of y, as Python's %
  });
};

const bitShift: OnnxOp = (inputs, a, ctx) => {
  a.only('direction');
  const dir = a.string('direction');
  if (dir !== 'LEFT' && dir !== 'RIGHT') nodeError(ctx.node, `direction must be 'LEFT' or 'RIGHT', got '${dir}'`);
  const X = need(ctx, inputs, 0, 'X'), Y = need(ctx, inputs, 1, 'Y');
  if (!bothInt(X, Y)) nodeError(ctx.node, `needs integer inputs, got ${X.dtype} and ${Y.dtype}`);
  // ONNX shifts unsigned values; asgrad holds them in int32, so results are exact while they fit.
  return intZip(ctx, X, Y, (x, y) => {
    if (x < 0 || y < 0) nodeError(ctx.node, `shifts unsigned values, got ${x} shifted by ${y}`);
    return dir === 'LEFT' ? x * 2 ** y : Math.floor(x / 2 ** y);
  });
};

const asBool = (t: Tensor) => (t.dtype === 'bool' ? t : ne(t, 0));
const logical = (f: (A: Tensor, B: Tensor) => Tensor) => binary((A, B) => asBool(f(A, B)));

const where3: OnnxOp = (inputs, a, ctx) => {
  a.only();
  const c = need(ctx, inputs, 0, 'condition'), X = need(ctx, inputs, 1, 'X'), Y = need(ctx, inputs, 2, 'Y');
  // asgrad's where promotes two bool branches to int32; ONNX keeps bool.
  return tidy(() => { const r = where(c, X, Y); return X.dtype === 'bool' && Y.dtype === 'bool' ? asBool(r) : r; });
};

/** Max / Min / Sum / Mean of one or more inputs, broadcast together. */
const variadic = (f: (A: Tensor, B: Tensor) => Tensor, mean = false): OnnxOp => (inputs, a, ctx) => {
  a.only();
  if (!inputs.length) nodeError(ctx.node, 'needs at least one input');
  const xs = inputs.map((t, i) => t ?? nodeError(ctx.node, `input ${i} is missing`));
  return tidy(() => {
    const r = xs.slice(1).reduce(f, xs[0]);
    return mean && xs.length > 1 ? div(r, xs.length) : r;
  });
};

/** Clip: bounds are attributes before opset 11, optional scalar inputs from 11; absent float bounds are ±FLT_MAX, as ONNX's numeric limits. */
const clip: OnnxOp = (inputs, a, ctx) => {
  const x = need(ctx, inputs, 0, 'input');
  const fl = isFloat(x);
  let lo: number | undefined, hi: number | undefined;
  if (ctx.opset < 11) {
    a.only('min', 'max');
    lo = a.float('min', -FLT_MAX); hi = a.float('max', FLT_MAX);
  } else {
    a.only();
    lo = inputs[1] ? scalarOf(ctx, inputs[1], 'min') : fl ? -FLT_MAX : undefined;
    hi = inputs[2] ? scalarOf(ctx, inputs[2], 'max') : fl ? FLT_MAX : undefined;
  }
  if (lo === undefined && hi === undefined) return x;
  // min > max sets everything to max (ONNX: Min(max, Max(input, min))); asgrad's clamp refuses it.
  if (lo !== undefined && hi !== undefined && lo > hi) return tidy(() => minimum(maximum(x, lo!), hi!));
  return clamp(x, lo, hi);
}

/** Wraps int32 values to a narrower ONNX int type, as C casts do (200 -> int8 -56). */
const WRAP: Record<number, (v: number) => number> = {
  2: (v) => v & 0xff, 3: (v) => (v << 24) >> 24, 4: (v) => v & 0xffff, 5: (v) => (v << 16) >> 16,
};

/**
 * x cast to the ONNX type `to` with asgrad's mapping: FLOAT, DOUBLE, FLOAT16 -> float32 (no
 * float16 rounding), integer types -> int32 (floats truncate toward zero, saturating; 8 / 16-bit
 * targets wrap), BOOL -> bool. Strings, BFLOAT16 (whose rounding asgrad does not emulate) and
 * other types throw.
 */
function castTo(ctx: OpContext, x: Tensor, to: number): Tensor {
  const from = ctx.inputType?.(0) ?? 0;
  if (from === 8) nodeError(ctx.node, 'casting from STRING is not supported (asgrad has no string tensors)');
  if (to === 1 || to === 10 || to === 11) return isFloat(x) ? x : x.to('float32');
  if (to === 9) return asBool(x);
  if ([2, 3, 4, 5, 6, 7, 12, 13].includes(to)) {
    const i = x.dtype === 'int32' ? x : x.to('int32');
    if (to === 6 || to === 7) return i;
    const v = i.data() as Int32Array;
    if (i !== x) i.dispose();
    const wrap = WRAP[to];
    const out = v.map((e) => (wrap ? wrap(e) : e < 0 ? nodeError(ctx.node, `casts ${e} to ${dataTypeName(to)}, whose value asgrad's int32 cannot hold`) : e));
    return tensor(out, { shape: [...x.shape], dtype: 'int32' });
  }
  const why = to === 8 ? 'asgrad has no string tensors' : to === 16 ? 'asgrad holds it as float32 and does not emulate its rounding' : 'asgrad has float32, int32 and bool';
  return nodeError(ctx.node, `casting to ${dataTypeName(to)} is not supported (${why})`);
}

const cast: OnnxOp = (inputs, a, ctx) => {
  a.only('to', 'saturate'); // saturate only concerns float8 targets, which are refused
  return castTo(ctx, need(ctx, inputs, 0, 'input'), a.int('to'));
};

/** CastLike: the target is the declared type of `target_type` when the graph declares it, else its asgrad dtype. */
const castLike: OnnxOp = (inputs, a, ctx) => {
  a.only('saturate');
  const x = need(ctx, inputs, 0, 'input'), like = need(ctx, inputs, 1, 'target_type');
  const to = ctx.inputType?.(1) || { float32: 1, int32: 6, bool: 9 }[like.dtype];
  return castTo(ctx, x, to);
};

export const ELEMENTWISE_OPS: Record<string, OnnxOp> = {
  Add: binary(add),
  Sub: binary(sub),
  Mul: binary(mul),
  Div: binary(divide),
  Pow: binary(power),
  Mod: mod,
  BitShift: bitShift,
  Equal: binary(eq),
  Less: binary(lt),
  Greater: binary(gt),
  LessOrEqual: binary(le),
  GreaterOrEqual: binary(ge),
  Not: (inputs, a, ctx) => { a.only(); return eq(need(ctx, inputs, 0, 'X'), 0); },
  And: logical(mul),
  Or: logical(add),
  Xor: binary(ne),
  Where: where3,
  Max: variadic(maximum),
  Min: variadic(minimum),
  Sum: variadic(add),
  Mean: variadic(add, true),
  Clip: clip,
  Cast: cast,
  CastLike: castLike,
  ...ACTIVATION_OPS,
};
