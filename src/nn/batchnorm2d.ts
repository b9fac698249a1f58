// BatchNorm2d (PyTorch nn.BatchNorm2d): per-channel normalization of [N, C, H, W] over N, H and W,
// with BatchNorm1d's parameters, running-statistic rules and repr (it runs BatchNorm1d's math on
// the [N, C, H*W] view).
import type { Tensor } from '../tensor';
import { check, fmtShape } from '../util/errors';
import { BatchNorm1d } from './batchnorm';
import { batchNorm } from './functional';

/**
 * @example
 * const bn = new BatchNorm2d(16);
 * const y = bn.call(x); // x [N, 16, H, W]
 */
export class BatchNorm2d extends BatchNorm1d {
  forward(x: Tensor): Tensor {
    check(x?._isTensor && x.ndim === 4 && x.shape[1] === this.numFeatures, 'BatchNorm2d', () =>
      `expected a 4-D input [N, ${this.numFeatures}, H, W], got ${x?._isTensor ? fmtShape(x.shape) : typeof x}`);
    const [N, C, H, W] = x.shape;
    const y = batchNorm(x.reshape([N, C, H * W]), this.runningMean, this.runningVar, {
      weight: this.weight, bias: this.bias, training: this.training || !this.trackRunningStats,
      momentum: this.momentum, eps: this.eps, numBatchesTracked: this.numBatchesTracked,
    });
    return y.reshape([N, C, H, W]);
  }
}
