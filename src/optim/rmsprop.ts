// RMSprop with momentum, centering, L2 weight decay and maximize (torch.optim.RMSprop).
import type { Tensor } from '../tensor';
import { getBackend } from '../backend/load';
import { OPT } from '../backend/exports';
import { Optimizer, checkHyper, type ParamGroup, type ParamState, type ParamsInput } from './optimizer';

export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * RMSprop, PyTorch's update. Per parameter p with gradient g:
 *
 *   g ← (maximize ? −g : g) + weightDecay · p
 *   s ← α · s + (1 − α) · g²
 *   centered: a ← α · a + (1 − α) · g,  d ← sqrt(s − a²) + eps      else: d ← sqrt(s) + eps
 *   momentum > 0: b ← momentum · b + g / d,  p ← p − lr · b          else: p ← p − lr · g / d
 *
 * State per parameter: `step`, `squareAvg` (s), `gradAvg` (a, centered), `momentumBuffer` (b, momentum > 0).
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params?: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options, 'RMSprop');
  }

  protected validate(o: RMSpropOptions, name = 'RMSprop'): void {
    checkHyper(name, o.lr, (v) => v >= 0, 'Invalid learning rate');
    checkHyper(name, o.eps, (v) => v >= 0, 'Invalid epsilon value');
    checkHyper(name, o.momentum, (v) => v >= 0, 'Invalid momentum value');
    checkHyper(name, o.weightDecay, (v) => v >= 0, 'Invalid weight_decay value');
    checkHyper(name, o.alpha, (v) => v >= 0, 'Invalid alpha value');
  }

  protected update(p: Tensor, g: Tensor, state: ParamState, group: ParamGroup<RMSpropOptions>): void {
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    const sq = this.buffer(p, state, 'squareAvg');
    const ga = group.centered ? this.buffer(p, state, 'gradAvg')._ptr : 0;
    const buf = group.momentum > 0 ? this.buffer(p, state, 'momentumBuffer')._ptr : 0;
    const flags = (group.centered ? OPT.centered : 0) | (group.momentum > 0 ? OPT.momentum : 0) | (group.maximize ? OPT.maximize : 0);
    getBackend().k.rmsprop_f32(p._ptr, g._ptr, sq._ptr, ga, buf, p.size, group.lr, group.alpha, 1 - group.alpha,
      group.eps, group.weightDecay, group.momentum, flags);
  }
}
