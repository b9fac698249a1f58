// In-place writes into existing tensors (parameters, buffers, optimizer state) that keep their
// identity: the storage is overwritten, the Tensor object and its .grad stay. Never recorded.
import { castK, copyInto, copyK, fillK } from '../backend/kernels';
import { Tensor } from '../tensor';
import { expand } from '../ops/movement';
import { noGrad } from '../autograd';
import { broadcastShapes } from '../shape';
import { check, fmtShape } from '../util/errors';

/**
 * dst[...] = src (torch's `with no_grad(): dst.copy_(src)`). `src` is a number or a tensor that
 * broadcasts to dst's shape; its dtype is converted to dst's. `src` may alias dst (a copy is
 * made first). NOTE: like PyTorch without version counters, graphs that saved dst for backward
 * see the new values.
 * @example
 * assign(linear.weight, tensor([[1, 2], [3, 4]]));
 */
export function assign(dst: Tensor, src: Tensor | number, op = 'assign'): Tensor {
  check(dst?._isTensor, op, () => `destination must be a tensor, got ${typeof dst}`);
  dst._assertLive(op);
  if (typeof src === 'number') return dst.isContiguous() ? fillK(dst, src) : fillStrided(dst, src);
  check(src?._isTensor, op, () => `source must be a tensor or a number, got ${src === null ? 'null' : typeof src}`);
  src._assertLive(op);
  const shape = broadcastShapes(op, src.shape, dst.shape);
  check(shape.length === dst.ndim && shape.every((d, i) => d === dst.shape[i]), op, () =>
    `cannot copy a tensor of shape ${fmtShape(src.shape)} into one of shape ${fmtShape(dst.shape)}`);
  noGrad(() => {
    const temps: Tensor[] = [];
    let s = src;
    if (s.dtype !== dst.dtype) { s = castK(s, dst.dtype); temps.push(s); }
    else if (s._storage === dst._storage) { s = copyK(s); temps.push(s); }
    const e = expand(s, dst.shape);
    if (e !== s) temps.push(e);
    copyInto(dst, e);
    for (const t of temps) t.dispose();
  });
  return dst;
}

function fillStrided(dst: Tensor, value: number): Tensor {
  const c = fillK(Tensor._empty([], dst.dtype), value);
  assign(dst, c);
  c.dispose();
  return dst;
}
