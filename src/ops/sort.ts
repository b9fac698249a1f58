// Sorting along one dim (argsort, sort, topk) and running sums (cumsum), with torch's semantics:
// stable sorts, NaN larger than every number, topk's values in sorted order. Sorted values are a
// gather of x by the sorted positions, so their gradient flows back through gather's.
import { withContiguous } from '../backend/kernels';
import { getBackend } from '../backend/load';
import { Tensor } from '../tensor';
import { axisSplit, normDim } from '../shape';
import { check, fmtShape } from '../util/errors';
import { defineOp, run, type OpDef } from './registry';
import { gather } from './indexing';
import { clone, narrow } from './movement';

function checkInput(op: string, x: Tensor): void {
  check(x?._isTensor, op, () => `expected a tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
  check(x.dtype === 'float32', op, () => `expected a float32 tensor, got ${x.dtype} (cast with .float())`);
}

/** Positions that sort x along dim (int32, x's shape): stable, ascending unless `descending`. */
export function argsort(x: Tensor, dim = -1, descending = false): Tensor {
  return argsortAs('argsort', x, dim, descending);
}

/** argsort, its errors naming `op` (the caller: sort and topk run it). */
function argsortAs(op: string, x: Tensor, dim: number, descending: boolean): Tensor {
  checkInput(op, x);
  const d = normDim(op, dim, x.ndim);
  const out = Tensor._empty(x.shape, 'int32');
  if (x.size === 0) return out;
  const [outer, len, inner] = x.ndim === 0 ? [1, 1, 1] : axisSplit(x.shape, d);
  const { k, heap } = getBackend();
  const bytes = 8 * len, scratch = heap.alloc(bytes);
  try {
    withContiguous(x, (c) => k.argsort_f32(out._ptr, c._ptr, outer, len, inner, descending ? 1 : 0, scratch));
  } finally { heap.release(scratch, bytes); }
  return out;
}

/** [values, indices] of x sorted along dim (torch.sort with stable = true). */
export function sort(x: Tensor, dim = -1, descending = false): [Tensor, Tensor] {
  const idx = argsortAs('sort', x, dim, descending);
  if (x.ndim === 0) return [clone(x), idx]; // a 0-d tensor sorted is itself (a copy, in the graph)
  return [gather(x, dim, idx), idx];
}

/** [values, indices] of the k largest (or smallest) entries along dim, in sorted order (torch.topk;
 *  ties keep their order in x). */
export function topk(x: Tensor, k: number, dim = -1, largest = true): [Tensor, Tensor] {
  checkInput('topk', x);
  const d = normDim('topk', dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d];
  check(Number.isInteger(k) && k >= 0 && k <= n, 'topk', () => `k must be an integer from 0 to ${n} (the size of dim ${dim} of shape ${fmtShape(x.shape)}), got ${k}`);
  const all = argsortAs('topk', x, d, largest);
  if (x.ndim === 0) return [clone(x), all];
  const first = narrow(all, d, 0, k);
  all.dispose();
  const values = gather(x, d, first);
  return [values, first];
}


interface ScanAttrs { dim: number; reverse: boolean }

const cumsumOp: OpDef<ScanAttrs> = defineOp<ScanAttrs>({
  name: 'cumsum',
  forward: ([x], { dim, reverse }) => withContiguous(x, (c) => {
    const out = Tensor._empty(x.shape, 'float32');
    if (x.size === 0) return out;
    const [outer, len, inner] = x.ndim === 0 ? [1, 1, 1] : axisSplit(x.shape, dim);
    getBackend().k.cumsum_f32(out._ptr, c._ptr, outer, len, inner, reverse ? 1 : 0);
    return out;
  }),
  // d(out[j])/d(x[i]) = 1 for i <= j: the gradient is the running sum of dy from the other end.
  backward: ({ attrs: { dim, reverse } }, dy) => [() => run(cumsumOp, [dy], { dim, reverse: !reverse })],
});

/** Running sums along dim (torch.cumsum; float32, accumulated in float64 as PyTorch's CPU kernel). */
export function cumsum(x: Tensor, dim: number): Tensor {
  checkInput('cumsum', x);
  check(dim !== undefined, 'cumsum', () => 'expected a dim (torch.cumsum requires one)');
  return run(cumsumOp, [x], { dim: normDim('cumsum', dim, x.ndim), reverse: false });
}
