// F.scaledDotProductAttention (torch.nn.functional.scaled_dot_product_attention) and the mask
// helpers MultiheadAttention shares: softmax(q k^T * scale + mask) v over the last two dims.
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { full } from '../creation';
import { where } from '../ops/binary';
import { broadcastShapes } from '../shape';
import { check, fmtShape } from '../util/errors';
import { dropout } from './functional';

export interface SDPAOptions {
  /** Bool (true = takes part, false = masked out) or float (added to the scores), broadcastable to [..., L, S]. */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (always applied when > 0, as PyTorch). */
  dropoutP?: number;
  /** Mask with a lower-triangular (top-left aligned) [L, S] mask; excludes attnMask. */
  isCausal?: boolean;
  /** Multiplies q k^T (default 1 / sqrt(E)). */
  scale?: number | null;
}

/** Throws unless x is a live float32 tensor of at least `minDims` dims. */
export function checkFloat(op: string, x: unknown, what: string, minDims = 0): asserts x is Tensor {
  check(x !== null && typeof x === 'object' && (x as Tensor)._isTensor, op, () => `${what} must be a tensor, got ${x === null ? 'null' : typeof x}`);
  const t = x as Tensor;
  t._assertLive(op);
  check(t.dtype === 'float32', op, () => `${what} must be float32, got ${t.dtype}`);
  check(t.ndim >= minDims, op, () => `${what} must have at least ${minDims} dims, got shape ${fmtShape(t.shape)}`);
}

/**
 * A mask as additive floats: a bool mask gets -inf where it equals `blocked` and 0 elsewhere
 * (SDPA blocks false, MultiheadAttention blocks true); a float mask is returned as is.
 */
export function additiveMask(op: string, what: string, m: unknown, blocked: boolean): Tensor {
  check(m !== null && typeof m === 'object' && (m as Tensor)._isTensor, op, () => `${what} must be a tensor, got ${m === null ? 'null' : typeof m}`);
  const t = m as Tensor;
  t._assertLive(op);
  check(t.dtype === 'bool' || t.dtype === 'float32', op, () => `only bool and float32 ${what} are supported, got ${t.dtype}`);
  return t.dtype === 'bool' ? where(t, blocked ? -Infinity : 0, blocked ? 0 : -Infinity) : t;
}

/** [L, S] float mask: -inf where column > row (future positions), 0 elsewhere. */
export const causalMask = (L: number, S: number): Tensor => tidy(() => full([L, S], -Infinity).triu(1));

/**
 * The float mask -inf above the diagonal and 0 elsewhere, [n, n] (PyTorch's
 * Transformer.generate_square_subsequent_mask): position i attends to positions <= i.
 */
export function generateSquareSubsequentMask(n: number): Tensor {
  check(Number.isInteger(n) && n >= 0, 'generateSquareSubsequentMask', () => `size must be a non-negative integer, got ${n}`);
  return causalMask(n, n);
}

/**
 * softmax(q k^T * scale + mask) (then dropout with p) and its product with v. q [..., L, E],
 * k [..., S, E], v [..., S, Ev], mask additive float or null. Returns [out [..., L, Ev], weights [..., L, S]].
 * A row with every score -inf gives NaN (as softmax, and PyTorch's CPU attention kernels).
 */
export function attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, p: number, scale: number): [Tensor, Tensor] {
  let s = q.mul(scale).matmul(k.transpose(-2, -1));
  if (mask) s = s.add(mask);
  let w = s.softmax(-1);
  if (p > 0) w = dropout(w, p, true);
  return [w.matmul(v), w];
}

/**
 * Attention of queries over keys/values: softmax(q k^T * scale + mask) v, batch dims broadcast.
 * q [..., L, E], k [..., S, E], v [..., S, Ev] -> [..., L, Ev].
 * @example
 * const out = F.scaledDotProductAttention(q, k, v, { isCausal: true }); // q, k, v [N, heads, L, E]
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, opts: SDPAOptions = {}): Tensor {
  const op = 'scaledDotProductAttention';
  const { attnMask = null, dropoutP = 0, isCausal = false, scale = null } = opts;
  checkFloat(op, query, 'query', 2); checkFloat(op, key, 'key', 2); checkFloat(op, value, 'value', 2);
  const [L, E] = query.shape.slice(-2), [S, Ek] = key.shape.slice(-2);
  check(Ek === E, op, () => `query and key must have the same last dim, got query ${fmtShape(query.shape)} and key ${fmtShape(key.shape)}`);
  check(value.shape[value.ndim - 2] === S, op, () => `key and value must have the same length (dim -2), got key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)}`);
  check(typeof dropoutP === 'number' && dropoutP >= 0 && dropoutP <= 1, op, () => `dropoutP must be in [0, 1], got ${dropoutP}`);
  check(scale === null || (typeof scale === 'number' && Number.isFinite(scale)), op, () => `scale must be a finite number, got ${scale}`);
  check(!(isCausal && attnMask), op, () => 'an explicit attnMask should not be set when isCausal is true');
  const batch = broadcastShapes(op, broadcastShapes(op, query.shape.slice(0, -2), key.shape.slice(0, -2)), value.shape.slice(0, -2));
  const scores = [...batch, L, S];
  if (attnMask) {
    const m = attnMask as Tensor;
    check(m?._isTensor && m.ndim <= scores.length && m.shape.every((d, i) => d === 1 || d === scores[scores.length - m.ndim + i]), op, () =>
      `attnMask of shape ${m?._isTensor ? fmtShape(m.shape) : typeof m} does not broadcast to the attention scores' shape ${fmtShape(scores)} ([..., L, S])`);
  }
  return tidy(() => {
    const mask = isCausal ? causalMask(L, S) : attnMask ? additiveMask(op, 'attnMask', attnMask, false) : null;
    return attend(query, key, value, mask, dropoutP, scale ?? 1 / Math.sqrt(E))[0];
  });
}
