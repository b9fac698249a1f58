// The one seeded generator behind rand, randn, randint, initializers, dropout and shuffling.
// Its 16-byte xoshiro128** state lives in wasm memory so the kernels draw from it directly;
// manualSeed(n) resets it the same way on every engine.
import { getBackend } from '../backend/load';

let statePtr = -1;
let seed = 67280421310721 % 2 ** 32; // a fixed default, as PyTorch's, so runs repeat unless seeded

/** The 16-byte xoshiro128** state for a seed (splitmix32 expansion; never all zero). */
export function seedState(seedValue: number): Uint32Array {
  const state = new Uint32Array(4);
  let a = Math.floor(Math.abs(seedValue)) % 2 ** 32;
  for (let i = 0; i < 4; i++) {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    state[i] = (z ^ (z >>> 16)) >>> 0;
  }
  if (state.every((v) => v === 0)) state[0] = 1;
  return state;
}

function writeState(): void {
  const heap = getBackend().heap;
  if (statePtr < 0) statePtr = heap.alloc(16);
  new Uint32Array(heap.u8().buffer, statePtr, 4).set(seedState(seed));
}

/** Seeds the generator (torch.manual_seed). */
export function manualSeed(n: number): void {
  if (!Number.isFinite(n)) throw new Error(`asgrad.manualSeed: expected a finite number, got ${n}`);
  seed = Math.floor(Math.abs(n)) % 2 ** 32;
  writeState();
}

/** Byte address of the generator state, initialized on first use. */
export function rngState(): number {
  if (statePtr < 0) writeState();
  return statePtr;
}

/** Fisher-Yates permutation of 0..n-1 driven by n uniforms u (u[i] picks the swap at step i). */
export function fisherYates(n: number, u: ArrayLike<number>): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(u[i] * (i + 1)));
    const t = out[i]; out[i] = out[j]; out[j] = t;
  }
  return out;
}

/** A seeded permutation of 0..n-1 from the global generator (uniforms drawn in wasm, one call). */
export function randperm(n: number): Int32Array {
  if (n < 2) return fisherYates(n, []);
  const { heap, k } = getBackend();
  const p = heap.alloc(n * 4);
  k.rand_uniform_f32(p, n, rngState(), 0, 1);
  const u = heap.f32().slice(p >> 2, (p >> 2) + n);
  heap.release(p, n * 4);
  return fisherYates(n, u);
}
