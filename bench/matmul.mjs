// SGEMM throughput, ours vs TensorFlow.js (wasm/XNNPACK and cpu backends), one thread; plus ours on
// the worker pool's default thread count (ag.setNumThreads, 'auto') and its ratio to one thread.
//   node bench/matmul.mjs [--no-cpu] [--only=256,mlp]   (prints; bench/run.mjs writes RESULTS.md)
// The headline side is the public API (ag.matmul on dist/index.js, whichever build ready() picked;
// transposed operands are .T / transpose(0, 1) views). When that build is not the relaxed-SIMD one
// (Node 20 needs --experimental-wasm-relaxed-simd), a second column drives the raw relaxed kernel
// (build/relaxed.wasm, rawMatmul()) to show what the library gets on engines that ship it.
import * as ag from '../dist/index.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { compare, fmt, markdownTable, ratio } from './harness.mjs';
import { measurePeak } from './peak.mjs';

const buildDir = () => process.env.ASGRAD_WASM_DIR
  ? new URL(`file://${process.env.ASGRAD_WASM_DIR.replace(/\/?$/, '/')}`)
  : new URL('../build/', import.meta.url);

/** The shapes: A is M×K, B is K×N; transA / transB say the operand is stored transposed. */
export const SHAPES = [
  ...[64, 128, 256, 512, 1024].map((n) => ({ label: `${n}×${n}·${n}×${n}`, key: String(n), M: n, N: n, K: n })),
  { label: '[128×784]·[784×128]', key: 'mlp', M: 128, N: 128, K: 784 },
  { label: '[784×128]ᵀ·[128×128]', key: 'mlp', M: 784, N: 128, K: 128, transA: true },
  { label: '[128×128]·[784×128]ᵀ', key: 'mlp', M: 128, N: 784, K: 128, transB: true },
  { label: '[128×128]·[128×10]', key: 'mlp', M: 128, N: 10, K: 128 },
  { label: '[1×784]·[784×128]', key: 'small', M: 1, N: 128, K: 784 },
  { label: '[1×784]·[128×784]ᵀ', key: 'small', M: 1, N: 128, K: 784, transB: true },
  { label: '[1×128]·[128×10]', key: 'small', M: 1, N: 10, K: 128 },
];

function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  };
}

/** Inputs for one shape: A and B in their storage layout (transposed storage when trans*). */
export function makeSetup(shape) {
  const rnd = random(shape.M * 31 + shape.N * 7 + shape.K);
  const a = Float32Array.from({ length: shape.M * shape.K }, rnd);
  const b = Float32Array.from({ length: shape.K * shape.N }, rnd);
  return { transA: false, transB: false, ...shape, a, b };
}

/**
 * Our side of one shape through the public API: A and B are made once with ag.randn in their
 * storage layout (their values are copied into setup.a / setup.b for the peers), the timed call
 * is `ag.matmul(a, b).dispose()` with transposed operands as views.
 */
export function ourMatmul(setup) {
  const { M, N, K, transA, transB } = setup;
  const aStore = ag.randn(transA ? [K, M] : [M, K]), bStore = ag.randn(transB ? [N, K] : [K, N]);
  setup.a = aStore.data();
  setup.b = bStore.data();
  const a = transA ? aStore.T : aStore, b = transB ? bStore.transpose(0, 1) : bStore;
  const run = () => { const c = ag.matmul(a, b); c.dispose(); };
  run.result = () => { const c = ag.matmul(a, b); const d = c.data(); c.dispose(); return d; };
  run.dispose = () => { for (const t of new Set([a, b, aStore, bStore])) t.dispose(); };
  return run;
}

/** Instantiates one build of our module with a host-owned memory and a bump allocator. */
export async function loadOurs(name) {
  if (name === 'relaxed') {
    try { setFlagsFromString('--experimental-wasm-relaxed-simd'); } catch { /* not Node */ }
  }
  const bytes = readFileSync(new URL(`${name}.wasm`, buildDir()));
  if (!WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: 1 });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory, abort() { throw new Error('wasm abort'); } } });
  const ex = instance.exports;
  let top = ex.heapBase ? Number(ex.heapBase()) : 1024;
  const alloc = (n) => {
    const p = Math.ceil(top / 64) * 64;
    top = p + n;
    if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
    return p;
  };
  return { name, ex, memory, alloc };
}

/** The raw kernel of one loaded build (loadOurs): returns a function doing C = op(A)·op(B) once. */
export function rawMatmul(setup, mod) {
  const { M, N, K, transA, transB } = setup;
  const a = mod.alloc(4 * setup.a.length), b = mod.alloc(4 * setup.b.length), out = mod.alloc(4 * M * N);
  const scratch = mod.alloc(mod.ex.matmul_f32_scratch_bytes(M, N, K));
  new Float32Array(mod.memory.buffer, a, setup.a.length).set(setup.a);
  new Float32Array(mod.memory.buffer, b, setup.b.length).set(setup.b);
  const [aRow, aCol] = transA ? [1, M] : [K, 1];
  const [bRow, bCol] = transB ? [1, K] : [N, 1];
  const mm = mod.ex.matmul_f32;
  const run = () => mm(out, a, b, M, N, K, aRow, aCol, bRow, bCol, N, 0, M, scratch);
  run.result = () => { run(); return new Float32Array(mod.memory.buffer, out, M * N).slice(); };
  return run;
}

/** tfjs-core with the wasm (one thread) and cpu backends registered; the cpu backend is current. */
let tfLoading = null;
export function loadTf() {
  tfLoading ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setThreadsCount(1);
    await tf.setBackend('wasm');
    await tf.setBackend('cpu');
    return tf;
  })();
  return tfLoading;
}

/** The peer's side of one shape on `backend`: the call tfjs layers make (transpose flags). */
function tfMatmul(tf, backend, setup) {
  const prev = tf.getBackend();
  tf.setBackend(backend);
  const a = tf.tensor2d(setup.a, setup.transA ? [setup.K, setup.M] : [setup.M, setup.K]);
  const b = tf.tensor2d(setup.b, setup.transB ? [setup.N, setup.K] : [setup.K, setup.N]);
  tf.setBackend(prev);
  const run = () => tf.matMul(a, b, setup.transA, setup.transB).dispose();
  run.result = () => { const c = tf.matMul(a, b, setup.transA, setup.transB); const d = c.dataSync(); c.dispose(); return d; };
  run.enter = () => tf.setBackend(backend);
  run.dispose = () => { a.dispose(); b.dispose(); };
  return run;
}

function maxRelDiff(x, y) {
  let d = 0, s = 0;
  for (let i = 0; i < x.length; i++) { d = Math.max(d, Math.abs(x[i] - y[i])); s = Math.max(s, Math.abs(y[i])); }
  return d / (s || 1);
}

/** Which kernel build the public API runs ('simd' or 'relaxed'); loads it first if needed. */
export async function publicFlavor() {
  return (await ag.ready()).flavor;
}

/**
 * Threads the pool runs by default here (ready()'s 'auto'); 1 where shared memory is unavailable.
 * Starts and warms its workers first (they start lazily and their code tiers up like the caller's).
 */
export async function poolThreads() {
  const { pool } = await ag.ready();
  ag.setNumThreads('auto');
  await pool?.started();
  const a = ag.randn([256, 256]);
  for (let t0 = performance.now(); performance.now() - t0 < 300;) ag.matmul(a, a).dispose();
  a.dispose();
  return ag.getNumThreads();
}

/** Runs every shape; returns rows { label, ours, threads, relaxed, wasm, cpu } in GFLOP/s. */
export async function runMatmulBench({ cpu = true, only = null, log = console.log } = {}) {
  // ready() before loadOurs('relaxed') turns the V8 flag on: the API keeps the engine's default choice.
  const flavor = await publicFlavor();
  const nThreads = await poolThreads();
  const one = () => ag.setNumThreads(1);
  const relaxed = flavor === 'relaxed' ? null : await loadOurs('relaxed');
  const tf = await loadTf();
  const rows = [];
  const peakBefore = await measurePeak();
  let cpuSecPerFlop = 0;
  for (const shape of SHAPES) {
    if (only && !only.includes(shape.key)) continue;
    const setup = makeSetup(shape);
    const flop = 2 * shape.M * shape.N * shape.K;
    const gflops = (ms) => (ms > 0 ? flop / ms / 1e6 : undefined);
    const base = ourMatmul(setup);
    const sides = [{ name: 'ours', run: base, enter: one }];
    if (nThreads > 1) sides.push({ name: 'threads', run: base, enter: () => ag.setNumThreads(nThreads) });
    if (relaxed) sides.push({ name: 'relaxed', run: rawMatmul(setup, relaxed) });
    const tw = tfMatmul(tf, 'wasm', setup);
    tf.setBackend('wasm');
    one();
    const err = maxRelDiff(base.result(), tw.result());
    if (err > 1e-4) throw new Error(`${shape.label}: ours differs from tfjs-wasm by ${err}`);
    if (relaxed) {
      const errR = maxRelDiff(sides[1].run.result(), tw.result());
      if (errR > 1e-4) throw new Error(`${shape.label}: the relaxed kernel differs from tfjs-wasm by ${errR}`);
    }
    const t = await compare([...sides, { name: 'wasm', run: tw, enter: tw.enter }]);
    tw.dispose();
    // tfjs-cpu runs 50× slower: its own alternating round with ours (≥ 5 calls of it), skipped when
    // the last shape's speed predicts more than 20 s.
    if (cpu && cpuSecPerFlop * flop * 5 <= 20) {
      const tc = tfMatmul(tf, 'cpu', setup);
      const tcpu = await compare([{ name: 'ours', run: base, enter: one }, { name: 'cpu', run: tc, enter: tc.enter }], { samples: 3, warmupMs: 200, minSampleMs: 5 });
      tc.dispose();
      t.cpu = tcpu.cpu;
      t.oursVsCpu = tcpu.ours;
      cpuSecPerFlop = t.cpu / 1e3 / flop;
    }
    base.dispose();
    const row = {
      label: shape.label, key: shape.key, M: shape.M, N: shape.N, K: shape.K,
      ours: gflops(t.ours), threads: gflops(t.threads), nThreads, relaxed: gflops(t.relaxed), wasm: gflops(t.wasm), cpu: gflops(t.cpu),
      oursVsCpu: gflops(t.oursVsCpu),
    };
    rows.push(row);
    log(`${row.label.padEnd(24)} ours ${fmt(row.ours).padStart(6)}  ${nThreads} threads ${fmt(row.threads).padStart(6)} (${ratio(row.threads, row.ours)})  relaxed ${fmt(row.relaxed).padStart(6)}  tfjs-wasm ${fmt(row.wasm).padStart(6)}  tfjs-cpu ${fmt(row.cpu, 2).padStart(6)}  GFLOP/s   ours/wasm ${ratio(row.ours, row.wasm)}  relaxed/wasm ${ratio(row.relaxed, row.wasm)}  ours/cpu ${ratio(row.oursVsCpu, row.cpu)}`);
  }
  // The machine's ceiling, measured before and after the shapes: the higher of the two is what it
  // can certainly do (a drifting host only ever lowers a sample).
  const peakAfter = await measurePeak();
  rows.peak = Object.fromEntries(Object.keys(peakBefore).map((k) => [k, Math.max(peakBefore[k] ?? 0, peakAfter[k] ?? 0) || null]));
  log(`one-core SIMD peak: mul + add ${fmt(rows.peak['mul + add'])}  relaxed_madd ${fmt(rows.peak.relaxed_madd)} GFLOP/s`);
  return rows;
}

/** a / b as a percentage ('' when either is missing). */
const percent = (a, b) => (a > 0 && b > 0 ? `${Math.round((100 * a) / b)}%` : '');

export function matmulTable(rows, flavor = 'simd') {
  const n = rows[0]?.nThreads ?? 1;
  return markdownTable(
    [`A·B`, `asgrad (ag.matmul, ${flavor} build)`, `asgrad, ${n} threads`, `${n} threads / 1 thread`, 'relaxed-SIMD raw kernel', 'tfjs-wasm', 'tfjs-cpu', 'asgrad / tfjs-wasm', 'relaxed / tfjs-wasm', 'asgrad / tfjs-cpu',
      'asgrad, of the mul + add peak', 'tfjs-wasm, of the mul + add peak', 'relaxed, of the relaxed_madd peak'],
    rows.map((r) => [r.label, fmt(r.ours), fmt(r.threads), ratio(r.threads, r.ours), fmt(r.relaxed), fmt(r.wasm), fmt(r.cpu, 2),
      ratio(r.ours, r.wasm), ratio(r.relaxed, r.wasm), ratio(r.oursVsCpu, r.cpu),
      percent(r.ours, rows.peak?.['mul + add']), percent(r.wasm, rows.peak?.['mul + add']), percent(r.relaxed, rows.peak?.relaxed_madd)]),
  );
}

/** What the matmul table measures (for RESULTS.md); with `rows`, what 1.8× tfjs-wasm would take against the peak. */
export function matmulNotes(flavor, rows = []) {
  const peak = rows.peak?.['mul + add'];
  const square = rows.filter((r) => r.M === r.N && r.N === r.K && r.M >= 256 && r.wasm > 0);
  const need = square.length ? Math.max(...square.map((r) => 1.8 * r.wasm)) : 0;
  return [
    peak ? `The one-core SIMD peak, measured in this run (bench/peak.mjs: a GEMM-shaped loop of 6-12 independent accumulators, the best count; the higher of a run before and after the shapes): ${fmt(peak)} GFLOP/s with f32x4.mul + f32x4.add, ${fmt(rows.peak.relaxed_madd)} with relaxed_madd.` : '',
    peak && need ? `1.8× tfjs-wasm on the square sizes 256-1024 would take up to ${fmt(need)} GFLOP/s: ${percent(need, peak)} of the mul + add peak, which no kernel of the simd build can exceed.\n` : '',
    `GFLOP/s = 2·M·N·K / time, median of alternating samples. asgrad: the public API, \`const c = ag.matmul(a, b); c.dispose();\``,
    `on tensors made once with \`ag.randn\`; the \`${flavor}\` build is the one \`ready()\` picked on this engine; one thread (\`ag.setNumThreads(1)\`).`,
    '*N threads*: the same call with `ag.setNumThreads(\'auto\')` (min(cores, 4)): rows split between the caller and the worker pool when 2·M·N·K ≥ 4.2 MFLOP (128³) and M ≥ 64 (≥ 32 rows a part); alternated with the one-thread side in the same process.',
    'ᵀ: the operand is stored transposed and passed as a view (`a.T`, `b.transpose(0, 1)`), which reaches the kernel as strides;',
    'tfjs gets the same storage and `tf.matMul(a, b, transposeA, transposeB)`, result disposed.',
    flavor === 'relaxed' ? '' : 'relaxed-SIMD raw kernel: build/relaxed.wasm driven directly (no tensor layer), turned on in-process with V8\'s `--experimental-wasm-relaxed-simd`: what `ag.matmul` gets on engines that ship relaxed SIMD (Node 22+, Chrome 114+).',
    'tfjs-wasm: @tensorflow/tfjs-backend-wasm 4.22 (XNNPACK) with setThreadsCount(1); tfjs-cpu: @tensorflow/tfjs-backend-cpu (plain JS), skipped for a shape when the previous one predicts > 20 s.',
  ].filter(Boolean).join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // Prints only: `node bench/run.mjs --only=matmul` records the section (with its ratios for --check).
  const args = process.argv.slice(2);
  const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',') ?? null;
  const rows = await runMatmulBench({ cpu: !args.includes('--no-cpu'), only });
  console.log(`\n${matmulTable(rows, await publicFlavor())}\n\n${matmulNotes(await publicFlavor(), rows)}`);
}
