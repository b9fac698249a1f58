// Distances and normalization as torch.nn.functional: normalize, cosineSimilarity,
// pairwiseDistance, and the modules nn.CosineSimilarity and nn.PairwiseDistance.
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { isTensor } from '../ops/operands';
import { norm } from '../ops/math_extra';
import { check, fmtShape } from '../util/errors';
import { normDim, broadcastShapes } from '../shape';
import { Module } from './module';

function checkF(op: string, ...xs: Tensor[]): void {
  for (const x of xs) {
    check(isTensor(x), op, () => `expected tensors, got ${x === null ? 'null' : typeof x}`);
    x._assertLive(op);
    check(x.dtype === 'float32', op, () => `expected float32 tensors, got ${x.dtype}`);
  }
}

export interface NormalizeOptions { p?: number; dim?: number; eps?: number }

/** x / max(||x||_p over dim, eps) (torch.nn.functional.normalize; defaults p 2, dim 1, eps 1e-12). */
export function normalize(x: Tensor, { p = 2, dim = 1, eps = 1e-12 }: NormalizeOptions = {}): Tensor {
  checkF('normalize', x);
  const d = normDim('normalize', dim, x.ndim);
  return tidy(() => x.div(norm(x, p, d, true).clamp(eps, null)));
}

/**
 * Cosine similarity along dim, as PyTorch >= 1.12: sum((x1 / max(||x1||, eps)) (x2 / max(||x2||, eps))).
 * Each norm is clamped separately, and as in PyTorch the clamp passes the norm's gradient through.
 * x1 and x2 broadcast; the result drops dim.
 * @example
 * cosineSimilarity(tensor([[1, 0]]), tensor([[1, 1]])) // [0.7071]
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim = 1, eps = 1e-8): Tensor {
  checkF('cosineSimilarity', x1, x2);
  const shape = broadcastShapes('cosineSimilarity', x1.shape, x2.shape);
  const d = normDim('cosineSimilarity', dim, shape.length);
  const unit = (x: Tensor) => {
    const n = norm(x, 2, d, true);
    const nd = n.detach();
    return x.div(n.add(nd.clamp(eps, null).sub(nd))); // value max(n, eps), gradient that of n
  };
  return tidy(() => unit(x1.expand(shape)).mul(unit(x2.expand(shape))).sum(d));
}

export interface PairwiseDistanceOptions { p?: number; eps?: number; keepdim?: boolean }

/** ||x1 - x2 + eps||_p over the last dim, x1 and x2 broadcasting (torch.nn.functional.pairwise_distance). */
export function pairwiseDistance(x1: Tensor, x2: Tensor, p = 2, eps = 1e-6, keepdim = false): Tensor {
  checkF('pairwiseDistance', x1, x2);
  const nd = Math.max(x1.ndim, x2.ndim);
  check(nd >= 1, 'pairwiseDistance', () => `expected tensors with at least 1 dim, got ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}`);
  broadcastShapes('pairwiseDistance', x1.shape, x2.shape);
  return tidy(() => norm(x1.sub(x2).add(eps), p, nd - 1, keepdim));
}

/** Module form of cosineSimilarity. @example new CosineSimilarity({ dim: 1 }).call(a, b) */
export class CosineSimilarity extends Module<[Tensor, Tensor], Tensor> {
  readonly dim: number; readonly eps: number;
  constructor({ dim = 1, eps = 1e-8 }: { dim?: number; eps?: number } = {}) { super(); this.dim = dim; this.eps = eps; }
  forward(x1: Tensor, x2: Tensor): Tensor { return cosineSimilarity(x1, x2, this.dim, this.eps); }
  extraRepr(): string { return `dim=${this.dim}, eps=${this.eps}`; }
}

/** Module form of pairwiseDistance. */
export class PairwiseDistance extends Module<[Tensor, Tensor], Tensor> {
  constructor(readonly options: PairwiseDistanceOptions = {}) { super(); }
  forward(x1: Tensor, x2: Tensor): Tensor { const { p, eps, keepdim } = this.options; return pairwiseDistance(x1, x2, p, eps, keepdim); }
  extraRepr(): string { const { p = 2, eps = 1e-6, keepdim = false } = this.options; return `p=${p}, eps=${eps}, keepdim=${keepdim}`; }
}
