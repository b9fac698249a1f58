// Losses by TensorFlow.js name, as functions (yTrue, yPred) -> scalar mean over the batch.
// Probability inputs are clipped to [1e-7, 1 - 1e-7] before the log, as Keras does.
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { check } from '../util/errors';

export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

const EPS = 1e-7;

function sameShape(op: string, yTrue: Tensor, yPred: Tensor): void {
  check(yTrue.size === yPred.size, op, () => `yTrue shape [${yTrue.shape.join(', ')}] and yPred shape [${yPred.shape.join(', ')}] differ`);
}

export const meanSquaredError: LossFn = (yTrue, yPred) => tidy(() => {
  sameShape('meanSquaredError', yTrue, yPred);
  return yPred.sub(yTrue.reshape(yPred.shape)).square().mean();
});

export const meanAbsoluteError: LossFn = (yTrue, yPred) => tidy(() => {
  sameShape('meanAbsoluteError', yTrue, yPred);
  return yPred.sub(yTrue.reshape(yPred.shape)).abs().mean();
});

/** -(y log p + (1 - y) log(1 - p)) with p clipped; yPred are probabilities (sigmoid outputs). */
export const binaryCrossentropy: LossFn = (yTrue, yPred) => tidy(() => {
  sameShape('binaryCrossentropy', yTrue, yPred);
  const y = yTrue.reshape(yPred.shape).float();
  const p = yPred.clamp(EPS, 1 - EPS);
  return y.mul(p.log()).add(y.neg().add(1).mul(p.neg().add(1).log())).neg().mean();
});

/** -sum(y log p) over the last dim with one-hot (or soft) targets; yPred are probabilities. */
export const categoricalCrossentropy: LossFn = (yTrue, yPred) => tidy(() => {
  sameShape('categoricalCrossentropy', yTrue, yPred);
  const p = yPred.clamp(EPS, 1 - EPS);
  return yTrue.mul(p.log()).sum(-1).neg().mean();
});

/** -log p[label] with integer labels ([N] or [N, 1]); yPred are probabilities [N, classes]. */
export const sparseCategoricalCrossentropy: LossFn = (yTrue, yPred) => tidy(() => {
  const n = yPred.shape[0], classes = yPred.shape[yPred.ndim - 1];
  check(yTrue.size === yPred.size / classes, 'sparseCategoricalCrossentropy', () =>
    `expected ${yPred.size / classes} integer labels for predictions of shape [${yPred.shape.join(', ')}], got shape [${yTrue.shape.join(', ')}]`);
  const labels = yTrue.dtype === 'int32' ? yTrue.reshape([n, -1]) : yTrue.int().reshape([n, -1]);
  const logp = yPred.reshape([n, -1, classes]).clamp(EPS, 1 - EPS).log();
  const picked = logp.gather(2, labels.reshape([n, -1, 1]));
  return picked.neg().mean();
});

const named: Record<string, LossFn> = {
  meanSquaredError, mse: meanSquaredError, meanAbsoluteError, mae: meanAbsoluteError,
  binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy,
};

export function resolveLoss(loss: string | LossFn): [string, LossFn] {
  if (typeof loss === 'function') return [loss.name || 'custom', loss];
  check(loss in named, 'compile', () => `unknown loss '${loss}' (expected ${Object.keys(named).join(', ')} or a function (yTrue, yPred) => Tensor)`);
  return [loss, named[loss]];
}
