// Module forms of the losses in losses_extra.ts (nn.KLDivLoss, nn.TripletMarginLoss, ...): they hold
// the options; forward takes the function's tensor arguments.
import type { Tensor } from '../tensor';
import { Module } from './module';
import * as L from './losses_extra';
import type { LossOptions } from './losses';

/** A Module<A, loss> calling `fn(...tensors, options)`. */
abstract class Loss<A extends Tensor[], O> extends Module<A, Tensor> {
  constructor(readonly options: O = {} as O) { super(); }
  protected abstract fn(...args: [...A, O]): Tensor;
  forward(...xs: A): Tensor { return this.fn(...xs, this.options); }
}
type T2 = [Tensor, Tensor];
type T3 = [Tensor, Tensor, Tensor];
type Margin = LossOptions & { margin?: number };

/** @example new KLDivLoss({ reduction: 'batchmean' }).call(logProbs, target) */
export class KLDivLoss extends Loss<T2, L.KLDivOptions> { protected fn = L.klDiv; }
/** forward(input1, input2, target). */
export class MarginRankingLoss extends Loss<T3, Margin> { protected fn = L.marginRankingLoss; }
export class HingeEmbeddingLoss extends Loss<T2, Margin> { protected fn = L.hingeEmbeddingLoss; }
export class SoftMarginLoss extends Loss<T2, LossOptions> { protected fn = L.softMarginLoss; }
export class MultiLabelSoftMarginLoss extends Loss<T2, LossOptions & { weight?: Tensor | null }> { protected fn = L.multilabelSoftMarginLoss; }
/** forward(input1, input2, target). */
export class CosineEmbeddingLoss extends Loss<T3, Margin> { protected fn = L.cosineEmbeddingLoss; }
/** forward(anchor, positive, negative). @example new TripletMarginLoss({ margin: 0.5 }).call(a, p, n) */
export class TripletMarginLoss extends Loss<T3, L.TripletMarginOptions> { protected fn = L.tripletMarginLoss; }
export class MultiMarginLoss extends Loss<T2, L.MultiMarginOptions> { protected fn = L.multiMarginLoss; }
export class PoissonNLLLoss extends Loss<T2, L.PoissonNLLOptions> { protected fn = L.poissonNllLoss; }
/** forward(input, target, var). */
export class GaussianNLLLoss extends Loss<T3, L.GaussianNLLOptions> { protected fn = L.gaussianNllLoss; }
