// safetensors element types: sizes, the reference writer's dtype order, and conversion of the
// types asgrad does not store (F16, BF16, F64, I64, ...) to float32 / int32 host arrays.
import type { DType } from '../dtype';

export type SafeDType = 'BOOL' | 'U8' | 'I8' | 'I16' | 'U16' | 'F16' | 'BF16' | 'I32' | 'U32' | 'F32' | 'F64' | 'I64' | 'U64';

/** Bytes per element of every dtype we can read. */
export const SAFE_SIZES: Record<SafeDType, number> = {
  BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};

/** Names the format defines that we cannot read (8-bit/4-bit floats). */
export const UNSUPPORTED = ['F4', 'F6_E2M3', 'F6_E3M2', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'C64'];

/** Position in the reference (Rust) Dtype enum; the writer sorts by it, descending, then by name. */
export const SAFE_ORDER: Record<string, number> = {
  BOOL: 0, F4: 1, F6_E2M3: 2, F6_E3M2: 3, U8: 4, I8: 5, F8_E5M2: 6, F8_E4M3: 7, F8_E8M0: 8,
  I16: 9, U16: 10, F16: 11, BF16: 12, I32: 13, U32: 14, F32: 15, F64: 16, I64: 17, U64: 18,
};

export const TO_SAFE: Record<DType, SafeDType> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };

/** The asgrad dtype a stored dtype loads as. */
export function loadedDType(d: SafeDType): DType {
  if (d === 'BOOL') return 'bool';
  if (d === 'F16' || d === 'BF16' || d === 'F32' || d === 'F64') return 'float32';
  return 'int32';
}

let halfTable: Float32Array | null = null;

/** All 65536 half-precision values as float32 (built once, 256 KB). */
function halfs(): Float32Array {
  if (halfTable) return halfTable;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    t[h] = e === 0 ? sign * m * 2 ** -24 : e === 31 ? (m ? NaN : sign * Infinity) : sign * (1 + m / 1024) * 2 ** (e - 15);
  }
  return (halfTable = t);
}

/**
 * Converts `n` little-endian elements of `dtype` at `bytes` into a float32 or int32 array.
 * `where` names the tensor for errors (I64/U32/U64 values outside int32).
 */
export function convertElements(bytes: Uint8Array, dtype: SafeDType, n: number, where: string): Float32Array | Int32Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F16': {
      const t = halfs(); const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = t[dv.getUint16(2 * i, true)];
      return out;
    }
    case 'BF16': {
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = dv.getUint16(2 * i, true) << 16;
      return new Float32Array(bits.buffer);
    }
    case 'F64': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, true);
      return out;
    }
    case 'I64': case 'U64': case 'U32': {
      const out = new Int32Array(n);
      const w = SAFE_SIZES[dtype];
      for (let i = 0; i < n; i++) {
        const lo = dv.getUint32(w * i, true);
        const hi = w === 8 ? dv.getInt32(w * i + 4, true) : 0;
        const ok = dtype === 'I64' ? hi === (lo & 0x80000000 ? -1 : 0) : hi === 0 && lo < 0x80000000;
        if (!ok) {
          const v = w === 8 ? (dtype === 'I64' ? dv.getBigInt64(w * i, true) : dv.getBigUint64(w * i, true)) : BigInt(lo);
          throw new Error(`asgrad.decodeSafetensors: ${where}: ${dtype} value ${v} at element ${i} does not fit in int32 (asgrad stores integers as int32)`);
        }
        out[i] = lo | 0;
      }
      return out;
    }
    case 'I16': { const out = new Int32Array(n); for (let i = 0; i < n; i++) out[i] = dv.getInt16(2 * i, true); return out; }
    case 'U16': { const out = new Int32Array(n); for (let i = 0; i < n; i++) out[i] = dv.getUint16(2 * i, true); return out; }
    case 'I8': { const out = new Int32Array(n); for (let i = 0; i < n; i++) out[i] = dv.getInt8(i); return out; }
    case 'U8': return Int32Array.from(bytes.subarray(0, n));
    case 'BOOL': return Int32Array.from(bytes.subarray(0, n), (b) => (b ? 1 : 0));
    default: throw new Error(`asgrad.decodeSafetensors: ${where}: no conversion for ${dtype}`);
  }
}
