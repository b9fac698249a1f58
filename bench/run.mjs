// The benchmark suite: matmul, elementwise, MNIST MLP, LeNet and char-LSTM training, one process, ours vs tfjs.
//   npm run bench                          all sections, writes bench/RESULTS.md
//   npm run bench -- --only=matmul,train   a subset (matmul, elementwise, train, lenet, lstm, onnx, onnx_import)
//   npm run bench -- --check [--tolerance=0.1]  re-runs and compares with the recorded ratios
// Each section of RESULTS.md carries its ratios as JSON in an HTML comment for --check.
import * as ag from '../dist/index.js';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { machineInfo, writeResults } from './harness.mjs';
import { matmulNotes, matmulTable, publicFlavor, runMatmulBench } from './matmul.mjs';
import { elementwiseNotes, elementwiseTable, runElementwiseBench } from './elementwise.mjs';
import { runTrainBench, trainNotes, trainTable } from './train_mlp.mjs';
import { lenetNotes, lenetTable, runLenetBench } from './train_lenet.mjs';
import { lstmNotes, lstmTable, runLstmBench } from './train_lstm.mjs';
import { onnxNotes, onnxTable, runOnnxBench } from './onnx.mjs';
import { onnxImportNotes, onnxImportTable, runOnnxImportBench } from './onnx_import.mjs';

const num = (x) => (Number.isFinite(x) && x > 0 ? Number(x.toFixed(4)) : undefined);
/** { name: ours / peer } without the missing ones. */
const ratios = (pairs) => Object.fromEntries(pairs.map(([k, a, b]) => [k, num(a / b)]).filter(([, v]) => v !== undefined));

/** The sections: how to run one, its RESULTS.md section, and its figures (higher = better for us). */
export const SECTIONS = {
  matmul: {
    title: 'matmul (SGEMM), GFLOP/s',
    run: (log) => runMatmulBench({ log }),
    markdown: async (rows) => `${matmulTable(rows, await publicFlavor())}\n\n${matmulNotes(await publicFlavor(), rows)}`,
    ratios: (rows) => ratios(rows.flatMap((r) => [
      [`matmul ${r.label} asgrad/tfjs-wasm`, r.ours, r.wasm],
      [`matmul ${r.label} relaxed/tfjs-wasm`, r.relaxed, r.wasm],
      [`matmul ${r.label} asgrad/tfjs-cpu`, r.oursVsCpu, r.cpu],
    ])),
  },
  elementwise: {
    title: 'Elementwise ops, GB/s',
    run: (log) => runElementwiseBench({ log }),
    markdown: async (rows) => `${elementwiseTable(rows)}\n\n${elementwiseNotes}`,
    ratios: (rows) => ratios(rows.flatMap((r) => [
      [`elementwise ${r.label} asgrad/tfjs-wasm`, r.ours, r.wasm],
      [`elementwise ${r.label} asgrad/tfjs-cpu`, r.ours, r.cpu],
    ])),
  },
  train: {
    name: 'train_mlp',
    title: 'MNIST MLP: training and inference',
    run: (log) => runTrainBench({ log }),
    markdown: async (r) => `${trainTable(r)}\n\n${trainNotes(r)}`,
    ratios: (r) => ratios([
      ['train samples/s asgrad/tfjs-wasm', r.train.ours, r.train.wasm],
      ['train samples/s asgrad/tfjs-cpu', r.train.ours, r.train.cpu],
      ['predict batch-1 speed asgrad/tfjs-wasm', r.latency1.wasm, r.latency1.ours],
      ['predict batch-1 speed asgrad/tfjs-cpu', r.latency1.cpu, r.latency1.ours],
      ['predict batch-64 samples/s asgrad/tfjs-wasm', r.throughput64.ours, r.throughput64.wasm],
      ['predict batch-64 samples/s asgrad/tfjs-cpu', r.throughput64.ours, r.throughput64.cpu],
      ['training memory ideal/measured', r.mem.total, r.mem.trainPeak],
    ]),
  },
  lenet: {
    name: 'train_lenet',
    title: 'LeNet-5 (MNIST CNN): training and inference',
    run: (log) => runLenetBench({ log }),
    markdown: async (r) => `${lenetTable(r)}\n\n${lenetNotes(r)}`,
    ratios: (r) => ratios([
      ['lenet train samples/s asgrad/tfjs-wasm', r.train.ours, r.train.wasm],
      ['lenet train samples/s asgrad/tfjs-cpu', r.train.ours, r.train.cpu],
      ['lenet predict batch-1 speed asgrad/tfjs-wasm', r.latency1.wasm, r.latency1.ours],
      ['lenet predict batch-1 speed asgrad/tfjs-cpu', r.latency1.cpu, r.latency1.ours],
      ['lenet predict batch-64 samples/s asgrad/tfjs-wasm', r.throughput64.ours, r.throughput64.wasm],
      ['lenet predict batch-64 samples/s asgrad/tfjs-cpu', r.throughput64.ours, r.throughput64.cpu],
    ]),
  },
  lstm: {
    name: 'train_lstm',
    title: 'Character LSTM language model (KJV): training and inference',
    run: (log) => runLstmBench({ log }),
    markdown: async (r) => `${lstmTable(r)}\n\n${lstmNotes(r)}`,
    ratios: (r) => ratios([
      ['lstm train samples/s asgrad/tfjs-wasm', r.train.ours, r.train.wasm],
      ['lstm train samples/s asgrad/tfjs-cpu', r.train.ours, r.train.cpu],
      ['lstm train (embedding frozen) samples/s asgrad/tfjs-wasm', r.train.frozen, r.train.wasmFrozen],
      ['lstm predict batch-1 speed asgrad/tfjs-wasm', r.latency1.wasm, r.latency1.ours],
      ['lstm predict batch-1 speed asgrad/tfjs-cpu', r.latency1.cpu, r.latency1.ours],
      ['lstm predict batch-64 samples/s asgrad/tfjs-wasm', r.throughput64.ours, r.throughput64.wasm],
      ['lstm predict batch-64 samples/s asgrad/tfjs-cpu', r.throughput64.ours, r.throughput64.cpu],
    ]),
  },
  onnx: {
    title: 'ONNX export: inference beside onnxruntime-web and onnxruntime-node',
    run: (log) => runOnnxBench({ log }),
    markdown: async (r) => `${onnxTable(r)}\n\n${onnxNotes(r)}`,
    ratios: (r) => ratios(Object.entries(r).flatMap(([m, x]) => [
      [`onnx ${m} predict batch-1 speed asgrad/ort-web`, x.latency1.web, x.latency1.ours],
      [`onnx ${m} predict batch-1 speed asgrad/ort-node`, x.latency1.node, x.latency1.ours],
      [`onnx ${m} predict batch-64 samples/s asgrad/ort-web`, x.throughput64.ours, x.throughput64.web],
      [`onnx ${m} predict batch-64 samples/s asgrad/ort-node`, x.throughput64.ours, x.throughput64.node],
    ])),
  },
  onnx_import: {
    title: 'ONNX import: a real model (Silero VAD) beside onnxruntime-web and onnxruntime-node',
    run: (log) => runOnnxImportBench({ log }),
    markdown: async (r) => `${onnxImportTable(r)}\n\n${onnxImportNotes(r)}`,
    ratios: (r) => ratios([
      ['onnx import silero frame speed asgrad/ort-web', r.latency.web, r.latency.ours],
      ['onnx import silero frame speed asgrad/ort-node', r.latency.node, r.latency.ours],
    ]),
  },
};

/** Parses --only=a,b (names of SECTIONS) from argv; all sections when absent. */
export function parseOnly(args) {
  const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',').filter(Boolean) ?? Object.keys(SECTIONS);
  const bad = only.filter((s) => !(s in SECTIONS));
  if (bad.length) throw new Error(`bench: unknown section(s) ${bad.join(', ')}; expected --only= a list of ${Object.keys(SECTIONS).join(', ')}`);
  return only;
}

/** Runs the named sections in this process; returns { name: { result, ratios } }. */
export async function runSections(only, log = console.log) {
  await ag.ready(); // before matmul turns on relaxed SIMD in V8: the library keeps the engine's default build
  const out = {};
  for (const name of only) {
    const s = SECTIONS[name];
    const t0 = performance.now();
    log(`\n### ${name}`);
    const result = await s.run(log);
    out[name] = { result, ratios: s.ratios(result), seconds: (performance.now() - t0) / 1e3 };
    log(`(${name}: ${out[name].seconds.toFixed(1)} s)`);
  }
  return out;
}

/** Writes one RESULTS.md section per bench, each with its machine-readable ratios. */
export async function writeSections(out) {
  for (const [name, { result, ratios: r }] of Object.entries(out)) {
    const s = SECTIONS[name];
    const md = await s.markdown(result);
    writeResults(s.name ?? name, s.title, `${md}\n\n<!-- ratios ${JSON.stringify(r)} -->`);
  }
}

async function main(args) {
  if (args.includes('--check')) {
    const { checkMain } = await import('./check.mjs');
    return checkMain(args, { parseOnly, runSections, SECTIONS });
  }
  const only = parseOnly(args);
  const t0 = performance.now(), load0 = os.loadavg()[0];
  const out = await runSections(only);
  for (const name of only) console.log(`\n## ${SECTIONS[name].title}\n\n${await SECTIONS[name].markdown(out[name].result)}`);
  await writeSections(out);
  const m = machineInfo();
  const seconds = (performance.now() - t0) / 1e3;
  writeResults('run', 'How these numbers were made', [
    `\`npm run bench\` (build, then \`node bench/run.mjs\`): sections ${only.join(', ')} in one Node process, ${seconds.toFixed(0)} s`,
    `(${only.map((n) => `${n} ${out[n].seconds.toFixed(0)} s`).join(', ')}). ${m.cores} cores; 1-minute load average ${load0.toFixed(2)} at the start,`,
    `${os.loadavg()[0].toFixed(2)} at the end. Other processes may share this machine and the clock drifts between runs: each`,
    'peer runs in the same process, alternating sample by sample with ours, and the ratios are the figures to compare.',
    '`npm run bench -- --check` re-runs and names every ratio that fell more than 10% below the one recorded here',
    '(a section with a fallen figure runs twice; each figure keeps its better value). On this shared 2-core machine single',
    'figures of ~10 µs calls (2^16 elementwise, batch-1 predict) and the tfjs-cpu ratios move 15-30% between runs; the',
    'large-matmul, transposed-matmul and training ratios repeat within a few %.',
  ].join('\n'));
  console.log(`\nwrote bench/RESULTS.md (${seconds.toFixed(0)} s)`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
