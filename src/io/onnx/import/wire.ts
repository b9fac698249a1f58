// Protocol-buffers decoding, only what reading ONNX needs: walk a message's fields in order, and
// unpack repeated scalars (packed or not). int64 values become JS numbers; the ones outside
// ±2^53 (INT64_MAX as "to the end" in Slice, ...) are rounded, which every use here tolerates.

export type Bytes = Uint8Array;

/** One field: `value` is a varint's number (wire 0), a fixed64's / fixed32's offset (wire 1 / 5), or the bytes (wire 2). */
export interface Field { no: number; wire: number; value: number; bytes: Bytes | null }

const TWO_36 = 2 ** 36;

/** Reads one varint at `at`; returns [value as a signed int64 number, next offset]. */
export function readVarint(b: Bytes, at: number, op = 'importOnnx'): [number, number] {
  let lo = 0, hi = 0, shift = 0, byte: number;
  // Bits 0..27 and 28..63 apart, each exact as a float: summed as one float, a negative int64's
  // two's complement (near 2^64) would round and lose its low bits (-1 read as 0).
  do {
    if (at >= b.length) throw new Error(`asgrad.${op}: the ONNX bytes end inside a varint (truncated or not an ONNX file)`);
    byte = b[at++];
    if (shift < 28) lo += (byte & 127) * 2 ** shift; else hi += (byte & 127) * 2 ** (shift - 28);
    shift += 7;
  } while (byte & 128 && shift < 70);
  hi %= TWO_36;
  // Bit 63 set: a negative int64 in two's complement.
  return [(hi >= TWO_36 / 2 ? hi - TWO_36 : hi) * 2 ** 28 + lo, at];
}

/** The fields of one message, in file order. Throws on a truncated or malformed message. */
export function fields(b: Bytes, op = 'importOnnx'): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < b.length) {
    let key: number;
    [key, at] = readVarint(b, at, op);
    const no = Math.floor(key / 8), wire = key & 7;
    if (wire === 0) {
      let v: number;
      [v, at] = readVarint(b, at, op);
      out.push({ no, wire, value: v, bytes: null });
    } else if (wire === 2) {
      let len: number;
      [len, at] = readVarint(b, at, op);
      if (len < 0 || at + len > b.length) throw new Error(`asgrad.${op}: a field of ${len} bytes runs past the end of the ONNX bytes (truncated or not an ONNX file)`);
      out.push({ no, wire, value: 0, bytes: b.subarray(at, at + len) });
      at += len;
    } else if (wire === 1 || wire === 5) {
      out.push({ no, wire, value: at, bytes: b });
      at += wire === 1 ? 8 : 4;
      if (at > b.length) throw new Error(`asgrad.${op}: the ONNX bytes end inside a fixed-size field (truncated)`);
    } else {
      throw new Error(`asgrad.${op}: unknown protobuf wire type ${wire} at byte ${at} (not an ONNX file?)`);
    }
  }
  return out;
}

const utf8 = new TextDecoder();
export const text = (f: Field): string => utf8.decode(f.bytes!);

/** Appends the int64 values of field `f` (one varint, or a packed run) to `into`. */
export function pushInts(f: Field, into: number[]): void {
  if (f.wire === 0) { into.push(f.value); return; }
  const b = f.bytes!;
  for (let at = 0, v: number; at < b.length;) { [v, at] = readVarint(b, at); into.push(v); }
}

/** Appends the float32 values of field `f` (one fixed32, or a packed run) to `into`. */
export function pushFloats(f: Field, into: number[]): void {
  if (f.wire === 5) { into.push(new DataView(f.bytes!.buffer, f.bytes!.byteOffset + f.value, 4).getFloat32(0, true)); return; }
  const b = f.bytes!, dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 0; at + 4 <= b.length; at += 4) into.push(dv.getFloat32(at, true));
}

/** Appends the float64 values of field `f` (one fixed64, or a packed run) to `into`. */
export function pushDoubles(f: Field, into: number[]): void {
  if (f.wire === 1) { into.push(new DataView(f.bytes!.buffer, f.bytes!.byteOffset + f.value, 8).getFloat64(0, true)); return; }
  const b = f.bytes!, dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 0; at + 8 <= b.length; at += 8) into.push(dv.getFloat64(at, true));
}
