// More PyTorch losses (klDiv, margin, embedding, multi-label and likelihood losses), composed from
// differentiable ops with torch.nn.functional's formulas, defaults and reduction rules.
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { arange, full } from '../creation';
import { where } from '../ops/binary';
import { isTensor } from '../ops/operands';
import { broadcastShapes } from '../shape';
import { check, fmtShape } from '../util/errors';
import { _checkPair, _reduce, type LossOptions, type Reduction } from './losses';
import { pairwiseDistance } from './distance';

const floatT = (t: Tensor): Tensor => (t.dtype === 'float32' ? t : t.float());
const eqShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const sameShape = (a: Tensor, b: Tensor) => eqShape(a.shape, b.shape);

function checkSame(op: string, names: string, ...xs: Tensor[]): void {
  for (const x of xs) { check(isTensor(x), op, () => `expected tensors (${names}), got ${x === null ? 'null' : typeof x}`); x._assertLive(op); }
  check(xs[0].dtype === 'float32', op, () => `input must be float32, got ${xs[0].dtype}`);
  check(xs.every((x) => sameShape(x, xs[0])), op, () => `(${names}) must have the same shape, got ${xs.map((x) => fmtShape(x.shape)).join(', ')}`);
}

/** t log t, 0 where t = 0 (torch.xlogy(t, t)); the gradient is finite there too. */
const xlogx = (t: Tensor): Tensor => { const z = t.eq(0); return where(z, 0, t.mul(where(z, 1, t).log())); };

export interface KLDivOptions { reduction?: Reduction | 'batchmean'; logTarget?: boolean }

/**
 * KL divergence of `target` from the log-probabilities `input`: target (log target - input)
 * pointwise (exp(target) (target - input) with logTarget). 'batchmean' divides the sum by the batch
 * size input.shape[0] (the true KL; 'mean' divides by every element, as PyTorch).
 */
export function klDiv(input: Tensor, target: Tensor, { reduction = 'mean', logTarget = false }: KLDivOptions = {}): Tensor {
  _checkPair('klDiv', input, target);
  return tidy(() => {
    const t = floatT(target);
    const l = logTarget ? t.exp().mul(t.sub(input)) : xlogx(t).sub(t.mul(input));
    if (reduction === 'batchmean') return input.ndim === 0 ? l.sum() : l.sum().div(input.shape[0]);
    return _reduce('klDiv', l, reduction);
  });
}

/** max(0, -y (x1 - x2) + margin), y in {1, -1} (torch margin_ranking_loss). */
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, { margin = 0, reduction = 'mean' }: LossOptions & { margin?: number } = {}): Tensor {
  checkSame('marginRankingLoss', 'input1, input2, target', x1, x2, target);
  return tidy(() => _reduce('marginRankingLoss', floatT(target).neg().mul(x1.sub(x2)).add(margin).clamp(0, null), reduction));
}

/** x where y = 1, max(0, margin - x) where y = -1 (torch hinge_embedding_loss; margin 1). */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, { margin = 1, reduction = 'mean' }: LossOptions & { margin?: number } = {}): Tensor {
  _checkPair('hingeEmbeddingLoss', input, target);
  return tidy(() => {
    const l = where(target.ne(1), input.neg().add(margin).clamp(0, null), 0).add(where(target.ne(-1), input, 0));
    return _reduce('hingeEmbeddingLoss', l, reduction);
  });
}

/** log(1 + exp(-y x)), y in {1, -1} (torch soft_margin_loss), as softplus(-y x). */
export function softMarginLoss(input: Tensor, target: Tensor, { reduction = 'mean' }: LossOptions = {}): Tensor {
  _checkPair('softMarginLoss', input, target);
  return tidy(() => _reduce('softMarginLoss', input.mul(floatT(target)).neg().softplus(), reduction));
}

/**
 * Per sample, the mean over the C classes (last dim) of -w (y log sigmoid(x) + (1 - y) log sigmoid(-x))
 * (torch multilabel_soft_margin_loss); input and target [N, C] or [C], weight broadcast to them.
 */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, { weight = null, reduction = 'mean' }: LossOptions & { weight?: Tensor | null } = {}): Tensor {
  _checkPair('multilabelSoftMarginLoss', input, target);
  check(input.ndim >= 1, 'multilabelSoftMarginLoss', () => 'input must have a class dim, got a 0-d tensor');
  return tidy(() => {
    const y = floatT(target);
    let l = y.mul(input.neg().softplus()).add(y.neg().add(1).mul(input.softplus()));
    if (weight) l = l.mul(weight);
    return _reduce('multilabelSoftMarginLoss', l.mean(-1), reduction);
  });
}

/**
 * 1 - cos(x1, x2) where y = 1, max(0, cos - margin) where y = -1, cos along dim 1 of [N, D]
 * inputs (dim 0 of [D], target then 0-d), as torch cosine_embedding_loss (norms squared + 1e-12).
 */
export function cosineEmbeddingLoss(x1: Tensor, x2: Tensor, target: Tensor, { margin = 0, reduction = 'mean' }: LossOptions & { margin?: number } = {}): Tensor {
  const op = 'cosineEmbeddingLoss';
  checkSame(op, 'input1, input2', x1, x2);
  check(isTensor(target), op, () => `target must be a tensor, got ${typeof target}`);
  check(x1.ndim === 1 || x1.ndim === 2, op, () => `inputs must be 1-D [D] or 2-D [N, D], got ${fmtShape(x1.shape)}`);
  check(target.ndim === x1.ndim - 1 && (x1.ndim === 1 || target.shape[0] === x1.shape[0]), op, () =>
    `target shape ${fmtShape(target.shape)} must be ${fmtShape(x1.shape.slice(0, -1))} for inputs ${fmtShape(x1.shape)}`);
  const d = x1.ndim - 1;
  return tidy(() => {
    const m1 = x1.square().sum(d).add(1e-12), m2 = x2.square().sum(d).add(1e-12);
    const cos = x1.mul(x2).sum(d).div(m1.mul(m2).sqrt());
    const l = where(target.eq(1), cos.neg().add(1), 0).add(where(target.eq(-1), cos.sub(margin).clamp(0, null), 0));
    return _reduce(op, l, reduction);
  });
}

export interface TripletMarginOptions extends LossOptions { margin?: number; p?: number; eps?: number; swap?: boolean }

/**
 * max(d(a, pos) - d(a, neg) + margin, 0) with d = pairwiseDistance(., ., p, eps); with swap, d(a, neg)
 * becomes min(d(a, neg), d(pos, neg)) (torch triplet_margin_loss; margin 1, p 2, eps 1e-6).
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts: TripletMarginOptions = {}): Tensor {
  const { margin = 1, p = 2, eps = 1e-6, swap = false, reduction = 'mean' } = opts;
  const op = 'tripletMarginLoss';
  for (const x of [anchor, positive, negative]) check(isTensor(x), op, () => `expected (anchor, positive, negative) tensors, got ${typeof x}`);
  check(anchor.ndim === positive.ndim && anchor.ndim === negative.ndim && (anchor.ndim === 1 || anchor.ndim === 2), op, () =>
    `anchor, positive and negative must all be 1-D or 2-D, got ${[anchor, positive, negative].map((x) => fmtShape(x.shape)).join(', ')}`);
  return tidy(() => {
    let dn = pairwiseDistance(anchor, negative, p, eps);
    if (swap) dn = dn.minimum(pairwiseDistance(positive, negative, p, eps));
    return _reduce(op, pairwiseDistance(anchor, positive, p, eps).sub(dn).add(margin).clamp(0, null), reduction);
  });
}

export interface MultiMarginOptions extends LossOptions { p?: 1 | 2; margin?: number; weight?: Tensor | null }

/**
 * Multi-class hinge loss (torch multi_margin_loss): per sample, sum over classes j != y of
 * w[y] max(0, margin - x[y] + x[j])^p, divided by C. input [N, C] or [C]; target int32 [N] or [].
 */
export function multiMarginLoss(input: Tensor, target: Tensor, opts: MultiMarginOptions = {}): Tensor {
  const { p = 1, margin = 1, weight = null, reduction = 'mean' } = opts;
  const op = 'multiMarginLoss';
  for (const x of [input, target]) { check(isTensor(x), op, () => `expected (input, target) tensors, got ${typeof x}`); x._assertLive(op); }
  check(p === 1 || p === 2, op, () => `only p = 1 and p = 2 are supported, got ${p}`);
  check(input.dtype === 'float32' && (input.ndim === 1 || input.ndim === 2), op, () => `input must be float32 [N, C] or [C], got ${input.dtype} ${fmtShape(input.shape)}`);
  const C = input.shape[input.ndim - 1], N = input.ndim === 2 ? input.shape[0] : 1;
  check(target.dtype === 'int32' && target.ndim === input.ndim - 1 && target.size === N, op, () =>
    `target must be int32 of shape ${fmtShape(input.shape.slice(0, -1))}, got ${target.dtype} ${fmtShape(target.shape)}`);
  const bad = Array.from(target.data()).find((v) => v < 0 || v >= C);
  check(bad === undefined, op, () => `target ${bad} is out of bounds: expected class indices in [0, ${C})`);
  if (weight) check(isTensor(weight) && weight.ndim === 1 && weight.shape[0] === C, op, () => `weight must have shape [${C}], got ${isTensor(weight) ? fmtShape(weight.shape) : typeof weight}`);
  return tidy(() => {
    const x = input.reshape([N, C]), y = target.reshape([N, 1]);
    const z = x.sub(x.gather(1, y)).add(margin).relu(); // relu: no gradient at z = 0, as PyTorch's z > 0
    let h = where(arange(C).eq(y), 0, p === 2 ? z.square() : z);
    if (weight) h = h.mul(weight.gather(0, y.reshape([N])).reshape([N, 1]));
    const l = h.sum(1).div(C);
    return _reduce(op, input.ndim === 1 ? l.reshape([]) : l, reduction);
  });
}

export interface PoissonNLLOptions extends LossOptions { logInput?: boolean; full?: boolean; eps?: number }

/**
 * Poisson negative log-likelihood (torch poisson_nll_loss): exp(x) - t x with logInput (default),
 * else x - t log(x + eps); `full` adds Stirling's t log t - t + 0.5 log(2 pi t) where t > 1.
 */
export function poissonNllLoss(input: Tensor, target: Tensor, opts: PoissonNLLOptions = {}): Tensor {
  const { logInput = true, full: fullTerm = false, eps = 1e-8, reduction = 'mean' } = opts;
  _checkPair('poissonNllLoss', input, target);
  return tidy(() => {
    const t = floatT(target);
    let l = logInput ? input.exp().sub(t.mul(input)) : input.sub(t.mul(input.add(eps).log()));
    if (fullTerm) {
      const big = t.gt(1), ts = where(big, t, 2);
      l = l.add(where(big, ts.mul(ts.log()).sub(ts).add(ts.mul(2 * Math.PI).log().mul(0.5)), 0));
    }
    return _reduce('poissonNllLoss', l, reduction);
  });
}

export interface GaussianNLLOptions extends LossOptions { full?: boolean; eps?: number }

/**
 * Gaussian negative log-likelihood (torch gaussian_nll_loss): 0.5 (log v + (x - t)^2 / v) with
 * v = max(var, eps) (the clamp passes var's gradient through, as PyTorch's in-place no-grad clamp),
 * plus 0.5 log(2 pi) when `full`. var has input's shape, or it without the last dim, or with the
 * last dim 1 (one variance per row), or is a number; target broadcasts to input.
 */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor | number, opts: GaussianNLLOptions = {}): Tensor {
  const { full: fullTerm = false, eps = 1e-6, reduction = 'mean' } = opts;
  const op = 'gaussianNllLoss';
  for (const x of [input, target]) { check(isTensor(x), op, () => `expected (input, target, var) tensors, got ${typeof x}`); x._assertLive(op); }
  check(input.dtype === 'float32', op, () => `input must be float32, got ${input.dtype}`);
  check(eqShape(broadcastShapes(op, input.shape, target.shape), input.shape), op, () =>
    `target shape ${fmtShape(target.shape)} must broadcast to input shape ${fmtShape(input.shape)}`);
  check(reduction === 'mean' || reduction === 'sum' || reduction === 'none', op, () => `reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  return tidy(() => {
    let v = typeof variance === 'number' ? full([...input.shape], variance) : variance;
    check(isTensor(v), op, () => `var must be a tensor or a number, got ${typeof v}`);
    const lead = input.shape.slice(0, -1), vs = v.shape;
    if (!sameShape(v, input)) {
      if (input.ndim > 0 && eqShape(vs, lead)) v = v.unsqueeze(-1);
      else check(input.ndim > 0 && eqShape(vs.slice(0, -1), lead) && vs[vs.length - 1] === 1, op, () =>
        `var shape ${fmtShape(vs)} must be ${fmtShape(input.shape)}, ${fmtShape(lead)} or ${fmtShape([...lead, 1])} for input ${fmtShape(input.shape)}`);
    }
    check(!v.lt(0).any().item(), op, () => 'var has negative entries');
    const vd = v.detach(), vc = v.add(vd.clamp(eps, null).sub(vd));
    let l = vc.log().add(input.sub(target).square().div(vc)).mul(0.5);
    if (fullTerm) l = l.add(0.5 * Math.log(2 * Math.PI));
    return _reduce(op, l, reduction);
  });
}
