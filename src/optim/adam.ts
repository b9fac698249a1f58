// Adam with optional AMSGrad, L2 or decoupled weight decay and maximize (torch.optim.Adam).
import type { Tensor } from '../tensor';
import { getBackend } from '../backend/load';
import { OPT } from '../backend/exports';
import { check } from '../util/errors';
import { Optimizer, checkHyper, type ParamGroup, type ParamState, type ParamsInput } from './optimizer';

export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** Weight decay: an L2 penalty on the gradient, or decoupled (AdamW) (default 0). */
  weightDecay: number;
  /** The AMSGrad variant: divide by the running maximum of the second moment (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
  /** Decay the weights directly, as AdamW does, instead of adding an L2 term (default false). */
  decoupledWeightDecay: boolean;
}

export const adamDefaults: AdamOptions = {
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false,
};

/**
 * Adam, PyTorch's update. Per parameter p with gradient g, step t (from 1):
 *
 *   g ← maximize ? −g : g
 *   decoupled: p ← p · (1 − lr · weightDecay)        else: g ← g + weightDecay · p
 *   m ← β1 · m + (1 − β1) · g          v ← β2 · v + (1 − β2) · g²
 *   amsgrad:   vmax ← max(vmax, v), use vmax for v below
 *   p ← p − lr / (1 − β1^t) · m / (sqrt(v) / sqrt(1 − β2^t) + eps)
 *
 * State per parameter: `step`, `expAvg` (m), `expAvgSq` (v), `maxExpAvgSq` (with amsgrad).
 * The first step moves every element by about lr · sign(g).
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params?: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}, name = 'Adam') {
    super(params, adamDefaults, options, name);
  }

  protected validate(o: AdamOptions, name = this.name): void {
    checkHyper(name, o.lr, (v) => v >= 0, 'Invalid learning rate');
    checkHyper(name, o.eps, (v) => v >= 0, 'Invalid epsilon value');
    check(Array.isArray(o.betas) && o.betas.length === 2, `optim.${name}`, () => `betas must be [beta1, beta2], got ${JSON.stringify(o.betas)}`);
    checkHyper(name, o.betas[0], (v) => v >= 0 && v < 1, 'Invalid beta parameter at index 0');
    checkHyper(name, o.betas[1], (v) => v >= 0 && v < 1, 'Invalid beta parameter at index 1');
    checkHyper(name, o.weightDecay, (v) => v >= 0, 'Invalid weight_decay value');
  }

  protected update(p: Tensor, g: Tensor, state: ParamState, group: ParamGroup<AdamOptions>): void {
    const [beta1, beta2] = group.betas;
    const t = ((state.step as number | undefined) ?? 0) + 1;
    state.step = t;
    const m = this.buffer(p, state, 'expAvg');
    const v = this.buffer(p, state, 'expAvgSq');
    const vmax = group.amsgrad ? this.buffer(p, state, 'maxExpAvgSq')._ptr : 0;
    const flags = (group.amsgrad ? OPT.amsgrad : 0) | (group.decoupledWeightDecay ? OPT.decoupled : 0) | (group.maximize ? OPT.maximize : 0);
    const stepSize = group.lr / (1 - beta1 ** t);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
    getBackend().k.adam_f32(p._ptr, g._ptr, m._ptr, v._ptr, vmax, p.size, 1 - beta1, beta2, 1 - beta2, group.eps,
      group.weightDecay, 1 - group.lr * group.weightDecay, stepSize, bc2Sqrt, flags);
  }
}
