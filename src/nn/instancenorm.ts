// InstanceNorm1d / InstanceNorm2d (PyTorch nn.InstanceNorm*): per (sample, channel) normalization
// over L or H, W; optional affine weight/bias and running statistics (buffers named as PyTorch's).
import type { Tensor } from '../tensor';
import { fromFlat } from '../creation';
import { check, fmtShape, knownOptions } from '../util/errors';
import { Module } from './module';
import { instanceNorm } from './functional_extra';
import { pyBool, pyFloat } from './repr';

export interface InstanceNormOptions {
  eps?: number;
  /** Running-average factor (default 0.1). */
  momentum?: number;
  /** Learn weight (init 1) and bias (init 0); default false. */
  affine?: boolean;
  /** Keep running_mean / running_var, updated in training and used in eval; default false. */
  trackRunningStats?: boolean;
}

/** The shared module; `spatial` is the number of dims after C (1 for InstanceNorm1d, 2 for 2d). */
abstract class InstanceNormNd extends Module {
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;

  constructor(private readonly spatial: number, readonly numFeatures: number, opts: InstanceNormOptions = {}) {
    knownOptions(`InstanceNorm${spatial}d`, opts, 'eps momentum affine trackRunningStats');
    const { eps = 1e-5, momentum = 0.1, affine = false, trackRunningStats = false } = opts;
    super();
    const op = this.typeName();
    check(Number.isInteger(numFeatures) && numFeatures > 0, op, () => `numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = eps; this.momentum = momentum; this.affine = affine; this.trackRunningStats = trackRunningStats;
    const filled = (v: number, dtype: 'float32' | 'int32' = 'float32', shape = [numFeatures]) => fromFlat(new Array(shape.length ? numFeatures : 1).fill(v), shape, dtype);
    this.weight = this.registerParameter('weight', affine ? filled(1) : null);
    this.bias = this.registerParameter('bias', affine ? filled(0) : null);
    this.runningMean = this.registerBuffer('running_mean', trackRunningStats ? filled(0) : null);
    this.runningVar = this.registerBuffer('running_var', trackRunningStats ? filled(1) : null);
    // PyTorch registers it (its state dicts have it) but instance norm never advances it.
    this.registerBuffer('num_batches_tracked', trackRunningStats ? filled(0, 'int32', []) : null);
  }

  forward(x: Tensor): Tensor {
    const op = this.typeName(), r = this.spatial + 1, dims = this.spatial === 1 ? 'L' : 'H, W';
    check(x?._isTensor && (x.ndim === r || x.ndim === r + 1), op, () =>
      `expected an input [N, C, ${dims}] or unbatched [C, ${dims}], got ${x?._isTensor ? fmtShape(x.shape) : typeof x}`);
    const batched = x.ndim === r + 1, C = x.shape[batched ? 1 : 0];
    // Without affine or running stats numFeatures is unused, and PyTorch accepts any C.
    check(C === this.numFeatures || (!this.affine && !this.trackRunningStats), op, () =>
      `expected ${this.numFeatures} channels (numFeatures), got input ${fmtShape(x.shape)}`);
    const y = instanceNorm(batched ? x : x.unsqueeze(0), this.runningMean, this.runningVar, {
      weight: this.weight, bias: this.bias, useInputStats: this.training || !this.trackRunningStats, momentum: this.momentum, eps: this.eps,
    });
    return batched ? y : y.squeeze(0);
  }

  extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/**
 * @example
 * const norm = new InstanceNorm1d(6);
 * norm.call(x); // x [N, 6, L] or [6, L]: each channel of each sample to mean 0, variance 1
 */
export class InstanceNorm1d extends InstanceNormNd {
  constructor(numFeatures: number, opts: InstanceNormOptions = {}) { super(1, numFeatures, opts); }
  typeName(): string { return 'InstanceNorm1d'; }
}

/**
 * @example
 * const norm = new InstanceNorm2d(3, { affine: true }); // style transfer's normalization
 * norm.call(x); // x [N, 3, H, W] or [3, H, W]
 */
export class InstanceNorm2d extends InstanceNormNd {
  constructor(numFeatures: number, opts: InstanceNormOptions = {}) { super(2, numFeatures, opts); }
  typeName(): string { return 'InstanceNorm2d'; }
}
