import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Tests import src/ directly; `.wasm` (and the relaxed build's `.bin` delta) imports become Uint8Arrays, as esbuild's binary loader
// makes them in the bundle.
export default defineConfig({
  plugins: [{
    name: 'wasm-bytes',
    enforce: 'pre',
    load(id) {
      if (!id.endsWith('.wasm') && !id.endsWith('.bin')) return null;
      const b64 = readFileSync(id).toString('base64');
      return `export default Uint8Array.from(atob(${JSON.stringify(b64)}), (c) => c.charCodeAt(0));`;
    },
  }],
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 60000,
    hookTimeout: 60000,
    pool: 'threads',
  },
});
