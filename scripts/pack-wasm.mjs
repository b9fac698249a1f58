// Packs the kernel builds for inlining in the bundle (test/backend/wasm_delta.test.ts checks both
// unpack to the builds byte for byte):
// - build/release-gzip.bin: build/release.wasm gzipped. Inlined as base64, raw wasm gzips to 30 KB
//   and gzipped wasm to 20.6 KB; src/backend/load.ts inflates it with DecompressionStream. Zopfli
//   (a standard gzip stream, 50 iterations) is 1.1 KB smaller than zlib level 9 (18.4 vs 19.5 KB).
// - build/relaxed-delta.bin: build/relaxed.wasm as copies from build/release.wasm plus literal
//   bytes (the format src/backend/wasm_delta.ts applies), so the shared bytes are inlined once.
//   Greedy longest match over 8-byte anchors.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { gzip } from '@gfx/zopfli';

const base = readFileSync('build/release.wasm'), target = readFileSync('build/relaxed.wasm');
const MIN = 8, key = (b, i) => b.readUInt32LE(i) * 4096 + (b.readUInt32LE(i + 4) & 4095);
const anchors = new Map();
for (let i = 0; i + MIN <= base.length; i++) {
  const k = key(base, i), list = anchors.get(k);
  if (!list) anchors.set(k, [i]); else if (list.length < 64) list.push(i);
}
const out = [], varint = (v) => { for (; v > 127; v = Math.floor(v / 128)) out.push((v % 128) | 128); out.push(v); };
let lit = [];
const emit = (off, len) => { varint(lit.length); out.push(...lit); lit = []; varint(off); varint(len); };
for (let t = 0; t < target.length;) {
  let best = 0, bestOff = 0;
  if (t + MIN <= target.length) {
    for (const s of anchors.get(key(target, t)) ?? []) {
      let n = 0;
      while (s + n < base.length && t + n < target.length && base[s + n] === target[t + n]) n++;
      if (n > best) { best = n; bestOff = s; }
    }
  }
  if (best >= MIN) { emit(bestOff, best); t += best; } else lit.push(target[t++]);
}
emit(0, 0);
writeFileSync('build/relaxed-delta.bin', Uint8Array.from(out));
const gz = await new Promise((resolve, reject) => gzip(base, { numiterations: 50 }, (e, r) => (e ? reject(e) : resolve(r))));
if (Buffer.compare(gunzipSync(gz), base) !== 0) throw new Error('pack-wasm: the zopfli stream does not inflate to build/release.wasm');
writeFileSync('build/release-gzip.bin', gz);
console.log(`pack-wasm: build/release-gzip.bin ${gz.length} bytes (release.wasm ${base.length}), build/relaxed-delta.bin ${out.length} bytes (relaxed.wasm ${target.length})`);
