// Order statistics with torch's semantics: kthvalue, median (the lower of the two middle values)
// and quantile (linear interpolation), from a stable sort along one dim; values are gathers of x,
// so gradients flow to the chosen elements (quantile's to its two neighbours, by their weights).
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { normDim } from '../shape';
import { check, fmtShape } from '../util/errors';
import { where } from './binary';
import { isnan } from './composite';
import { gather } from './indexing';
import { narrow } from './movement';
import { stack } from './shaping';
import { argsort } from './sort';

/** x along `dim`, or flattened when dim is omitted (then the dim is 0). */
function along(op: string, x: Tensor, dim: number | undefined): [Tensor, number] {
  check(x?._isTensor, op, () => `expected a tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
  check(x.dtype === 'float32', op, () => `expected a float32 tensor, got ${x.dtype} (cast with .float())`);
  if (dim === undefined) return [x.reshape([x.size]), 0];
  return [x.ndim === 0 ? x.reshape([1]) : x, x.ndim === 0 ? 0 : normDim(op, dim, x.ndim)];
}

/** The k-th smallest value (k from 1) along dim and its index, as torch.kthvalue: [values, indices]. */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): [Tensor, Tensor] {
  return tidy(() => {
    const [v, d] = along('kthvalue', x, dim);
    const n = v.shape[d];
    check(Number.isInteger(k) && k >= 1 && k <= n, 'kthvalue', () => `k must be an integer from 1 to ${n} (dim ${dim} of shape ${fmtShape(x.shape)}), got ${k}`);
    const idx = narrow(argsort(v, d), d, k - 1, 1);
    const out = gather(v, d, idx);
    return keepdim && x.ndim > 0 ? [out, idx] : [out.squeeze(d), idx.squeeze(d)];
  });
}

/**
 * The lower median, as torch.median: of all elements (a 0-d tensor) when dim is omitted, else
 * [values, indices] along dim. A slice holding NaN has median NaN.
 */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: boolean): [Tensor, Tensor];
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | [Tensor, Tensor] {
  return tidy(() => {
    const [v, d] = along('median', x, dim);
    const n = v.shape[d];
    check(n > 0, 'median', () => `cannot take the median of an empty dim (shape ${fmtShape(x.shape)})`);
    const [val, idx] = kthvalue(v, Math.floor((n - 1) / 2) + 1, d, true);
    const out = where(isnan(v).any(d, true), NaN, val);
    if (dim === undefined) return out.reshape([]);
    return keepdim && x.ndim > 0 ? [out, idx] : [out.squeeze(d), idx.squeeze(d)];
  });
}

/**
 * The q-quantiles along dim (all elements when omitted) by linear interpolation between the two
 * nearest ranks, as torch.quantile: q a number in [0, 1], or a list (one result per q, stacked
 * in a new leading dim). A slice holding NaN gives NaN.
 */
export function quantile(x: Tensor, q: number | readonly number[], dim?: number, keepdim = false): Tensor {
  const qs = typeof q === 'number' ? [q] : [...q];
  check(qs.length > 0 && qs.every((p) => typeof p === 'number' && p >= 0 && p <= 1), 'quantile', () => `q must be a number in [0, 1] or a non-empty list of them, got ${JSON.stringify(q)}`);
  return tidy(() => {
    const [v, d] = along('quantile', x, dim);
    const n = v.shape[d];
    check(n > 0, 'quantile', () => `cannot take a quantile of an empty dim (shape ${fmtShape(x.shape)})`);
    const order = argsort(v, d), nan = isnan(v).any(d, true);
    const at = (i: number) => gather(v, d, narrow(order, d, i, 1));
    const outs = qs.map((p) => {
      const pos = p * (n - 1), lo = Math.floor(pos), hi = Math.min(lo + 1, n - 1), w = pos - lo;
      const r = w === 0 ? at(lo) : at(lo).mul(1 - w).add(at(hi).mul(w));
      const withNan = where(nan, NaN, r);
      if (dim === undefined) return keepdim ? withNan.reshape(x.shape.map(() => 1)) : withNan.reshape([]);
      return keepdim || x.ndim === 0 ? withNan : withNan.squeeze(d);
    });
    return typeof q === 'number' ? outs[0] : stack(outs, 0);
  });
}
