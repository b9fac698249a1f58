// Metrics by TensorFlow.js name, as functions (yTrue, yPred) -> scalar tensor (batch mean).
// 'accuracy' resolves to binary, categorical or sparse accuracy from the loss and output size.
import type { Tensor } from '../tensor';
import { check } from '../util/errors';

export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

function meanOf(t: Tensor): Tensor {
  const f = t.dtype === 'float32' ? t : t.float();
  const m = f.mean();
  if (f !== t) f.dispose();
  t.dispose();
  return m;
}

/** Fraction of predictions on the right side of 0.5. */
export const binaryAccuracy: MetricFn = (yTrue, yPred) => {
  const p = yPred.gt(0.5);
  const t = yTrue.gt(0.5);
  const r = meanOf(p.eq(t));
  p.dispose(); t.dispose();
  return r;
};

/** argmax(yPred) == argmax(yTrue) for one-hot targets. */
export const categoricalAccuracy: MetricFn = (yTrue, yPred) => {
  const p = yPred.argmax(-1), t = yTrue.argmax(-1);
  const r = meanOf(p.eq(t));
  p.dispose(); t.dispose();
  return r;
};

/** argmax(yPred) == yTrue for integer labels ([N] or [N, 1]). */
export const sparseCategoricalAccuracy: MetricFn = (yTrue, yPred) => {
  const p = yPred.argmax(-1);
  const t = yTrue.ndim === p.ndim ? yTrue.int() : yTrue.reshape([...p.shape]).int();
  const r = meanOf(p.eq(t));
  p.dispose(); t.dispose();
  return r;
};

export const meanSquaredError: MetricFn = (yTrue, yPred) => { const d = yPred.sub(yTrue); const s = d.square(); d.dispose(); return meanOf(s); };
export const meanAbsoluteError: MetricFn = (yTrue, yPred) => { const d = yPred.sub(yTrue); const a = d.abs(); d.dispose(); return meanOf(a); };

const named: Record<string, MetricFn> = {
  binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy,
  mse: meanSquaredError, meanSquaredError, mae: meanAbsoluteError, meanAbsoluteError,
};

/**
 * Resolves a metric to [history key, function]. 'accuracy'/'acc' (key 'acc') become binary accuracy
 * when the output has one unit or the loss is binaryCrossentropy, sparse categorical accuracy with
 * sparseCategoricalCrossentropy, categorical accuracy otherwise (TensorFlow.js's rule).
 */
export function resolveMetric(m: string | MetricFn, lossName: string, outputDim: number): [string, MetricFn] {
  if (typeof m === 'function') return [m.name || 'metric', m];
  if (m === 'accuracy' || m === 'acc') {
    const fn = outputDim === 1 || lossName === 'binaryCrossentropy' ? binaryAccuracy
      : lossName === 'sparseCategoricalCrossentropy' ? sparseCategoricalAccuracy : categoricalAccuracy;
    return ['acc', fn];
  }
  check(typeof m === 'string' && Object.hasOwn(named, m), 'compile', () => `unknown metric ${JSON.stringify(m)} (expected 'accuracy', ${Object.keys(named).map((k) => `'${k}'`).join(', ')} or a function (yTrue, yPred) => Tensor)`);
  return [m, named[m]];
}
