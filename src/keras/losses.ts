// Losses by TensorFlow.js name for compile({ loss }): (yTrue, yPred) -> scalar batch mean.
// The functions themselves live in nn/keras_losses.ts.
import * as kl from '../nn/keras_losses';
import type { Tensor } from '../tensor';
import { check } from '../util/errors';

export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

const named: Record<string, LossFn> = {
  meanSquaredError: (t, p) => kl.meanSquaredError(t, p),
  mse: (t, p) => kl.meanSquaredError(t, p),
  meanAbsoluteError: (t, p) => kl.meanAbsoluteError(t, p),
  mae: (t, p) => kl.meanAbsoluteError(t, p),
  binaryCrossentropy: (t, p) => kl.binaryCrossentropy(t, p),
  categoricalCrossentropy: (t, p) => kl.categoricalCrossentropy(t, p),
  sparseCategoricalCrossentropy: (t, p) => kl.sparseCategoricalCrossentropy(t, p),
};

/** [name, fn] for a loss name or a custom (yTrue, yPred) => Tensor function. */
export function resolveLoss(loss: string | LossFn): [string, LossFn] {
  if (typeof loss === 'function') return [loss.name || 'custom', loss];
  check(typeof loss === 'string' && Object.hasOwn(named, loss), 'compile', () => `unknown loss ${JSON.stringify(loss)} (expected ${Object.keys(named).join(', ')} or a function (yTrue, yPred) => Tensor)`);
  return [loss, named[loss]];
}
