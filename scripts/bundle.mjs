// Builds dist/index.js: one ES module with both kernel builds inlined (esbuild's binary loader; the
// relaxed one as a delta against the baseline, src/backend/wasm_delta.ts),
// for Node, browsers, Deno, Bun and workerd; the two builds also as files (dist/asgrad.wasm,
// dist/asgrad-relaxed.wasm) for hosts that need a precompiled module or a URL (workerd, CDNs);
// then the type declarations with tsc. scripts/size.mjs reports the sizes.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';

await build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: ['es2022', 'node20'],
  loader: { '.wasm': 'binary', '.bin': 'binary' },
  external: ['node:*'],
  outfile: 'dist/index.js',
  sourcemap: true,
  // No keepNames (8 KB gzip): src/util/class_names.ts gives the exported classes their names back.
  // Fully minified; dist/index.js.map maps stack-trace positions back to src/.
  minify: true,
  logLevel: 'warning',
});
copyFileSync('build/release.wasm', 'dist/asgrad.wasm');
copyFileSync('build/relaxed.wasm', 'dist/asgrad-relaxed.wasm');
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
