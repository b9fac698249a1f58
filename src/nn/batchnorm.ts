// BatchNorm1d (PyTorch nn.BatchNorm1d): per-channel normalization of [N, C] or [N, C, L] inputs,
// y = (x - mean) / sqrt(var + eps) * weight + bias, with running statistics for eval mode.
import { Tensor } from '../tensor';
import { fromFlat } from '../creation';
import { check, knownOptions } from '../util/errors';
import { Module } from './module';
import { batchNorm } from './functional';
import { pyBool, pyFloat } from './repr';

export interface BatchNormOptions {
  eps?: number;
  /** Running-average factor; null for a cumulative average over all batches. */
  momentum?: number | null;
  /** Learn weight (init 1) and bias (init 0). */
  affine?: boolean;
  /** Keep runningMean / runningVar / numBatchesTracked; without them eval uses batch statistics. */
  trackRunningStats?: boolean;
}

/**
 * Training: batch mean and biased variance normalize; runningMean/runningVar move towards the
 * batch mean and the unbiased variance by `momentum`. Eval: the running statistics normalize.
 * @example
 * const bn = new BatchNorm1d(128);
 * const y = bn.call(x);          // x [B, 128] or [B, 128, L]
 * bn.eval(); bn.call(x);         // uses bn.runningMean, bn.runningVar
 */
export class BatchNorm1d extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;

  constructor(readonly numFeatures: number, opts: BatchNormOptions = {}) {
    knownOptions(new.target.name, opts, 'eps momentum affine trackRunningStats');
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true } = opts;
    super();
    check(Number.isInteger(numFeatures) && numFeatures > 0, 'BatchNorm1d', () => `numFeatures must be a positive integer, got ${numFeatures}`);
    check(eps > 0, 'BatchNorm1d', () => `eps must be positive, got ${eps}`);
    check(momentum === null || (momentum >= 0 && momentum <= 1), 'BatchNorm1d', () => `momentum must be in [0, 1] or null, got ${momentum}`);
    this.eps = eps; this.momentum = momentum; this.affine = affine; this.trackRunningStats = trackRunningStats;
    const filled = (v: number, dtype: 'float32' | 'int32' = 'float32', shape = [numFeatures]) =>
      fromFlat(new Array(shape.length ? numFeatures : 1).fill(v), shape, dtype);
    this.weight = this.registerParameter('weight', affine ? filled(1) : null);
    this.bias = this.registerParameter('bias', affine ? filled(0) : null);
    this.runningMean = this.registerBuffer('running_mean', trackRunningStats ? filled(0) : null);
    this.runningVar = this.registerBuffer('running_var', trackRunningStats ? filled(1) : null);
    this.numBatchesTracked = this.registerBuffer('num_batches_tracked', trackRunningStats ? filled(0, 'int32', []) : null);
  }

  forward(x: Tensor): Tensor {
    check(x?._isTensor && (x.ndim === 2 || x.ndim === 3) && x.shape[1] === this.numFeatures, 'BatchNorm1d', () =>
      `expected input [N, ${this.numFeatures}] or [N, ${this.numFeatures}, L], got ${x?._isTensor ? `[${x.shape.join(', ')}]` : typeof x}`);
    return batchNorm(x, this.runningMean, this.runningVar, {
      weight: this.weight, bias: this.bias, training: this.training || !this.trackRunningStats,
      momentum: this.momentum, eps: this.eps, numBatchesTracked: this.numBatchesTracked,
    });
  }

  extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}
