// AdamW: Adam with decoupled weight decay, default weightDecay 0.01 (torch.optim.AdamW).
import { Adam, type AdamOptions } from './adam';
import type { ParamsInput } from './optimizer';

export type AdamWOptions = Omit<AdamOptions, 'decoupledWeightDecay'>;

/**
 * AdamW (Loshchilov & Hutter), PyTorch's update. Per parameter p with gradient g, step t:
 *
 *   p ← p · (1 − lr · weightDecay)
 *   m ← β1 · m + (1 − β1) · g          v ← β2 · v + (1 − β2) · g²     (g negated when maximize)
 *   amsgrad:   vmax ← max(vmax, v), use vmax for v below
 *   p ← p − lr / (1 − β1^t) · m / (sqrt(v) / sqrt(1 − β2^t) + eps)
 *
 * Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0.01. State as Adam's.
 */
export class AdamW extends Adam {
  constructor(params?: ParamsInput<AdamOptions>, options: Partial<AdamWOptions> = {}) {
    super(params, { weightDecay: 1e-2, ...options, decoupledWeightDecay: true }, 'AdamW');
  }
}
