// More learning-rate schedulers with PyTorch 1.13's formulas (torch.optim.lr_scheduler): MultiStepLR
// and LambdaLR (any schedule as a function of the epoch). Chainable forms as in lr_scheduler.ts.
import { check } from '../util/errors';
import type { Optimizer } from './optimizer';
import { LRScheduler, finite } from './lr_scheduler';

export type LrLambda = (epoch: number) => number;

/** lr = baseLr · gamma^(number of milestones reached); a milestone listed twice decays twice. */
export class MultiStepLR extends LRScheduler {
  declare milestones: number[];
  constructor(optimizer: Optimizer, milestones: readonly number[], readonly gamma = 0.1, lastEpoch = -1) {
    super(optimizer, lastEpoch, 'MultiStepLR');
    check(milestones?.every?.(Number.isInteger), 'optim.MultiStepLR', () => `milestones must be integers, got ${JSON.stringify(milestones)}`);
    finite(this.name, 'gamma', gamma);
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.initialStep();
  }
  protected getLr(): number[] {
    const n = this.milestones.filter((m) => m === this.lastEpoch).length;
    return this.groupLrs().map((lr) => (n ? lr * this.gamma ** n : lr));
  }
}

/**
 * lr = baseLr · lrLambda(epoch), one function per parameter group or one for all. stateDict()
 * saves the functions as null; loadStateDict keeps the scheduler's own.
 * @example
 * const warm = new LambdaLR(opt, (e) => Math.min(1, (e + 1) / 100)); // linear warmup over 100 steps
 */
export class LambdaLR extends LRScheduler {
  declare lrLambdas: LrLambda[];
  constructor(optimizer: Optimizer, lrLambda: LrLambda | readonly LrLambda[], lastEpoch = -1) {
    super(optimizer, lastEpoch, 'LambdaLR');
    const n = optimizer.paramGroups.length, fs = Array.isArray(lrLambda) ? [...lrLambda] : Array<LrLambda>(n).fill(lrLambda as LrLambda);
    check(fs.length === n && fs.every((f) => typeof f === 'function'), 'optim.LambdaLR', () => `expected a function or ${n} (one per group), got ${String(lrLambda)}`);
    this.lrLambdas = fs;
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i](this.lastEpoch));
  }
}
