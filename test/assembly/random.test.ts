// The seeded generators: same state gives the same stream; distribution sanity (mean, variance,
// range) for uniform, normal, integers and the dropout mask.
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend } from '../../src/backend/load';
import { Buffers } from '../helpers/reference';

const buf = new Buffers();
afterEach(() => buf.free());
const k = () => getBackend().k;
const N = 20001; // odd: the Box-Muller pair tail runs

const stats = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean: m, var: v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length, min: Math.min(...v), max: Math.max(...v) };
};

describe('random kernels', () => {
  it('rand_uniform_f32: reproducible, in [low, high), mean and variance', () => {
    const s1 = buf.i32([1, 2, 3, 4]), s2 = buf.i32([1, 2, 3, 4]);
    const a = buf.alloc(N, 4), b = buf.alloc(N, 8);
    k().rand_uniform_f32(a, N, s1, -2, 3);
    k().rand_uniform_f32(b, N, s2, -2, 3);
    const va = buf.readF32(a, N);
    expect(buf.readF32(b, N)).toEqual(va);
    const s = stats(va);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(3);
    expect(s.mean).toBeCloseTo(0.5, 1);
    expect(s.var).toBeCloseTo(25 / 12, 1);
    k().rand_uniform_f32(a, 5, s1, 0, 1); // the state advanced: a new stream
    expect(buf.readF32(a, 5)).not.toEqual(va.slice(0, 5));
  });

  it('rand_normal_f32: mean and std', () => {
    const st = buf.i32([9, 8, 7, 6]), p = buf.alloc(N, 12);
    k().rand_normal_f32(p, N, st, 1.5, 2);
    const s = stats(buf.readF32(p, N));
    expect(s.mean).toBeCloseTo(1.5, 1);
    expect(Math.sqrt(s.var)).toBeCloseTo(2, 1);
    expect(buf.readF32(p, N).every(Number.isFinite)).toBe(true);
  });

  it('rand_int_i32: every value in [low, high) appears, roughly uniformly', () => {
    const st = buf.i32([5, 6, 7, 8]), p = buf.alloc(N, 4);
    k().rand_int_i32(p, N, st, -3, 4);
    const v = buf.readI32(p, N);
    const counts = new Map<number, number>();
    for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - N / 7)).toBeLessThan(0.1 * N / 7);
  });

  it('dropout_mask_f32: fraction dropped and scale', () => {
    const st = buf.i32([1, 1, 1, 1]), p = buf.alloc(N);
    k().dropout_mask_f32(p, N, st, 0.3, 1 / 0.7);
    const v = buf.readF32(p, N);
    expect(new Set(v)).toEqual(new Set([0, Math.fround(1 / 0.7)]));
    expect(v.filter((x) => x === 0).length / N).toBeCloseTo(0.3, 1);
  });
});
