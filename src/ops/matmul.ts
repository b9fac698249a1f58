// Matrix products, torch.matmul semantics: 1-D operands are promoted (and the added dim removed),
// batch dims broadcast (expand: its backward sums), transposed operands reach the GEMM as
// strides, never as copies.
import { matmulK } from '../backend/kernels';
import { Tensor } from '../tensor';
import { broadcastShapes } from '../shape';
import { check, fmtShape } from '../util/errors';
import { defineOp, run } from './registry';
import { expand, reshape, transpose } from './movement';

const matmulOp = defineOp<object>({
  name: 'matmul',
  forward: ([a, b]) => matmulK(a, b),
  save: ([a, b]) => [a, b],
  backward: ({ saved: [a, b] }, dy) => [
    () => { const bt = transpose(b, -2, -1); const r = matmul(dy, bt); bt.dispose(); return r; },
    () => { const at = transpose(a, -2, -1); const r = matmul(at, dy); at.dispose(); return r; },
  ],
});

/**
 * a @ b. Shapes: [K]x[K] -> [], [M,K]x[K] -> [M], [K]x[K,N] -> [N], [...,M,K]x[...,K,N] -> [...,M,N].
 * @example
 * const y = matmul(x, w.transpose(0, 1)); // x [B, in], w [out, in] -> [B, out]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  check(a?._isTensor && b?._isTensor, 'matmul', () => 'expected two tensors');
  a._assertLive('matmul'); b._assertLive('matmul');
  check(a.dtype === 'float32' && b.dtype === 'float32', 'matmul', () => `expected float32 operands, got ${a.dtype} and ${b.dtype}`);
  check(a.ndim >= 1 && b.ndim >= 1, 'matmul', () => `both operands need at least 1 dim, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const temps: Tensor[] = [];
  const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.shape[0], 1]) : b;
  if (a2 !== a) temps.push(a2);
  if (b2 !== b) temps.push(b2);
  const K = a2.shape[a2.ndim - 1];
  check(K === b2.shape[b2.ndim - 2], 'matmul', () =>
    `shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be multiplied (${K} != ${b2.shape[b2.ndim - 2]})`);
  // Plain 2-D products (the common case) need no broadcasting of batch dims.
  const plain = a2.ndim === 2 && b2.ndim === 2;
  const batch = plain ? [] : broadcastShapes('matmul', a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const ea = plain ? a2 : expand(a2, [...batch, a2.shape[a2.ndim - 2], K]);
  const eb = plain ? b2 : expand(b2, [...batch, K, b2.shape[b2.ndim - 1]]);
  if (ea !== a2) temps.push(ea);
  if (eb !== b2) temps.push(eb);
  let out = run(matmulOp, [ea, eb], {});
  if (a.ndim === 1 || b.ndim === 1) {
    const shape = [...batch, ...(a.ndim === 1 ? [] : [a.shape[a.ndim - 2]]), ...(b.ndim === 1 ? [] : [b.shape[b.ndim - 1]])];
    const r = reshape(out, shape);
    out.dispose();
    out = r;
  }
  for (const t of temps) t.dispose();
  return out;
}
