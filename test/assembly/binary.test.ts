// binary_f32 / binary_i32 / compare_f32 / compare_i32 against float64 references, for
// contiguous, broadcast (stride 0 on either side), strided and 4-d layouts at odd sizes and
// misaligned pointers.
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend } from '../../src/backend/load';
import { B, C } from '../../src/backend/exports';
import { BINARY_REF, Buffers, COMPARE_REF, INT_REF, OFFSETS, SIZES, diff, rng, uniformValues } from '../helpers/reference';

const buf = new Buffers();
afterEach(() => buf.free());

interface Layout { name: string; dims: number[]; a: number[]; b: number[] }

/** Layouts over n elements: [d0..d3] and element strides of a and b. */
function layouts(n: number): Layout[] {
  return [
    { name: 'contiguous', dims: [1, 1, 1, n], a: [0, 0, 0, 1], b: [0, 0, 0, 1] },
    { name: 'b scalar', dims: [1, 1, 1, n], a: [0, 0, 0, 1], b: [0, 0, 0, 0] },
    { name: 'a scalar', dims: [1, 1, 1, n], a: [0, 0, 0, 0], b: [0, 0, 0, 1] },
    { name: 'strided', dims: [1, 1, 1, n], a: [0, 0, 0, 2], b: [0, 0, 0, 3] },
    { name: '4-d broadcast', dims: [2, 3, 1, n], a: [3 * n, n, 0, 1], b: [0, 1, 0, 0] },
    { name: '4-d transposed', dims: [2, 1, n, 3], a: [3 * n, 0, 1, n], b: [0, 0, 3, 1] },
  ];
}

const span = (dims: number[], st: number[]) => 1 + dims.reduce((a, d, i) => a + Math.max(0, d - 1) * st[i], 0);

function expected(l: Layout, av: number[], bv: number[], f: (a: number, b: number) => number): number[] {
  const out: number[] = [];
  const [d0, d1, d2, d3] = l.dims;
  for (let i0 = 0; i0 < d0; i0++) for (let i1 = 0; i1 < d1; i1++) for (let i2 = 0; i2 < d2; i2++) for (let i3 = 0; i3 < d3; i3++) {
    const ia = i0 * l.a[0] + i1 * l.a[1] + i2 * l.a[2] + i3 * l.a[3];
    const ib = i0 * l.b[0] + i1 * l.b[1] + i2 * l.b[2] + i3 * l.b[3];
    out.push(f(av[ia], bv[ib]));
  }
  return out;
}

type Kind = 'binary_f32' | 'binary_i32' | 'compare_f32' | 'compare_i32';

function check(kind: Kind, code: number, f: (a: number, b: number) => number, gen: (r: () => number, n: number) => number[]) {
  for (const n of SIZES) for (const l of layouts(n)) for (const offset of OFFSETS) {
    if (n === 0 && l.name !== 'contiguous') continue;
    const r = rng(n * 31 + offset + code);
    const av = gen(r, span(l.dims, l.a)), bv = gen(r, span(l.dims, l.b));
    const isF = kind === 'binary_f32' || kind === 'compare_f32';
    const pa = isF ? buf.f32(av, offset) : buf.i32(av, offset);
    const pb = isF ? buf.f32(bv, (offset + 4) % 16) : buf.i32(bv, (offset + 4) % 16);
    const size = l.dims.reduce((x, y) => x * y, 1);
    const po = buf.alloc(size, (offset + 8) % 16);
    getBackend().k[kind](code, po, pa, pb, ...(l.dims as [number, number, number, number]), ...(l.a as [number, number, number, number]), ...(l.b as [number, number, number, number]));
    const got = kind === 'binary_f32' ? buf.readF32(po, size) : buf.readI32(po, size);
    expect(diff(got, expected(l, av, bv, f)), `${kind} ${code} n=${n} ${l.name} offset=${offset}`).toBeNull();
    buf.free();
  }
}

describe('binary kernels', () => {
  for (const op of Object.keys(B) as (keyof typeof B)[]) {
    it(`binary_f32 ${op}`, () => {
      const f = BINARY_REF[op];
      check('binary_f32', B[op], (a, b) => Math.fround(f(a, b)), (r, n) => (op === 'pow' ? uniformValues(r, n, 0.1, 3) : uniformValues(r, n, -3, 3)));
    });
  }
  for (const op of Object.keys(INT_REF)) {
    it(`binary_i32 ${op}`, () => {
      check('binary_i32', B[op as keyof typeof B], INT_REF[op], (r, n) => Array.from({ length: n }, () => Math.floor((r() - 0.5) * 2 ** 31)));
    });
  }
  for (const op of Object.keys(C) as (keyof typeof C)[]) {
    it(`compare_f32 / compare_i32 ${op}`, () => {
      const f = (a: number, b: number) => (COMPARE_REF[op](a, b) ? 1 : 0);
      // Few distinct values so equality happens often.
      check('compare_f32', C[op], f, (r, n) => Array.from({ length: n }, () => [-1.5, 0, 0.25, 2, NaN][Math.floor(r() * 5)]));
      check('compare_i32', C[op], f, (r, n) => Array.from({ length: n }, () => Math.floor(r() * 4) - 2));
    });
  }
  it('div by zero and pow edge cases follow IEEE', () => {
    const l: Layout = { name: '', dims: [1, 1, 1, 5], a: [0, 0, 0, 1], b: [0, 0, 0, 1] };
    const av = [1, -1, 0, 0, -8], bv = [0, 0, 0, 0.5, 1 / 3];
    const pa = buf.f32(av), pb = buf.f32(bv), po = buf.alloc(5);
    getBackend().k.binary_f32(B.div, po, pa, pb, 1, 1, 1, 5, 0, 0, 0, 1, 0, 0, 0, 1);
    expect(buf.readF32(po, 5).slice(0, 3)).toEqual([Infinity, -Infinity, NaN]);
    getBackend().k.binary_f32(B.pow, po, pa, pb, 1, 1, 1, 5, 0, 0, 0, 1, 0, 0, 0, 1);
    expect(buf.readF32(po, 5)).toEqual(expected(l, av, bv, (a, b) => Math.fround(Math.pow(a, Math.fround(b)))));
  });
});
