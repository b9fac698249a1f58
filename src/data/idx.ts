// The idx format of MNIST-style files: two zero bytes, a type byte, the number of dims, then each
// dim as a big-endian u32, then the data. readIdx validates the header and the exact length.

export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

const TYPES: Record<number, [IdxType, number]> = {
  0x08: ['uint8', 1], 0x09: ['int8', 1], 0x0b: ['int16', 2], 0x0c: ['int32', 4], 0x0d: ['float32', 4], 0x0e: ['float64', 8],
};

export interface IdxArray {
  type: IdxType;
  dims: number[];
  /** The raw data bytes (a view into the input; multi-byte types are big-endian). */
  data: Uint8Array;
}

/** Parses idx bytes; `name` labels errors (e.g. the file path). */
export function readIdx(bytes: Uint8Array, name = 'idx data'): IdxArray {
  const fail = (msg: string): never => { throw new Error(`asgrad.readIdx: ${name}: ${msg}`); };
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length < 4) fail(`truncated: ${bytes.length} bytes, the 4-byte magic number is incomplete`);
  const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const type = TYPES[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type || bytes[3] === 0) {
    fail(`bad magic number 0x${magic.toString(16).padStart(8, '0')} (expected 0x0000TTDD: type 08/09/0B/0C/0D/0E and dims >= 1); not an idx file, or still gzipped`);
  }
  const ndim = bytes[3];
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) fail(`truncated: ${bytes.length} bytes, the header of ${ndim} dims needs ${headerBytes}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < ndim; d++) dims.push(dv.getUint32(4 + 4 * d, false));
  const want = dims.reduce((a, b) => a * b, 1) * type[1];
  const have = bytes.length - headerBytes;
  if (have < want) fail(`truncated: dims [${dims.join(', ')}] of ${type[0]} need ${want} data bytes after the header, the file has ${have}`);
  if (have > want) fail(`${have - want} unexpected trailing bytes after the ${want} data bytes of dims [${dims.join(', ')}]`);
  return { type: type[0], dims, data: bytes.subarray(headerBytes) };
}
