// ONNX converters: Conv, ConvTranspose and ConvInteger over 1-D and 2-D NCHW inputs, with asgrad's
// conv2d (per-side padding, groups, dilation) and conv2d's input-gradient op for the transpose.
import type { Tensor } from '../../../../tensor';
import { tidy } from '../../../../memory';
import { conv2dInputGradOp, conv2dPadded } from '../../../../ops/conv';
import { nodeError, type Attrs, type OnnxOp, type OpContext } from '../attrs';
import { need } from '../values';
import { as4d, checkKernelShape, convGeomOf, from4d, needFloat, spatialRank, windowAxes, type Axis } from './nn_geom';

const CONV_ATTRS = ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'];

/** The group attribute, checked against C input channels, weight [M, C/group, k...]. */
function groupOf(a: Attrs, ctx: OpContext, C: number, M: number, Cg: number): number {
  const g = a.int('group', 1);
  if (!(Number.isInteger(g) && g >= 1 && C % g === 0 && M % g === 0 && Cg * g === C)) {
    nodeError(ctx.node, `group=${g} does not fit ${C} input channels and a weight of ${M} x ${Cg} channels (expected C = weight.shape[1] * group, both divisible by group)`);
  }
  return g;
}

/** Conv on float inputs: x [N, C, ...], w [M, C/group, k...], b [M] or absent. */
function convolve(ctx: OpContext, a: Attrs, x: Tensor, w: Tensor, b: Tensor | undefined): Tensor {
  const r = spatialRank(ctx, x);
  if (w.ndim !== x.ndim) nodeError(ctx.node, `the weight must have the input's rank ${x.ndim} ([M, C/group, k...]), got shape [${w.shape.join(', ')}]`);
  const ks = w.shape.slice(2);
  checkKernelShape(a, ctx, ks);
  const groups = groupOf(a, ctx, x.shape[1], w.shape[0], w.shape[1]);
  if (b && !(b.ndim === 1 && b.shape[0] === w.shape[0])) nodeError(ctx.node, `the bias must have shape [${w.shape[0]}], got [${b.shape.join(', ')}]`);
  const axes = windowAxes(a, ctx, x.shape.slice(2), ks);
  return tidy(() => from4d(conv2dPadded('Conv', as4d(x), as4d(w), b ?? null, convGeomOf(axes, groups)), r));
}

const conv: OnnxOp = (inputs, a, ctx) => {
  a.only(...CONV_ATTRS);
  const x = need(ctx, inputs, 0, 'X'), w = need(ctx, inputs, 1, 'W'), b = inputs[2];
  for (const [t, n] of [[x, 'X'], [w, 'W'], [b, 'B']] as const) if (t) needFloat(ctx, t, n);
  return convolve(ctx, a, x, w, b);
};

/**
 * ConvInteger: int32 y = conv(x - x_zero_point, w - w_zero_point), padding with x's zero point.
 * Computed in float32, which is exact while every partial sum stays below 2^24; larger ones throw.
 */
const convInteger: OnnxOp = (inputs, a, ctx) => {
  a.only(...CONV_ATTRS);
  const x = need(ctx, inputs, 0, 'x'), w = need(ctx, inputs, 1, 'w'), xz = inputs[2], wz = inputs[3];
  for (const [t, n] of [[x, 'x'], [w, 'w'], [xz, 'x_zero_point'], [wz, 'w_zero_point']] as const) {
    if (t && t.dtype !== 'int32') nodeError(ctx.node, `${n} must be an integer tensor, got ${t.dtype}`);
  }
  if (xz && xz.size !== 1) nodeError(ctx.node, `x_zero_point must be a scalar, got shape [${xz.shape.join(', ')}]`);
  if (wz && wz.size !== 1 && !(wz.ndim === 1 && wz.shape[0] === w.shape[0])) {
    nodeError(ctx.node, `w_zero_point must be a scalar or hold one value per output channel (${w.shape[0]}), got shape [${wz.shape.join(', ')}]`);
  }
  return tidy(() => {
    const xf = (xz ? x.sub(xz.reshape([])) : x).float();
    const wf = (wz ? w.sub(wz.size === 1 ? wz.reshape([]) : wz.reshape([w.shape[0], ...w.shape.slice(1).map(() => 1)])) : w).float();
    const bound = xf.abs().max().item() * wf.abs().max().item() * (w.size / Math.max(w.shape[0], 1));
    if (bound >= 2 ** 24) nodeError(ctx.node, `sums up to ${bound} exceed float32's exact integer range (2^24); asgrad computes ConvInteger in float32`);
    return convolve(ctx, a, xf, wf, undefined).int();
  });
};

/**
 * ConvTranspose's per-axis geometry (ONNX spec): the begin pad, and as the end pad the one that
 * makes conv2d map the output back onto the input's size (so the op's gradient, a conv2d, has the
 * input's shape; output_padding and output_shape only add or drop output rows at the end).
 */
function transposeAxes(a: Attrs, ctx: OpContext, ns: number[], ks: number[]): { outs: number[]; axes: Axis[] } {
  const r = ns.length;
  const list = (name: string, def: number, min: number) => {
    const v = a.ints(name, new Array(r).fill(def));
    if (v.length !== r || !v.every((e) => Number.isInteger(e) && e >= min)) nodeError(ctx.node, `${name} must be ${r} integer(s) >= ${min}, got [${v.join(', ')}]`);
    return v;
  };
  const s = list('strides', 1, 1), d = list('dilations', 1, 1), op = list('output_padding', 0, 0);
  const autoPad = a.string('auto_pad', 'NOTSET');
  if (!['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'].includes(autoPad)) nodeError(ctx.node, `auto_pad must be one of NOTSET, SAME_UPPER, SAME_LOWER, VALID, got '${autoPad}'`);
  const p = a.ints('pads', new Array(2 * r).fill(0));
  if (p.length !== 2 * r || !p.every((e) => Number.isInteger(e) && e >= 0)) nodeError(ctx.node, `pads must be ${2 * r} non-negative integers, got [${p.join(', ')}]`);
  let shape = a.has('output_shape') ? a.ints('output_shape') : null;
  if (shape && shape.length === r + 2) shape = shape.slice(2);
  if (shape && (shape.length !== r || !shape.every((e) => Number.isInteger(e) && e >= 1))) nodeError(ctx.node, `output_shape must be ${r} positive integers (the spatial sizes), got [${a.ints('output_shape').join(', ')}]`);
  const begins: number[] = [], outs: number[] = [];
  for (let i = 0; i < r; i++) {
    const full = s[i] * (ns[i] - 1) + op[i] + d[i] * (ks[i] - 1) + 1;
    if (shape || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      // The spec's split (onnxruntime's differs for odd totals): the odd pixel at the end for
      // SAME_UPPER, at the begin otherwise. A negative total (an output past the full one) extends
      // the end when the spec's begin pad is 0; a negative begin pad (where onnxruntime and the
      // spec disagree) throws.
      const out = shape ? shape[i] : ns[i] * s[i];
      const total = full - out, half = Math.floor(total / 2);
      const pb = autoPad === 'SAME_UPPER' ? half : total - half;
      if (pb < 0) nodeError(ctx.node, `an output size of ${out} along spatial axis ${i} (full size ${full}) needs a negative begin pad (${pb}) with auto_pad '${autoPad}', which is not supported`);
      begins.push(pb);
      outs.push(out);
    } else {
      const [pb, pe] = autoPad === 'VALID' ? [0, 0] : [p[i], p[r + i]];
      begins.push(pb);
      outs.push(full - pb - pe);
      if (outs[i] < 1) nodeError(ctx.node, `the output would be empty along spatial axis ${i} (input ${ns[i]}, pads ${pb}/${pe})`);
    }
  }
  const axes = ns.map((n, i) => ({ n, k: ks[i], s: s[i], d: d[i], pb: begins[i], pe: (n - 1) * s[i] + d[i] * (ks[i] - 1) + 1 - outs[i] - begins[i], out: outs[i] }));
  return { outs, axes };
}

/** ConvTranspose = conv2d's gradient in its input, run forward: x [N, C, ...], w [C, M/group, k...]. */
const convTranspose: OnnxOp = (inputs, a, ctx) => {
  a.only(...CONV_ATTRS, 'output_padding', 'output_shape');
  const x = need(ctx, inputs, 0, 'X'), w = need(ctx, inputs, 1, 'W'), b = inputs[2];
  for (const [t, n] of [[x, 'X'], [w, 'W'], [b, 'B']] as const) if (t) needFloat(ctx, t, n);
  const r = spatialRank(ctx, x);
  if (w.ndim !== x.ndim) nodeError(ctx.node, `the weight must have the input's rank ${x.ndim} ([C, M/group, k...]), got shape [${w.shape.join(', ')}]`);
  const ks = w.shape.slice(2);
  checkKernelShape(a, ctx, ks);
  const C = x.shape[1];
  if (w.shape[0] !== C) nodeError(ctx.node, `the weight [${w.shape.join(', ')}] expects ${w.shape[0]} input channels, got input [${x.shape.join(', ')}]`);
  const g = a.int('group', 1);
  if (!(Number.isInteger(g) && g >= 1 && C % g === 0)) nodeError(ctx.node, `group=${g} must be a positive integer dividing the ${C} input channels`);
  const M = w.shape[1] * g;
  if (b && !(b.ndim === 1 && b.shape[0] === M)) nodeError(ctx.node, `the bias must have shape [${M}], got [${b.shape.join(', ')}]`);
  const { axes, outs } = transposeAxes(a, ctx, x.shape.slice(2), ks);
  const [Ho, Wo] = r === 1 ? [1, outs[0]] : outs;
  return tidy(() => {
    let y = conv2dInputGradOp(as4d(x), as4d(w), convGeomOf(axes, g), [x.shape[0], M, Ho, Wo]);
    if (b) y = y.add(b.reshape([1, M, 1, 1]));
    return from4d(y, r);
  });
};

export const CONV_OPS: Record<string, OnnxOp> = { Conv: conv, ConvInteger: convInteger, ConvTranspose: convTranspose };
