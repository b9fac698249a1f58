// Every test file: load the kernels once, and check after each test that it left no tensor alive.
// ASGRAD_THREADS=n (n > 1, `npm test`'s second pass) runs the file with n threads and every GEMM of
// 8 rows or more split across them; unset, one thread and an unshared memory.
// ASGRAD_FLAVOR=relaxed (the third pass, run under node --experimental-wasm-relaxed-simd) asserts
// that the relaxed-SIMD build was the one loaded, so that pass really tests it.
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { memory, ready } from '../../src/index';

const THREADS = Number(process.env.ASGRAD_THREADS ?? 1);

let baseline = { numTensors: 0, numDataBuffers: 0 };

beforeAll(async () => {
  const b = await ready({ threads: THREADS });
  if (process.env.ASGRAD_FLAVOR) expect(b.flavor, 'ASGRAD_FLAVOR: wrong kernel build loaded').toBe(process.env.ASGRAD_FLAVOR);
  if (THREADS > 1) {
    await b.pool?.started();
    expect(b.pool?.readyWorkers, 'ASGRAD_THREADS: the worker pool did not start').toBe(THREADS - 1);
    b.pool!.minFlops = 0;
    b.pool!.minRows = 4;
    b.pool!.pauseWhenSlow = false;
  }
});

beforeEach(() => {
  const m = memory();
  baseline = { numTensors: m.numTensors, numDataBuffers: m.numDataBuffers };
});

afterEach(() => {
  const m = memory();
  expect({ numTensors: m.numTensors, numDataBuffers: m.numDataBuffers }, 'the test left tensors alive').toEqual(baseline);
});
