// Builds dist/index.js: one ES module with both kernel builds inlined (esbuild's binary loader; the
// relaxed one as a delta against the baseline, src/backend/wasm_delta.ts),
// for Node, browsers, Deno, Bun and workerd; the files it imports on demand (LAZY below: the
// TensorFlow.js model loader, model saving and loading, the data set loaders); the two kernel builds also as files
// (dist/asgrad.wasm, dist/asgrad-relaxed.wasm) for hosts that need a precompiled module or a URL
// (workerd, CDNs); then the type declarations with tsc. scripts/size.mjs reports the sizes.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';

/**
 * Parts of the library the main bundle imports on first use (async APIs only): `entry` is built
 * as dist/`out`; every value it takes from the rest of asgrad comes through `deps`, which in that
 * build reads the main bundle's export `exportName` (so both use one copy of each class and one heap).
 */
export const LAZY = [
  { entry: 'src/keras/tfjs/load.ts', deps: 'src/keras/tfjs/loader_deps.ts', exportName: '_loaderDeps', out: 'tfjs-loader.js' },
  { entry: 'src/keras/save.ts', deps: 'src/keras/model_io_deps.ts', exportName: '_modelIoDeps', out: 'model-io.js' },
  { entry: 'src/data/datasets_load.ts', deps: 'src/data/datasets_deps.ts', exportName: '_datasetDeps', out: 'datasets.js' },
];

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

/** esbuild plugin: imports whose resolved file is a key of `map` become the external module (a
 *  string value) or a module of the given contents ({ contents }). */
const redirect = (map) => ({
  name: 'redirect',
  setup(b) {
    b.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData === 'inner') return undefined;
      const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'inner' });
      const hit = Object.keys(map).find((file) => r.path.endsWith(file));
      if (hit === undefined) return undefined;
      return typeof map[hit] === 'string' ? { path: map[hit], external: true } : { path: hit, namespace: 'shim' };
    });
    b.onLoad({ filter: /.*/, namespace: 'shim' }, (args) => ({ contents: map[args.path].contents, loader: 'js' }));
  },
});

// The main bundle: each `import('./…')` of a lazy entry stays a dynamic import of its file.
await build({
  ...common,
  entryPoints: ['src/index.ts'],
  loader: { '.wasm': 'binary', '.bin': 'binary' },
  outfile: 'dist/index.js',
  plugins: [redirect(Object.fromEntries(LAZY.map((l) => [l.entry, `./${l.out}`])))],
});

// Each lazy file: its deps module reads the main bundle's export of it.
for (const l of LAZY) {
  const names = [...readFileSync(l.deps, 'utf8').matchAll(/^export \{ ([^}]+) \}/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim()));
  await build({
    ...common,
    entryPoints: [l.entry],
    outfile: `dist/${l.out}`,
    plugins: [redirect({ [l.deps]: { contents: `import { ${l.exportName} as d } from './index.js';\nexport const { ${names.join(', ')} } = d;\n` } })],
    external: ['node:*', './index.js'],
  });
}
copyFileSync('build/release.wasm', 'dist/asgrad.wasm');
copyFileSync('build/relaxed.wasm', 'dist/asgrad-relaxed.wasm');
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
