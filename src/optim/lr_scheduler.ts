// Learning-rate schedulers with PyTorch's semantics (torch.optim.lr_scheduler): constructing one
// performs the initial step (lastEpoch 0), each `step()` advances one epoch and writes the new lr
// into every parameter group. The update forms are PyTorch's chainable ones, so schedulers stepped
// together on one optimizer compose multiplicatively, as in PyTorch.
import { check } from '../util/errors';
import { Optimizer } from './optimizer';

export interface SchedulerStateDict { [key: string]: unknown }

type Group = { lr: number; initialLr?: number };

export function checkOptimizer(optimizer: unknown, name: string): asserts optimizer is Optimizer {
  check(optimizer instanceof Optimizer, `optim.${name}`, () => `expected an Optimizer, got ${optimizer === null ? 'null' : typeof optimizer}`);
}

export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  /** The groups' `initialLr` when the scheduler was created. */
  baseLrs: number[];
  /** The epoch of the current lr: 0 right after construction. */
  lastEpoch: number;
  protected stepCount = 0;
  protected lastLr: number[] = [];
  protected readonly name: string;

  /** Subclasses call `initialStep()` at the end of their constructor, once their fields are set. */
  constructor(optimizer: Optimizer, lastEpoch: number, name: string) {
    checkOptimizer(optimizer, name);
    this.name = name;
    this.optimizer = optimizer;
    const groups = optimizer.paramGroups as Group[];
    check(groups.length > 0, `optim.${name}`, () => 'the optimizer has no parameter groups yet; add parameters before creating a scheduler');
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => check(g.initialLr !== undefined, `optim.${name}`,
        () => `param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer (lastEpoch ${lastEpoch})`));
    }
    this.baseLrs = groups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The next lrs from the groups' current lrs (PyTorch's chainable `get_lr`), at `lastEpoch`. */
  protected abstract getLr(): number[];

  /** Advances one epoch and sets every group's lr. */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    const lrs = this.getLr();
    const groups = this.optimizer.paramGroups as Group[];
    groups.forEach((g, i) => { g.lr = lrs[i]; });
    this.lastLr = groups.map((g) => g.lr);
  }

  /** The lr of every group as last computed by this scheduler. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  protected groupLrs(): number[] {
    return (this.optimizer.paramGroups as Group[]).map((g) => g.lr);
  }

  /** Every field except the optimizer (PyTorch's layout, camelCase); functions (LambdaLR's) as null, as PyTorch saves lambdas. */
  stateDict(): SchedulerStateDict {
    const sd: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) if (k !== 'optimizer') sd[k] = Array.isArray(v) ? v.map((e) => (typeof e === 'function' ? null : e)) : v;
    return sd;
  }

  /** Loads a stateDict(); the scheduler keeps its own functions. */
  loadStateDict(sd: SchedulerStateDict): void {
    check(sd !== null && typeof sd === 'object', `optim.${this.name}.loadStateDict`, () => 'expected an object from stateDict()');
    const self = this as Record<string, unknown>;
    for (const [k, v] of Object.entries(sd)) if (k !== 'optimizer' && typeof (self[k] as unknown[])?.[0] !== 'function') self[k] = Array.isArray(v) ? [...v] : v;
  }
}

function positiveInt(name: string, what: string, v: unknown): void {
  check(typeof v === 'number' && Number.isInteger(v) && v > 0, `optim.${name}`, () => `${what} must be a positive integer, got ${String(v)}`);
}
export function finite(name: string, what: string, v: unknown): void {
  check(typeof v === 'number' && Number.isFinite(v), `optim.${name}`, () => `${what} must be a finite number, got ${String(v)}`);
}

/** lr = baseLr · gamma^⌊epoch / stepSize⌋ (decays by gamma every stepSize epochs). */
export class StepLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly stepSize: number, readonly gamma = 0.1, lastEpoch = -1) {
    super(optimizer, lastEpoch, 'StepLR');
    positiveInt('StepLR', 'stepSize', stepSize);
    finite('StepLR', 'gamma', gamma);
    this.initialStep();
  }
  protected getLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/** lr = baseLr · gamma^epoch. */
export class ExponentialLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly gamma: number, lastEpoch = -1) {
    super(optimizer, lastEpoch, 'ExponentialLR');
    finite('ExponentialLR', 'gamma', gamma);
    this.initialStep();
  }
  protected getLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }
}

/**
 * lr = etaMin + (baseLr − etaMin) · (1 + cos(π · epoch / tMax)) / 2, computed recursively as
 * PyTorch does (so it continues past tMax as a cosine wave and chains with other schedulers).
 */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly tMax: number, readonly etaMin = 0, lastEpoch = -1) {
    super(optimizer, lastEpoch, 'CosineAnnealingLR');
    positiveInt('CosineAnnealingLR', 'tMax', tMax);
    finite('CosineAnnealingLR', 'etaMin', etaMin);
    this.initialStep();
  }
  protected getLr(): number[] {
    const e = this.lastEpoch, T = this.tMax, eta = this.etaMin;
    const lrs = this.groupLrs();
    if (e === 0) return lrs;
    if (this.stepCount === 1 && e > 0) { // resumed: closed form
      return this.baseLrs.map((b) => eta + ((b - eta) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if ((e - 1 - T) % (2 * T) === 0) {
      return lrs.map((lr, i) => lr + ((this.baseLrs[i] - eta) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return lrs.map((lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - eta) + eta);
  }
}

/**
 * Multiplies the base lr by a factor going linearly from startFactor (epoch 0) to endFactor
 * (epoch totalIters), then constant: lr = baseLr · (s + (e − s) · min(epoch, totalIters) / totalIters).
 */
export class LinearLR extends LRScheduler {
  constructor(optimizer: Optimizer, readonly startFactor = 1 / 3, readonly endFactor = 1, readonly totalIters = 5, lastEpoch = -1) {
    super(optimizer, lastEpoch, 'LinearLR');
    check(typeof startFactor === 'number' && startFactor > 0 && startFactor <= 1, 'optim.LinearLR',
      () => `Starting multiplicative factor expected to be greater than 0 and less or equal to 1, got ${String(startFactor)}`);
    check(typeof endFactor === 'number' && endFactor >= 0 && endFactor <= 1, 'optim.LinearLR',
      () => `Ending multiplicative factor expected to be between 0 and 1, got ${String(endFactor)}`);
    positiveInt('LinearLR', 'totalIters', totalIters);
    this.initialStep();
  }
  protected getLr(): number[] {
    const lrs = this.groupLrs();
    const s = this.startFactor, d = this.endFactor - this.startFactor, e = this.lastEpoch;
    if (e === 0) return lrs.map((lr) => lr * s);
    if (e > this.totalIters) return lrs;
    return lrs.map((lr) => lr * (1 + d / (this.totalIters * s + (e - 1) * d)));
  }
}

/**
 * Linear warmup: the lr rises from `startFactor · lr` to `lr` over `steps` calls of `step()`, then
 * stays (a LinearLR with endFactor 1). To warm up into another schedule, step both schedulers
 * each iteration: chained schedulers multiply, as in PyTorch.
 * @example
 * const w = warmup(opt, 100); const cos = new CosineAnnealingLR(opt, 10000);
 * // each iteration: opt.step(); w.step(); cos.step();
 */
export function warmup(optimizer: Optimizer, steps: number, startFactor = 1 / steps): LinearLR {
  positiveInt('warmup', 'steps', steps);
  return new LinearLR(optimizer, startFactor, 1, steps);
}
