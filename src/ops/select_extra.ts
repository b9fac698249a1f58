// repeatInterleave with torch's semantics: the positions are computed on the host (int32, asgrad's
// index dtype); the values are an indexSelect of x, so gradients flow back through it.
import { arange, fromFlat } from '../creation';
import { tidy } from '../memory';
import type { Tensor } from '../tensor';
import { normDim } from '../shape';
import { check, fmtShape } from '../util/errors';
import { indexSelect } from './indexing';
import { reshape } from './movement';
import { live } from './linalg_extra';

const ints = (v: number[]) => fromFlat(v, [v.length], 'int32');

/**
 * Each element (slice along dim) repeated `repeats` times, or repeats[i] times for the i-th
 * (torch.repeat_interleave); without dim, x is flattened. `repeatInterleave(counts)` with an int32
 * counts tensor gives the indices 0…n−1 repeated by counts.
 * @example
 * repeatInterleave(tensor([1, 2]), 2) // [1, 1, 2, 2]
 */
export function repeatInterleave(x: Tensor, repeats?: number | Tensor, dim?: number): Tensor {
  const op = 'repeatInterleave';
  live(op, [x]);
  if (repeats === undefined) return tidy(() => repeatInterleave(arange(x.size, { dtype: 'int32' }), x));
  return tidy(() => {
    const flat = dim === undefined || x.ndim === 0, src = flat ? reshape(x, [-1]) : x, d = flat ? 0 : normDim(op, dim, x.ndim), n = src.shape[d];
    const t = typeof repeats !== 'number';
    if (t) live(op, [repeats]);
    let r = t ? [...repeats.data()] : [repeats];
    if (r.length === 1) r = Array<number>(n).fill(r[0]);
    check((!t || repeats.dtype === 'int32') && r.length === n && r.every((k) => Number.isInteger(k) && k >= 0), op,
      () => `repeats must be a non-negative integer or an int32 tensor of 1 or ${n} entries, got ${t ? `${repeats.dtype} of shape ${fmtShape(repeats.shape)}` : repeats}`);
    return indexSelect(src, d, ints(r.flatMap((k, i) => Array<number>(k).fill(i))));
  });
}
