// The host/module contract: every kernel the host calls is a function export, and the op codes
// mirrored in src/backend/exports.ts equal the module's exported globals.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { B, C, KERNEL_NAMES, R, U } from '../../src/backend/exports';

async function instance(name: string): Promise<Record<string, unknown>> {
  const bytes = readFileSync(new URL(`../../build/${name}.wasm`, import.meta.url));
  const memory = new WebAssembly.Memory({ initial: 1 });
  const { instance: inst } = await WebAssembly.instantiate(bytes, { env: { memory, abort() { throw new Error('abort'); } } });
  return inst.exports as Record<string, unknown>;
}

const snake = (s: string) => s.replace(/([A-Z])/g, '_$1').toUpperCase();

describe('kernel ABI', () => {
  it('every KERNEL_NAMES entry is a function export', async () => {
    const ex = await instance('release');
    expect(KERNEL_NAMES.filter((n) => typeof ex[n] !== 'function')).toEqual([]);
  });

  it('op codes equal the module globals, both ways', async () => {
    const ex = await instance('release');
    for (const [prefix, table] of [['U', U], ['B', B], ['C', C], ['R', R]] as const) {
      const fromHost = Object.fromEntries(Object.entries(table).map(([k, v]) => [`${prefix}_${snake(k)}`, v]));
      const fromModule = Object.fromEntries(Object.keys(ex).filter((k) => k.startsWith(`${prefix}_`))
        .map((k) => [k, (ex[k] as WebAssembly.Global).value]));
      expect(fromModule, `${prefix} codes`).toEqual(fromHost);
    }
  });
});
