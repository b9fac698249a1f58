// Elementwise bandwidth, ours (public API) vs TensorFlow.js wasm and cpu: add, bias add, relu, and
// (at 2^16) the transcendentals exp, sigmoid and tanh.
//   node bench/elementwise.mjs   (prints; bench/run.mjs writes RESULTS.md)
// GB/s = bytes read + written / time per call; every call's result is disposed.
import * as ag from '../dist/index.js';
import { fileURLToPath } from 'node:url';
import { compare, fmt, markdownTable, ratio } from './harness.mjs';
import { loadTf } from './matmul.mjs';

export const SIZES = [1 << 16, 1 << 20, 1 << 22];
/** Width of the bias in the broadcast case: [N / BIAS, BIAS] + [BIAS]. */
export const BIAS = 512;

const pow2 = (n) => `2^${Math.log2(n)}`;

/** The cases for one total size n: shapes, bytes moved and a builder of both libraries' calls. */
function cases(n) {
  return [
    { op: 'add', label: `add [${pow2(n)}] + [${pow2(n)}]`, a: [n], b: [n], bytes: 3 * 4 * n },
    { op: 'add', label: `bias add [${n / BIAS}, ${BIAS}] + [${BIAS}]`, a: [n / BIAS, BIAS], b: [BIAS], bytes: 4 * (2 * n + BIAS) },
    { op: 'relu', label: `relu [${pow2(n)}]`, a: [n], bytes: 2 * 4 * n },
    // Compute-bound rather than memory-bound: one size says it.
    ...(n === SIZES[0] ? TRANSCENDENTAL.map((op) => ({ op, label: `${op} [${pow2(n)}]`, a: [n], bytes: 2 * 4 * n, tol: 2e-6 })) : []),
  ];
}

/** Unary ops whose results are approximations on every side: compared within `tol` (relative), not bitwise. */
const TRANSCENDENTAL = ['exp', 'sigmoid', 'tanh'];

/** The call on either library (`lib` is ag or tf: both name these ops alike). */
const call = (lib, c, a, b) => (c.op === 'add' ? lib.add(a, b) : lib[c.op](a));

function ourSide(c) {
  const a = ag.randn(c.a), b = c.b ? ag.randn(c.b) : null;
  const run = () => { call(ag, c, a, b).dispose(); };
  const result = () => { const r = call(ag, c, a, b); const d = r.data(); r.dispose(); return d; };
  return { run, result, inputs: [a.data(), b?.data()], dispose: () => { a.dispose(); b?.dispose(); } };
}

function tfSide(tf, backend, c, inputs) {
  tf.setBackend(backend);
  const a = tf.tensor(inputs[0], c.a), b = c.b ? tf.tensor(inputs[1], c.b) : null;
  const run = () => { call(tf, c, a, b).dispose(); };
  const result = () => { const r = call(tf, c, a, b); const d = r.dataSync(); r.dispose(); return d; };
  return { run, result, enter: () => tf.setBackend(backend), dispose: () => { a.dispose(); b?.dispose(); } };
}

/** Runs every case; returns rows { label, n, ours, wasm, cpu } in GB/s. */
export async function runElementwiseBench({ log = console.log } = {}) {
  await ag.ready();
  const tf = await loadTf();
  const rows = [];
  for (const n of SIZES) {
    for (const c of cases(n)) {
      const ours = ourSide(c);
      const tw = tfSide(tf, 'wasm', c, ours.inputs), tc = tfSide(tf, 'cpu', c, ours.inputs);
      const want = ours.result();
      for (const [name, side] of [['tfjs-wasm', tw], ['tfjs-cpu', tc]]) {
        side.enter();
        const got = side.result();
        for (let i = 0; i < want.length; i++) {
          if (c.tol ? !(Math.abs(got[i] - want[i]) <= c.tol * Math.abs(want[i]) + 1e-7) : got[i] !== want[i]) throw new Error(`${c.label}: ours differs from ${name} at ${i}: ${want[i]} vs ${got[i]}`);
        }
      }
      const t = await compare([
        { name: 'ours', run: ours.run },
        { name: 'wasm', run: tw.run, enter: tw.enter },
        { name: 'cpu', run: tc.run, enter: tc.enter },
      ], { samples: 9, warmupMs: 100, minSampleMs: 25 });
      ours.dispose(); tw.dispose(); tc.dispose();
      const gbs = (ms) => c.bytes / ms / 1e6;
      const row = { key: `${c.op}${c.b && c.b.length < c.a.length ? '-bias' : ''}-${pow2(n)}`, label: c.label, ours: gbs(t.ours), wasm: gbs(t.wasm), cpu: gbs(t.cpu) };
      rows.push(row);
      log(`${row.label.padEnd(28)} ours ${fmt(row.ours, 2).padStart(6)}  tfjs-wasm ${fmt(row.wasm, 2).padStart(6)}  tfjs-cpu ${fmt(row.cpu, 2).padStart(6)}  GB/s   ours/wasm ${ratio(row.ours, row.wasm)}  ours/cpu ${ratio(row.ours, row.cpu)}`);
    }
  }
  return rows;
}

export function elementwiseTable(rows) {
  return markdownTable(
    ['op', 'asgrad', 'tfjs-wasm', 'tfjs-cpu', 'asgrad / tfjs-wasm', 'asgrad / tfjs-cpu'],
    rows.map((r) => [r.label, fmt(r.ours, 2), fmt(r.wasm, 2), fmt(r.cpu, 2), ratio(r.ours, r.wasm), ratio(r.ours, r.cpu)]),
  );
}

export const elementwiseNotes = [
  'GB/s = (bytes read + bytes written) / time per call, float32, median of alternating samples in one process.',
  `add: 3·4·N bytes; bias add: 4·(2·N + ${BIAS}) bytes (the [${BIAS}] bias row broadcast over N / ${BIAS} rows); relu: 2·4·N bytes.`,
  'asgrad: `ag.add(a, b).dispose()` / `ag.relu(a).dispose()` on tensors from `ag.randn`; tfjs: `tf.add(a, b).dispose()` /',
  '`tf.relu(a).dispose()` on the same values (tfjs-wasm single thread, tfjs-cpu). Results checked bit-equal before timing;',
  'exp, sigmoid and tanh (2·4·N bytes, but bound by arithmetic, not memory) within 2e-6 relative, since every side approximates.',
  '2^22 floats (16 MiB per operand) no longer fit in cache: those rows measure memory bandwidth.',
].join('\n');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`\n${elementwiseTable(await runElementwiseBench())}`);
}
