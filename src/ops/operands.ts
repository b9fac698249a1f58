// Turning op arguments into tensors: scalars become 0-d tensors of a matching dtype, mixed
// dtypes are promoted (int32/bool to float32), and both sides are broadcast with expand.
import { castK } from '../backend/kernels';
import { promote, type DType } from '../dtype';
import { fromFlat } from '../creation';
import { Tensor } from '../tensor';
import { broadcastShapes } from '../shape';
import { check } from '../util/errors';
import { expand } from './movement';
import { transient } from '../memory';

export type TensorLike = Tensor | number | boolean;

export function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && (x as { _isTensor?: boolean })._isTensor === true;
}

/** Broadcast operands plus the temporaries created for them (dispose after the op ran). */
export interface Operands { a: Tensor; b: Tensor; temps: Tensor[] }

function toTensor(op: string, x: TensorLike, other: TensorLike): Tensor {
  if (isTensor(x)) return x;
  check(typeof x === 'number' || typeof x === 'boolean', op, () => `expected a tensor or a number, got ${x === null ? 'null' : typeof x}`);
  const v = Number(x);
  const otherT = isTensor(other) ? other.dtype : 'float32';
  const dtype: DType = otherT === 'float32' || !Number.isInteger(v) ? 'float32' : otherT === 'bool' && typeof x === 'boolean' ? 'bool' : 'int32';
  return fromFlat([v], [], dtype);
}

/**
 * Converts, promotes to `dtype` (or the common dtype) and broadcasts a and b. The temporaries are
 * transient (not armed for GC): the caller must dispose them, in a finally.
 */
export function operands(op: string, x: TensorLike, y: TensorLike, force?: DType): Operands {
  const temps: Tensor[] = [];
  if (isTensor(x)) x._assertLive(op);
  if (isTensor(y)) y._assertLive(op);
  transient.depth++;
  try {
    let a = toTensor(op, x, y), b = toTensor(op, y, x);
    if (a !== x) temps.push(a);
    if (b !== y) temps.push(b);
    const dtype = force ?? promote(a.dtype, b.dtype);
    if (a.dtype !== dtype) { a = castK(a, dtype); temps.push(a); }
    if (b.dtype !== dtype) { b = castK(b, dtype); temps.push(b); }
    const shape = broadcastShapes(op, a.shape, b.shape);
    const ea = expand(a, shape), eb = expand(b, shape);
    if (ea !== a) temps.push(ea);
    if (eb !== b) temps.push(eb);
    return { a: ea, b: eb, temps };
  } catch (e) {
    disposeAll(temps);
    throw e;
  } finally {
    transient.depth--;
  }
}

export function disposeAll(ts: Tensor[]): void {
  for (const t of ts) t.dispose();
}
