// index_select_32, index_add_f32, gather_32, scatter_add_f32 and one_hot_f32 against references.
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend } from '../../src/backend/load';
import { Buffers, SIZES, diff, rng, uniformValues } from '../helpers/reference';

const buf = new Buffers();
afterEach(() => buf.free());
const k = () => getBackend().k;

describe('index kernels', () => {
  it('index_select_32 and index_add_f32 (repeated indices accumulate)', () => {
    for (const n of SIZES) for (const [outer, len, inner] of [[1, 5, n], [3, 7, n], [n, 4, 3]]) {
      const r = rng(n + outer);
      const nIdx = 6;
      const x = uniformValues(r, outer * len * inner);
      const idx = Array.from({ length: nIdx }, () => Math.floor(r() * len));
      const px = buf.f32(x, 4), pi = buf.i32(idx, 8), po = buf.alloc(outer * nIdx * inner, 12);
      k().index_select_32(po, px, pi, outer, len, nIdx, inner);
      const want: number[] = [];
      for (let o = 0; o < outer; o++) for (const j of idx) for (let i = 0; i < inner; i++) want.push(x[(o * len + j) * inner + i]);
      expect(buf.readF32(po, want.length), `select [${outer}, ${len}, ${inner}]`).toEqual(want);

      const src = uniformValues(r, outer * nIdx * inner);
      const ps = buf.f32(src, 4), pa = buf.f32(new Array(outer * len * inner).fill(0), 8);
      k().index_add_f32(pa, ps, pi, outer, len, nIdx, inner);
      const acc = new Array(outer * len * inner).fill(0);
      for (let o = 0; o < outer; o++) idx.forEach((j, jj) => { for (let i = 0; i < inner; i++) acc[(o * len + j) * inner + i] += src[(o * nIdx + jj) * inner + i]; });
      expect(diff(buf.readF32(pa, acc.length), acc, 1e-6, 1e-6), `add [${outer}, ${len}, ${inner}]`).toBeNull();
      buf.free();
    }
  });

  it('gather_32 and scatter_add_f32', () => {
    for (const n of SIZES) for (const [outer, len, inner] of [[2, 5, n], [n, 3, 1]]) {
      const r = rng(n * 5 + inner);
      const nIdx = 4;
      const x = uniformValues(r, outer * len * inner);
      const idx = Array.from({ length: outer * nIdx * inner }, () => Math.floor(r() * len));
      const px = buf.f32(x, 12), pi = buf.i32(idx, 4), po = buf.alloc(idx.length, 8);
      k().gather_32(po, px, pi, outer, len, nIdx, inner);
      const want: number[] = [];
      for (let o = 0; o < outer; o++) for (let j = 0; j < nIdx; j++) for (let i = 0; i < inner; i++) {
        want.push(x[(o * len + idx[(o * nIdx + j) * inner + i]) * inner + i]);
      }
      expect(buf.readF32(po, want.length)).toEqual(want);
      const src = uniformValues(r, idx.length);
      const ps = buf.f32(src, 4), pa = buf.f32(new Array(x.length).fill(0), 12);
      k().scatter_add_f32(pa, ps, pi, outer, len, nIdx, inner);
      const acc = new Array(x.length).fill(0);
      for (let o = 0; o < outer; o++) for (let j = 0; j < nIdx; j++) for (let i = 0; i < inner; i++) {
        acc[(o * len + idx[(o * nIdx + j) * inner + i]) * inner + i] += src[(o * nIdx + j) * inner + i];
      }
      expect(diff(buf.readF32(pa, acc.length), acc, 1e-6, 1e-6)).toBeNull();
      buf.free();
    }
  });

  it('one_hot_f32', () => {
    for (const n of SIZES) {
      const labels = Array.from({ length: n }, (_, i) => (i * 7) % 5);
      const pl = buf.i32(labels, 4), po = buf.alloc(n * 5, 8);
      k().one_hot_f32(po, pl, n, 5, 0.9, 0.025);
      expect(buf.readF32(po, n * 5)).toEqual(labels.flatMap((l) => [0, 1, 2, 3, 4].map((c) => Math.fround(c === l ? 0.9 : 0.025))));
      buf.free();
    }
  });
});
