// The relaxed-SIMD build ships as a delta against the baseline build (they differ in a few
// GEMM kernels), which keeps one copy of the shared bytes in the gzip budget. Format (written by
// scripts/wasm-delta.mjs): repeated [varint literalLength, literal bytes, varint copyOffset,
// varint copyLength] copying from the baseline; a copyLength of 0 ends it. The baseline itself is
// inlined gzipped (gunzip below).

function varint(b: Uint8Array, at: number): [number, number] {
  let v = 0, shift = 0, byte: number;
  do { byte = b[at++]; v += (byte & 127) * 2 ** shift; shift += 7; } while (byte & 128);
  return [v, at];
}

/** The bytes `delta` rebuilds from `base`. Throws when the delta does not fit the base (a mismatched build). */
export function applyDelta(base: Uint8Array, delta: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0, total = 0;
  for (;;) {
    let lit: number, off: number, len: number;
    [lit, at] = varint(delta, at);
    parts.push(delta.subarray(at, at + lit));
    at += lit; total += lit;
    [off, at] = varint(delta, at);
    [len, at] = varint(delta, at);
    if (len === 0) break;
    if (off + len > base.length || at > delta.length) throw new Error('asgrad.ready: the relaxed-SIMD delta does not match the baseline build (rebuild with npm run build:wasm)');
    parts.push(base.subarray(off, off + len));
    total += len;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** The gunzipped bytes with the web's DecompressionStream (browsers, workerd). */
export async function gunzipStream(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The gunzipped bytes: node:zlib where it exists (Node, Deno, Bun), because Node's first
 * DecompressionStream loads its web-streams machinery (35 ms measured, beyond ready()'s 20 ms);
 * DecompressionStream elsewhere.
 */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string') {
    const zlib = await import(/* @vite-ignore */ 'node:zlib' as string) as { gunzipSync(b: Uint8Array): Uint8Array };
    return new Uint8Array(zlib.gunzipSync(bytes));
  }
  return gunzipStream(bytes);
}
