// Loading the kernel module: `await ready()` before any op, like tf.ready(). The default bytes are
// inlined in the bundle; `ready({ wasm })` takes a URL, bytes or a precompiled WebAssembly.Module
// (Cloudflare workerd forbids compiling from bytes). The relaxed-SIMD build is chosen when the
// engine validates it.
import baselineBytes from '../../build/release.wasm';
import relaxedBytes from '../../build/relaxed.wasm';
import { Heap } from './heap';
import { KERNEL_NAMES, type Kernels } from './exports';

export type WasmSource = URL | string | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

export interface ReadyOptions {
  /** Where the kernel module comes from; default: the bytes inlined in the bundle. */
  wasm?: WasmSource;
  /** Use the relaxed-SIMD build when the engine supports it (default true). Ignored with `wasm`. */
  relaxedSimd?: boolean;
}

export interface Backend {
  k: Kernels;
  heap: Heap;
  /** 'relaxed' or 'simd': which build is running. */
  flavor: string;
}

let backend: Backend | null = null;
let loading: Promise<Backend> | null = null;

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
  loading = (async () => {
    let src: WebAssembly.Module | BufferSource;
    let flavor: string;
    if (options.wasm !== undefined) {
      src = await toModuleOrBytes(options.wasm);
      flavor = 'custom';
    } else if (options.relaxedSimd !== false && WebAssembly.validate(relaxedBytes as BufferSource)) {
      src = relaxedBytes as BufferSource;
      flavor = 'relaxed';
    } else {
      src = baselineBytes as BufferSource;
      flavor = 'simd';
    }
    const memory = new WebAssembly.Memory({ initial: 16 });
    const instance = await instantiate(src, memory);
    const exp = instance.exports as unknown as Kernels;
    for (const name of KERNEL_NAMES) {
      if (typeof exp[name] !== 'function') throw new Error(`asgrad.ready: the wasm module lacks the kernel '${name}' (a build from another version?)`);
    }
    backend = { k: exp, heap: new Heap(memory, exp.heapBase()), flavor };
    return backend;
  })();
  loading.catch(() => { loading = null; });
  return loading;
}
