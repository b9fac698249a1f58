// The inlined builds (scripts/pack-wasm.mjs) unpack to the builds byte for byte: the baseline
// gzipped, the relaxed build as a delta against it; a delta that overruns its base throws.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDelta, gunzip, gunzipStream } from '../../src/backend/wasm_delta';

const build = (f: string) => new Uint8Array(readFileSync(resolve(__dirname, '../../build', f)));

describe('inlined kernel builds', () => {
  it('gunzip(release-gzip.bin) equals release.wasm, with node:zlib and with DecompressionStream', async () => {
    for (const unzip of [gunzip, gunzipStream]) expect(Buffer.from(await unzip(build('release-gzip.bin'))).equals(Buffer.from(build('release.wasm')))).toBe(true);
  });

  it('applyDelta(release.wasm, relaxed-delta.bin) equals relaxed.wasm, and is far smaller', () => {
    const delta = build('relaxed-delta.bin'), relaxed = build('relaxed.wasm');
    expect(Buffer.from(applyDelta(build('release.wasm'), delta)).equals(Buffer.from(relaxed))).toBe(true);
    expect(delta.length).toBeLessThan(relaxed.length / 10);
  });

  it('a delta that copies past the end of its base throws naming the rebuild', () => {
    // 0 literals, copy 8 bytes from offset 100 of a 10-byte base.
    expect(() => applyDelta(new Uint8Array(10), Uint8Array.of(0, 100, 8, 0, 0, 0))).toThrow(/relaxed-SIMD delta does not match the baseline build/);
  });
});
