// ONNX TensorProto -> values and an asgrad Tensor. asgrad has float32, int32 and bool, so FLOAT,
// DOUBLE, FLOAT16 and BFLOAT16 load as float32; every integer type as int32; BOOL as bool.
// int64 values beyond int32 are an error, except the ±2^63 sentinels ("to the end", in Slice
// and friends), which saturate to the int32 limits.
import { tensor } from '../../../creation';
import type { DType } from '../../../dtype';
import type { Tensor } from '../../../tensor';
import { fields, pushDoubles, pushFloats, pushInts, text, type Bytes } from './wire';

/** TensorProto.DataType names, for errors. */
const DATA_TYPES: Record<number, string> = {
  1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64', 8: 'STRING', 9: 'BOOL',
  10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64', 14: 'COMPLEX64', 15: 'COMPLEX128', 16: 'BFLOAT16',
};
export const dataTypeName = (t: number): string => DATA_TYPES[t] ?? `data type ${t}`;

/** The asgrad dtype an ONNX element type loads as, or null when it has none. */
export function dtypeOf(dataType: number): DType | null {
  if (dataType === 1 || dataType === 10 || dataType === 11 || dataType === 16) return 'float32';
  if (dataType === 9) return 'bool';
  if ([2, 3, 4, 5, 6, 7, 12, 13].includes(dataType)) return 'int32';
  return null;
}

export interface TensorData { name: string; dims: number[]; dataType: number; values: Float32Array | Int32Array | Uint8Array }

const INT32_MAX = 2147483647, INT32_MIN = -2147483648, SENTINEL = 2 ** 62;

/** An int64 as int32: the ±2^63 sentinels saturate, any other value outside int32 throws. */
export function toInt32(v: number, what: string): number {
  if (v >= INT32_MIN && v <= INT32_MAX) return v;
  if (Math.abs(v) >= SENTINEL) return v > 0 ? INT32_MAX : INT32_MIN;
  throw new Error(`asgrad.importOnnx: ${what} holds ${v}, outside asgrad's int32 range`);
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 31, m = h & 1023;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Decodes raw little-endian bytes of `dataType` into numbers. */
function fromRaw(raw: Bytes, dataType: number, n: number, what: string): number[] | Float32Array {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const width: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2 };
  if (raw.byteLength !== n * width[dataType]) throw new Error(`asgrad.importOnnx: ${what} has ${raw.byteLength} bytes of raw data for ${n} ${dataTypeName(dataType)} values`);
  if (dataType === 1) return new Float32Array(new Uint8Array(raw).buffer);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    switch (dataType) {
      case 2: case 9: out[i] = dv.getUint8(i); break;
      case 3: out[i] = dv.getInt8(i); break;
      case 4: out[i] = dv.getUint16(2 * i, true); break;
      case 5: out[i] = dv.getInt16(2 * i, true); break;
      case 6: out[i] = dv.getInt32(4 * i, true); break;
      case 12: out[i] = dv.getUint32(4 * i, true); break;
      case 7: out[i] = Number(dv.getBigInt64(8 * i, true)); break;
      case 13: out[i] = Number(dv.getBigUint64(8 * i, true)); break;
      case 10: out[i] = half(dv.getUint16(2 * i, true)); break;
      case 16: out[i] = new Float32Array(Uint32Array.of(dv.getUint16(2 * i, true) << 16).buffer)[0]; break;
      case 11: out[i] = dv.getFloat64(8 * i, true); break;
    }
  }
  return out;
}

/** Decodes one TensorProto message. Throws on external data, strings and other unsupported types. */
export function decodeTensorProto(b: Bytes, fallbackName = 'a tensor'): TensorData {
  let name = '', dataType = 0, raw: Bytes | null = null, external = false;
  const dims: number[] = [], nums: number[] = [];
  for (const f of fields(b)) {
    if (f.no === 1) pushInts(f, dims);
    else if (f.no === 2) dataType = f.value;
    else if (f.no === 8) name = text(f);
    else if (f.no === 9) raw = f.bytes;
    else if (f.no === 4) pushFloats(f, nums);
    else if (f.no === 5 || f.no === 7 || f.no === 11) pushInts(f, nums);
    else if (f.no === 10) pushDoubles(f, nums);
    else if (f.no === 14 && f.value === 1) external = true;
  }
  const what = `tensor '${name || fallbackName}'`;
  if (external) throw new Error(`asgrad.importOnnx: ${what} keeps its data in an external file, which is not supported (save the model with all tensors inside)`);
  const dtype = dtypeOf(dataType);
  if (!dtype) throw new Error(`asgrad.importOnnx: ${what} has element type ${dataTypeName(dataType)}, which asgrad cannot hold (it has float32, int32 and bool)`);
  const n = dims.reduce((a, d) => a * d, 1);
  let vals: number[] | Float32Array;
  if (raw) vals = fromRaw(raw, dataType, n, what);
  else if (dataType === 10) vals = nums.map(half);
  else if (dataType === 16) vals = nums.map((h) => new Float32Array(Uint32Array.of(h << 16).buffer)[0]);
  else vals = nums;
  if (vals.length !== n) throw new Error(`asgrad.importOnnx: ${what} of dims [${dims.join(', ')}] holds ${vals.length} values, expected ${n}`);
  let values: Float32Array | Int32Array | Uint8Array;
  if (dtype === 'float32') values = vals instanceof Float32Array ? vals : Float32Array.from(vals);
  else if (dtype === 'bool') values = Uint8Array.from(vals, (v) => (v ? 1 : 0));
  else values = Int32Array.from(vals, (v) => toInt32(v, what));
  return { name, dims, dataType, values };
}

/** A new Tensor with the data's values (caller owns it). */
export function dataToTensor(d: TensorData): Tensor {
  const dtype = dtypeOf(d.dataType)!;
  return tensor(d.values instanceof Uint8Array ? Int32Array.from(d.values) : d.values, { shape: d.dims, dtype });
}
