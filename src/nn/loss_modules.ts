// Loss modules (PyTorch nn.MSELoss, ...): hold the options, forward(input, target) calls the
// function of the same name in losses.ts. Shapes are those of the functions.
import type { Tensor } from '../tensor';
import { Module } from './module';
import * as L from './losses';

type Opts<F> = F extends (a: Tensor, b: Tensor, o?: infer O) => Tensor ? O : never;

/** A Module<[input, target], loss> calling `fn(input, target, options)`. */
abstract class Loss<O extends L.LossOptions> extends Module<[Tensor, Tensor], Tensor> {
  constructor(readonly options: O = {} as O) { super(); }
  protected abstract fn(input: Tensor, target: Tensor, o: O): Tensor;
  forward(input: Tensor, target: Tensor): Tensor { return this.fn(input, target, this.options); }
  extraRepr(): string { return ''; }
}

/** @example const lossFn = new MSELoss(); lossFn.call(pred, target) */
export class MSELoss extends Loss<Opts<typeof L.mseLoss>> { protected fn = L.mseLoss; }
export class L1Loss extends Loss<Opts<typeof L.l1Loss>> { protected fn = L.l1Loss; }
export class SmoothL1Loss extends Loss<Opts<typeof L.smoothL1Loss>> { protected fn = L.smoothL1Loss; }
export class HuberLoss extends Loss<Opts<typeof L.huberLoss>> { protected fn = L.huberLoss; }
/** Binary cross-entropy on probabilities. */
export class BCELoss extends Loss<Opts<typeof L.binaryCrossEntropy>> { protected fn = L.binaryCrossEntropy; }
/** Sigmoid + binary cross-entropy, stable for any logits. */
export class BCEWithLogitsLoss extends Loss<Opts<typeof L.binaryCrossEntropyWithLogits>> { protected fn = L.binaryCrossEntropyWithLogits; }
/** @example new CrossEntropyLoss({ labelSmoothing: 0.1 }).call(logits, labels) */
export class CrossEntropyLoss extends Loss<Opts<typeof L.crossEntropy>> { protected fn = L.crossEntropy; }
export class NLLLoss extends Loss<Opts<typeof L.nllLoss>> { protected fn = L.nllLoss; }
