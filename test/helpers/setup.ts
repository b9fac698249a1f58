// Every test file: load the kernels once, and check after each test that it left no tensor alive.
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { memory, ready } from '../../src/index';

let baseline = { numTensors: 0, numDataBuffers: 0 };

beforeAll(async () => {
  await ready();
});

beforeEach(() => {
  const m = memory();
  baseline = { numTensors: m.numTensors, numDataBuffers: m.numDataBuffers };
});

afterEach(() => {
  const m = memory();
  expect({ numTensors: m.numTensors, numDataBuffers: m.numDataBuffers }, 'the test left tensors alive').toEqual(baseline);
});
