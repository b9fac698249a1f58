// Reading tensor values back into JavaScript: always a copy, never a view into wasm memory.
import { getBackend } from './backend/load';
import { copyK } from './backend/kernels';
import type { NestedArray, Tensor, TypedArray } from './tensor';
import { check, fmtShape } from './util/errors';

/** A flat copy in row-major order: Float32Array, Int32Array, or Uint8Array for bool. */
export function readFlat(t: Tensor): TypedArray {
  t._assertLive('data');
  const heap = getBackend().heap;
  const src = t.isContiguous() ? t : copyK(t);
  const start = src._ptr >> 2;
  let out: TypedArray;
  if (t.dtype === 'float32') out = heap.f32().slice(start, start + t.size);
  else if (t.dtype === 'int32') out = heap.i32().slice(start, start + t.size);
  else out = Uint8Array.from(heap.i32().subarray(start, start + t.size));
  if (src !== t) src.dispose();
  return out;
}

export function toNested(t: Tensor): NestedArray {
  const flat = readFlat(t);
  const asValue = (i: number): number | boolean => (t.dtype === 'bool' ? flat[i] !== 0 : flat[i]);
  if (t.ndim === 0) return asValue(0);
  let at = 0;
  const build = (d: number): NestedArray => {
    const n = t.shape[d];
    const row: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) row[i] = d === t.ndim - 1 ? asValue(at++) : build(d + 1);
    return row;
  };
  return build(0);
}

export function item(t: Tensor): number | boolean {
  t._assertLive('item');
  check(t.size === 1, 'item', () => `a tensor with ${t.size} elements (shape ${fmtShape(t.shape)}) cannot be converted to a scalar`);
  const v = readFlat(t)[0];
  return t.dtype === 'bool' ? v !== 0 : v;
}
