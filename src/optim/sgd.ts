// SGD with momentum, dampening, Nesterov, L2 weight decay and maximize (torch.optim.SGD).
import type { Tensor } from '../tensor';
import { getBackend } from '../backend/load';
import { OPT } from '../backend/exports';
import { check } from '../util/errors';
import { Optimizer, checkHyper, type ParamGroup, type ParamState, type ParamsInput } from './optimizer';

export interface SGDOptions {
  /** Learning rate (default 1e-3, as PyTorch 2). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening for momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0 (default false). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * Stochastic gradient descent, PyTorch's update. Per parameter p with gradient g, step t:
 *
 *   g ← (maximize ? −g : g) + weightDecay · p
 *   if momentum ≠ 0:  b ← (t = 1 ? g : momentum · b + (1 − dampening) · g)
 *                     g ← nesterov ? g + momentum · b : b
 *   p ← p − lr · g
 *
 * State per parameter: `momentumBuffer` (only with momentum ≠ 0).
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params?: ParamsInput<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, options, 'SGD');
  }

  protected validate(o: SGDOptions, name = 'SGD'): void {
    checkHyper(name, o.lr, (v) => v >= 0, 'Invalid learning rate');
    checkHyper(name, o.momentum, (v) => v >= 0, 'Invalid momentum value');
    checkHyper(name, o.dampening, (v) => Number.isFinite(v), 'Invalid dampening value');
    checkHyper(name, o.weightDecay, (v) => v >= 0, 'Invalid weight_decay value');
    check(!o.nesterov || (o.momentum > 0 && o.dampening === 0), `optim.${name}`,
      () => `Nesterov momentum requires a momentum and zero dampening (got momentum ${o.momentum}, dampening ${o.dampening})`);
  }

  protected update(p: Tensor, g: Tensor, state: ParamState, group: ParamGroup<SGDOptions>): void {
    const useMom = group.momentum !== 0;
    let buf = 0;
    let flags = (group.nesterov ? OPT.nesterov : 0) | (group.maximize ? OPT.maximize : 0);
    if (useMom) {
      flags |= OPT.momentum;
      if (state.momentumBuffer === undefined) flags |= OPT.first;
      buf = this.buffer(p, state, 'momentumBuffer')._ptr;
    }
    getBackend().k.sgd_f32(p._ptr, g._ptr, buf, p.size, group.lr, group.momentum, 1 - group.dampening, group.weightDecay, flags);
  }
}
