// GroupNorm (PyTorch nn.GroupNorm): normalization of [N, C, *] over groups of C/numGroups channels
// per sample, with a learned per-channel weight (init 1) and bias (init 0).
import type { Tensor } from '../tensor';
import { fromFlat } from '../creation';
import { check, knownOptions } from '../util/errors';
import { Module } from './module';
import { groupNorm } from './functional_extra';
import { pyBool, pyFloat } from './repr';

export interface GroupNormOptions {
  eps?: number;
  /** Learn weight and bias (default true). */
  affine?: boolean;
}

/**
 * @example
 * const gn = new GroupNorm(4, 16);
 * const y = gn.call(x); // x [N, 16, H, W]: 4 groups of 4 channels, each to mean 0, variance 1
 */
export class GroupNorm extends Module {
  readonly eps: number;
  readonly affine: boolean;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;

  constructor(readonly numGroups: number, readonly numChannels: number, opts: GroupNormOptions = {}) {
    knownOptions('GroupNorm', opts, 'eps affine');
    const { eps = 1e-5, affine = true } = opts;
    super();
    check(Number.isInteger(numGroups) && numGroups > 0 && Number.isInteger(numChannels) && numChannels > 0, 'GroupNorm', () =>
      `numGroups and numChannels must be positive integers, got ${numGroups} and ${numChannels}`);
    check(numChannels % numGroups === 0, 'GroupNorm', () => `numChannels must be divisible by numGroups, got numChannels=${numChannels} and numGroups=${numGroups}`);
    this.eps = eps; this.affine = affine;
    this.weight = this.registerParameter('weight', affine ? fromFlat(new Array(numChannels).fill(1), [numChannels], 'float32') : null);
    this.bias = this.registerParameter('bias', affine ? fromFlat(new Array(numChannels).fill(0), [numChannels], 'float32') : null);
  }

  forward(x: Tensor): Tensor {
    check(x?._isTensor && x.ndim >= 2 && x.shape[1] === this.numChannels, 'GroupNorm', () =>
      `expected input [N, ${this.numChannels}, *], got ${x?._isTensor ? `[${x.shape.join(', ')}]` : typeof x}`);
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }

  extraRepr(): string { return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`; }
}
