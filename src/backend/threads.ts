// The worker pool: GEMMs split by row ranges between the calling thread and workers that run the
// same kernel module on the same shared WebAssembly.Memory. matmul_f32's result does not depend
// on how rows are split (assembly/kernels/matmul.ts), so threads change speed, never bits.
//
// Protocol (one command block of W_WORDS Int32 words per worker, in the heap, see worker_source.ts):
// the calling thread allocates every helper's packing scratch first (only it allocates, and only
// while no kernel runs), writes each job's arguments, bumps `seq` and notifies; runs its own rows;
// then waits for each `done === seq`: Atomics.wait where the thread may block (Node's main thread,
// workers, Deno, Bun), a spin on Atomics.load where it may not (a browser page's main thread).
// The caller's share of the rows adapts per GEMM shape so all threads finish together (a worker
// that wakes up or pulls operands from the caller's cache gets fewer rows). Workers start at the
// first GEMM worth splitting and are unref'd in Node, so a pool never keeps a process alive.
import type { Heap } from './heap';
import type { Kernels } from './exports';
import { OP_MATMUL, OP_QUIT, W_ARGS, W_DONE, W_END, W_OP, W_SEQ, W_STATE, W_WORDS, WORKER_SOURCE } from './worker_source';
import { check } from '../util/errors';

export type ThreadsOption = number | 'auto';

/** GEMMs below this many FLOPs (2·rows·N·K, 128³ = 4.2 M) run on the calling thread. Measured on
 *  2 cores: a split 128³ runs 1.3-1.9× faster, 64³-100³ only 1.0-1.2× (a sleeping worker takes
 *  ~40 µs to wake, the time of ~1.4 MFLOP). */
export const MIN_SPLIT_FLOPS = 2 ** 22;
/** Fewest rows a part of a split GEMM gets: every part packs all of B (K·N floats), so a part
 *  of r rows does 2r FLOPs per packed float; at 8 rows a split [16×54]·[54×9216] ran 0.96×, at 32
 *  rows a split [64×288]·[288×1024] 1.6×. */
export const MIN_SPLIT_ROWS = 32;
/** Atomics.load polls (~13 ns each in V8) before sleeping in Atomics.wait, whose wake-up costs
 *  ~40 µs on an idle core and up to a scheduler tick on a busy one: a worker between jobs
 *  (~2.6 ms, longer than a small model's training step, so it stays awake through training), and
 *  a caller waiting for a worker (~1.3 ms, longer than most worker shares). */
const WORKER_SPIN = 200000;
const CALLER_SPIN = 100000;
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
  private f64: Float64Array;
  /** Per GEMM shape, the caller's share of the rows, adapted so all threads finish together. */
  private readonly shares = new Map<string, number>();
  /** GEMMs below this many FLOPs stay on the caller (tests set 0 to split everything). */
  minFlops = MIN_SPLIT_FLOPS;
  /** Fewest rows per part (tests set 4 to split small GEMMs too). */
  minRows = MIN_SPLIT_ROWS;
  /** GEMM calls split so far (tests check the pool really ran). */
  splits = 0;
  private readonly raw: Matmul;

  constructor(private readonly module: WebAssembly.Module, private readonly memory: WebAssembly.Memory,
    private readonly heap: Heap, private readonly k: Kernels, private readonly env: ThreadEnv) {
    this.raw = k.matmul_f32;
    this.view = new Int32Array(memory.buffer);
    this.f64 = new Float64Array(memory.buffer, 0, this.view.length >> 1);
  }

  get threads(): number { return this.wanted; }

  /** Cores the runtime reports. */
  get cores(): number { return this.env.cores; }

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
    if (this.view.buffer !== this.memory.buffer) {
      this.view = new Int32Array(this.memory.buffer);
      this.f64 = new Float64Array(this.memory.buffer, 0, this.view.length >> 1);
    }
    return this.view;
  }

  private state(h: Helper): number {
    if (h.state !== 1 && h.state !== 2) h.state = Atomics.load(this.words(), h.base + W_STATE);
    return h.state;
  }

  private spawn(): void {
    while (this.helpers.length < this.wanted - 1) this.startHelper();
  }

  private startHelper(): void {
    const ptr = this.heap.alloc(W_WORDS * 4); // never released: the block lives as long as the memory
    const c = this.words();
    c.fill(0, ptr >> 2, (ptr >> 2) + W_WORDS);
    const h: Helper = { base: ptr >> 2, state: 0, seq: 0, handle: { terminate() {} } };
    const fail = () => { Atomics.store(this.words(), h.base + W_STATE, 2); h.state = 2; };
    try {
      h.handle = this.env.spawn({ module: this.module, memory: this.memory, base: h.base, spin: WORKER_SPIN }, fail);
    } catch {
      fail();
    }
    this.helpers.push(h);
  }

  private post(h: Helper, op: number, args?: ArrayLike<number>): void {
    const c = this.words();
    c[h.base + W_OP] = op;
    if (args) for (let i = 0; i < args.length; i++) c[h.base + W_ARGS + i] = args[i];
    h.seq = (h.seq + 1) | 0;
    Atomics.store(c, h.base + W_SEQ, h.seq);
    Atomics.notify(c, h.base + W_SEQ, 1);
  }

  private wait(h: Helper): void {
    const c = this.words(), i = h.base + W_DONE;
    let spins = 0;
    for (let d = Atomics.load(c, i); d !== h.seq; d = Atomics.load(c, i)) {
      if (this.block && ++spins > CALLER_SPIN) Atomics.wait(c, i, d, 100);
    }
    if (Atomics.load(c, h.base + W_STATE) === 2) {
      h.state = 2;
      throw new Error('asgrad: a worker thread failed during a matrix multiply (this is a bug in asgrad: please report it)');
    }
  }

  /** matmul_f32 with rows [r0, r1) split between the caller and ready workers when large enough. */
  private readonly matmul: Matmul = (out, a, b, M, N, K, aRow, aCol, bRow, bCol, ldc, r0, r1, scratch) => {
    const rows = r1 - r0;
    let parts = 2 * rows * N * K >= this.minFlops ? Math.min(this.wanted, Math.floor(rows / this.minRows)) : 1;
    if (parts > 1 && this.helpers.length < this.wanted - 1) this.spawn();
    const free: Helper[] = [];
    for (let i = 0; i < this.helpers.length && free.length < parts - 1; i++) {
      if (this.state(this.helpers[i]) === 1) free.push(this.helpers[i]);
    }
    parts = free.length + 1;
    if (parts < 2) { this.raw(out, a, b, M, N, K, aRow, aCol, bRow, bCol, ldc, r0, r1, scratch); return; }
    this.splits++;
    // The caller takes the last `mine` rows, the workers equal parts of the rest (multiples of 4).
    const key = `${M},${N},${K},${aRow},${aCol},${bRow},${bCol},${parts}`;
    const share = this.shares.get(key) ?? 1 / parts;
    const mine = Math.min(rows - 4 * (parts - 1), Math.max(4, Math.round(rows * share / 4) * 4));
    const rest = rows - mine, step = Math.ceil(rest / (parts - 1) / 4) * 4;
    const bytes = this.k.matmul_f32_scratch_bytes(M, N, K);
    // Every allocation (which may grow memory) before any worker starts.
    const scratches = free.map(() => this.heap.alloc(bytes));
    const t0 = performance.timeOrigin + performance.now();
    let s = r0, used = 0;
    for (; used < free.length && s < r0 + rest; used++, s += step) {
      this.post(free[used], OP_MATMUL, [out, a, b, M, N, K, aRow, aCol, bRow, bCol, ldc, s, Math.min(s + step, r0 + rest), scratches[used]]);
    }
    let err: unknown = null;
    try {
      this.raw(out, a, b, M, N, K, aRow, aCol, bRow, bCol, ldc, r0 + rest, r1, scratch);
    } catch (e) { err = e; }
    const tMine = performance.timeOrigin + performance.now() - t0;
    let tWorkers = 0;
    for (let i = 0; i < used; i++) {
      try { this.wait(free[i]); } catch (e) { err ??= e; }
      tWorkers = Math.max(tWorkers, this.f64[(free[i].base + W_END) >> 1] - t0);
    }
    for (const p of scratches) this.heap.release(p, bytes);
    if (err !== null) throw err;
    // Rows per ms of the caller and of the slowest worker (whose time includes waking up and
    // pulling operands the caller's cache holds): the share that would have them finish together.
    if (tMine > 0 && tWorkers > 0) {
      const rc = mine / tMine, rw = step / tWorkers;
      const target = rc / (rc + (parts - 1) * rw);
      if (this.shares.size > 256) this.shares.clear();
      this.shares.set(key, Math.min(0.9, Math.max(0.1, 0.7 * share + 0.3 * target)));
    }
  };
}
