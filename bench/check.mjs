// Regression check: re-runs the benchmarks and compares every ratio with the one recorded in
// bench/RESULTS.md (the `<!-- ratios {...} -->` comment of each section). Exit code 1 when any
// figure fell by more than the tolerance (default 10%). Sections with a fallen figure run a second
// time and each figure keeps its better value, so one disturbed sample does not fail the check.
//   node bench/check.mjs [--only=matmul,elementwise,train] [--tolerance=0.1]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { markdownTable } from './harness.mjs';

const resultsFile = new URL('./RESULTS.md', import.meta.url);

/** { sectionName: { figure: ratio } } from RESULTS.md. */
export function recordedRatios(text = readFileSync(resultsFile, 'utf8')) {
  const out = {};
  for (const m of text.matchAll(/<!-- bench:([\w-]+) -->([\s\S]*?)<!-- \/bench:\1 -->/g)) {
    const r = m[2].match(/<!-- ratios (\{[\s\S]*?\}) -->/);
    if (r) out[m[1]] = JSON.parse(r[1]);
  }
  return out;
}

/** Compares fresh ratios with recorded ones; returns rows { figure, was, now, change, fell }. */
export function compareRatios(recorded, fresh, tolerance) {
  const rows = [];
  for (const [figure, was] of Object.entries(recorded)) {
    const now = fresh[figure];
    const change = now === undefined ? undefined : now / was - 1;
    rows.push({ figure, was, now, change, fell: now === undefined || change < -tolerance });
  }
  return rows;
}

/** `suite` is bench/run.mjs's { parseOnly, runSections, SECTIONS } (passed in: run.mjs imports this file). */
export async function checkMain(args, { parseOnly, runSections, SECTIONS }) {
  const only = parseOnly(args);
  const tolerance = Number(args.find((a) => a.startsWith('--tolerance='))?.slice(12) ?? 0.1);
  if (!(tolerance >= 0)) throw new Error('bench --check: --tolerance= expects a fraction such as 0.1');
  const recorded = recordedRatios();
  const missing = only.filter((n) => !recorded[SECTIONS[n].name ?? n]);
  if (missing.length) {
    console.error(`bench --check: bench/RESULTS.md has no recorded ratios for ${missing.join(', ')}; run \`npm run bench\` first`);
    return 1;
  }
  const out = await runSections(only);
  const compareSection = (n) => compareRatios(recorded[SECTIONS[n].name ?? n], out[n].ratios, tolerance);
  const again = only.filter((n) => compareSection(n).some((r) => r.fell));
  if (again.length) {
    console.log(`\nbench --check: figures fell in ${again.join(', ')}; running ${again.length > 1 ? 'them' : 'it'} once more`);
    const second = await runSections(again);
    for (const n of again) {
      for (const [k, v] of Object.entries(second[n].ratios)) out[n].ratios[k] = Math.max(v, out[n].ratios[k] ?? 0);
    }
  }
  const rows = only.flatMap(compareSection);
  const pct = (x) => (x === undefined ? 'missing' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`);
  console.log(`\n${markdownTable(['figure', 'recorded', 'now', 'change', ''],
    rows.map((r) => [r.figure, `${r.was.toFixed(2)}×`, r.now === undefined ? '—' : `${r.now.toFixed(2)}×`, pct(r.change), r.fell ? 'FELL' : '']))}`);
  const fell = rows.filter((r) => r.fell);
  if (fell.length === 0) {
    console.log(`\nbench --check: all ${rows.length} ratios within ${(100 * tolerance).toFixed(0)}% of bench/RESULTS.md or better`);
    return 0;
  }
  console.log(`\nbench --check: ${fell.length} of ${rows.length} ratios fell more than ${(100 * tolerance).toFixed(0)}%:`);
  for (const r of fell) console.log(`  ${r.figure}: ${r.was.toFixed(2)}× -> ${r.now === undefined ? 'not measured' : `${r.now.toFixed(2)}×`} (${pct(r.change)})`);
  return 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await checkMain(process.argv.slice(2), await import('./run.mjs'));
}
