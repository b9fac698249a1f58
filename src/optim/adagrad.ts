// Adagrad with learning-rate decay, L2 weight decay and maximize (torch.optim.Adagrad).
import type { Tensor } from '../tensor';
import { getBackend } from '../backend/load';
import { OPT } from '../backend/exports';
import { Optimizer, checkHyper, type ParamGroup, type ParamState, type ParamsInput } from './optimizer';

export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay per step (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * Adagrad, PyTorch's update. Per parameter p with gradient g, step t (from 1):
 *
 *   g ← (maximize ? −g : g) + weightDecay · p
 *   clr ← lr / (1 + (t − 1) · lrDecay)
 *   s ← s + g²                       (s starts at initialAccumulatorValue)
 *   p ← p − clr · g / (sqrt(s) + eps)
 *
 * State per parameter: `step`, `sum` (s).
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params?: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options, 'Adagrad');
  }

  protected validate(o: AdagradOptions, name = 'Adagrad'): void {
    checkHyper(name, o.lr, (v) => v >= 0, 'Invalid learning rate');
    checkHyper(name, o.lrDecay, (v) => v >= 0, 'Invalid lr_decay value');
    checkHyper(name, o.weightDecay, (v) => v >= 0, 'Invalid weight_decay value');
    checkHyper(name, o.initialAccumulatorValue, (v) => v >= 0, 'Invalid initial_accumulator_value value');
    checkHyper(name, o.eps, (v) => v >= 0, 'Invalid epsilon value');
  }

  protected update(p: Tensor, g: Tensor, state: ParamState, group: ParamGroup<AdagradOptions>): void {
    const t = ((state.step as number | undefined) ?? 0) + 1;
    state.step = t;
    const sum = this.buffer(p, state, 'sum', group.initialAccumulatorValue);
    const clr = group.lr / (1 + (t - 1) * group.lrDecay);
    getBackend().k.adagrad_f32(p._ptr, g._ptr, sum._ptr, p.size, clr, group.weightDecay, group.eps, group.maximize ? OPT.maximize : 0);
  }
}
