// Kernel tests talk to the compiled module directly: one Memory, a bump allocator over it, and
// the raw exports. The allocator grows the memory here, in the host, never in wasm. Pointers stay
// valid across growth; typed-array views do not, so get them from f32() after every alloc().
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const buildDir = new URL('../../build/', import.meta.url);

/** One instantiated build with its memory and a bump allocator. */
export interface RawWasm {
  readonly name: string;
  readonly exports: Record<string, any>;
  readonly memory: WebAssembly.Memory;
  /** Byte pointer to `bytes` fresh bytes, aligned to `align` (64 by default); grows memory as needed. */
  alloc(bytes: number, align?: number): number;
  /** Frees everything allocated so far. */
  reset(): void;
  /** A Float32Array over the whole memory; index it with ptr >>> 2. */
  f32(): Float32Array;
}

/** The builds this engine can run: always `release`, plus `relaxed` when relaxed SIMD validates. */
export function availableBuilds(): string[] {
  // Node 20 has relaxed SIMD behind a flag; turning it on at run time is enough for validate().
  try { setFlagsFromString('--experimental-wasm-relaxed-simd'); } catch { /* not Node */ }
  const builds = ['release'];
  if (WebAssembly.validate(readBuild('relaxed'))) builds.push('relaxed');
  return builds;
}

export function readBuild(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(new URL(`${name}.wasm`, buildDir)));
}

export async function loadRaw(name: string, initialPages = 1): Promise<RawWasm> {
  const memory = new WebAssembly.Memory({ initial: initialPages });
  const env = { memory, abort() { throw new Error('wasm abort'); } };
  const module = await WebAssembly.compile(readBuild(name));
  const instance = await WebAssembly.instantiate(module, { env });
  const exports = instance.exports as Record<string, any>;
  const base = typeof exports.heapBase === 'function' ? Number(exports.heapBase()) : 1024;
  let top = base;
  let view = new Float32Array(0);
  return {
    name,
    exports,
    memory,
    alloc(bytes: number, align = 64): number {
      const ptr = Math.ceil(top / align) * align;
      top = ptr + bytes;
      const have = memory.buffer.byteLength;
      if (top > have) memory.grow(Math.ceil((top - have) / 65536));
      return ptr;
    },
    reset() { top = base; },
    f32(): Float32Array {
      if (view.buffer !== memory.buffer) view = new Float32Array(memory.buffer);
      return view;
    },
  };
}
