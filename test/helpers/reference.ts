// Plain float64 TypeScript references for the kernels, and helpers to put arrays into wasm memory
// at deliberately misaligned addresses and read them back.
import { getBackend } from '../../src/backend/load';

/** Sizes every kernel is tested at. */
export const SIZES = [0, 1, 3, 5, 17, 1003];
/** Byte offsets added to 64-aligned blocks: 16-byte aligned and not. */
export const OFFSETS = [0, 4, 12];

/** erf to ~1e-13 on |x| <= 6 (Taylor series; sign(x) beyond). */
export function erf(x: number): number {
  if (Math.abs(x) > 6) return Math.sign(x);
  let term = x, sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const t = term / (2 * n + 1);
    sum += t;
    if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const roundHalfEven = (x: number) => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** Reference of unary_f32 per op name of U (src/backend/exports.ts). */
export const UNARY_REF: Record<string, (x: number, alpha: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  exp: Math.exp,
  log: Math.log,
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  relu: (x) => (x > 0 ? x : 0),
  sigmoid,
  tanh: Math.tanh,
  leakyRelu: (x, a) => (x >= 0 ? x : a * x),
  elu: (x, a) => (x > 0 ? x : a * (Math.exp(x) - 1)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  softplus: (x, b) => (b * x > 20 ? x : Math.log1p(Math.exp(b * x)) / b),
  step: (x) => (x > 0 ? 1 : 0),
  sign: (x) => Math.sign(x) + 0,
  leakyGrad: (x, a) => (x > 0 ? 1 : a),
  eluGrad: (x, a) => (x > 0 ? 1 : a * Math.exp(x)),
  geluGrad: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  log1p: Math.log1p,
  softplusGrad: (x, b) => (b * x > 20 ? 1 : sigmoid(b * x)),
  sin: Math.sin,
  cos: Math.cos,
};

export const BINARY_REF: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b,
  max: Math.max, min: Math.min, pow: Math.pow,
};

export const INT_REF: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => (a + b) | 0, sub: (a, b) => (a - b) | 0, mul: (a, b) => Math.imul(a, b), max: Math.max, min: Math.min,
};

export const COMPARE_REF: Record<string, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b, ne: (a, b) => a !== b, lt: (a, b) => a < b, le: (a, b) => a <= b, gt: (a, b) => a > b, ge: (a, b) => a >= b,
};

/** Seeded uniform [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Float32-rounded uniform values in [lo, hi). */
export function uniformValues(r: () => number, n: number, lo = -1, hi = 1): number[] {
  return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r()));
}

/** Raw buffers in the library's heap; free() releases every one. */
export class Buffers {
  private blocks: [number, number][] = [];
  /** A block of `n` 32-bit slots at `offset` bytes past a 64-aligned address (+64 guard bytes). */
  alloc(n: number, offset = 0): number {
    const bytes = n * 4 + offset + 64;
    const base = getBackend().heap.alloc(bytes);
    this.blocks.push([base, bytes]);
    return base + offset;
  }
  f32(values: ArrayLike<number>, offset = 0): number {
    const p = this.alloc(values.length, offset);
    getBackend().heap.f32().set(values, p >> 2);
    return p;
  }
  i32(values: ArrayLike<number>, offset = 0): number {
    const p = this.alloc(values.length, offset);
    getBackend().heap.i32().set(values, p >> 2);
    return p;
  }
  readF32(p: number, n: number): number[] { return Array.from(getBackend().heap.f32().subarray(p >> 2, (p >> 2) + n)); }
  readI32(p: number, n: number): number[] { return Array.from(getBackend().heap.i32().subarray(p >> 2, (p >> 2) + n)); }
  free(): void {
    for (const [p, b] of this.blocks) getBackend().heap.release(p, b);
    this.blocks = [];
  }
}

/** Index of the first element where got differs from want beyond atol + rtol |want| (NaN matches NaN), or -1. */
export function mismatch(got: ArrayLike<number>, want: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): number {
  if (got.length !== want.length) return 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (Number.isNaN(w) ? !Number.isNaN(g) : !(g === w || Math.abs(g - w) <= atol + rtol * Math.abs(w))) return i;
  }
  return -1;
}

/** An expect-friendly description of the first mismatch, or null. */
export function diff(got: ArrayLike<number>, want: ArrayLike<number>, rtol?: number, atol?: number): string | null {
  const i = mismatch(got, want, rtol, atol);
  if (i < 0) return null;
  return got.length !== want.length ? `length ${got.length} != ${want.length}` : `at ${i}: got ${got[i]}, want ${want[i]}`;
}
