// PyTorch losses, argument order (input, target), composed from differentiable ops and written
// in the numerically stable forms. `reduction`: 'mean' (default) | 'sum' | 'none'.
import { Tensor } from '../tensor';
import { tidy } from '../memory';
import { minmaxI32 } from '../backend/kernels';
import { where } from '../ops/binary';
import { check, fmtShape, knownOptions } from '../util/errors';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions { reduction?: Reduction }

function isT(x: unknown): x is Tensor {
  return x !== null && typeof x === 'object' && (x as Tensor)._isTensor === true;
}

/** Checks input/target are live float32 tensors of the same shape (no silent broadcasting). */
export function _checkPair(op: string, input: Tensor, target: Tensor): void {
  check(isT(input) && isT(target), op, () => `expected (input, target) tensors, got ${typeof input} and ${typeof target}`);
  input._assertLive(op); target._assertLive(op);
  check(input.dtype === 'float32', op, () => `input must be float32, got ${input.dtype}`);
  check(input.ndim === target.ndim && input.shape.every((d, i) => d === target.shape[i]), op, () =>
    `target shape ${fmtShape(target.shape)} must equal input shape ${fmtShape(input.shape)}`);
}

export function _reduce(op: string, loss: Tensor, reduction: Reduction = 'mean'): Tensor {
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  check(reduction === 'none', op, () => `reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  return loss;
}

const floatT = (t: Tensor): Tensor => (t.dtype === 'float32' ? t : t.float());

/** mean((input - target)^2). */
export function mseLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  knownOptions('mseLoss', opts, 'reduction');
  const { reduction = 'mean' } = opts;
  _checkPair('mseLoss', input, target);
  return tidy(() => _reduce('mseLoss', input.sub(floatT(target)).square(), reduction));
}

/** mean(|input - target|). */
export function l1Loss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  knownOptions('l1Loss', opts, 'reduction');
  const { reduction = 'mean' } = opts;
  _checkPair('l1Loss', input, target);
  return tidy(() => _reduce('l1Loss', input.sub(floatT(target)).abs(), reduction));
}

/** 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = input - target); beta = 0 is l1Loss. */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: LossOptions & { beta?: number } = {}): Tensor {
  knownOptions('smoothL1Loss', opts, 'reduction beta');
  const { reduction = 'mean', beta = 1 } = opts;
  _checkPair('smoothL1Loss', input, target);
  check(beta >= 0, 'smoothL1Loss', () => `beta must be non-negative, got ${beta}`);
  return tidy(() => {
    const a = input.sub(floatT(target)).abs();
    if (beta === 0) return _reduce('smoothL1Loss', a, reduction);
    // With c = min(|d|, beta): 0.5 c^2 / beta + (|d| - c) covers both branches.
    const c = a.clamp(null, beta);
    return _reduce('smoothL1Loss', c.square().mul(0.5 / beta).add(a.sub(c)), reduction);
  });
}

/** 0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta). */
export function huberLoss(input: Tensor, target: Tensor, opts: LossOptions & { delta?: number } = {}): Tensor {
  knownOptions('huberLoss', opts, 'reduction delta');
  const { reduction = 'mean', delta = 1 } = opts;
  _checkPair('huberLoss', input, target);
  check(delta > 0, 'huberLoss', () => `delta must be positive, got ${delta}`);
  return tidy(() => {
    const a = input.sub(floatT(target)).abs();
    const c = a.clamp(null, delta);
    return _reduce('huberLoss', c.square().mul(0.5).add(a.sub(c).mul(delta)), reduction);
  });
}

/** log(p) clamped below at -100 as PyTorch; the inner clamp keeps the gradient finite at p = 0. */
function clampedLog(p: Tensor): Tensor {
  return p.clamp(1e-44, null).log().clamp(-100, null);
}

/**
 * Binary cross-entropy on probabilities: -(y log p + (1 - y) log(1 - p)), logs clamped at -100.
 * `weight` rescales each element (broadcast to the input's shape).
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: LossOptions & { weight?: Tensor | null } = {}): Tensor {
  knownOptions('binaryCrossEntropy', opts, 'reduction weight');
  const { reduction = 'mean', weight = null } = opts;
  _checkPair('binaryCrossEntropy', input, target);
  return tidy(() => {
    const y = floatT(target);
    let l = y.mul(clampedLog(input)).add(y.neg().add(1).mul(clampedLog(input.neg().add(1)))).neg();
    if (weight) l = l.mul(weight);
    return _reduce('binaryCrossEntropy', l, reduction);
  });
}

export interface BCEWithLogitsOptions extends LossOptions {
  weight?: Tensor | null;
  /** Weight of positive examples, broadcast along the last (class) dim. */
  posWeight?: Tensor | null;
}

/**
 * Sigmoid + binary cross-entropy in one stable expression: softplus(x) - x y, i.e.
 * max(x, 0) - x y + log1p(e^-|x|); with posWeight: (1 - y) x + (1 + (pw - 1) y) softplus(-x).
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BCEWithLogitsOptions = {}): Tensor {
  knownOptions('binaryCrossEntropyWithLogits', opts, 'reduction weight posWeight');
  const { reduction = 'mean', weight = null, posWeight = null } = opts;
  _checkPair('binaryCrossEntropyWithLogits', input, target);
  return tidy(() => {
    const y = floatT(target);
    let l: Tensor;
    if (posWeight) {
      const lw = posWeight.sub(1).mul(y).add(1);
      l = y.neg().add(1).mul(input).add(lw.mul(input.neg().softplus()));
    } else {
      l = input.softplus().sub(input.mul(y));
    }
    if (weight) l = l.mul(weight);
    return _reduce('binaryCrossEntropyWithLogits', l, reduction);
  });
}

export interface NLLOptions extends LossOptions {
  /** Per-class weights [C]. */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing (PyTorch's default -100). */
  ignoreIndex?: number;
}

/** Validates int32 class targets of logits/logProbs [N, C, ...]; returns an ignore mask or null. */
function classTargets(op: string, input: Tensor, target: Tensor, ignoreIndex: number): Tensor | null {
  check(target.dtype === 'int32', op, () => `class-index targets must be int32, got ${target.dtype} (use .int(), or pass float probabilities of the input's shape ${fmtShape(input.shape)})`);
  check(input.ndim >= 1, op, () => 'input must have at least 1 dim');
  const C = input.ndim === 1 ? input.shape[0] : input.shape[1];
  const expected = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  check(target.ndim === expected.length && target.shape.every((d, i) => d === expected[i]), op, () =>
    `target shape ${fmtShape(target.shape)} does not match input ${fmtShape(input.shape)}: expected ${fmtShape(expected)} (classes in dim ${input.ndim === 1 ? 0 : 1})`);
  if (target.size === 0) return null;
  const [lo, hi] = minmaxI32(target);
  // ignoreIndex may be a class index itself (a padding token 0): then it is masked like any other.
  if (lo >= 0 && hi < C) return ignoreIndex >= lo && ignoreIndex <= hi ? target.eq(ignoreIndex) : null;
  const bad = Array.from(target.data() as Int32Array).find((v) => (v < 0 || v >= C) && v !== ignoreIndex);
  check(bad === undefined, op, () => `target ${bad} is out of bounds: expected class indices in [0, ${C}) or ignoreIndex ${ignoreIndex}`);
  return target.eq(ignoreIndex);
}

/** weight[target] with target's shape. */
function classWeights(weight: Tensor, target: Tensor): Tensor {
  return weight.indexSelect(0, target.reshape([target.size])).reshape([...target.shape]);
}

/**
 * Negative log-likelihood of class `target` under `input` log-probabilities.
 * input [N, C] or [N, C, d1, ...] (or [C]); target int32 [N] or [N, d1, ...] (or []).
 * 'mean' divides by the summed weights of the non-ignored targets, as PyTorch.
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NLLOptions = {}): Tensor {
  knownOptions('nllLoss', opts, 'reduction weight ignoreIndex');
  check(isT(input) && isT(target), 'nllLoss', () => 'expected (input, target) tensors');
  input._assertLive('nllLoss'); target._assertLive('nllLoss');
  check(input.dtype === 'float32', 'nllLoss', () => `input must be float32, got ${input.dtype}`);
  checkWeight('nllLoss', input, opts.weight ?? null);
  const ignore = classTargets('nllLoss', input, target, opts.ignoreIndex ?? -100);
  try { return nllCore(input, target, ignore, opts); } finally { ignore?.dispose(); }
}

function checkWeight(op: string, input: Tensor, weight: Tensor | null): void {
  const C = input.ndim === 1 ? input.shape[0] : input.shape[1];
  if (weight) check(isT(weight) && weight.ndim === 1 && weight.shape[0] === C, op, () => `weight must have shape [${C}], got ${isT(weight) ? fmtShape(weight.shape) : typeof weight}`);
}

/** nllLoss after validation; `ignore` is the bool mask of ignored targets or null. */
function nllCore(input: Tensor, target: Tensor, ignore: Tensor | null, { reduction = 'mean', weight = null }: NLLOptions): Tensor {
  return tidy(() => {
    const cd = input.ndim === 1 ? 0 : 1;
    const t = ignore ? where(ignore, 0, target) : target;
    const picked = input.gather(cd, t.unsqueeze(cd)).squeeze(cd);
    let w: Tensor | null = weight ? classWeights(weight, t) : null;
    if (ignore) w = w ? w.maskedFill(ignore, 0) : ignore.float().neg().add(1);
    const l = w ? picked.mul(w).neg() : picked.neg();
    if (reduction === 'mean' && w) return weightedMean(l.sum(), w.sum());
    return _reduce('nllLoss', l, reduction);
  });
}

/** total / weightSum, and as PyTorch when every target is ignored (weightSum 0): NaN, with zero gradients, not 0 · inf. */
function weightedMean(total: Tensor, weightSum: Tensor): Tensor {
  const none = weightSum.eq(0);
  return total.mul(where(none, 0, weightSum.reciprocal())).add(where(none, NaN, 0));
}

export interface CrossEntropyOptions extends NLLOptions {
  /** Mixes the target with the uniform distribution: (1 - s) target + s / C. */
  labelSmoothing?: number;
}

/**
 * Softmax cross-entropy from unnormalized logits [N, C] (or [N, C, d1, ...], or [C]), computed
 * as logSoftmax + gather. `target` is either int32 class indices [N] (or [N, d1, ...]), or float
 * class probabilities of the logits' shape. Matches torch.nn.functional.cross_entropy,
 * including labelSmoothing, per-class weight and ignoreIndex (index targets only).
 * @example
 * crossEntropy(tensor([[1, 2, 3], [1, 0, -1]]), tensor([2, 0], { dtype: 'int32' })).item(); // 0.4076
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  knownOptions('crossEntropy', opts, 'reduction weight ignoreIndex labelSmoothing');
  const { reduction = 'mean', weight = null, ignoreIndex = -100, labelSmoothing = 0 } = opts;
  check(isT(input) && isT(target), 'crossEntropy', () => 'expected (input, target) tensors');
  input._assertLive('crossEntropy'); target._assertLive('crossEntropy');
  check(input.dtype === 'float32', 'crossEntropy', () => `input (logits) must be float32, got ${input.dtype}`);
  check(labelSmoothing >= 0 && labelSmoothing <= 1, 'crossEntropy', () => `labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  const cd = input.ndim === 1 ? 0 : 1;
  const C = input.shape[cd];
  checkWeight('crossEntropy', input, weight);
  const wshape = input.shape.map((d, i) => (i === cd ? d : 1));
  if (target.dtype === 'float32') {
    _checkPair('crossEntropy', input, target);
    return tidy(() => {
      const lp = input.logSoftmax(cd);
      const t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / C) : target;
      const prod = weight ? lp.mul(t).mul(weight.reshape(wshape)) : lp.mul(t);
      return _reduce('crossEntropy', prod.sum(cd).neg(), reduction);
    });
  }
  const ignore = classTargets('crossEntropy', input, target, ignoreIndex);
  try {
    return tidy(() => {
      const lp = input.logSoftmax(cd);
      const nll = nllCore(lp, target, ignore, { reduction, weight });
      if (labelSmoothing === 0) return nll;
      // PyTorch's smoothing term: -sum_c w_c lp_c per element, normalized like nllLoss.
      let smooth = (weight ? lp.mul(weight.reshape(wshape)) : lp).sum(cd).neg();
      if (ignore) smooth = smooth.maskedFill(ignore, 0);
      let norm: Tensor | number | null = null;
      if (reduction === 'mean') {
        if (weight) norm = ignore ? classWeights(weight, where(ignore, 0, target)).maskedFill(ignore, 0).sum() : classWeights(weight, target).sum();
        else norm = ignore ? ignore.float().neg().add(1).sum() : target.size;
      }
      const s = reduction === 'none' ? smooth : smooth.sum();
      const red = norm === null ? s : typeof norm === 'number' ? s.div(norm) : weightedMean(s, norm);
      return nll.mul(1 - labelSmoothing).add(red.mul(labelSmoothing / C));
    });
  } finally { ignore?.dispose(); }
}
