// The worker pool: GEMMs split by row ranges between the calling thread and workers that run the
// same kernel module on the same shared WebAssembly.Memory. matmul_f32's result does not depend
// on how rows are split (assembly/kernels/matmul.ts), so threads change speed, never bits.
//
// Protocol (worker_source.ts): a GEMM's rows are cut into a few chunks; the caller writes the job
// (arguments, a packing scratch per worker) and wakes the ready workers, then every thread, the
// caller included, claims chunks one at a time from a shared counter until none is left. The
// caller then waits only for chunks a worker has claimed: a worker that is slow to wake (a busy
// machine, a sleeping thread) simply claims fewer, so a split GEMM is never much slower than one
// thread. Waiting is Atomics.wait where the thread may block (Node's main thread, workers, Deno,
// Bun), a spin on Atomics.load where it may not (a browser page's main thread). Workers start at
// the first GEMM worth splitting and are unref'd in Node, so a pool never keeps a process alive.
import type { Heap } from './heap';
import type { Kernels } from './exports';
import { J_ARGS, J_CHUNKS, J_CLAIM, J_FINISHED, J_ROWS_PER, J_WORDS, J_WORKER_CHUNKS, OP_MATMUL, OP_QUIT, W_OP, W_SCRATCH, W_SEQ, W_STATE, W_WORDS, WORKER_SOURCE } from './worker_source';
import { check } from '../util/errors';

export type ThreadsOption = number | 'auto';

/** GEMMs below this many FLOPs (2·rows·N·K, 128³ = 4.2 M) run on the calling thread. Measured on
 *  2 cores: a split 128³ runs 1.3-1.9× faster, 64³-100³ only 1.0-1.2× (a sleeping worker takes
 *  ~40 µs to wake, the time of ~1.4 MFLOP). */
export const MIN_SPLIT_FLOPS = 2 ** 22;
/** Fewest rows a chunk of a split GEMM gets: every chunk packs all of B (K·N floats), so a chunk
 *  of r rows does 2r FLOPs per packed float; at 8 rows a split [16×54]·[54×9216] ran 0.96×, at 32
 *  rows a split [64×288]·[288×1024] 1.6×. */
export const MIN_SPLIT_ROWS = 32;
/** Chunks per thread: more balance a late or preempted worker better, fewer pack B fewer times. */
const CHUNKS_PER_THREAD = 2;
/** Rows below which a GEMM is not cut into more chunks than threads: each chunk packs all of B,
 *  2·rows FLOPs per packed float, and B was usually just written by the calling thread (weights
 *  after an optimizer step), so a worker's packing reads it from the other core's cache. In MLP
 *  training, [128×784]·[784×128] in 4 chunks of 32 rows ran no faster than in 2 of 64. */
const MIN_CHUNK_ROWS = 64;
/** Atomics.load polls (~13 ns each in V8) before sleeping in Atomics.wait, whose wake-up costs
 *  ~40 µs on an idle core and up to a scheduler tick on a busy one: a worker between jobs
 *  (~2.6 ms, longer than a small model's training step, so it stays awake through training), and
 *  a caller waiting for a worker's last chunk (~1.3 ms). */
const WORKER_SPIN = 200000;
const CALLER_SPIN = 100000;
/** Split GEMMs resume after this pause, and pause when their average speedup falls below PAUSE_BELOW. */
const PAUSE_MS = 1000;
const PAUSE_BELOW = 1.05;
/** A shape's assumed speedup before it is measured (a few slow splits are needed to pause it). */
const GAIN_PRIOR = 1.5;
/** Most threads setNumThreads accepts. */
const MAX_THREADS = 64;

type Matmul = Kernels['matmul_f32'];

interface Helper { base: number; state: number; seq: number; handle: { terminate(): void } }

/** Starts one worker on `data`; `onFail` runs if it dies. */
export type Spawner = (data: object, onFail: () => void) => { terminate(): void };

/** How this runtime makes pool workers, and how many cores it reports; null: no workers here. */
export interface ThreadEnv { spawn: Spawner; cores: number }

const g = globalThis as unknown as {
  process?: { versions?: { node?: string } }; Deno?: unknown; crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number }; Worker?: new (url: string, o?: object) => WebWorker;
  Blob?: typeof Blob; URL: typeof URL;
};
interface WebWorker { postMessage(d: unknown): void; terminate(): void; unref?(): void; addEventListener(t: string, f: () => void): void }

/**
 * Shared memory and workers are usable: SharedArrayBuffer and Atomics exist, the page (if any) is
 * cross-origin isolated, and the runtime can start workers (Node/Bun worker_threads, Web Workers).
 * Cloudflare workerd and pages without COOP/COEP headers give null: one thread.
 */
export async function threadEnv(): Promise<ThreadEnv | null> {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object' || g.crossOriginIsolated === false) return null;
  // Node, Bun and Deno: worker_threads, whose workers can be unref'd (a Deno Web Worker keeps the process alive).
  if (typeof g.process?.versions?.node === 'string' || g.Deno !== undefined) {
    try {
      const wt = await import(/* @vite-ignore */ 'node:worker_threads' as string);
      const os = await import(/* @vite-ignore */ 'node:os' as string);
      const cores = g.navigator?.hardwareConcurrency ?? os.availableParallelism?.() ?? os.cpus().length;
      return {
        cores,
        spawn: (data, onFail) => {
          const w = new wt.Worker(WORKER_SOURCE, { eval: true });
          w.unref();
          w.on('error', onFail);
          w.postMessage(data);
          return w;
        },
      };
    } catch { /* not Node's worker_threads: try Web Workers */ }
  }
  if (typeof g.Worker === 'function' && typeof g.Blob === 'function' && typeof g.URL.createObjectURL === 'function') {
    let url: string | null = null;
    return {
      cores: g.navigator?.hardwareConcurrency ?? 1,
      spawn: (data, onFail) => {
        url ??= g.URL.createObjectURL(new g.Blob!([WORKER_SOURCE], { type: 'text/javascript' }));
        const w = new g.Worker!(url, { type: 'module' });
        w.unref?.(); // Bun, Deno: do not keep the process alive
        w.addEventListener('error', onFail);
        w.postMessage(data);
        return w;
      },
    };
  }
  return null;
}

/** The thread count `option` asks for on a machine with `cores` cores. */
export function resolveThreads(option: ThreadsOption, cores: number, op = 'threads'): number {
  if (option === 'auto') return Math.max(1, Math.min(cores, 4));
  check(Number.isInteger(option) && option >= 1 && option <= MAX_THREADS, op, () =>
    `expected a thread count: an integer from 1 to ${MAX_THREADS} or 'auto', got ${typeof option === 'number' ? option : typeof option === 'string' ? `'${option}'` : typeof option}`);
  return option;
}

/** Whether this thread may block in Atomics.wait (not a browser page's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

export class ThreadPool {
  /** Threads GEMMs use, the caller included. */
  private wanted = 1;
  private readonly helpers: Helper[] = [];
  private readonly block = canBlock();
  private view: Int32Array;
  /** Word index of the job block (allocated with the first worker). */
  private job = -1;
  /** Jobs posted so far (the claim word carries the low 15 bits). */
  private jobs = 0;
  /** GEMMs below this many FLOPs stay on the caller (tests set 0 to split everything). */
  minFlops = MIN_SPLIT_FLOPS;
  /** Fewest rows per chunk (tests set 4 to split small GEMMs too). */
  minRows = MIN_SPLIT_ROWS;
  /** GEMM calls split so far (tests check the pool really ran). */
  splits = 0;
  /** Per GEMM shape, the moving average of its speedup when split (one-thread time estimated from
   *  the caller's own chunks, over the wall time) and when splitting it resumes. Below PAUSE_BELOW
   *  the shape runs on one thread for PAUSE_MS: on a machine whose other cores are busy, workers
   *  are preempted mid-chunk and a split GEMM ran slower than one thread (0.25-0.6x at load 3 on
   *  2 cores). */
  private readonly gains = new Map<string, { gain: number; pausedUntil: number }>();
  /** Tests set false to split every eligible GEMM whatever its measured speedup. */
  pauseWhenSlow = true;
  private readonly raw: Matmul;

  constructor(private readonly module: WebAssembly.Module, private readonly memory: WebAssembly.Memory,
    private readonly heap: Heap, private readonly k: Kernels, private readonly env: ThreadEnv) {
    this.raw = k.matmul_f32;
    this.view = new Int32Array(memory.buffer);
  }

  get threads(): number { return this.wanted; }

  /** Cores the runtime reports. */
  get cores(): number { return this.env.cores; }

  /** Chunks of split GEMMs that workers (not the caller) ran so far. */
  get workerChunks(): number { return this.job < 0 ? 0 : Atomics.load(this.words(), this.job + J_WORKER_CHUNKS); }

  /**
   * Uses `n` threads from now on (the caller and n - 1 workers). Workers start at the first GEMM
   * large enough to split (a program of small ops never starts one) and take rows once ready.
   */
  resize(n: number): void {
    this.wanted = n;
    this.k.matmul_f32 = n > 1 ? this.matmul : this.raw;
  }

  /** Starts the workers the thread count asks for; resolves when each is ready (or failed). */
  async started(timeoutMs = 20000): Promise<void> {
    this.spawn();
    const t0 = Date.now();
    while (this.helpers.some((h) => this.state(h) === 0) && Date.now() - t0 < timeoutMs) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Workers ready to take jobs now. */
  get readyWorkers(): number {
    let n = 0;
    for (const h of this.helpers) if (this.state(h) === 1) n++;
    return n;
  }

  /** Asks every worker to quit; the pool runs single-threaded afterwards. */
  close(): void {
    this.resize(1);
    for (const h of this.helpers) {
      if (this.state(h) === 1) this.post(h, OP_QUIT);
      else h.handle.terminate();
    }
    this.helpers.length = 0;
  }

  private words(): Int32Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Int32Array(this.memory.buffer);
    return this.view;
  }

  private state(h: Helper): number {
    if (h.state !== 1 && h.state !== 2) h.state = Atomics.load(this.words(), h.base + W_STATE);
    return h.state;
  }

  private spawn(): void {
    while (this.helpers.length < this.wanted - 1) this.startHelper();
  }

  /** A zeroed block of `words` Int32 words in the heap, never released (it lives as long as the memory). */
  private block32(words: number): number {
    const ptr = this.heap.alloc(words * 4);
    this.words().fill(0, ptr >> 2, (ptr >> 2) + words);
    return ptr >> 2;
  }

  private startHelper(): void {
    if (this.job < 0) this.job = this.block32(J_WORDS);
    const h: Helper = { base: this.block32(W_WORDS), state: 0, seq: 0, handle: { terminate() {} } };
    const fail = () => { Atomics.store(this.words(), h.base + W_STATE, 2); h.state = 2; };
    try {
      h.handle = this.env.spawn({ module: this.module, memory: this.memory, base: h.base, job: this.job, spin: WORKER_SPIN }, fail);
    } catch {
      fail();
    }
    this.helpers.push(h);
  }

  /** Wakes `h` for a job (op OP_MATMUL, its scratch already written) or tells it to quit. */
  private post(h: Helper, op: number): void {
    const c = this.words();
    c[h.base + W_OP] = op;
    h.seq = (h.seq + 1) | 0;
    Atomics.store(c, h.base + W_SEQ, h.seq);
    Atomics.notify(c, h.base + W_SEQ, 1);
  }

  /** Runs chunks of the current job until none is left unclaimed; returns how many this thread ran. */
  private claimChunks(c: Int32Array, job: number, chunks: number, rowsPer: number, r0: number, r1: number, scratch: number): number {
    const J = this.job, a = J + J_ARGS;
    for (let ran = 0; ; ran++) {
      const v = Atomics.load(c, J + J_CLAIM), i = v & 0xffff;
      if (v >>> 16 !== job || i >= chunks) return ran;
      if (Atomics.compareExchange(c, J + J_CLAIM, v, v + 1) !== v) { ran--; continue; }
      const start = r0 + i * rowsPer;
      this.raw(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], c[a + 8], c[a + 9], c[a + 10],
        start, Math.min(start + rowsPer, r1), scratch);
      Atomics.add(c, J + J_FINISHED, 1);
    }
  }

  /** Waits until every chunk of the job has finished; throws if a worker failed meanwhile. */
  private waitFinished(c: Int32Array, chunks: number, posted: Helper[]): void {
    const i = this.job + J_FINISHED;
    let spins = 0;
    for (let d = Atomics.load(c, i); d < chunks; d = Atomics.load(c, i)) {
      if (!this.block || ++spins <= CALLER_SPIN) continue;
      Atomics.wait(c, i, d, 100);
      if (posted.some((h) => Atomics.load(c, h.base + W_STATE) === 2)) break;
    }
    for (const h of posted) {
      if (Atomics.load(c, h.base + W_STATE) === 2) {
        h.state = 2;
        throw new Error('asgrad: a worker thread failed during a matrix multiply (this is a bug in asgrad: please report it)');
      }
    }
  }

  /** Whether a matmul_f32 call over this many rows would be split across threads (before the
   *  per-shape pause): callers with an unsplit kernel for the same work use it when not. */
  wouldSplit(rows: number, N: number, K: number): boolean {
    return this.parts(rows, N, K) > 1;
  }

  private parts(rows: number, N: number, K: number): number {
    return 2 * rows * N * K >= this.minFlops ? Math.min(this.wanted, Math.floor(rows / this.minRows)) : 1;
  }

  /** matmul_f32 with rows [r0, r1) cut into chunks that the caller and the ready workers claim. */
  private readonly matmul: Matmul = (out, a, b, M, N, K, aRow, aCol, bRow, bCol, ldc, r0, r1, scratch) => {
    const rows = r1 - r0;
    const wantParts = this.parts(rows, N, K);
    // Small GEMMs (most calls) go straight to the kernel: no key, no lookup, no allocation.
    if (wantParts <= 1) { this.raw(out, a, b, M, N, K, aRow, aCol, bRow, bCol, ldc, r0, r1, scratch); return; }
    if (this.helpers.length < this.wanted - 1) this.spawn();
    const key = `${M},${N},${K}`;
    let g = this.gains.get(key);
    if (g !== undefined && g.pausedUntil !== 0 && this.pauseWhenSlow) {
      if (performance.now() < g.pausedUntil) { this.raw(out, a, b, M, N, K, aRow, aCol, bRow, bCol, ldc, r0, r1, scratch); return; }
      g.pausedUntil = 0;
      g.gain = GAIN_PRIOR;
    }
    const free: Helper[] = [];
    for (let i = 0; i < this.helpers.length && free.length < wantParts - 1; i++) {
      if (this.state(this.helpers[i]) === 1) free.push(this.helpers[i]);
    }
    if (free.length === 0) { this.raw(out, a, b, M, N, K, aRow, aCol, bRow, bCol, ldc, r0, r1, scratch); return; }
    this.splits++;
    const threads = free.length + 1;
    const chunksWanted = Math.max(threads, Math.min(threads * CHUNKS_PER_THREAD, Math.floor(rows / MIN_CHUNK_ROWS)));
    const rowsPer = Math.ceil(rows / chunksWanted / 4) * 4, chunks = Math.ceil(rows / rowsPer);
    const bytes = this.k.matmul_f32_scratch_bytes(M, N, K);
    // Every allocation (which may grow memory) before any worker starts.
    const scratches = free.map(() => this.heap.alloc(bytes));
    const c = this.words(), J = this.job;
    const args = [out, a, b, M, N, K, aRow, aCol, bRow, bCol, ldc, r0, r1];
    for (let i = 0; i < args.length; i++) c[J + J_ARGS + i] = args[i];
    c[J + J_CHUNKS] = chunks;
    c[J + J_ROWS_PER] = rowsPer;
    Atomics.store(c, J + J_FINISHED, 0);
    for (let i = 0; i < free.length; i++) c[free[i].base + W_SCRATCH] = scratches[i];
    const job = (this.jobs = (this.jobs + 1) & 0x7fff);
    Atomics.store(c, J + J_CLAIM, job << 16); // publishes the job: everything above is visible to a thread that reads it
    for (const h of free) this.post(h, OP_MATMUL);
    let err: unknown = null, claimed = chunks, mine = 0;
    const t0 = performance.now();
    try {
      mine = this.claimChunks(c, job, chunks, rowsPer, r0, r1, scratch);
    } catch (e) {
      // A kernel trapped on this thread: close the job and wait only for chunks already claimed.
      err = e;
      claimed = Math.min(chunks, Atomics.exchange(c, J + J_CLAIM, (job << 16) | 0xffff) & 0xffff);
      Atomics.add(c, J + J_FINISHED, 1);
    }
    const tMine = performance.now() - t0;
    try { this.waitFinished(c, claimed, free); } catch (e) { err ??= e; }
    for (const p of scratches) this.heap.release(p, bytes);
    if (err !== null) throw err;
    const tAll = performance.now() - t0;
    if (mine > 0 && tAll > 0 && this.pauseWhenSlow) {
      if (g === undefined) {
        if (this.gains.size > 256) this.gains.clear();
        this.gains.set(key, (g = { gain: GAIN_PRIOR, pausedUntil: 0 }));
      }
      g.gain = 0.8 * g.gain + 0.2 * Math.min(threads, (tMine / mine) * chunks / tAll);
      if (g.gain < PAUSE_BELOW) g.pausedUntil = performance.now() + PAUSE_MS;
    }
  };
}
