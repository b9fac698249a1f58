// The safetensors format (huggingface/safetensors): 8-byte little-endian u64 header length N,
// N bytes of UTF-8 JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {..}}
// padded with spaces to a multiple of 8, then the raw little-endian row-major tensor bytes.
// Writes F32 / I32 / BOOL; reads those plus F16, BF16, F64 (as float32) and I64, U32, U64, I16,
// U16, I8, U8 (as int32, range-checked). Decoding validates everything before creating tensors.
import type { Tensor } from '../tensor';
import { getBackend } from '../backend/load';
import { withContiguous } from '../backend/kernels';
import { dispose } from '../memory';
import { readFlat } from '../read';
import { fmtShape } from '../util/errors';
import { rawToTensor } from '../data/convert';
import { convertElements, loadedDType, SAFE_ORDER, SAFE_SIZES, TO_SAFE, UNSUPPORTED, type SafeDType } from './dtypes';

/** Tensors by name: a plain object (as nn.Module.stateDict() returns) or a Map. */
export type NamedTensors = Record<string, Tensor> | Map<string, Tensor>;

/** The reference implementation's limit on the header size. */
const MAX_HEADER = 100_000_000;

function fail(op: string, msg: string): never {
  throw new Error(`asgrad.${op}: ${msg}`);
}

/** Reference order: byte-wise UTF-8 order of names (code point order). */
function compareNames(a: string, b: string): number {
  const ca = [...a], cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i].codePointAt(0)! - cb[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/**
 * Serializes tensors (float32 -> F32, int32 -> I32, bool -> BOOL) and optional string metadata.
 * Data is laid out as the reference writer does it: by dtype (F32, then I32, then BOOL), then by
 * name; the header lists `__metadata__` first, then the tensors in data order.
 * @example
 * const bytes = encodeSafetensors(model.stateDict(), { format: 'pt' });
 */
export function encodeSafetensors(tensors: NamedTensors, metadata?: Record<string, string>): Uint8Array {
  const op = 'encodeSafetensors';
  if (tensors === null || typeof tensors !== 'object') fail(op, `expected an object or Map of name -> tensor, got ${tensors === null ? 'null' : typeof tensors}`);
  const entries = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))];
  for (const [name, t] of entries) {
    if (typeof name !== 'string' || name.length === 0) fail(op, `tensor names must be non-empty strings, got ${JSON.stringify(name)}`);
    if (name === '__metadata__') fail(op, "'__metadata__' is reserved for the metadata and cannot name a tensor");
    if (!(t as Tensor)?._isTensor) fail(op, `value for '${name}' is not a tensor (got ${t === null ? 'null' : typeof t})`);
    t._assertLive(op);
    if (!(t.dtype in TO_SAFE)) fail(op, `'${name}' has unsupported dtype ${t.dtype}`);
  }
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) fail(op, `metadata must be an object of string values, got ${metadata === null ? 'null' : typeof metadata}`);
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') fail(op, `metadata['${k}'] must be a string, got ${typeof v} (JSON.stringify it first)`);
  }
  entries.sort(([an, at], [bn, bt]) => SAFE_ORDER[TO_SAFE[bt.dtype]] - SAFE_ORDER[TO_SAFE[at.dtype]] || compareNames(an, bn));

  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header.__metadata__ = metadata;
  let offset = 0;
  const sizes = entries.map(([name, t]) => {
    const nbytes = t.size * (t.dtype === 'bool' ? 1 : 4);
    header[name] = { dtype: TO_SAFE[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + nbytes] };
    offset += nbytes;
    return nbytes;
  });
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, padded, true);
  dv.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  json = new Uint8Array(0);

  let at = 8 + padded;
  entries.forEach(([, t], i) => {
    if (t.dtype === 'bool') out.set(readFlat(t) as Uint8Array, at);
    else if (t.size > 0) withContiguous(t, (c) => out.set(getBackend().heap.u8().subarray(c._ptr, c._ptr + sizes[i]), at));
    at += sizes[i];
  });
  return out;
}

interface Entry { name: string; dtype: SafeDType; shape: number[]; begin: number; end: number }

/** Reads and validates the header; returns the entries (data order), metadata and data start. */
export function readSafetensorsHeader(input: Uint8Array | ArrayBuffer): { entries: Entry[]; metadata: Record<string, string> | null; dataStart: number; bytes: Uint8Array } {
  const op = 'decodeSafetensors';
  const bytes = input instanceof Uint8Array ? input : input instanceof ArrayBuffer ? new Uint8Array(input) : fail(op, `expected a Uint8Array or ArrayBuffer, got ${input === null ? 'null' : typeof input}`);
  if (bytes.length < 8) fail(op, `truncated file: ${bytes.length} bytes, expected at least 8 (the header length)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint32(0, true) + dv.getUint32(4, true) * 2 ** 32;
  if (n > MAX_HEADER) fail(op, `header length ${n} exceeds the ${MAX_HEADER}-byte limit (not a safetensors file?)`);
  if (n > bytes.length - 8) fail(op, `header length ${n} goes beyond the end of the file (${bytes.length} bytes, so at most ${bytes.length - 8}); the file is truncated or not safetensors`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail(op, 'the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(op, `the header must be a JSON object starting with '{', got ${JSON.stringify(text.slice(0, 20))}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(op, `the header is not valid JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail(op, 'the header must be a JSON object');
  let metadata: Record<string, string> | null = null;
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (info === null || typeof info !== 'object' || Array.isArray(info)) fail(op, '__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(info)) if (typeof v !== 'string') fail(op, `__metadata__['${k}'] must be a string, got ${JSON.stringify(v)}`);
      metadata = info as Record<string, string>;
      continue;
    }
    if (name === '__proto__') fail(op, "a tensor named '__proto__' is not supported");
    const e = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e === null || typeof e !== 'object') fail(op, `tensor '${name}': expected {dtype, shape, data_offsets}, got ${JSON.stringify(info)}`);
    const dtype = e.dtype as string;
    if (typeof dtype !== 'string' || !(dtype in SAFE_SIZES)) {
      fail(op, `tensor '${name}': ${UNSUPPORTED.includes(dtype) ? 'unsupported' : 'unknown'} dtype ${JSON.stringify(e.dtype)} (readable: ${Object.keys(SAFE_SIZES).join(', ')})`);
    }
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(op, `tensor '${name}': shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && d >= 0) || off[0] > off[1]) {
      fail(op, `tensor '${name}': data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(off)}`);
    }
    const count = shape.reduce((a: number, b: number) => a * b, 1);
    const want = count * SAFE_SIZES[dtype as SafeDType];
    if (off[1] - off[0] !== want) {
      fail(op, `tensor '${name}': shape ${fmtShape(shape)} of ${dtype} needs ${want} bytes, but data_offsets [${off[0]}, ${off[1]}] span ${off[1] - off[0]}`);
    }
    entries.push({ name, dtype: dtype as SafeDType, shape, begin: off[0], end: off[1] });
  }
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let prev = 0;
  let prevName = '';
  for (const e of entries) {
    if (e.end > dataLen) fail(op, `tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] go beyond the data buffer (${dataLen} bytes after the header); the file is truncated`);
    if (e.begin < prev) fail(op, `tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] overlap the previous tensor '${prevName}' (which ends at ${prev})`);
    if (e.begin > prev) fail(op, `tensor '${e.name}': data_offsets begin at ${e.begin}, leaving a gap after ${prevName ? `'${prevName}' (ends at ${prev})` : 'the start of the data'}; tensors must be contiguous`);
    prev = e.end;
    prevName = e.name;
  }
  if (prev !== dataLen) fail(op, `the tensors cover ${prev} bytes but the data buffer after the header has ${dataLen}; the file has trailing bytes or a wrong header`);
  return { entries, metadata, dataStart, bytes };
}

/**
 * Parses safetensors bytes into new tensors (the caller owns them) and the metadata.
 * F32/I32/BOOL load as float32/int32/bool; F16/BF16/F64 convert to float32, I64/U32/U64/I16/
 * U16/I8/U8 to int32 (values outside int32 are an error).
 */
export function decodeSafetensors(input: Uint8Array | ArrayBuffer): { tensors: Record<string, Tensor>; metadata: Record<string, string> | null } {
  const { entries, metadata, dataStart, bytes } = readSafetensorsHeader(input);
  const tensors: Record<string, Tensor> = {};
  try {
    for (const e of entries) {
      const raw = bytes.subarray(dataStart + e.begin, dataStart + e.end);
      const dtype = loadedDType(e.dtype);
      if (e.dtype === 'F32' || e.dtype === 'I32') tensors[e.name] = rawToTensor(raw, e.shape, dtype);
      else {
        const vals = convertElements(raw, e.dtype, raw.length / SAFE_SIZES[e.dtype], `tensor '${e.name}'`);
        tensors[e.name] = rawToTensor(new Uint8Array(vals.buffer, vals.byteOffset, vals.byteLength), e.shape, dtype);
      }
    }
  } catch (err) {
    dispose(Object.values(tensors));
    throw err;
  }
  return { tensors, metadata };
}
