// ONNX inference: the MNIST MLP (784-128-10) and LeNet-5 built with our Keras-style API, briefly
// trained, exported with ag.exportOnnx, and run by us (model.predict), onnxruntime-web (wasm, one
// thread, SIMD) and onnxruntime-node (native CPU, one intra-op thread: the ceiling). Before timing,
// all three must agree on 1000 real MNIST test images (max |diff| <= 1e-4).
//   node bench/onnx.mjs   (prints; bench/run.mjs --only=onnx writes RESULTS.md)
import * as ag from '../dist/index.js';
import * as ortWeb from 'onnxruntime-web';
import * as ortNode from 'onnxruntime-node';
import { fileURLToPath } from 'node:url';
import { compare, fmt, markdownTable, ratio } from './harness.mjs';
import { accuracy } from './keras_peer.mjs';
import { mlp } from './train_mlp.mjs';
import { lenet } from './train_lenet.mjs';

const N_TRAIN = 2048, N_CHECK = 1000, TOL = 1e-4;

/** The two models of bench/train_mlp.mjs and bench/train_lenet.mjs (compiled: Adam, sparse CE), and their sample shapes. */
const MODELS = {
  mlp: { title: 'MNIST MLP 784-128-10', sample: [784], build: () => mlp(ag) },
  lenet: { title: 'LeNet-5, 28×28×1 channelsLast', sample: [28, 28, 1], build: () => lenet(ag) },
};

/** The first n rows of images [N, 784] as a new [n, ...sample] tensor. */
const firstRows = (t, n, sample) => ag.tidy(() => t.narrow(0, 0, n).reshape([n, ...sample]).clone());

/** Max |a - b| and the number of rows (of 10) whose argmax differs. */
function agreement(a, b) {
  let diff = 0, argmaxDiffs = 0;
  for (let r = 0; r < a.length / 10; r++) {
    let ia = 0, ib = 0;
    for (let j = 0; j < 10; j++) {
      diff = Math.max(diff, Math.abs(a[r * 10 + j] - b[r * 10 + j]));
      if (a[r * 10 + j] > a[r * 10 + ia]) ia = j;
      if (b[r * 10 + j] > b[r * 10 + ib]) ib = j;
    }
    if (ia !== ib) argmaxDiffs++;
  }
  return { diff, argmaxDiffs };
}

/** ort-web: the wasm backend on one thread (its SIMD build; ORT 1.30 ships no other). ort-node: CPU EP, one thread. */
async function sessions(bytes) {
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.wasm.simd = true;
  const web = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const node = await ortNode.InferenceSession.create(bytes, {
    executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
  });
  return { web, node };
}

/** Trains, exports, checks agreement on real test images, then times batch 1 and batch 64 predict on all three. */
async function benchModel(key, data, log) {
  const spec = MODELS[key];
  const model = spec.build();
  const x = firstRows(data.train.images, N_TRAIN, spec.sample), y = ag.tidy(() => data.train.labels.narrow(0, 0, N_TRAIN).clone());
  await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
  ag.dispose([x, y]);

  const bytes = ag.exportOnnx(model);
  const { web, node } = await sessions(bytes);
  const OrtWebTensor = ortWeb.Tensor, OrtNodeTensor = ortNode.Tensor;
  const xt = firstRows(data.test.images, N_CHECK, spec.sample);
  const xtData = xt.data(), labels = data.test.labels.narrow(0, 0, N_CHECK).data();

  // Same model check: every output of ours vs each runtime, on real MNIST test digits.
  const p = model.predict(xt), ours = p.data();
  p.dispose();
  const shape = [N_CHECK, ...spec.sample];
  const outWeb = (await web.run({ input: new OrtWebTensor('float32', xtData, shape) })).output.data;
  const outNode = (await node.run({ input: new OrtNodeTensor('float32', xtData, shape) })).output.data;
  const check = { web: agreement(ours, outWeb), node: agreement(ours, outNode), accuracy: accuracy(ours, labels), bytes: bytes.length };
  log(`${key}: ${bytes.length} bytes of ONNX; test accuracy ${(100 * check.accuracy).toFixed(1)}% on ${N_CHECK} images; max |ours - ort-web| ${check.web.diff.toExponential(2)} (argmax differs on ${check.web.argmaxDiffs}), max |ours - ort-node| ${check.node.diff.toExponential(2)} (argmax differs on ${check.node.argmaxDiffs})`);
  for (const [peer, a] of [['ort-web', check.web], ['ort-node', check.node]]) {
    if (!(a.diff <= TOL)) throw new Error(`bench onnx: ${key} outputs differ from ${peer} by ${a.diff} (> ${TOL}) on MNIST test images: not timing`);
  }

  const per = spec.sample.reduce((a, b) => a * b, 1);
  const timeBatch = async (n) => {
    const d = xtData.slice(0, n * per), dims = [n, ...spec.sample];
    const tWeb = new OrtWebTensor('float32', d, dims), tNode = new OrtNodeTensor('float32', d, dims);
    // Every side goes from a JS Float32Array to a JS Float32Array: ours copies the pixels into wasm
    // memory (ag.tensor) and reads the output back (data()), as onnxruntime does inside run().
    const ours = () => ag.tidy(() => model.predict(ag.tensor(d, { shape: dims }), { batchSize: n }).data());
    const t = await compare([
      { name: 'ours', run: ours },
      { name: 'web', run: () => web.run({ input: tWeb }), async: true },
      { name: 'node', run: () => node.run({ input: tNode }), async: true },
    ], { samples: 9, minSampleMs: 25 });
    return t;
  };
  const latency1 = await timeBatch(1);
  const t64 = await timeBatch(64);
  const throughput64 = Object.fromEntries(Object.entries(t64).map(([k, ms]) => [k, 64 / ms * 1e3]));
  log(`${key} batch 1 ms: ours ${fmt(latency1.ours, 4)}  ort-web ${fmt(latency1.web, 4)}  ort-node ${fmt(latency1.node, 4)}`);
  log(`${key} batch 64 samples/s: ours ${fmt(throughput64.ours, 0)}  ort-web ${fmt(throughput64.web, 0)}  ort-node ${fmt(throughput64.node, 0)}`);

  await web.release();
  await node.release();
  xt.dispose();
  model.dispose();
  return { latency1, throughput64, check };
}

/** { mlp, lenet }: each { latency1: ms per batch-1 call, throughput64: samples/s, check } for { ours, web, node }. */
export async function runOnnxBench({ log = console.log } = {}) {
  await ag.ready();
  ag.setNumThreads(1);
  const data = await ag.datasets.mnist();
  const out = {};
  try {
    for (const key of Object.keys(MODELS)) out[key] = await benchModel(key, data, log);
  } finally {
    ag.dispose([data.train, data.test]);
  }
  return out;
}

export function onnxTable(r) {
  return markdownTable(
    ['exported model, inference', 'asgrad', 'ort-web (wasm, 1 thread)', 'ort-node (native, 1 thread)', 'asgrad speed / ort-web', 'asgrad speed / ort-node'],
    Object.entries(r).flatMap(([key, m]) => [
      [`${MODELS[key].title}: batch 1, ms/call (lower is better)`, fmt(m.latency1.ours, 4), fmt(m.latency1.web, 4), fmt(m.latency1.node, 4),
        ratio(m.latency1.web, m.latency1.ours), ratio(m.latency1.node, m.latency1.ours)],
      [`${MODELS[key].title}: batch 64, samples/s`, fmt(m.throughput64.ours, 0), fmt(m.throughput64.web, 0), fmt(m.throughput64.node, 0),
        ratio(m.throughput64.ours, m.throughput64.web), ratio(m.throughput64.ours, m.throughput64.node)],
    ]),
  );
}

export function onnxNotes(r) {
  const checks = Object.entries(r).map(([key, m]) => `${key}: ${m.check.bytes} bytes, test accuracy ${(100 * m.check.accuracy).toFixed(1)}%, ` +
    `max |asgrad − ort-web| ${m.check.web.diff.toExponential(1)}, max |asgrad − ort-node| ${m.check.node.diff.toExponential(1)}, ` +
    `argmax differs on ${m.check.web.argmaxDiffs} / ${m.check.node.argmaxDiffs} images`).join('; ');
  return [
    `Each model is built with asgrad's Keras-style API (as in the MLP and LeNet sections), trained one epoch on the first ${N_TRAIN}`,
    "MNIST training images (Adam, batch 64) so the outputs mean something, and exported with `ag.exportOnnx(model)` (opset 13,",
    'dynamic batch; LeNet as Transpose → Conv/MaxPool in NCHW → Transpose → Flatten → Gemm, which the runtimes fold). Both',
    'onnxruntime sessions load the same bytes (onnxruntime-web and onnxruntime-node 1.30.0, `graphOptimizationLevel: \'all\'`).',
    `Before timing, asgrad's \`model.predict\` and both sessions run the first ${N_CHECK} MNIST test images and must agree to ${TOL}`,
    `(else the bench throws): ${checks}.`,
    'Timed, warm, median of 9 alternating samples of back-to-back calls:',
    '**asgrad**: `ag.tidy(() => model.predict(ag.tensor(pixels, { shape }), { batchSize: n }).data())`, one thread',
    '(`ag.setNumThreads(1)`): the copy of the pixels into wasm memory, the eval-mode forward pass in one batch, the copy of the',
    'output into a JS Float32Array, and freeing the tensors.',
    "**ort-web**: `await session.run({ input })` with a prebuilt `ort.Tensor` of the same pixels, `env.wasm.numThreads = 1` (its",
    'SIMD wasm build, in Node): the copy of the input into its wasm heap, inference, the copy of the output into a JS Float32Array,',
    'and the promise round trip. **ort-node**: the same call on the native CPU execution provider with',
    '`intraOpNumThreads: 1, interOpNumThreads: 1` (N-API call, native kernels, output copied to JS): the ceiling for a wasm library.',
    'batch 1: ms per call; batch 64: samples/s = 64 / (ms per call).',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await runOnnxBench();
  console.log(`\n${onnxTable(r)}\n\n${onnxNotes(r)}`);
}
