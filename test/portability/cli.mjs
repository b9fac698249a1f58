// Runs the workload in a command-line runtime (node, deno, bun): `RUNTIME cli.mjs BUNDLE [MODE]`,
// prints the result as one JSON line. MODE: 'baseline' (default: the inlined baseline build),
// 'relaxed' (the inlined default choice), 'file-url' (ready({ wasm: file URL of dist/asgrad.wasm })),
// 'threads' (the default ready(), then threads-check.mjs's result instead of the workload's).
import { workload } from './workload.mjs';
import { threadsCheck } from './threads-check.mjs';

const args = globalThis.Deno ? Deno.args : process.argv.slice(2);
const bundle = new URL(args[0], `file://${globalThis.Deno ? Deno.cwd() : process.cwd()}/`);
const ag = await import(bundle.href);
const mode = args[1] ?? 'baseline';
if (mode === 'threads') {
  console.log(JSON.stringify(await threadsCheck(ag)));
} else {
  const options = mode === 'file-url' ? { wasm: new URL('asgrad.wasm', bundle) } : { relaxedSimd: mode === 'relaxed' };
  console.log(JSON.stringify(await workload(ag, options)));
}
