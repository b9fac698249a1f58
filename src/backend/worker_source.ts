// The pool worker's script, as source text: it needs no file next to the bundle (Node runs it with
// worker_threads' `eval`, browsers, Deno and Bun from a Blob URL). It receives the compiled module,
// the shared memory and the word index of its command block, instantiates the kernels on that
// memory, then serves GEMM row ranges until told to quit. Command block (Int32 words, see threads.ts):
//   [0] seq: bumped by the main thread to post a job     [1] done: set to seq when the job finished
//   [2] state: 1 ready, 2 failed, 3 quit                  [3] op: 1 matmul_f32, 2 quit
//   [4..17] matmul_f32's 14 arguments                   [18..19] f64: when the job ended (ms, timeOrigin + now())
export const W_SEQ = 0, W_DONE = 1, W_STATE = 2, W_OP = 3, W_ARGS = 4, W_END = 18, W_WORDS = 32;
export const OP_MATMUL = 1, OP_QUIT = 2;

export const WORKER_SOURCE = `'use strict';
function asgradWorker(d) {
  const memory = d.memory, w = d.base, spin = d.spin;
  const c = new Int32Array(memory.buffer); // the command block lies below every later grow
  const f = new Float64Array(memory.buffer, 0, c.length >> 1), origin = performance.timeOrigin;
  const fail = () => { Atomics.store(c, w + 2, 2); Atomics.store(c, w + 1, Atomics.load(c, w)); Atomics.notify(c, w + 1); };
  WebAssembly.instantiate(d.module, { env: { memory, abort() { throw new Error('asgrad worker: a kernel aborted'); } } }).then((inst) => {
    const mm = inst.exports.matmul_f32;
    let seen = Atomics.load(c, w);
    Atomics.store(c, w + 2, 1);
    for (;;) {
      let s = Atomics.load(c, w);
      for (let i = 0; s === seen && i < spin; i++) s = Atomics.load(c, w);
      if (s === seen) { Atomics.wait(c, w, seen); continue; }
      seen = s;
      if (c[w + 3] === 2) { Atomics.store(c, w + 2, 3); if (typeof close === 'function') close(); return; }
      try {
        mm(c[w + 4], c[w + 5], c[w + 6], c[w + 7], c[w + 8], c[w + 9], c[w + 10], c[w + 11], c[w + 12], c[w + 13],
          c[w + 14], c[w + 15], c[w + 16], c[w + 17]);
      } catch (e) { fail(); throw e; }
      f[(w + 18) >> 1] = origin + performance.now();
      Atomics.store(c, w + 1, seen);
      Atomics.notify(c, w + 1);
    }
  }, (e) => { fail(); throw e; });
}
if (typeof require === 'function') require('node:worker_threads').parentPort.once('message', asgradWorker);
else self.onmessage = (e) => asgradWorker(e.data);
`;
