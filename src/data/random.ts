// Permutations for shuffling and splitting. Without a seed they draw from the global generator
// (manualSeed makes them repeat); with a seed, from a private xoshiro128** state run by the same
// wasm kernel, so `seed: 42` gives the same order on every engine regardless of other draws.
import { getBackend } from '../backend/load';
import { fisherYates, randperm, seedState } from '../util/rng';

/** A generator with its own 16-byte state, seeded like manualSeed. Its stream advances per draw. */
export class SeededGenerator {
  private readonly state = new Uint32Array(4);

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`asgrad.data: seed must be a finite number, got ${seed}`);
    this.state.set(seedState(seed));
  }

  /** n uniforms in [0, 1). */
  uniform(n: number): Float32Array {
    const { heap, k } = getBackend();
    const p = heap.alloc(16 + n * 4);
    new Uint32Array(heap.u8().buffer, p, 4).set(this.state);
    k.rand_uniform_f32(p + 16, n, p, 0, 1);
    const u8 = heap.u8();
    this.state.set(new Uint32Array(u8.buffer, p, 4));
    const out = new Float32Array(u8.buffer.slice(p + 16, p + 16 + n * 4));
    heap.release(p, 16 + n * 4);
    return out;
  }

  /** A Fisher-Yates permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    return fisherYates(n, n < 2 ? new Float32Array(0) : this.uniform(n));
  }
}

/** A permutation of 0..n-1 from `gen`, or from the global generator when it is undefined. */
export function permutation(n: number, gen?: SeededGenerator): Int32Array {
  if (gen) return gen.permutation(n);
  return randperm(n);
}

/** Shuffles `a` in place with `gen` (or the global generator). */
export function shuffleInPlace(a: Int32Array, gen?: SeededGenerator): Int32Array {
  const p = permutation(a.length, gen);
  const copy = a.slice();
  for (let i = 0; i < a.length; i++) a[i] = copy[p[i]];
  return a;
}
