// OneCycleLR with PyTorch 1.13's formulas (torch.optim.lr_scheduler.OneCycleLR): per-batch lr
// and, inversely, momentum (SGD/RMSprop `momentum`, Adam's betas[0]); like PyTorch it keeps the
// bounds in the parameter groups (initialLr, maxLr, minLr, maxMomentum, baseMomentum).
import { check, knownOptions } from '../util/errors';
import type { Optimizer } from './optimizer';
import { LRScheduler, checkOptimizer } from './lr_scheduler';

type G = Record<string, number | number[]>;

export interface OneCycleLROptions {
  /** The peak lr (number or one per group); required. */
  maxLr: number | number[];
  /** Steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps: number;
  epochs: number;
  stepsPerEpoch: number;
  /** Fraction of the cycle spent raising the lr (default 0.3). */
  pctStart: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy: 'cos' | 'linear';
  /** Cycle momentum (or Adam's betas[0]) inversely to the lr (default true). */
  cycleMomentum: boolean;
  /** Momentum at the lr's peak (default 0.85; number or one per group). */
  baseMomentum: number | number[];
  /** Momentum at the start and end (default 0.95). */
  maxMomentum: number | number[];
  /** Initial lr = maxLr / divFactor (default 25). */
  divFactor: number;
  /** Final lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor: number;
  /** Three phases: up, down to the initial lr, then down to the final lr (default false: two, as fastai). */
  threePhase: boolean;
  lastEpoch: number;
}

/**
 * The 1cycle policy (Smith 2018): the lr rises from maxLr / divFactor to maxLr over pctStart of
 * totalSteps, then anneals to maxLr / divFactor / finalDivFactor. Step once per batch.
 * @example
 * const s = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: epochs * batches });
 */
export class OneCycleLR extends LRScheduler {
  declare totalSteps: number;
  /** Per phase: [endStep, startLr, endLr, startMomentum, endMomentum], the last four naming group keys. */
  declare phases: [number, string, string, string, string][];
  declare annealStrategy: string;
  declare cycleMomentum: boolean;
  declare useBeta1: boolean;
  constructor(optimizer: Optimizer, options: Partial<OneCycleLROptions> & Pick<OneCycleLROptions, 'maxLr'>) {
    const N = 'OneCycleLR', op = 'optim.' + N;
    const d = { maxLr: 0, totalSteps: undefined, epochs: NaN, stepsPerEpoch: NaN, pctStart: 0.3, annealStrategy: 'cos', cycleMomentum: true, baseMomentum: 0.85, maxMomentum: 0.95, divFactor: 25, finalDivFactor: 1e4, threePhase: false, lastEpoch: -1 };
    knownOptions(op, options, Object.keys(d).join(' '));
    const o = { ...d, ...options };
    checkOptimizer(optimizer, N);
    const T = o.totalSteps ?? o.epochs * o.stepsPerEpoch, p = o.pctStart, groups = optimizer.paramGroups as unknown as G[];
    check(Number.isInteger(T) && T > 0 && p >= 0 && p <= 1 && /^(cos|linear)$/.test(o.annealStrategy), op, () =>
      `expected a positive integer totalSteps (or epochs × stepsPerEpoch), pctStart in [0, 1], annealStrategy 'cos' or 'linear'; got ${T}, ${p}, ${o.annealStrategy}`);
    /** One value per group: a number for all, or one per group. */
    const perGroup = (what: string, v: number | number[]): number[] => {
      const vs = Array.isArray(v) ? v : groups.map(() => v);
      check(vs.length === groups.length && vs.every(Number.isFinite), op, () => `${what} must be a number or ${groups.length} numbers (one per group), got ${JSON.stringify(v)}`);
      return vs;
    };
    const maxLrs = perGroup('maxLr', o.maxLr), useBeta1 = 'betas' in optimizer.defaults, first = o.lastEpoch === -1;
    if (first) groups.forEach((g, i) => { const lr0 = maxLrs[i] / o.divFactor; g.initialLr = lr0; g.maxLr = maxLrs[i]; g.minLr = lr0 / o.finalDivFactor; });
    if (o.cycleMomentum) {
      check(useBeta1 || 'momentum' in optimizer.defaults, op, () => `${optimizer.name} has no momentum or betas: pass cycleMomentum: false`);
      const mm = perGroup('maxMomentum', o.maxMomentum), bm = perGroup('baseMomentum', o.baseMomentum);
      if (first) groups.forEach((g, i) => {
        if (useBeta1) g.betas = [mm[i], ...(g.betas as number[]).slice(1)]; else g.momentum = mm[i];
        g.maxMomentum = mm[i];
        g.baseMomentum = bm[i];
      });
    }
    super(optimizer, o.lastEpoch, N);
    const up: [number, string, string, string, string] = [p * T - 1, 'initialLr', 'maxLr', 'maxMomentum', 'baseMomentum'];
    this.totalSteps = T;
    this.phases = o.threePhase
      ? [up, [2 * p * T - 2, 'maxLr', 'initialLr', 'baseMomentum', 'maxMomentum'], [T - 1, 'initialLr', 'minLr', 'maxMomentum', 'maxMomentum']]
      : [up, [T - 1, 'maxLr', 'minLr', 'baseMomentum', 'maxMomentum']];
    this.annealStrategy = o.annealStrategy;
    this.cycleMomentum = o.cycleMomentum;
    this.useBeta1 = useBeta1;
    this.initialStep();
  }
  protected getLr(): number[] {
    const n = this.lastEpoch, ph = this.phases;
    check(n <= this.totalSteps, 'optim.OneCycleLR', () => `stepped ${n + 1} times, more than totalSteps ${this.totalSteps}`);
    return (this.optimizer.paramGroups as unknown as G[]).map((g) => {
      let start = 0, i = 0;
      while (n > ph[i][0] && i < ph.length - 1) start = ph[i++][0];
      const [end, sl, el, sm, em] = ph[i], pct = (n - start) / (end - start);
      // PyTorch's _annealing_cos / _annealing_linear from g[a] (pct 0) to g[b] (pct 1)
      const at = (a: string, b: string) => {
        const s = g[a] as number, e = g[b] as number;
        return this.annealStrategy === 'cos' ? e + ((s - e) / 2) * (Math.cos(Math.PI * pct) + 1) : (e - s) * pct + s;
      };
      if (this.cycleMomentum) {
        const m = at(sm, em);
        if (this.useBeta1) g.betas = [m, ...(g.betas as number[]).slice(1)]; else g.momentum = m;
      }
      return at(sl, el);
    });
  }
}
