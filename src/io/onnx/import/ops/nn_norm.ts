// ONNX converters: BatchNormalization (inference form), InstanceNormalization,
// LayerNormalization (with its Mean / InvStdDev outputs) and LRN, composed from asgrad's
// differentiable elementwise ops, reductions and average pooling.
import type { Tensor } from '../../../../tensor';
import { tidy } from '../../../../memory';
import { avgPoolGeom } from '../../../../ops/pool';
import { nodeError, type OnnxOp, type OpContext } from '../attrs';
import { need, normAxis } from '../values';
import { needFloat } from './nn_geom';

const shapeStr = (t: Tensor) => `[${t.shape.join(', ')}]`;

/** Checks p has `shape`. */
function needShape(ctx: OpContext, p: Tensor, shape: readonly number[], what: string): void {
  if (p.ndim !== shape.length || p.shape.some((d, i) => d !== shape[i])) nodeError(ctx.node, `${what} must have shape [${shape.join(', ')}], got ${shapeStr(p)}`);
}

/**
 * y = (x - mean) / sqrt(var + epsilon) * scale + B per channel (spatial=1), or per activation
 * (spatial=0 of opsets 7-8: parameters of shape [C, D1, ...]). momentum only matters in training.
 */
const batchNorm: OnnxOp = (inputs, a, ctx) => {
  a.only('epsilon', 'momentum', 'spatial', 'is_test', 'training_mode');
  if (a.int('training_mode', 0) !== 0) nodeError(ctx.node, 'training_mode=1 is not supported (an imported model runs BatchNormalization in inference form)');
  if (a.has('is_test') && a.int('is_test') === 0) nodeError(ctx.node, 'is_test=0 (training) is not supported (an imported model runs BatchNormalization in inference form)');
  if (ctx.node.outputs.slice(1).some((o) => o)) nodeError(ctx.node, 'the outputs after Y (running or saved statistics) only exist in training mode, which is not supported');
  const x = need(ctx, inputs, 0, 'X');
  if (x.ndim < 2) nodeError(ctx.node, `expected an input [N, C, ...] of rank >= 2, got shape ${shapeStr(x)}`);
  const spatial = a.int('spatial', 1) !== 0;
  const pshape = spatial ? [x.shape[1]] : x.shape.slice(1);
  const names = ['scale', 'B', 'mean', 'var'];
  const ps = names.map((n, i) => need(ctx, inputs, i + 1, n));
  for (const [t, n] of [[x, 'X'], ...ps.map((p, i) => [p, names[i]] as const)] as const) needFloat(ctx, t, n);
  ps.forEach((p, i) => needShape(ctx, p, pshape, `${names[i]} (spatial=${spatial ? 1 : 0})`));
  const eps = a.float('epsilon', 1e-5);
  const bshape = spatial ? [x.shape[1], ...x.shape.slice(2).map(() => 1)] : pshape;
  return tidy(() => {
    const [scale, bias, mean, variance] = ps.map((p) => p.reshape(bshape));
    const k = scale.mul(variance.add(eps).rsqrt());
    return x.mul(k).add(bias.sub(mean.mul(k)));
  });
};

/** y = scale * (x - mean) / sqrt(var + epsilon) + B, statistics per sample and channel. */
const instanceNorm: OnnxOp = (inputs, a, ctx) => {
  a.only('epsilon');
  const x = need(ctx, inputs, 0, 'input'), s = need(ctx, inputs, 1, 'scale'), b = need(ctx, inputs, 2, 'B');
  for (const [t, n] of [[x, 'input'], [s, 'scale'], [b, 'B']] as const) needFloat(ctx, t, n);
  if (x.ndim < 3) nodeError(ctx.node, `expected an input [N, C, D1, ...] of rank >= 3, got shape ${shapeStr(x)}`);
  needShape(ctx, s, [x.shape[1]], 'scale');
  needShape(ctx, b, [x.shape[1]], 'B');
  const eps = a.float('epsilon', 1e-5);
  const dims = x.shape.slice(2).map((_, i) => i + 2), bshape = [x.shape[1], ...dims.map(() => 1)];
  return tidy(() => {
    const centred = x.sub(x.mean(dims, true));
    const inv = centred.square().mean(dims, true).add(eps).rsqrt();
    return centred.mul(inv).mul(s.reshape(bshape)).add(b.reshape(bshape));
  });
};

/** Normalizes over the axes from `axis` on; Mean and InvStdDev keep X's rank (size 1 from axis). */
const layerNorm: OnnxOp = (inputs, a, ctx) => {
  a.only('axis', 'epsilon', 'stash_type');
  const stash = a.int('stash_type', 1);
  if (stash !== 1) nodeError(ctx.node, `stash_type=${stash} is not supported (asgrad computes the statistics in float32, stash_type=1)`);
  const x = need(ctx, inputs, 0, 'X'), s = need(ctx, inputs, 1, 'Scale'), b = inputs[2];
  for (const [t, n] of [[x, 'X'], [s, 'Scale'], [b, 'B']] as const) if (t) needFloat(ctx, t, n);
  const axis = normAxis(ctx, a.int('axis', -1), x.ndim);
  const dims = x.shape.slice(axis).map((_, i) => axis + i), norm = x.shape.slice(axis);
  for (const [t, n] of [[s, 'Scale'], [b, 'B']] as const) {
    if (t && (t.ndim > norm.length || t.shape.some((d, i) => d !== 1 && d !== norm[norm.length - t.ndim + i]))) {
      nodeError(ctx.node, `${n} ${shapeStr(t)} must broadcast to the normalized shape [${norm.join(', ')}]`);
    }
  }
  const eps = a.float('epsilon', 1e-5);
  const outs = ctx.node.outputs;
  return tidy(() => {
    const mean = x.mean(dims, true);
    const centred = x.sub(mean);
    const inv = centred.square().mean(dims, true).add(eps).rsqrt();
    let y = centred.mul(inv).mul(s);
    if (b) y = y.add(b);
    return outs[1] || outs[2] ? [y, mean, inv] : y;
  });
};

/** y = x / (bias + alpha / size * Σ x² over the channel window [c - ⌊(size-1)/2⌋, c + ⌈(size-1)/2⌉])^beta;
 *  the window sum is an average pool over channels counting the zero padding (divisor = size). */
const lrn: OnnxOp = (inputs, a, ctx) => {
  a.only('alpha', 'beta', 'bias', 'size');
  const x = need(ctx, inputs, 0, 'X');
  needFloat(ctx, x, 'X');
  if (x.ndim < 2) nodeError(ctx.node, `expected an input [N, C, ...] of rank >= 2, got shape ${shapeStr(x)}`);
  const size = a.int('size');
  if (!(Number.isInteger(size) && size >= 1)) nodeError(ctx.node, `size must be a positive integer, got ${size}`);
  const alpha = a.float('alpha', 1e-4), beta = a.float('beta', 0.75), bias = a.float('bias', 1);
  const [N, C] = x.shape, P = x.shape.slice(2).reduce((p, d) => p * d, 1);
  const pt = Math.floor((size - 1) / 2), pb = size - 1 - pt;
  return tidy(() => {
    const sq = x.square().reshape([N, 1, C, P]);
    const avg = avgPoolGeom(sq, { kh: size, kw: 1, sh: 1, sw: 1, pt, pb, pl: 0, pr: 0, dh: 1, dw: 1, Ho: C, Wo: P }, true);
    return x.mul(avg.reshape([...x.shape]).mul(alpha).add(bias).pow(-beta));
  });
};

export const NORM_OPS: Record<string, OnnxOp> = {
  BatchNormalization: batchNorm,
  InstanceNormalization: instanceNorm,
  LayerNormalization: layerNorm,
  LRN: lrn,
};
