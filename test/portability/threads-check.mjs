// Threads in a runtime that allows them: after ready(), how many threads and workers run, and a
// GEMM large enough to be split gives bitwise the same product on two threads as on one.
/** @param {typeof import('../../dist/index.js')} ag */
export async function threadsCheck(ag) {
  const backend = await ag.ready();
  await backend.pool?.started(); // workers start in the background (internal: pool is not public API)
  const product = (threads) => {
    ag.setNumThreads(threads);
    return ag.tidy(() => {
      ag.manualSeed(11);
      const a = ag.randn([300, 200]), b = ag.randn([150, 200]);
      return ag.matmul(a, b.transpose(0, 1)).data();
    });
  };
  const threads = ag.getNumThreads();
  const splitsBefore = backend.pool?.splits ?? 0;
  const one = product(1), two = product(2);
  ag.setNumThreads(threads);
  return {
    threads,
    shared: typeof SharedArrayBuffer === 'function' && backend.heap.memory.buffer instanceof SharedArrayBuffer,
    workers: backend.pool?.readyWorkers ?? 0,
    splits: (backend.pool?.splits ?? 0) - splitsBefore,
    bitwiseEqual: one.length === two.length && one.every((v, i) => Object.is(v, two[i])),
  };
}
