// Keras / TensorFlow.js losses: argument order (yTrue, yPred), probabilities by default,
// clipped to [EPSILON, 1 - EPSILON] as Keras does. Each computes a per-sample loss (reduced over
// the last axis) and then applies `reduction`: 'mean' (Keras' sum_over_batch_size, default),
// 'sum', or 'none' (the per-sample vector, shape yPred.shape without the last dim).
import { Tensor } from '../tensor';
import { tidy } from '../memory';
import { minmaxI32 } from '../backend/kernels';
import { check, fmtShape } from '../util/errors';
import { _checkPair, _reduce, type Reduction } from './losses';

/** Keras' backend epsilon. */
export const EPSILON = 1e-7;

export interface KerasLossOptions {
  reduction?: Reduction;
  /** yPred holds logits rather than probabilities. */
  fromLogits?: boolean;
  /** Smooths targets towards 0.5 (binary) or 1/C (categorical). */
  labelSmoothing?: number;
}

const clip = (p: Tensor): Tensor => p.clamp(EPSILON, 1 - EPSILON);

const asFloat = (t: Tensor): Tensor => (t.dtype === 'float32' ? t : t.float());
const perSample = _reduce;

/** mean((yPred - yTrue)^2) over the last axis. */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor, { reduction = 'mean' }: KerasLossOptions = {}): Tensor {
  _checkPair('meanSquaredError', yPred, yTrue);
  return tidy(() => perSample('meanSquaredError', yPred.sub(asFloat(yTrue)).square().mean(-1), reduction));
}

/** mean(|yPred - yTrue|) over the last axis. */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor, { reduction = 'mean' }: KerasLossOptions = {}): Tensor {
  _checkPair('meanAbsoluteError', yPred, yTrue);
  return tidy(() => perSample('meanAbsoluteError', yPred.sub(asFloat(yTrue)).abs().mean(-1), reduction));
}

/**
 * -(y log p + (1 - y) log(1 - p)) averaged over the last axis; p clipped to [1e-7, 1 - 1e-7].
 * With fromLogits the stable sigmoid form softplus(x) - x y is used instead.
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, opts: KerasLossOptions = {}): Tensor {
  const { reduction = 'mean', fromLogits = false, labelSmoothing = 0 } = opts;
  _checkPair('binaryCrossentropy', yPred, yTrue);
  return tidy(() => {
    let y = asFloat(yTrue);
    if (labelSmoothing > 0) y = y.mul(1 - labelSmoothing).add(0.5 * labelSmoothing);
    let l: Tensor;
    if (fromLogits) l = yPred.softplus().sub(yPred.mul(y));
    else {
      const p = clip(yPred);
      l = y.mul(p.log()).add(y.neg().add(1).mul(p.neg().add(1).log())).neg();
    }
    return perSample('binaryCrossentropy', l.mean(-1), reduction);
  });
}

/**
 * -sum(yTrue * log(p)) over the last axis, yTrue one-hot (or any distribution). Probabilities are
 * renormalized to sum to 1 and clipped, as Keras; with fromLogits, p = softmax(yPred) in log space.
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, opts: KerasLossOptions = {}): Tensor {
  const { reduction = 'mean', fromLogits = false, labelSmoothing = 0 } = opts;
  _checkPair('categoricalCrossentropy', yPred, yTrue);
  const C = yPred.shape[yPred.ndim - 1];
  return tidy(() => {
    let y = asFloat(yTrue);
    if (labelSmoothing > 0) y = y.mul(1 - labelSmoothing).add(labelSmoothing / C);
    const logp = fromLogits ? yPred.logSoftmax(-1) : clip(yPred.div(yPred.sum(-1, true))).log();
    return perSample('categoricalCrossentropy', y.mul(logp).sum(-1).neg(), reduction);
  });
}

/**
 * categoricalCrossentropy with integer labels: yTrue [N] (or [N, 1], or float labels, as Keras
 * accepts) and yPred [N, C] probabilities (or logits with fromLogits).
 */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, opts: KerasLossOptions = {}): Tensor {
  const { reduction = 'mean', fromLogits = false } = opts;
  const op = 'sparseCategoricalCrossentropy';
  check(yTrue?._isTensor && yPred?._isTensor, op, () => 'expected (yTrue, yPred) tensors');
  yTrue._assertLive(op); yPred._assertLive(op);
  check(yPred.dtype === 'float32' && yPred.ndim >= 1, op, () => `yPred must be float32 [..., C], got ${yPred.dtype} ${fmtShape(yPred.shape)}`);
  const lead = yPred.shape.slice(0, -1);
  const C = yPred.shape[yPred.ndim - 1];
  const squeezeLast = yTrue.ndim === yPred.ndim && yTrue.shape[yTrue.ndim - 1] === 1;
  const tshape = squeezeLast ? yTrue.shape.slice(0, -1) : yTrue.shape;
  check(tshape.length === lead.length && tshape.every((d, i) => d === lead[i]), op, () =>
    `yTrue shape ${fmtShape(yTrue.shape)} does not match yPred ${fmtShape(yPred.shape)}: expected ${fmtShape(lead)} integer labels`);
  return tidy(() => {
    const labels = (yTrue.dtype === 'int32' ? yTrue : yTrue.floor().int()).reshape([...lead, 1]);
    if (labels.size > 0) {
      const [lo, hi] = minmaxI32(labels);
      check(lo >= 0 && hi < C, op, () => `labels span [${lo}, ${hi}], expected class indices in [0, ${C})`);
    }
    const logp = fromLogits ? yPred.logSoftmax(-1) : clip(yPred.div(yPred.sum(-1, true))).log();
    return perSample(op, logp.gather(-1, labels).reshape(lead).neg(), reduction);
  });
}
