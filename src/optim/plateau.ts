// ReduceLROnPlateau (torch.optim.lr_scheduler.ReduceLROnPlateau): lowers the lr by `factor` when
// a metric stopped improving for `patience` epochs.
import { check } from '../util/errors';
import type { Optimizer } from './optimizer';
import { checkOptimizer, type SchedulerStateDict } from './lr_scheduler';

export interface ReduceLROnPlateauOptions {
  /** 'min': the metric should fall (a loss); 'max': it should rise (an accuracy). Default 'min'. */
  mode: 'min' | 'max';
  /** New lr = lr · factor (default 0.1; must be < 1). */
  factor: number;
  /** Epochs without improvement tolerated before lowering the lr (default 10). */
  patience: number;
  /** Minimum change that counts as improvement (default 1e-4). */
  threshold: number;
  /** 'rel': relative to the best value (default), 'abs': absolute. */
  thresholdMode: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown: number;
  /** Lower bound on the lr: one number or one per group (default 0). */
  minLr: number | number[];
  /** Reductions smaller than eps are skipped (default 1e-8). */
  eps: number;
}

/**
 * After each `step(metric)`: the metric improves when (mode 'min', 'rel') metric < best · (1 − threshold)
 * (resp. best − threshold for 'abs'; mirrored for 'max'). After more than `patience` bad epochs
 * outside cooldown, every group's lr becomes max(lr · factor, minLr), unless that changes it by
 * less than eps.
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: Optimizer, options: Partial<ReduceLROnPlateauOptions> = {}) {
    const name = 'optim.ReduceLROnPlateau';
    checkOptimizer(optimizer, 'ReduceLROnPlateau');
    const o: ReduceLROnPlateauOptions = {
      mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, minLr: 0, eps: 1e-8, ...options,
    };
    check(typeof o.factor === 'number' && o.factor < 1 && o.factor >= 0, name, () => `Factor should be < 1.0 (and >= 0), got ${String(o.factor)}`);
    check(o.mode === 'min' || o.mode === 'max', name, () => `mode ${String(o.mode)} is unknown! (expected 'min' or 'max')`);
    check(o.thresholdMode === 'rel' || o.thresholdMode === 'abs', name, () => `threshold mode ${String(o.thresholdMode)} is unknown! (expected 'rel' or 'abs')`);
    for (const [k, v] of [['patience', o.patience], ['cooldown', o.cooldown]] as const) {
      check(Number.isInteger(v) && v >= 0, name, () => `${k} must be a non-negative integer, got ${String(v)}`);
    }
    check(typeof o.threshold === 'number' && o.threshold >= 0, name, () => `threshold must be a non-negative number, got ${String(o.threshold)}`);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(o.minLr)) {
      check(o.minLr.length === n, name, () => `expected ${n} min_lrs, got ${(o.minLr as number[]).length}`);
      this.minLrs = [...o.minLr];
    } else this.minLrs = new Array(n).fill(o.minLr);
    this.optimizer = optimizer;
    this.mode = o.mode; this.factor = o.factor; this.patience = o.patience; this.threshold = o.threshold;
    this.thresholdMode = o.thresholdMode; this.cooldown = o.cooldown; this.eps = o.eps;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** Records one epoch's metric (a number, or anything with `item()`), lowering the lr on a plateau. */
  step(metric: number | { item(): unknown }): void {
    const current = typeof metric === 'number' ? metric : Number(metric.item());
    check(typeof current === 'number', 'optim.ReduceLROnPlateau.step', () => `expected a metric number, got ${typeof metric}`);
    this.lastEpoch++;
    if (this.isBetter(current, this.best)) { this.best = current; this.numBadEpochs = 0; } else this.numBadEpochs++;
    if (this.inCooldown) { this.cooldownCounter--; this.numBadEpochs = 0; }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const next = Math.max(g.lr * this.factor, this.minLrs[i]);
        if (g.lr - next > this.eps) g.lr = next;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return { best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter, lastEpoch: this.lastEpoch, lastLr: [...this.lastLr] };
  }

  loadStateDict(sd: SchedulerStateDict): void {
    check(sd !== null && typeof sd === 'object', 'optim.ReduceLROnPlateau.loadStateDict', () => 'expected an object from stateDict()');
    this.best = sd.best as number; this.numBadEpochs = sd.numBadEpochs as number;
    this.cooldownCounter = sd.cooldownCounter as number; this.lastEpoch = sd.lastEpoch as number;
    this.lastLr = [...(sd.lastLr as number[])];
  }
}
