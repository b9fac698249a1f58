// unary_f32 for every op code against float64 references, at odd sizes and misaligned pointers,
// plus in-place (out aliasing x) and special values.
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend } from '../../src/backend/load';
import { U } from '../../src/backend/exports';
import { Buffers, OFFSETS, SIZES, UNARY_REF, diff, rng, uniformValues } from '../helpers/reference';

const buf = new Buffers();
afterEach(() => buf.free());

/** Input range per op (inside its domain), alpha, and tolerances (the SIMD exp/erf are approximations). */
const SPEC: Record<string, { lo: number; hi: number; alpha?: number; rtol?: number; atol?: number }> = {
  sqrt: { lo: 0, hi: 9 }, rsqrt: { lo: 0.01, hi: 9 }, log: { lo: 0.001, hi: 50 }, log1p: { lo: -0.99, hi: 20 },
  reciprocal: { lo: 0.05, hi: 4 }, exp: { lo: -80, hi: 80, rtol: 2e-6 }, sigmoid: { lo: -20, hi: 20, atol: 1e-6 },
  tanh: { lo: -6, hi: 6, rtol: 2e-6, atol: 1e-7 }, elu: { lo: -6, hi: 6, alpha: 0.7, atol: 2e-6 }, eluGrad: { lo: -6, hi: 6, alpha: 0.7, atol: 2e-6 },
  leakyRelu: { lo: -3, hi: 3, alpha: 0.1 }, leakyGrad: { lo: -3, hi: 3, alpha: 0.1 },
  gelu: { lo: -6, hi: 6, atol: 2e-6 }, geluGrad: { lo: -6, hi: 6, atol: 2e-6 },
  softplus: { lo: -15, hi: 15, alpha: 1.5, atol: 2e-6 }, softplusGrad: { lo: -15, hi: 15, alpha: 1.5, atol: 2e-6 },
  floor: { lo: -5, hi: 5 }, ceil: { lo: -5, hi: 5 }, round: { lo: -5, hi: 5 },
  sin: { lo: -50, hi: 50, atol: 1e-6 }, cos: { lo: -50, hi: 50, atol: 1e-6 },
};

function run(op: keyof typeof U, xs: number[], alpha: number, offset: number, inPlace = false): number[] {
  const x = buf.f32(xs, offset);
  const out = inPlace ? x : buf.alloc(xs.length, (offset + 8) % 16);
  getBackend().k.unary_f32(U[op], out, x, xs.length, alpha);
  return buf.readF32(out, xs.length);
}

describe('unary_f32', () => {
  for (const op of Object.keys(U) as (keyof typeof U)[]) {
    it(`${op} at sizes ${SIZES.join(', ')}`, () => {
      const s = SPEC[op] ?? { lo: -4, hi: 4 };
      const alpha = s.alpha ?? 0;
      const ref = UNARY_REF[op];
      expect(ref, `reference for ${op}`).toBeDefined();
      for (const n of SIZES) {
        for (const offset of OFFSETS) {
          const xs = uniformValues(rng(n * 7 + offset), n, s.lo, s.hi);
          if (op === 'round' && n >= 17) xs.splice(0, 6, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5);
          const want = xs.map((v) => ref(v, alpha));
          expect(diff(run(op, xs, alpha, offset), want, s.rtol ?? 1e-5, s.atol ?? 1e-6), `${op} n=${n} offset=${offset}`).toBeNull();
        }
      }
      const xs = uniformValues(rng(3), 17, s.lo, s.hi);
      expect(diff(run(op, xs, alpha, 4, true), xs.map((v) => ref(v, alpha)), s.rtol ?? 1e-5, s.atol ?? 1e-6), `${op} in place`).toBeNull();
    });
  }

  it('handles special values', () => {
    const xs = [0, -0, Infinity, -Infinity, NaN, 100, -100, 1e-30];
    const r = (op: keyof typeof U, a = 0) => run(op, xs, a, 4);
    expect(r('exp')).toEqual([1, 1, Infinity, 0, NaN, Infinity, 0, 1]);
    expect(r('relu').slice(0, 5)).toEqual([0, 0, Infinity, 0, NaN]);
    expect(r('sigmoid')).toEqual([0.5, 0.5, 1, 0, NaN, 1, 0, 0.5]);
    expect(r('tanh').map((v) => (Object.is(v, -0) ? 0 : v))).toEqual([0, 0, 1, -1, NaN, 1, -1, 1e-30].map(Math.fround));
    expect(r('sign').slice(2)).toEqual([1, -1, NaN, 1, -1, 1]);
    expect(r('softplus', 1).slice(5)).toEqual([100, Math.fround(Math.exp(-100)), Math.fround(Math.log(2))]);
    expect(r('log').slice(0, 5)).toEqual([-Infinity, -Infinity, Infinity, NaN, NaN]);
    const p = run('log1p', [-1, -2, Infinity, -0, 1e-30, NaN, -1e-30, 3.4e38], 0, 4);
    expect(p.slice(0, 7)).toEqual([-Infinity, NaN, Infinity, -0, Math.fround(1e-30), NaN, Math.fround(-1e-30)]);
    expect(p[7]).toBeCloseTo(Math.log1p(3.4e38), 4);
  });

  // log and log1p held to float32's last bits over the whole range, denormals included, where the
  // loose tolerances above would hide a bad lane (a vector polynomial replacing libm must pass it too).
  it('log within 1 ulp and log1p within 3 ulp of float64, denormals to 3e38', () => {
    const n = 4099, r = rng(11);
    const ulp = (v: number) => { const f = new Float32Array([Math.abs(v)]); new Int32Array(f.buffer)[0]++; return f[0] - Math.fround(Math.abs(v)); };
    const worst = (op: keyof typeof U, xs: number[], ref: (v: number) => number) => {
      const ys = run(op, xs, 0, 4), fx = Float32Array.from(xs);
      return Math.max(...ys.map((y, i) => Math.abs(y - ref(fx[i])) / ulp(ref(fx[i]))));
    };
    const wide = Array.from({ length: n }, () => Math.exp(-103 + 190 * r()));
    expect(worst('log', wide, Math.log)).toBeLessThan(1);
    expect(worst('log', uniformValues(r, n, 0.5, 2), Math.log)).toBeLessThan(1);
    expect(worst('log1p', uniformValues(r, n, -0.9999, 1), Math.log1p)).toBeLessThan(3);
    expect(worst('log1p', wide.map((v, i) => (i % 2 ? -v / 1e39 : v)), Math.log1p)).toBeLessThan(3);
  });
});
