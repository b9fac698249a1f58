// The worker pool: the shared-memory module variant equals asc's threads build byte for byte; GEMMs
// (and convolution's GEMMs) split across threads give bitwise the same results as one thread;
// one thread (no shared memory) works without error; bad thread counts fail clearly; an idle
// pool does not keep Node alive. Each case loads a fresh copy of the library (vi.resetModules).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { sharedVariant, SHARED_MAX_PAGES } from '../../src/backend/worker_wasm';

const ROOT = resolve(__dirname, '../..');
const build = (f: string) => new Uint8Array(readFileSync(resolve(ROOT, 'build', f)));

async function fresh() {
  vi.resetModules();
  const lib = await import('../../src/index');
  const load = await import('../../src/backend/load');
  return { lib, load };
}
type Fresh = Awaited<ReturnType<typeof fresh>>;

describe('shared-memory module variant', () => {
  it.each(['release', 'relaxed'])('sharedVariant(%s.wasm) is asc\'s %s-shared.wasm byte for byte', (name) => {
    const patched = sharedVariant(build(`${name}.wasm`), SHARED_MAX_PAGES)!;
    const asc = build(`${name}-shared.wasm`);
    expect(patched.length).toBe(asc.length);
    expect(Buffer.from(patched).equals(Buffer.from(asc))).toBe(true);
    expect(sharedVariant(asc)).toBe(asc); // already shared: unchanged
  });

  it('returns null for a module without a memory import', () => {
    expect(sharedVariant(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))).toBeNull();
  });
});

/** C = A·B for the given storage layouts, as flat data, with `threads` threads, every GEMM split. */
function product({ lib, load }: Fresh, threads: number, M: number, N: number, K: number, tA: boolean, tB: boolean, batch = 0): Float32Array {
  lib.setNumThreads(threads);
  load.getBackend().pool!.minFlops = 0;
  load.getBackend().pool!.minRows = 4;
  load.getBackend().pool!.pauseWhenSlow = false;
  return lib.tidy(() => {
    lib.manualSeed(M * 7 + N * 13 + K);
    const lead = batch ? [batch] : [];
    const a0 = lib.randn([...lead, ...(tA ? [K, M] : [M, K])]), b0 = lib.randn([...lead, ...(tB ? [N, K] : [K, N])]);
    const a = tA ? a0.transpose(-1, -2) : a0, b = tB ? b0.transpose(-1, -2) : b0;
    return lib.matmul(a, b).data() as Float32Array;
  });
}

describe('threads on: bitwise the same as one thread', () => {
  it('ready({ threads: 2 }) shares the memory and starts one worker', async () => {
    const f = await fresh();
    const b = await f.lib.ready({ threads: 2 });
    await b.pool!.started();
    expect(f.lib.getNumThreads()).toBe(2);
    expect(b.heap.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(b.pool!.readyWorkers).toBe(1);
    b.pool!.close();
  });

  it('matmul at many shapes and layouts (packed, direct, Cᵀ, dot-product paths; batched)', async () => {
    const f = await fresh();
    const b = await f.lib.ready({ threads: 3 });
    await b.pool!.started();
    expect(b.pool!.readyWorkers).toBe(2);
    const shapes: [number, number, number][] = [[17, 5, 3], [64, 64, 64], [100, 3, 37], [257, 129, 400], [33, 1003, 17], [130, 8, 800], [9, 20, 5], [512, 512, 512]];
    for (const [M, N, K] of shapes) {
      for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const one = product(f, 1, M, N, K, tA, tB), many = product(f, 3, M, N, K, tA, tB);
        expect(Buffer.from(many.buffer).equals(Buffer.from(one.buffer)), `${M}×${K}·${K}×${N} tA=${tA} tB=${tB}`).toBe(true);
      }
    }
    const one = product(f, 1, 40, 24, 16, false, true, 5), many = product(f, 2, 40, 24, 16, false, true, 5);
    expect(Buffer.from(many.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    expect(b.pool!.splits).toBeGreaterThanOrEqual(shapes.length * 4);
    expect(b.pool!.workerChunks, 'the workers ran some of the chunks').toBeGreaterThan(0);
    b.pool!.close();
  });

  it('convolution forward and backward (its GEMMs go through the pool)', async () => {
    const f = await fresh();
    const { lib, load } = f;
    const b = await lib.ready({ threads: 2 });
    await b.pool!.started();
    load.getBackend().pool!.minFlops = 0;
    load.getBackend().pool!.minRows = 4;
    load.getBackend().pool!.pauseWhenSlow = false;
    const run = (threads: number) => {
      lib.setNumThreads(threads);
      return lib.tidy(() => {
        lib.manualSeed(3);
        const x = lib.randn([2, 3, 21, 19], { requiresGrad: true }), w = lib.randn([24, 3, 5, 5], { requiresGrad: true });
        const y = lib.nn.functional.conv2d(x, w, null, { padding: 2 });
        y.square().sum().backward();
        return [y.data(), x.grad!.data(), w.grad!.data()] as Float32Array[];
      });
    };
    const one = run(1), two = run(2);
    one.forEach((o, i) => expect(Buffer.from(two[i].buffer).equals(Buffer.from(o.buffer)), `output ${i}`).toBe(true));
    expect(b.pool!.splits).toBeGreaterThanOrEqual(3);
    b.pool!.close();
  });

  it('channels-last convolution: the image-as-A GEMM kernel on one thread equals the split im2col GEMMs on two', async () => {
    const f = await fresh();
    const { lib, load } = f;
    const b = await lib.ready({ threads: 2 });
    await b.pool!.started();
    const pool = load.getBackend().pool!;
    pool.minFlops = 0;
    pool.minRows = 4;
    pool.pauseWhenSlow = false;
    const run = (threads: number) => {
      lib.setNumThreads(threads);
      lib.manualSeed(5);
      const m = lib.sequential({ layers: [lib.layers.conv2d({ filters: 12, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [13, 11, 5] })] });
      const x = lib.randn([3, 13, 11, 5]);
      const y = m.predict(x);
      const d = y.data();
      lib.dispose([x, y]);
      m.dispose();
      return d;
    };
    expect(pool.wouldSplit(429, 12, 45), 'two threads split this GEMM').toBe(true);
    const one = run(1);
    const before = pool.splits;
    const two = run(2);
    expect(pool.splits, 'the two-thread run split its GEMM').toBeGreaterThan(before);
    expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    b.pool!.close();
  });

  it('views over the shared heap stay valid when it grows (the old SharedArrayBuffer keeps its length)', async () => {
    const { lib } = await fresh();
    const b = await lib.ready({ threads: 2 });
    const before = b.heap.heapBytes;
    const small = lib.tensor([1, 2, 3]);
    const big = lib.zeros([before / 2]); // forces memory.grow
    expect(b.heap.heapBytes).toBeGreaterThan(before);
    expect(Array.from(small.data())).toEqual([1, 2, 3]);
    const y = lib.tidy(() => big.add(1).sum().item());
    expect(y).toBe(before / 2);
    lib.dispose([small, big]);
    b.pool!.close();
  });
});

describe('pausing a shape whose splits are not faster', () => {
  it('stops splitting after the measured speedup falls below 1.05, and splits again when told not to pause', async () => {
    const f = await fresh();
    const b = await f.lib.ready({ threads: 2 });
    await b.pool!.started();
    const one = product(f, 1, 64, 64, 64, false, false);
    f.lib.setNumThreads(2);
    const pool = f.load.getBackend().pool!;
    // A clock that advances one unit per reading: every split then measures its caller's chunks as
    // taking as long as the whole call, i.e. a speedup of at most 1.
    let clock = 0;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => ++clock);
    try {
      const run = (pause: boolean, calls: number) => {
        pool.pauseWhenSlow = pause;
        const before = pool.splits;
        for (let i = 0; i < calls; i++) {
          f.lib.tidy(() => {
            f.lib.manualSeed(64 * 7 + 64 * 13 + 64);
            const r = f.lib.matmul(f.lib.randn([64, 64]), f.lib.randn([64, 64])).data() as Float32Array;
            expect(Buffer.from(r.buffer).equals(Buffer.from(one.buffer))).toBe(true);
          });
        }
        return pool.splits - before;
      };
      pool.minFlops = 0;
      pool.minRows = 4;
      // ~11 measured splits bring the average from 1.5 below 1.05; then the shape stays on the caller.
      const first = run(true, 40);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(40);
      expect(run(true, 20), 'paused: no splits').toBe(0);
      expect(run(false, 30), 'pauseWhenSlow off: every call splits').toBe(30);
    } finally {
      spy.mockRestore();
      b.pool!.close();
    }
  });
});

describe('one thread, no shared memory', () => {
  it('ready({ threads: 1 }): an unshared memory, no pool; setNumThreads(2) stays on one thread without error', async () => {
    const { lib } = await fresh();
    const b = await lib.ready({ threads: 1 });
    expect(b.pool).toBeNull();
    expect(b.heap.memory.buffer).toBeInstanceOf(ArrayBuffer);
    lib.setNumThreads(2);
    expect(lib.getNumThreads()).toBe(1);
    const y = lib.tidy(() => lib.matmul(lib.ones([64, 64]), lib.ones([64, 64])).sum().item());
    expect(y).toBe(64 ** 3);
  });

  it('a precompiled WebAssembly.Module runs on one thread', async () => {
    const { lib } = await fresh();
    const b = await lib.ready({ wasm: new WebAssembly.Module(build('release.wasm')), threads: 2 });
    expect(b.pool).toBeNull();
    expect(lib.getNumThreads()).toBe(1);
  });

  it('setNumThreads before ready() sets ready()\'s default', async () => {
    const { lib } = await fresh();
    lib.setNumThreads(1);
    expect(lib.getNumThreads()).toBe(1);
    expect((await lib.ready()).pool).toBeNull();
  });
});

describe('errors', () => {
  it('bad thread counts name the function and the value', async () => {
    const { lib } = await fresh();
    expect(() => lib.setNumThreads(0)).toThrow(/setNumThreads.*integer from 1 to 64 or 'auto', got 0/);
    expect(() => lib.setNumThreads(1.5)).toThrow(/got 1\.5/);
    expect(() => lib.setNumThreads('many' as never)).toThrow(/got 'many'/);
    expect(() => lib.ready({ threads: -1 })).toThrow(/ready.*got -1/);
  });
});

describe('processes', () => {
  it('an idle pool does not keep Node alive (workers are unref\'d)', async () => {
    const bundle = resolve(ROOT, 'dist/index.js');
    expect(existsSync(bundle), 'npm run build first').toBe(true);
    const script = `const ag = await import(${JSON.stringify(bundle)}); await ag.ready({ threads: 2 });
      const a = ag.randn([256, 256]); ag.matmul(a, a).dispose(); a.dispose(); console.log('threads', ag.getNumThreads());`;
    const t0 = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 20000 });
    expect(stdout.trim()).toBe('threads 2');
    expect(Date.now() - t0).toBeLessThan(20000);
  });
});
