// Loading the kernel module: `await ready()` before any op, like tf.ready(). The default bytes are
// inlined in the bundle; `ready({ wasm })` takes a URL, bytes or a precompiled WebAssembly.Module
// (Cloudflare workerd forbids compiling from bytes). The relaxed-SIMD build is chosen when the
// engine validates it. With more than one thread (the default where shared memory and workers
// exist) the memory is shared and GEMMs are split across a worker pool (threads.ts).
import baselineGzip from '../../build/release-gzip.bin';
import relaxedDelta from '../../build/relaxed-delta.bin';
import { Heap } from './heap';
import { KERNEL_NAMES, type Kernels } from './exports';
import { resolveThreads, threadEnv, ThreadPool, type ThreadsOption } from './threads';
import { sharedVariant, SHARED_MAX_PAGES } from './worker_wasm';
import { applyDelta, gunzip } from './wasm_delta';

export type WasmSource = URL | string | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

export interface ReadyOptions {
  /** Where the kernel module comes from; default: the bytes inlined in the bundle. */
  wasm?: WasmSource;
  /** Use the relaxed-SIMD build when the engine supports it (default true). Ignored with `wasm`. */
  relaxedSimd?: boolean;
  /**
   * Threads for large matrix multiplies (the calling thread included). Default 'auto':
   * min(cores, 4) where shared memory and workers are available (Node, Bun, Deno, cross-origin
   * isolated pages and their workers), else 1 (Cloudflare workerd, pages without COOP/COEP).
   * More than 1 needs the module as bytes (the inlined builds, a URL or bytes): a precompiled
   * `WebAssembly.Module` runs on one thread.
   */
  threads?: ThreadsOption;
}

export interface Backend {
  k: Kernels;
  heap: Heap;
  /** 'relaxed' or 'simd': which build is running. */
  flavor: string;
  /** The worker pool when the memory is shared (even while set to one thread), else null. */
  pool: ThreadPool | null;
}

/** The inlined builds, unpacked on first use: the baseline gunzipped, the relaxed one from the baseline and its delta. */
async function inlinedBuilds(): Promise<{ baseline: BufferSource; relaxed: () => BufferSource }> {
  const baseline = await gunzip(baselineGzip);
  let relaxed: Uint8Array | null = null;
  return { baseline: baseline as BufferSource, relaxed: () => (relaxed ??= applyDelta(baseline, relaxedDelta)) as BufferSource };
}

let backend: Backend | null = null;
let loading: Promise<Backend> | null = null;
/** setNumThreads before ready(): the count ready() uses when its options give none. */
let preferredThreads: ThreadsOption | null = null;

/** The loaded backend; throws the "await ready()" error before loading finished. */
export function getBackend(): Backend {
  if (backend === null) {
    throw new Error('asgrad: the WebAssembly kernels are not loaded yet: `await ready()` before creating tensors or running ops');
  }
  return backend;
}

export function isReady(): boolean {
  return backend !== null;
}

async function toModuleOrBytes(src: WasmSource): Promise<WebAssembly.Module | BufferSource> {
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof ArrayBuffer || ArrayBuffer.isView(src)) return src as BufferSource;
  const url = src instanceof URL ? src : new URL(src, (globalThis as { location?: { href: string } }).location?.href ?? 'file:///');
  if (url.protocol === 'file:') {
    const fs = await import(/* @vite-ignore */ 'node:fs/promises' as string);
    return new Uint8Array(await fs.readFile(url));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`asgrad.ready: could not fetch the wasm module from ${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function instantiate(src: WebAssembly.Module | BufferSource, memory: WebAssembly.Memory): Promise<WebAssembly.Instance> {
  const imports = {
    env: {
      memory,
      abort(): never { throw new Error('asgrad: a wasm kernel aborted (this is a bug in asgrad: please report it)'); },
    },
  };
  if (src instanceof WebAssembly.Module) return WebAssembly.instantiate(src, imports);
  return (await WebAssembly.instantiate(src, imports)).instance;
}

/**
 * Loads the kernels. Resolves once; later calls return the same backend.
 * @example
 * await ready();                                   // inlined module (Node, browsers, Deno, Bun)
 * await ready({ wasm: compiledModule });           // Cloudflare workerd
 */
export function ready(options: ReadyOptions = {}): Promise<Backend> {
  if (loading) return loading;
  const threadsOption = options.threads ?? preferredThreads ?? 'auto';
  if (threadsOption !== 'auto') resolveThreads(threadsOption, 1, 'ready');
  loading = (async () => {
    let src: WebAssembly.Module | BufferSource;
    let flavor: string;
    let builds: Awaited<ReturnType<typeof inlinedBuilds>> | undefined;
    if (options.wasm !== undefined) {
      src = await toModuleOrBytes(options.wasm);
      flavor = 'custom';
    } else if (options.relaxedSimd !== false && WebAssembly.validate((builds = await inlinedBuilds()).relaxed())) {
      src = builds.relaxed();
      flavor = 'relaxed';
    } else {
      src = (builds ?? await inlinedBuilds()).baseline;
      flavor = 'simd';
    }
    const env = threadsOption === 1 || src instanceof WebAssembly.Module ? null : await threadEnv();
    const threads = env ? resolveThreads(threadsOption, env.cores, 'ready') : 1;
    const shared = env && threads > 1 ? await sharedModule(src as BufferSource) : null;
    const memory = shared?.memory ?? new WebAssembly.Memory({ initial: 16 });
    const instance = await instantiate(shared?.module ?? src, memory);
    // A copy of the exports: the pool swaps matmul_f32 for its splitting version.
    const exp = { ...instance.exports } as unknown as Kernels;
    for (const name of KERNEL_NAMES) {
      if (typeof exp[name] !== 'function') throw new Error(`asgrad.ready: the wasm module lacks the kernel '${name}' (a build from another version?)`);
    }
    const heap = new Heap(memory, exp.heapBase());
    const pool = shared && env ? new ThreadPool(shared.module, memory, heap, exp, env) : null;
    // Workers start at the first GEMM worth splitting and take rows once ready (~20-50 ms in Node);
    // until then GEMMs run on this thread (same bits either way), so ready() does not wait for them.
    pool?.resize(threads);
    backend = { k: exp, heap, flavor, pool };
    return backend;
  })();
  loading.catch(() => { loading = null; });
  return loading;
}

/** The shared-memory variant of `src` compiled, and a shared memory for it; null if unusable here. */
async function sharedModule(src: BufferSource): Promise<{ module: WebAssembly.Module; memory: WebAssembly.Memory } | null> {
  const bytes = src instanceof Uint8Array ? src : ArrayBuffer.isView(src) ? new Uint8Array(src.buffer, src.byteOffset, src.byteLength) : new Uint8Array(src);
  const variant = sharedVariant(bytes);
  if (variant === null) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: SHARED_MAX_PAGES, shared: true });
    return { module: await WebAssembly.compile(variant as BufferSource), memory };
  } catch {
    return null; // e.g. the engine cannot reserve a shared memory this large: one thread
  }
}

/**
 * Sets how many threads large matrix multiplies use (the calling thread included); 'auto' is
 * min(cores, 4). Before ready() it sets ready()'s default. After it, counts above 1 take effect
 * only when ready() set up shared memory (it does by default where workers exist); otherwise the
 * library stays on one thread, without error.
 * @example
 * ag.setNumThreads(1); // e.g. to leave the other cores to the application
 */
export function setNumThreads(n: ThreadsOption): void {
  if (n !== 'auto') resolveThreads(n, 1, 'setNumThreads');
  if (backend === null) { preferredThreads = n; return; }
  const pool = backend.pool;
  if (pool === null) return;
  pool.resize(resolveThreads(n, pool.cores, 'setNumThreads'));
}

/** Threads large matrix multiplies use now (1 where shared memory is unavailable). */
export function getNumThreads(): number {
  if (backend === null) {
    const p = preferredThreads;
    return typeof p === 'number' ? p : 1;
  }
  return backend.pool?.threads ?? 1;
}
