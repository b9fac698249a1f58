// The pool worker's script, as source text: it needs no file next to the bundle (Node runs it with
// worker_threads' `eval`, browsers, Deno and Bun from a Blob URL). It receives the compiled module,
// the shared memory, the word index of its command block and of the pool's job block, instantiates
// the kernels on that memory, then claims GEMM row chunks until told to quit.
//
// Command block (one per worker, Int32 words):
//   [0] seq: bumped by the caller to wake the worker   [2] state: 1 ready, 2 failed, 3 quit
//   [3] op: 1 matmul, 2 quit                            [4] the worker's packing scratch for this job
// Job block (one per pool, Int32 words; written by the caller before it publishes the claim word):
//   [0] claim: (job & 0x7fff) << 16 | next chunk       [1] chunks finished in this job
//   [2] chunks workers ran (all jobs; tests read it)    [3] chunks in this job   [4] rows per chunk
//   [5..17] matmul_f32's arguments out..ldc, then the job's first and end row (scratch is per thread)
// A thread runs chunk i (rows r0 + i·rowsPer ..) only after moving claim from (job, i) to
// (job, i + 1) with compareExchange; a worker that wakes late finds the claim of a finished job at
// its end, or of a newer job whose arguments are already in place, so it never runs stale rows.
export const W_SEQ = 0, W_STATE = 2, W_OP = 3, W_SCRATCH = 4, W_WORDS = 16;
export const J_CLAIM = 0, J_FINISHED = 1, J_WORKER_CHUNKS = 2, J_CHUNKS = 3, J_ROWS_PER = 4, J_ARGS = 5, J_WORDS = 32;
export const OP_MATMUL = 1, OP_QUIT = 2;

interface WorkerData { module: WebAssembly.Module; memory: WebAssembly.Memory; base: number; job: number; spin: number }
type MatmulExport = (...args: number[]) => void;
declare const close: (() => void) | undefined;

/**
 * The worker's body. It is sent as source text (`String(asgradWorker)`), so it may use only its
 * argument and the worker's globals, and the word offsets above are written out as numbers.
 */
function asgradWorker(d: WorkerData): void {
  const memory = d.memory, w = d.base, J = d.job, spin = d.spin;
  const c = new Int32Array(memory.buffer); // both blocks lie below every later grow
  const failed = () => { Atomics.store(c, w + 2, 2); Atomics.notify(c, J + 1); };
  WebAssembly.instantiate(d.module, { env: { memory, abort() { throw new Error('asgrad worker: a kernel aborted'); } } }).then((inst) => {
    const mm = inst.exports.matmul_f32 as MatmulExport;
    let seen = Atomics.load(c, w);
    Atomics.store(c, w + 2, 1);
    for (;;) {
      let s = Atomics.load(c, w);
      for (let i = 0; s === seen && i < spin; i++) s = Atomics.load(c, w);
      if (s === seen) { Atomics.wait(c, w, seen); continue; }
      seen = s;
      if (c[w + 3] === 2) { Atomics.store(c, w + 2, 3); if (typeof close === 'function') close(); return; }
      const job = Atomics.load(c, J) >>> 16, n = c[J + 3], per = c[J + 4], r0 = c[J + 16], r1 = c[J + 17], scratch = c[w + 4];
      for (;;) {
        const v = Atomics.load(c, J), i = v & 0xffff;
        if (v >>> 16 !== job || i >= n) break;
        if (Atomics.compareExchange(c, J, v, v + 1) !== v) continue;
        const start = r0 + i * per;
        try {
          mm(c[J + 5], c[J + 6], c[J + 7], c[J + 8], c[J + 9], c[J + 10], c[J + 11], c[J + 12], c[J + 13], c[J + 14],
            c[J + 15], start, Math.min(start + per, r1), scratch);
        } catch (e) { Atomics.store(c, w + 2, 2); Atomics.add(c, J + 1, 1); Atomics.notify(c, J + 1); throw e; }
        Atomics.add(c, J + 2, 1);
        if (Atomics.add(c, J + 1, 1) + 1 === n) Atomics.notify(c, J + 1);
      }
    }
  }, (e) => { failed(); throw e; });
}

export const WORKER_SOURCE = `'use strict';const asgradWorker=${String(asgradWorker)};
if (typeof require === 'function') require('node:worker_threads').parentPort.once('message', (d) => asgradWorker(d));
else self.onmessage = (e) => asgradWorker(e.data);
`;
