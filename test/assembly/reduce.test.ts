// reduce_f32 (all ops, inner == 1 and inner > 1), reduce_i32 (sum, max, min), argreduce_f32, prod_others_f32,
// minmax_i32 and all_finite_f32 against float64 references.
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend } from '../../src/backend/load';
import { R } from '../../src/backend/exports';
import { Buffers, OFFSETS, SIZES, diff, rng, uniformValues } from '../helpers/reference';

const buf = new Buffers();
afterEach(() => buf.free());
const k = () => getBackend().k;

function refReduce(x: number[], outer: number, len: number, inner: number, f: (a: number, b: number) => number, id: number): number[] {
  const out: number[] = [];
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    let acc = id;
    for (let j = 0; j < len; j++) acc = f(acc, x[(o * len + j) * inner + i]);
    out.push(acc);
  }
  return out;
}

/** [outer, len, inner] triples built from each test size. */
const boxes = (n: number): [number, number, number][] => [[1, n, 1], [3, n, 1], [2, n, 3], [2, 5, n], [n, 3, 5]];

const OPS: Record<keyof typeof R, { f: (a: number, b: number) => number; id: number; lo: number; hi: number }> = {
  sum: { f: (a, b) => a + b, id: 0, lo: -1, hi: 1 },
  max: { f: Math.max, id: -Infinity, lo: -5, hi: 5 },
  min: { f: Math.min, id: Infinity, lo: -5, hi: 5 },
  prod: { f: (a, b) => a * b, id: 1, lo: 0.9, hi: 1.1 },
};

describe('reduce_f32', () => {
  for (const op of Object.keys(R) as (keyof typeof R)[]) {
    it(`${op} over [outer, len, inner] boxes`, () => {
      const { f, id, lo, hi } = OPS[op];
      for (const n of SIZES) for (const [outer, len, inner] of boxes(n)) for (const offset of OFFSETS) {
        const x = uniformValues(rng(n + outer * 7 + inner * 13 + offset), outer * len * inner, lo, hi);
        const px = buf.f32(x, offset), po = buf.alloc(outer * inner, (offset + 4) % 16);
        k().reduce_f32(R[op], po, px, outer, len, inner);
        // float32 accumulation of up to 1003 terms: tolerance grows with the length.
        const tol = op === 'sum' || op === 'prod' ? 2e-6 * Math.max(1, len) : 0;
        expect(diff(buf.readF32(po, outer * inner), refReduce(x, outer, len, inner, f, id), tol, tol), `${op} [${outer}, ${len}, ${inner}] offset ${offset}`).toBeNull();
        buf.free();
      }
    });
  }
  it('max/min propagate NaN', () => {
    const x = [1, NaN, 3, 0, 2, 5, 7, 1, -1];
    const px = buf.f32(x, 4), po = buf.alloc(1);
    k().reduce_f32(R.max, po, px, 1, 9, 1);
    expect(buf.readF32(po, 1)).toEqual([NaN]);
    k().reduce_f32(R.min, po, px, 1, 9, 1);
    expect(buf.readF32(po, 1)).toEqual([NaN]);
  });
});

describe('integer and index reductions', () => {
  it('reduce_i32: sum (wrapping), max and min', () => {
    const ops: [number, (a: number, b: number) => number, number][] = [
      [R.sum, (a, b) => (a + b) | 0, 0], [R.max, Math.max, -Infinity], [R.min, Math.min, Infinity]];
    for (const [op, f, init] of ops) for (const n of SIZES.filter((s) => op === R.sum || s > 0)) for (const [outer, len, inner] of boxes(n)) {
      const r = rng(n + len + op);
      const x = Array.from({ length: outer * len * inner }, () => Math.floor((r() - 0.5) * 2000));
      const px = buf.i32(x, 12), po = buf.alloc(outer * inner, 4);
      k().reduce_i32(op, po, px, outer, len, inner);
      expect(buf.readI32(po, outer * inner), `op ${op} [${outer}, ${len}, ${inner}]`).toEqual(refReduce(x, outer, len, inner, f, init));
      buf.free();
    }
    // sums wrap as int32; extremes of the whole int32 range
    const big = [2 ** 31 - 1, 1, -(2 ** 31), -1];
    const px = buf.i32(big, 0), po = buf.alloc(1, 4);
    k().reduce_i32(R.sum, po, px, 1, 2, 1);
    expect(buf.readI32(po, 1)).toEqual([-(2 ** 31)]);
    k().reduce_i32(R.max, po, px, 1, 4, 1);
    expect(buf.readI32(po, 1)).toEqual([2 ** 31 - 1]);
    k().reduce_i32(R.min, po, px, 1, 4, 1);
    expect(buf.readI32(po, 1)).toEqual([-(2 ** 31)]);
    buf.free();
  });

  it('argreduce_f32: first index of the extreme, NaN wins', () => {
    for (const isMin of [0, 1]) for (const n of SIZES.filter((s) => s > 0)) for (const [outer, len, inner] of boxes(n)) {
      const r = rng(n * 3 + isMin);
      const x = Array.from({ length: outer * len * inner }, () => Math.floor(r() * 7)); // many ties
      const px = buf.f32(x, 8), po = buf.alloc(outer * inner);
      k().argreduce_f32(isMin, po, px, outer, len, inner);
      const want: number[] = [];
      for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
        let bi = 0;
        for (let j = 1; j < len; j++) {
          const v = x[(o * len + j) * inner + i], b = x[(o * len + bi) * inner + i];
          if (isMin ? v < b : v > b) bi = j;
        }
        want.push(bi);
      }
      expect(buf.readI32(po, outer * inner), `isMin ${isMin} [${outer}, ${len}, ${inner}]`).toEqual(want);
      buf.free();
    }
    const px = buf.f32([1, 3, NaN, 9, NaN]), po = buf.alloc(1);
    k().argreduce_f32(0, po, px, 1, 5, 1);
    expect(buf.readI32(po, 1)).toEqual([2]);
  });

  it('prod_others_f32 is exact with zeros', () => {
    for (const n of SIZES) {
      const x = uniformValues(rng(n), 3 * n, 0.8, 1.2);
      if (n >= 3) { x[1] = 0; x[n + 2] = 0; x[n + 1] = 0; }
      const px = buf.f32(x, 4), po = buf.alloc(3 * n, 8);
      k().prod_others_f32(po, px, 3, n);
      const want = x.map((_, idx) => {
        const r = Math.floor(idx / n);
        let p = 1;
        for (let j = 0; j < n; j++) if (r * n + j !== idx) p *= x[r * n + j];
        return p;
      });
      expect(diff(buf.readF32(po, 3 * n), want, 1e-4, 1e-7), `n=${n}`).toBeNull();
      buf.free();
    }
  });

  it('minmax_i32 and all_finite_f32', () => {
    for (const n of SIZES.filter((s) => s > 0)) {
      const r = rng(n);
      const x = Array.from({ length: n }, () => Math.floor((r() - 0.5) * 1e6));
      const px = buf.i32(x, 4), po = buf.alloc(2);
      k().minmax_i32(po, px, n);
      expect(buf.readI32(po, 2)).toEqual([Math.min(...x), Math.max(...x)]);
      const f = uniformValues(r, n, -1e30, 1e30);
      const pf = buf.f32(f, 12);
      expect(k().all_finite_f32(pf, n)).toBe(1);
      for (const bad of [Infinity, -Infinity, NaN]) {
        getBackend().heap.f32()[(pf >> 2) + n - 1] = bad;
        expect(k().all_finite_f32(pf, n), `n=${n} with ${bad} last`).toBe(0);
      }
      buf.free();
    }
    expect(k().all_finite_f32(buf.alloc(0), 0)).toBe(1);
  });
});
