// Minimal protocol-buffers encoding, only what the ONNX messages need: each function returns one
// encoded field (tag + payload); a message's bytes are its fields concatenated in order.

export type Bytes = Uint8Array;
const utf8 = new TextEncoder();

/** Varint of an integer in [-2^53, 2^53]; negatives as int64 two's complement (10 bytes). */
export function varint(v: number): number[] {
  const out: number[] = [];
  if (v < 0) {
    let b = BigInt.asUintN(64, BigInt(v));
    for (; b > 127n; b >>= 7n) out.push(Number(b & 127n) | 128);
    out.push(Number(b));
    return out;
  }
  for (; v > 127; v = Math.floor(v / 128)) out.push((v % 128) | 128);
  out.push(v);
  return out;
}

/** The parts concatenated. */
export function cat(parts: readonly (Bytes | number[])[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

// Fixed32 floats are the Float32Array's own bytes: little-endian on every wasm host.
const f32Bytes = (v: Float32Array): Bytes => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/** int32 / int64 / enum field (wire type 0). */
export const int = (field: number, v: number): Bytes => Uint8Array.from([...varint(field * 8), ...varint(v)]);
/** float field (wire type 5). */
export const float = (field: number, v: number): Bytes => cat([varint(field * 8 + 5), f32Bytes(Float32Array.of(v))]);
/** Length-delimited field (wire type 2): bytes, or an embedded message's bytes. */
export const bytes = (field: number, b: Bytes): Bytes => cat([varint(field * 8 + 2), varint(b.length), b]);
export const str = (field: number, s: string): Bytes => bytes(field, utf8.encode(s));
/** An embedded message from its fields. */
export const msg = (field: number, fields: readonly Bytes[]): Bytes => bytes(field, cat(fields));
/** Packed repeated int64. */
export const ints = (field: number, vs: readonly number[]): Bytes => bytes(field, Uint8Array.from(vs.flatMap(varint)));
/** Packed repeated float. */
export const floats = (field: number, vs: Float32Array): Bytes => bytes(field, f32Bytes(vs));
