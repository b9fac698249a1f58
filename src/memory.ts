// Lifetime of wasm memory as TensorFlow.js users know it: refcounted storage shared by views,
// `dispose()`, `tidy(fn)`, `keep(t)`, `memory()`. A FinalizationRegistry frees storage of
// handles the JS GC collected without dispose, but only as a safety net.
import { getBackend } from './backend/load';
import type { Tensor } from './tensor';

/** A block of linear memory shared by every view of it. */
export class Storage {
  refs = 1;
  constructor(readonly ptr: number, readonly bytes: number) {
    stats.storages++;
    stats.bytes += bytes;
  }
  retain(): this {
    this.refs++;
    return this;
  }
  release(): void {
    if (--this.refs === 0) {
      stats.storages--;
      stats.bytes -= this.bytes;
      getBackend().heap.release(this.ptr, this.bytes);
    }
  }
}

export const stats = { tensors: 0, storages: 0, bytes: 0 };

const scopes: Tensor[][] = [];

/** Called for every new user-visible tensor: the innermost tidy scope will dispose it. False outside tidy. */
export function track(t: Tensor): boolean {
  if (scopes.length === 0) return false;
  scopes[scopes.length - 1].push(t);
  return true;
}

/**
 * Arms the safety net for a handle that can now be garbage-collected without dispose() (created
 * outside tidy, kept, returned from the outermost tidy, or untracked). Handles in a tidy scope
 * are reachable from the scope, so registering them earlier would only cost time.
 */
/**
 * > 0 while an op makes the temporaries it disposes itself (in a finally) before returning: those
 * skip the safety net below, whose register + unregister cost more than a small kernel call.
 */
export const transient = { depth: 0 };

export function register(t: Tensor): void {
  if (t._handle !== null || t.isDisposed) return;
  const h = { storage: t._storage, alive: true };
  t._handle = h;
  finalizer.register(t, h, h);
}

export function unregister(t: Tensor): void {
  const h = t._handle;
  if (h === null) return;
  h.alive = false;
  finalizer.unregister(h);
}

type Container = Tensor | readonly Container[] | { [k: string]: Container } | unknown;

function collect(x: Container, out: Set<Tensor>, depth = 0): void {
  if (x === null || typeof x !== 'object' || depth > 8) return;
  if (Object.prototype.hasOwnProperty.call(x, '_isTensor')) { out.add(x as Tensor); return; }
  if (Array.isArray(x)) { for (const v of x) collect(v, out, depth + 1); return; }
  if (Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) collect(v, out, depth + 1);
}

/**
 * Runs `fn` and disposes every tensor it created, except those it returns (in an array or plain
 * object too) and those passed to `keep`. `fn` must be synchronous.
 * @example
 * const y = tidy(() => x.mul(2).add(1)); // the x.mul(2) intermediate is freed
 */
export function tidy<T>(fn: () => T): T;
export function tidy<T>(name: string, fn: () => T): T;
export function tidy<T>(a: string | (() => T), b?: () => T): T {
  const fn = typeof a === 'function' ? a : b!;
  scopes.push([]);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    // As TensorFlow.js: a throwing tidy still frees what it created.
    for (const t of scopes.pop()!) if (!t._kept) t.dispose(); else register(t);
    throw e;
  }
  const scope = scopes.pop()!;
  if (result instanceof Promise) {
    for (const t of scope) if (!t._kept) t.dispose(); else register(t);
    throw new Error('asgrad.tidy: the function returned a Promise; tidy only tracks synchronous work');
  }
  // The common result, one tensor, needs no Set.
  const single = isTensorObject(result) ? result : null;
  let keepSet: Set<Tensor> | null = null;
  if (single === null) { keepSet = new Set<Tensor>(); collect(result, keepSet); }
  // Returned tensors created in this scope now belong to the enclosing one (outside every scope
  // they can be collected: the safety net is armed); tensors from outside (e.g. an argument
  // returned as is) stay where they were.
  for (const t of scope) {
    if (t.isDisposed) continue;
    if (t._kept) register(t);
    else if (t === single || (keepSet !== null && keepSet.has(t))) { if (!track(t)) register(t); }
    else t.dispose();
  }
  return result;
}

function isTensorObject(x: unknown): x is Tensor {
  return x !== null && typeof x === 'object' && Object.prototype.hasOwnProperty.call(x, '_isTensor');
}

/** Exempts `t` from disposal by any enclosing or future `tidy`. Returns `t`. */
export function keep<T extends Tensor>(t: T): T {
  t._kept = true;
  if (scopes.length === 0) register(t);
  return t;
}

/** Disposes a tensor, or every tensor in an array or plain object. Disposing twice is a no-op. */
export function dispose(x: Container): void {
  const s = new Set<Tensor>();
  collect(x, s);
  for (const t of s) t.dispose();
}

export interface MemoryInfo {
  /** Live tensor handles (views count separately, as in TensorFlow.js). */
  numTensors: number;
  /** Live storage blocks. */
  numDataBuffers: number;
  /** Bytes held by live storage blocks. */
  numBytes: number;
  /** Bytes of wasm linear memory. */
  heapBytes: number;
  /** Most bytes in blocks handed out by the heap at once. */
  peakBytes: number;
}

export function memory(): MemoryInfo {
  const { heap } = getBackend();
  return { numTensors: stats.tensors, numDataBuffers: stats.storages, numBytes: stats.bytes, heapBytes: heap.heapBytes, peakBytes: heap.peakBytes };
}

/** Releases storage of handles that were garbage-collected without dispose(). */
export const finalizer = new FinalizationRegistry<{ storage: Storage; alive: boolean }>((h) => {
  if (h.alive) {
    h.alive = false;
    stats.tensors--;
    h.storage.release();
  }
});
