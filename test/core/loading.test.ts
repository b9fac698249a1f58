// ready({ wasm }) with bytes, a compiled WebAssembly.Module and a file: URL, each in a fresh copy
// of the library (vi.resetModules); and ready() resolving once.
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';

const url = new URL('../../build/release.wasm', import.meta.url);

async function fresh() {
  vi.resetModules();
  return import('../../src/index');
}

async function works(lib: Awaited<ReturnType<typeof fresh>>): Promise<void> {
  const y = lib.tidy(() => lib.tensor([[1, 2], [3, 4]]).matmul(lib.tensor([1, 1])).exp().log().toArray());
  expect(y).toEqual([3, 7].map((v) => expect.closeTo(v, 5)));
  expect(lib.memory().numTensors).toBe(0);
}

describe('ready()', () => {
  it('accepts bytes', async () => {
    const lib = await fresh();
    const b = await lib.ready({ wasm: new Uint8Array(readFileSync(url)) });
    expect(b.flavor).toBe('custom');
    await works(lib);
  });

  it('accepts a compiled WebAssembly.Module', async () => {
    const lib = await fresh();
    await lib.ready({ wasm: new WebAssembly.Module(readFileSync(url)) });
    await works(lib);
  });

  it('accepts a file: URL (object and string)', async () => {
    const lib = await fresh();
    await lib.ready({ wasm: url });
    await works(lib);
    const lib2 = await fresh();
    await lib2.ready({ wasm: url.href });
    await works(lib2);
  });

  it('resolves once, and reports a bad module clearly', async () => {
    const lib = await fresh();
    const [a, b] = await Promise.all([lib.ready(), lib.ready()]);
    expect(a).toBe(b);
    const lib2 = await fresh();
    await expect(lib2.ready({ wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]) })).rejects.toThrow(/lacks the kernel 'heapBase'/);
    expect(lib2.isReady()).toBe(false);
  });
});
