// softmax and logSoftmax along a dim, max-shifted in the kernel. A dim other than the last is
// moved last by a view, computed contiguously, and moved back.
import { softmaxLastK } from '../backend/kernels';
import { Tensor } from '../tensor';
import { normDim } from '../shape';
import { check } from '../util/errors';
import { defineOp, run } from './registry';
import { mul, sub } from './binary';
import { sum } from './reduce';
import { exp } from './unary';

interface Attrs { dim: number }

function alongDim(log: boolean, x: Tensor, dim: number): Tensor {
  const last = x.ndim - 1;
  if (dim === last || x.ndim === 0) return softmaxLastK(log, x);
  const perm = x.shape.map((_, i) => i);
  perm[dim] = last; perm[last] = dim;
  const v = x._view(perm.map((p) => x.shape[p]), perm.map((p) => x.strides[p]), x.offset);
  const y = softmaxLastK(log, v);
  v.dispose();
  const r = y._view(perm.map((p) => y.shape[p]), perm.map((p) => y.strides[p]), 0);
  y.dispose();
  return r;
}

const softmaxOp = defineOp<Attrs>({
  name: 'softmax',
  forward: ([x], { dim }) => alongDim(false, x, dim),
  save: (_, y) => [y],
  // dx = y * (dy - sum(dy * y, dim))
  backward: ({ saved: [y], attrs: { dim } }, dy) => [() => {
    const p = mul(dy, y);
    const s = sum(p, dim, true);
    const d = sub(dy, s);
    const r = mul(y, d);
    p.dispose(); s.dispose(); d.dispose();
    return r;
  }],
});

const logSoftmaxOp = defineOp<Attrs>({
  name: 'logSoftmax',
  forward: ([x], { dim }) => alongDim(true, x, dim),
  save: (_, y) => [y],
  // dx = dy - exp(y) * sum(dy, dim)
  backward: ({ saved: [y], attrs: { dim } }, dy) => [() => {
    const e = exp(y);
    const s = sum(dy, dim, true);
    const p = mul(e, s);
    const r = sub(dy, p);
    e.dispose(); s.dispose(); p.dispose();
    return r;
  }],
});

function checkIn(op: string, x: Tensor): void {
  check(x?._isTensor, op, () => `expected a tensor, got ${typeof x}`);
  x._assertLive(op);
  check(x.dtype === 'float32', op, () => `expected float32, got ${x.dtype}`);
}

export function softmax(x: Tensor, dim = -1): Tensor {
  checkIn('softmax', x);
  return run(softmaxOp, [x], { dim: normDim('softmax', dim, x.ndim) });
}

export function logSoftmax(x: Tensor, dim = -1): Tensor {
  checkIn('logSoftmax', x);
  return run(logSoftmaxOp, [x], { dim: normDim('logSoftmax', dim, x.ndim) });
}
