// copy_strided_32 (transposed, broadcast, negative strides, strided destination), fill_32,
// cast_i32_f32, cast_f32_i32 and where_32 at odd sizes and misaligned pointers.
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend } from '../../src/backend/load';
import { Buffers, OFFSETS, SIZES, rng, uniformValues } from '../helpers/reference';

const buf = new Buffers();
afterEach(() => buf.free());
const k = () => getBackend().k;

describe('copy kernels', () => {
  it('copy_strided_32 materializes any 4-d view', () => {
    for (const n of SIZES) for (const offset of OFFSETS) {
      const x = uniformValues(rng(n + offset), 6 * n + 1);
      // [d0..d3], source strides, source start (element index)
      const views: [number[], number[], number][] = [
        [[1, 1, 1, n], [0, 0, 0, 1], 0],                 // contiguous
        [[1, 1, n, 3], [0, 0, 1, n], 0],                 // transposed [3, n] -> [n, 3]
        [[1, 2, 3, n], [0, 0, 0, 1], 0],                 // broadcast rows
        [[1, 1, 1, n], [0, 0, 0, 0], 5],                 // broadcast scalar
        [[1, 1, 1, n], [0, 0, 0, -1], Math.max(0, n - 1)], // flipped
        [[1, 1, 2, n], [0, 0, -n, 2], n],                // negative row stride, stepped columns
      ];
      for (const [dims, st, start] of views) {
        const size = dims.reduce((a, b) => a * b, 1);
        const px = buf.f32(x, offset), po = buf.alloc(size, (offset + 8) % 16);
        const os = [dims[1] * dims[2] * dims[3], dims[2] * dims[3], dims[3], 1];
        k().copy_strided_32(po, px + start * 4, dims[0], dims[1], dims[2], dims[3], os[0], os[1], os[2], os[3], st[0], st[1], st[2], st[3]);
        const want: number[] = [];
        for (let a = 0; a < dims[0]; a++) for (let b = 0; b < dims[1]; b++) for (let c = 0; c < dims[2]; c++) for (let d = 0; d < dims[3]; d++) {
          want.push(x[start + a * st[0] + b * st[1] + c * st[2] + d * st[3]]);
        }
        expect(buf.readF32(po, size), `dims ${dims} strides ${st} offset ${offset}`).toEqual(want);
        buf.free();
      }
    }
  });

  it('copy_strided_32 writes into a strided destination and leaves the rest alone', () => {
    const n = 17;
    const src = uniformValues(rng(1), n);
    const px = buf.f32(src, 4), po = buf.f32(new Array(2 * n).fill(-7), 8);
    k().copy_strided_32(po, px, 1, 1, 1, n, 0, 0, 0, 2, 0, 0, 0, 1);
    expect(buf.readF32(po, 2 * n)).toEqual(src.flatMap((v) => [v, -7]));
  });

  it('fill_32 and the casts', () => {
    for (const n of SIZES) for (const offset of OFFSETS) {
      const p = buf.f32(new Array(n + 1).fill(3), offset);
      k().fill_32(p, new Int32Array(new Float32Array([1.25]).buffer)[0], n);
      expect(buf.readF32(p, n + 1)).toEqual([...new Array(n).fill(1.25), 3]);
      const ints = Array.from({ length: n }, (_, i) => (i * 7919) % 2001 - 1000);
      const pi = buf.i32(ints, offset), pf = buf.alloc(n, (offset + 4) % 16);
      k().cast_i32_f32(pf, pi, n);
      expect(buf.readF32(pf, n)).toEqual(ints);
      const fl = uniformValues(rng(n), n, -50, 50);
      const pf2 = buf.f32(fl, offset);
      k().cast_f32_i32(pf2, pf2, n); // in place
      expect(buf.readI32(pf2, n)).toEqual(fl.map((v) => Math.trunc(v) + 0));
      buf.free();
    }
    const sp = buf.f32([NaN, Infinity, -Infinity, 3e9, -3e9, -0.7]);
    k().cast_f32_i32(sp, sp, 6);
    expect(buf.readI32(sp, 6)).toEqual([0, 2147483647, -2147483648, 2147483647, -2147483648, 0]);
  });

  it('where_32', () => {
    for (const n of SIZES) for (const offset of OFFSETS) {
      const r = rng(n + 5);
      const c = Array.from({ length: n }, () => (r() < 0.5 ? 0 : Math.floor(r() * 5) - 2 || 1));
      const a = uniformValues(r, n), b = uniformValues(r, n);
      const pc = buf.i32(c, offset), pa = buf.f32(a, (offset + 4) % 16), pb = buf.f32(b, 8), po = buf.alloc(n, 12);
      k().where_32(po, pc, pa, pb, n);
      expect(buf.readF32(po, n)).toEqual(c.map((v, i) => (v !== 0 ? a[i] : b[i])));
      buf.free();
    }
  });
});
