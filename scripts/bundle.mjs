// Builds dist/index.js: one ES module with both kernel builds inlined (esbuild's binary loader; the
// relaxed one as a delta against the baseline, src/backend/wasm_delta.ts),
// for Node, browsers, Deno, Bun and workerd; dist/tfjs-loader.js, the TensorFlow.js model loader,
// which loadLayersModel imports on its first call (src/keras/load_layers_model.ts); the two kernel
// builds also as files (dist/asgrad.wasm, dist/asgrad-relaxed.wasm) for hosts that need a
// precompiled module or a URL (workerd, CDNs); then the type declarations with tsc.
// scripts/size.mjs reports the sizes.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';

const LOADER_ENTRY = 'src/keras/tfjs/load.ts', LOADER_DEPS = 'src/keras/tfjs/loader_deps.ts', LOADER_OUT = 'tfjs-loader.js';
const common = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: ['es2022', 'node20'],
  external: ['node:*'],
  sourcemap: true,
  // No keepNames (8 KB gzip): src/util/class_names.ts gives the exported classes their names back.
  // Fully minified; the .js.map files map stack-trace positions back to src/.
  minify: true,
  logLevel: 'warning',
};

/** esbuild plugin: imports whose resolved file is `file` become the external module `to`, or a module of `contents`. */
const redirect = (file, to, contents) => ({
  name: `redirect ${file}`,
  setup(b) {
    b.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData === 'inner') return undefined;
      const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'inner' });
      if (!r.path.endsWith(file)) return undefined;
      return contents ? { path: file, namespace: 'shim' } : { path: to, external: true };
    });
    if (contents) b.onLoad({ filter: /.*/, namespace: 'shim' }, () => ({ contents, loader: 'js' }));
  },
});

// The main bundle: `import('./tfjs/load')` in load_layers_model.ts stays a dynamic import of the loader file.
await build({
  ...common,
  entryPoints: ['src/index.ts'],
  loader: { '.wasm': 'binary', '.bin': 'binary' },
  outfile: 'dist/index.js',
  plugins: [redirect(LOADER_ENTRY, `./${LOADER_OUT}`)],
});

// The loader: every value it takes from the rest of asgrad comes through loader_deps.ts, which here
// reads the main bundle's `_loaderDeps` export, so both use one copy of each class and one heap.
const depNames = [...readFileSync(LOADER_DEPS, 'utf8').matchAll(/^export \{ ([^}]+) \}/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim()));
await build({
  ...common,
  entryPoints: [LOADER_ENTRY],
  outfile: `dist/${LOADER_OUT}`,
  plugins: [redirect(LOADER_DEPS, null, `import { _loaderDeps as d } from './index.js';\nexport const { ${depNames.join(', ')} } = d;\n`)],
  external: ['node:*', './index.js'],
});
copyFileSync('build/release.wasm', 'dist/asgrad.wasm');
copyFileSync('build/relaxed.wasm', 'dist/asgrad-relaxed.wasm');
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
