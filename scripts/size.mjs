// Size budget: prints the gzip size of dist/index.js (the JS with both kernel builds inlined), of
// dist/tfjs-loader.js, dist/model-io.js and dist/datasets.js (imported by loadLayersModel, by saveModel /
// loadModel and by the datasets loaders on their first call, so outside what a page loads up front) and of each dist/*.wasm, and exits 1 when dist/index.js is above the budget (150 KB
// gzip, issue: performance).
import { gzipSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';

const BUDGET_KB = 150;
const kb = (n) => (n / 1024).toFixed(1);
const files = ['dist/index.js', 'dist/tfjs-loader.js', 'dist/model-io.js', 'dist/datasets.js', ...readdirSync('dist').filter((f) => f.endsWith('.wasm')).sort().map((f) => `dist/${f}`)];
let bundleGz = 0;
for (const f of files) {
  const bytes = readFileSync(f);
  const gz = gzipSync(bytes, { level: 9 }).length;
  if (f === 'dist/index.js') bundleGz = gz;
  console.log(`size: ${f.padEnd(26)} ${kb(bytes.length).padStart(7)} KB, gzip ${kb(gz).padStart(6)} KB`);
}
if (bundleGz > BUDGET_KB * 1024) {
  console.error(`size: dist/index.js is ${kb(bundleGz)} KB gzip, above the ${BUDGET_KB} KB budget`);
  process.exit(1);
}
console.log(`size: dist/index.js within the ${BUDGET_KB} KB gzip budget (${kb(bundleGz)} KB)`);
