// TensorFlow.js weights manifests: the specs (name, shape, dtype, optional quantization) and the
// decoding of the concatenated shard bytes into typed arrays, as tfjs-core's io_utils.decodeWeights
// (uint8/uint16 -> v * scale + min, float16 -> float32 bit-exactly; int32 rounds). No tensors here.
import { check } from './loader_deps';

export interface Quantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
  original_dtype?: string;
}

/** One weight of a manifest, as tfjs's WeightsManifestEntry. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: Quantization;
  group?: string;
}

/** One group of a weightsManifest: its shard files (concatenated in order) and the weights they hold. */
export interface WeightsGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** A decoded weight: values in row-major order. bool weights decode to 0/1 bytes. */
export interface DecodedWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  values: Float32Array | Int32Array | Uint8Array;
}

const OP = 'loadLayersModel';
const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Every group's specs in order (tfjs's getWeightSpecs): the order of the concatenated weight data. */
export function manifestSpecs(manifest: WeightsGroup[]): WeightSpec[] {
  check(Array.isArray(manifest), OP, () => `weightsManifest must be an array of { paths, weights } groups, got ${typeof manifest}`);
  return manifest.flatMap((g, i) => {
    check(Array.isArray(g?.paths) && Array.isArray(g?.weights), OP, () => `weightsManifest[${i}] must be { paths: string[], weights: [...] }, got ${JSON.stringify(g)?.slice(0, 200)}`);
    return g.weights;
  });
}

/** The bytes as one ArrayBuffer (tfjs accepts an ArrayBuffer or an array of them, concatenated). */
export function concatBuffers(data: ArrayBuffer | ArrayBufferView | (ArrayBuffer | ArrayBufferView)[]): Uint8Array {
  const parts = (Array.isArray(data) ? data : [data]).map((d, i) => {
    if (d instanceof ArrayBuffer) return new Uint8Array(d);
    check(ArrayBuffer.isView(d), OP, () => `weightData${Array.isArray(data) ? `[${i}]` : ''} must be an ArrayBuffer or a typed array, got ${d === null ? 'null' : typeof d}`);
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  });
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.byteLength; }
  return out;
}

/** Bytes of one weight in the data (quantized ones take their quantized size). */
function byteLength(spec: WeightSpec, size: number): number {
  const dt = spec.quantization ? spec.quantization.dtype : spec.dtype;
  const b = BYTES[dt];
  check(b !== undefined && (spec.quantization ? dt !== 'float32' && dt !== 'int32' && dt !== 'bool' : dt !== 'uint8' && dt !== 'uint16' && dt !== 'float16'), OP, () =>
    spec.quantization
      ? `weight '${spec.name}' has unknown quantization dtype ${JSON.stringify(dt)} (supported: 'uint8', 'uint16', 'float16')`
      : `weight '${spec.name}' has unsupported dtype ${JSON.stringify(dt)} (supported: float32, int32, bool)`);
  return size * b;
}

/** A copy of bytes [at, at + n) as its own ArrayBuffer (so typed views are aligned). */
function slice(bytes: Uint8Array, at: number, n: number): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + n) as ArrayBuffer;
}

/**
 * Decodes `specs` from `data` (the weight bytes, in spec order). Throws naming the weight when the
 * data is too short, a dtype or quantization is unsupported, and when bytes are left over.
 */
export function decodeWeights(data: ArrayBuffer | ArrayBufferView | (ArrayBuffer | ArrayBufferView)[], specs: WeightSpec[]): DecodedWeight[] {
  const bytes = concatBuffers(data);
  check(Array.isArray(specs), OP, () => `weightSpecs must be an array, got ${typeof specs}`);
  const out: DecodedWeight[] = [];
  let offset = 0;
  for (const spec of specs) {
    check(typeof spec?.name === 'string' && Array.isArray(spec.shape) && spec.shape.every((d) => Number.isInteger(d) && d >= 0), OP, () =>
      `a weight spec needs a name and a shape of non-negative integers, got ${JSON.stringify(spec)}`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const n = byteLength(spec, size);
    check(offset + n <= bytes.byteLength, OP, () =>
      `the weight data ends at byte ${bytes.byteLength} but weight '${spec.name}' (${spec.quantization?.dtype ?? spec.dtype} [${spec.shape.join(', ')}]) needs bytes ${offset}..${offset + n}: a shard is missing or truncated`);
    out.push({ name: spec.name, shape: [...spec.shape], dtype: spec.dtype as DecodedWeight['dtype'], values: decodeOne(spec, slice(bytes, offset, n)) });
    offset += n;
  }
  check(offset === bytes.byteLength, OP, () => `the weight data has ${bytes.byteLength} bytes but the manifest describes ${offset}: the shards do not match the manifest`);
  return out;
}

function decodeOne(spec: WeightSpec, buf: ArrayBuffer): Float32Array | Int32Array | Uint8Array {
  const q = spec.quantization;
  if (!q) return spec.dtype === 'float32' ? new Float32Array(buf) : spec.dtype === 'int32' ? new Int32Array(buf) : new Uint8Array(buf);
  if (q.dtype === 'float16') {
    check(spec.dtype === 'float32', OP, () => `weight '${spec.name}' is quantized with float16, which only supports float32 weights, not ${spec.dtype}`);
    return float16ToFloat32(new Uint16Array(buf));
  }
  check(typeof q.scale === 'number' && typeof q.min === 'number', OP, () =>
    `weight '${spec.name}' with quantization ${q.dtype} lacks numeric min and scale (got ${JSON.stringify(q)})`);
  const qs = q.dtype === 'uint8' ? new Uint8Array(buf) : new Uint16Array(buf);
  const { scale, min } = q as { scale: number; min: number };
  if (spec.dtype === 'float32') {
    const v = new Float32Array(qs.length);
    for (let i = 0; i < qs.length; i++) v[i] = qs[i] * scale + min;
    return v;
  }
  check(spec.dtype === 'int32', OP, () => `weight '${spec.name}' has dtype ${spec.dtype}, which cannot be quantized (float32 or int32 only)`);
  const v = new Int32Array(qs.length);
  for (let i = 0; i < qs.length; i++) v[i] = Math.round(qs[i] * scale + min);
  return v;
}

let f16Tables: { mantissa: Uint32Array; exponent: Uint32Array; offset: Uint32Array } | null = null;

/** tfjs's getFloat16Decoder (fox-toolkit's table method): exact, including subnormals, inf and NaN. */
export function float16ToFloat32(h: Uint16Array): Float32Array {
  if (!f16Tables) {
    const mantissa = new Uint32Array(2048);
    for (let i = 1; i < 1024; i++) {
      let m = i << 13, e = 0;
      while ((m & 0x00800000) === 0) { e -= 0x00800000; m <<= 1; }
      m &= ~0x00800000;
      e += 0x38800000;
      mantissa[i] = m | e;
    }
    for (let i = 1024; i < 2048; i++) mantissa[i] = 0x38000000 + ((i - 1024) << 13);
    const exponent = new Uint32Array(64);
    exponent[31] = 0x47800000; exponent[32] = 0x80000000; exponent[63] = 0xc7800000;
    for (let i = 1; i < 31; i++) exponent[i] = i << 23;
    for (let i = 33; i < 63; i++) exponent[i] = 0x80000000 + ((i - 32) << 23);
    const offset = new Uint32Array(64).fill(1024);
    offset[0] = offset[32] = 0;
    f16Tables = { mantissa, exponent, offset };
  }
  const { mantissa, exponent, offset } = f16Tables;
  const bits = new Uint32Array(h.length);
  for (let i = 0; i < h.length; i++) bits[i] = mantissa[offset[h[i] >> 10] + (h[i] & 0x3ff)] + exponent[h[i] >> 10];
  return new Float32Array(bits.buffer);
}
