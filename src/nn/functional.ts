// nn.functional (alias F): stateless layer math composed from differentiable ops. Each function
// frees its own intermediates and returns one new tensor. Losses live in losses.ts and are
// re-exported here.
import { Tensor } from '../tensor';
import { tidy } from '../memory';
import { noGrad } from '../autograd';
import { getBackend } from '../backend/load';
import { rngState } from '../util/rng';
import { check, fmtShape } from '../util/errors';
import * as un from '../ops/unary';
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from '../ops/softmax';
import { assign } from './param';

export * from './losses';
export * from './keras_losses';

function checkTensor(op: string, x: unknown, what = 'input'): asserts x is Tensor {
  check(x !== null && typeof x === 'object' && (x as Tensor)._isTensor, op, () => `${what} must be a tensor, got ${x === null ? 'null' : typeof x}`);
  (x as Tensor)._assertLive(op);
}

export const relu = (x: Tensor): Tensor => un.relu(x);
export const sigmoid = (x: Tensor): Tensor => un.sigmoid(x);
export const tanh = (x: Tensor): Tensor => un.tanh(x);
/** max(x, 0) + negativeSlope * min(x, 0). */
export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor => un.leakyRelu(x, negativeSlope);
/** x > 0 ? x : alpha (e^x - 1). */
export const elu = (x: Tensor, alpha = 1): Tensor => un.elu(x, alpha);
/** x Phi(x) (exact erf form). */
export const gelu = (x: Tensor): Tensor => un.gelu(x);
/** log(1 + e^(beta x)) / beta, linear where beta x > 20. */
export const softplus = (x: Tensor, beta = 1): Tensor => un.softplus(x, beta);
export const softmax = (x: Tensor, dim = -1): Tensor => softmaxOp(x, dim);
export const logSoftmax = (x: Tensor, dim = -1): Tensor => logSoftmaxOp(x, dim);

/**
 * Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1-p), so
 * the expectation is unchanged. Draws from the seeded generator (manualSeed). When `training`
 * is false or p is 0 it returns x itself.
 * @example
 * const h = F.dropout(x, 0.5, model.training);
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  checkTensor('dropout', x);
  check(typeof p === 'number' && p >= 0 && p <= 1, 'dropout', () => `dropout probability has to be between 0 and 1, but got ${p}`);
  check(x.dtype === 'float32', 'dropout', () => `expected a float32 input, got ${x.dtype}`);
  if (!training || p === 0) return x;
  const mask = Tensor._empty(x.shape, 'float32');
  if (mask.size > 0) getBackend().k.dropout_mask_f32(mask._ptr, mask.size, rngState(), p, p === 1 ? 0 : 1 / (1 - p));
  const y = x.mul(mask);
  mask.dispose();
  return y;
}

/**
 * y = x W^T + b. x [..., in], weight [out, in], bias [out] or null -> [..., out]. The transpose
 * is a strided view: the GEMM reads W in place.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor('linear', x);
  checkTensor('linear', weight, 'weight');
  check(weight.ndim === 2, 'linear', () => `weight must be 2-D [out, in], got shape ${fmtShape(weight.shape)}`);
  check(x.ndim >= 1 && x.shape[x.ndim - 1] === weight.shape[1], 'linear', () =>
    `input's last dim must be in_features=${weight.shape[1]}, got input shape ${fmtShape(x.shape)} (weight ${fmtShape(weight.shape)})`);
  if (bias !== null) {
    checkTensor('linear', bias, 'bias');
    check(bias.ndim === 1 && bias.shape[0] === weight.shape[0], 'linear', () => `bias must have shape [${weight.shape[0]}], got ${fmtShape(bias.shape)}`);
  }
  return tidy(() => {
    const y = x.matmul(weight.T);
    return bias === null ? y : y.add(bias);
  });
}

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Use batch statistics (and update running ones when given). */
  training?: boolean;
  /** Running-average factor; null means a cumulative average (needs numBatchesTracked). */
  momentum?: number | null;
  eps?: number;
  /** Batches seen so far, incremented here in training (int32 scalar buffer). */
  numBatchesTracked?: Tensor | null;
}

/**
 * Batch normalization over [N, C] or [N, C, L]: y = (x - mean) / sqrt(var + eps) * weight + bias
 * per channel C. In training, mean and the biased var come from the batch, and the running
 * statistics (if given) are updated in place with the unbiased var, as PyTorch:
 * running = (1 - momentum) * running + momentum * batchStat. Otherwise the running ones are used.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts: BatchNormOptions = {}): Tensor {
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5, numBatchesTracked = null } = opts;
  checkTensor('batchNorm', x);
  check(x.ndim === 2 || x.ndim === 3, 'batchNorm', () => `expected 2-D [N, C] or 3-D [N, C, L] input, got shape ${fmtShape(x.shape)}`);
  const C = x.shape[1];
  for (const [n, t] of [['runningMean', runningMean], ['runningVar', runningVar], ['weight', weight], ['bias', bias]] as const) {
    if (t === null) continue;
    checkTensor('batchNorm', t, n);
    check(t.ndim === 1 && t.shape[0] === C, 'batchNorm', () => `${n} must have shape [${C}] (channels of input ${fmtShape(x.shape)}), got ${fmtShape(t.shape)}`);
  }
  const useBatch = training || runningMean === null || runningVar === null;
  const dims = x.ndim === 2 ? [0] : [0, 2];
  const count = x.ndim === 2 ? x.shape[0] : x.shape[0] * x.shape[2];
  check(!useBatch || count > 1, 'batchNorm', () => `expected more than 1 value per channel when training, got input shape ${fmtShape(x.shape)}`);
  const bshape = x.ndim === 2 ? [1, C] : [1, C, 1];
  return tidy(() => {
    let mean: Tensor, variance: Tensor;
    if (useBatch) {
      mean = x.mean(dims, true);
      variance = x.sub(mean).square().mean(dims, true);
      if (training && runningMean !== null && runningVar !== null) {
        noGrad(() => {
          let f = momentum ?? 0;
          if (numBatchesTracked) {
            assign(numBatchesTracked, numBatchesTracked.add(1));
            if (momentum === null) f = 1 / numBatchesTracked.item();
          }
          assign(runningMean, runningMean.mul(1 - f).add(mean.reshape([C]).mul(f)));
          assign(runningVar, runningVar.mul(1 - f).add(variance.reshape([C]).mul(f * count / (count - 1))));
        });
      }
    } else {
      mean = runningMean!.reshape(bshape);
      variance = runningVar!.reshape(bshape);
    }
    let y = x.sub(mean).mul(variance.add(eps).rsqrt());
    if (weight !== null) y = y.mul(weight.reshape(bshape));
    if (bias !== null) y = y.add(bias.reshape(bshape));
    return y;
  });
}

/**
 * Layer normalization over the last dims (torch.nn.functional.layer_norm): with D = the last
 * normalizedShape.length dims of x, y = (x - mean_D) / sqrt(var_D + eps) * weight + bias, var
 * biased; weight and bias (optional) have shape normalizedShape.
 * @example
 * const y = layerNorm(x, [512], gamma, beta); // x [B, T, 512]
 */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  checkTensor('layerNorm', x);
  const k = normalizedShape?.length ?? 0;
  check(Array.isArray(normalizedShape) && k > 0 && k <= x.ndim && normalizedShape.every((d, i) => d === x.shape[x.ndim - k + i]), 'layerNorm', () =>
    `normalizedShape ${JSON.stringify(normalizedShape)} must be the last dims of input ${fmtShape(x.shape)}`);
  check(eps > 0, 'layerNorm', () => `eps must be positive, got ${eps}`);
  for (const [n, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t === null) continue;
    checkTensor('layerNorm', t, n);
    check(t.ndim === k && t.shape.every((d, i) => d === normalizedShape[i]), 'layerNorm', () => `${n} must have shape ${fmtShape(normalizedShape)}, got ${fmtShape(t.shape)}`);
  }
  const dims = normalizedShape.map((_, i) => x.ndim - k + i);
  return tidy(() => {
    const centred = x.sub(x.mean(dims, true));
    let y = centred.mul(centred.square().mean(dims, true).add(eps).rsqrt());
    if (weight !== null) y = y.mul(weight);
    if (bias !== null) y = y.add(bias);
    return y;
  });
}

export { conv1d, conv2d } from '../ops/conv';
export { convTranspose2d } from '../ops/conv_transpose';
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d } from '../ops/pool';
export { pad, upsample as interpolate } from '../ops/pad';
export { silu, hardtanh, relu6, selu, mish, hardsigmoid, hardswish, softsign } from '../ops/activations';
export { logsigmoid, softmin, glu, tanhshrink, softshrink, hardshrink, celu, threshold, prelu } from '../ops/activations_extra';
export * from './functional_extra';
export * from './losses_extra';
export { normalize, cosineSimilarity, pairwiseDistance, type NormalizeOptions, type PairwiseDistanceOptions } from './distance';
export { scaledDotProductAttention, generateSquareSubsequentMask, type SDPAOptions } from './attention_functional';
