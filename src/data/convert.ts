// Bytes from data files into tensors: the bytes are copied into wasm memory once and widened by a
// kernel (u8_to_f32_scaled, u8_to_i32), so no per-element loop runs in JavaScript.
import { getBackend } from '../backend/load';
import { Tensor } from '../tensor';
import { sizeOf } from '../shape';

function widen(bytes: Uint8Array, shape: readonly number[], dtype: 'float32' | 'int32', scale: number): Tensor {
  const n = sizeOf(shape);
  if (bytes.length !== n) throw new Error(`asgrad.data: ${bytes.length} bytes cannot fill shape [${shape.join(', ')}] (${n} elements)`);
  const out = Tensor._empty(shape, dtype);
  if (n === 0) return out;
  const { heap, k } = getBackend();
  const p = heap.alloc(n);
  heap.u8().set(bytes, p); // fetched after both allocations: growth detaches views
  if (dtype === 'float32') k.u8_to_f32_scaled(out._ptr, p, n, scale);
  else k.u8_to_i32(out._ptr, p, n);
  heap.release(p, n);
  return out;
}

/** A float32 tensor of `shape` with out[i] = bytes[i] * scale (e.g. scale 1/255 for pixels). */
export function u8ToFloat32(bytes: Uint8Array, shape: readonly number[], scale = 1): Tensor {
  return widen(bytes, shape, 'float32', scale);
}

/** An int32 tensor of `shape` with out[i] = bytes[i] (labels). */
export function u8ToInt32(bytes: Uint8Array, shape: readonly number[]): Tensor {
  return widen(bytes, shape, 'int32', 1);
}

/** A fresh tensor holding a copy of raw little-endian 32-bit element bytes (float32/int32/bool). */
export function rawToTensor(bytes: Uint8Array, shape: readonly number[], dtype: 'float32' | 'int32' | 'bool'): Tensor {
  const out = Tensor._empty(shape, dtype);
  if (bytes.length !== out.size * 4) {
    out.dispose();
    throw new Error(`asgrad.data: ${bytes.length} bytes cannot fill shape [${shape.join(', ')}] of 4-byte ${dtype}`);
  }
  getBackend().heap.u8().set(bytes, out._ptr);
  return out;
}

/** An int32 tensor copied from an Int32Array (indices). */
export function indexTensor(idx: Int32Array): Tensor {
  const out = Tensor._empty([idx.length], 'int32');
  getBackend().heap.i32().set(idx, out._ptr >> 2);
  return out;
}
