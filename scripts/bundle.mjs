// Builds dist/index.js: one ES module with both kernel builds inlined (esbuild's binary loader),
// for Node, browsers, Deno, Bun and workerd; then the type declarations with tsc.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

await build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: ['es2022', 'node20'],
  loader: { '.wasm': 'binary' },
  external: ['node:*'],
  outfile: 'dist/index.js',
  sourcemap: true,
  keepNames: true, // Module.toString prints class names (nn.Dropout and layers' Dropout must not become Dropout2)
  logLevel: 'warning',
});
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
const js = readFileSync('dist/index.js');
console.log(`bundle: dist/index.js ${(js.length / 1024).toFixed(1)} KB, gzip ${(gzipSync(js).length / 1024).toFixed(1)} KB`);
