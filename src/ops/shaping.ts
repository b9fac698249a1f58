// Shape sugar composed from reshape and cat (no backward of their own); split/chunk/unbind live in split.ts.
import { Tensor } from '../tensor';
import { normDim } from '../shape';
import { check, fmtShape } from '../util/errors';
import { cat, reshape } from './movement';

export { split, chunk, unbind } from './split';

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim('flatten', startDim, x.ndim), e = normDim('flatten', endDim, x.ndim);
  check(s <= e, 'flatten', () => `startDim ${startDim} comes after endDim ${endDim}`);
  const mid = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), mid, ...x.shape.slice(e + 1)]);
}

/** Removes size-1 dims (all of them, or the given ones; a given dim of size != 1 is left alone, as PyTorch). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims = dim === undefined ? null : (typeof dim === 'number' ? [dim] : [...dim]).map((d) => normDim('squeeze', d, x.ndim));
  return reshape(x, x.shape.filter((s, i) => s !== 1 || (dims !== null && !dims.includes(i))));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim('unsqueeze', dim, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return reshape(x, shape);
}

export function stack(xs: readonly Tensor[], dim = 0): Tensor {
  check(Array.isArray(xs) && xs.length > 0, 'stack', () => 'expected a non-empty array of tensors');
  for (const t of xs) {
    check(t.ndim === xs[0].ndim && t.shape.every((s: number, i: number) => s === xs[0].shape[i]), 'stack', () =>
      `all tensors must have the same shape, got ${xs.map((x) => fmtShape(x.shape)).join(' and ')}`);
  }
  const d = normDim('stack', dim, xs[0].ndim + 1);
  if (d < xs[0].ndim) {
    // cat along d lays the inputs out as blocks of shape[d]: the new dim is a reshape (view) away.
    const c = cat(xs, d);
    const shape = [...xs[0].shape];
    shape.splice(d, 0, xs.length);
    const r = reshape(c, shape);
    c.dispose();
    return r;
  }
  const us = xs.map((t) => unsqueeze(t, d));
  const r = cat(us, d);
  for (const u of us) u.dispose();
  return r;
}
