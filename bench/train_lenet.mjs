// LeNet-5 on MNIST, ours (Keras-style API) vs TensorFlow.js-layers on the wasm and cpu backends:
// the same conv 6@5x5 -> max-pool 2 -> conv 16@5x5 -> max-pool 2 -> dense 120 -> 84 -> 10 model,
// channelsLast [N, 28, 28, 1], Adam 0.001, sparse categorical CE, batch 64. tfjs-wasm has no
// Conv2DBackpropFilter kernel, so it cannot train this model: the bench records its error.
//   node bench/train_lenet.mjs   (prints; bench/run.mjs --only=lenet writes RESULTS.md)
import * as ag from '../dist/index.js';
import { fileURLToPath } from 'node:url';
import { compare, fmt, markdownTable, ratio } from './harness.mjs';
import { loadTf, poolThreads } from './matmul.mjs';

const BATCH = 64;
/** Training subset sizes: 20 batches (1 for the slow tfjs-cpu backend). */
const N_TRAIN = 20 * BATCH, N_TRAIN_CPU = BATCH, N_TEST = 2000;

/** The model in either library's layers API (ag or tfjs-layers: same names and arguments). */
function lenet(L) {
  const model = L.sequential({
    layers: [
      L.layers.conv2d({ filters: 6, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }),
      L.layers.maxPooling2d({ poolSize: 2 }),
      L.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      L.layers.maxPooling2d({ poolSize: 2 }),
      L.layers.flatten(),
      L.layers.dense({ units: 120, activation: 'relu' }),
      L.layers.dense({ units: 84, activation: 'relu' }),
      L.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return model;
}

const fitArgs = { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: true };

function accuracy(pred, labels) {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let j = 1; j < 10; j++) if (pred[i * 10 + j] > pred[i * 10 + best]) best = j;
    if (best === labels[i]) ok++;
  }
  return ok / labels.length;
}

/** The first n images of t [N, 28, 28] as a new [n, 28, 28, 1] tensor. */
function firstImages(t, n) {
  return ag.tidy(() => t.narrow(0, 0, n).reshape([n, 28, 28, 1]).clone());
}

/**
 * Trains and times both libraries. Returns { train: {ours, threads, nThreads, wasm, cpu} samples/s
 * (wasm undefined when it cannot train), wasmError, latency1: ms, throughput64: samples/s, accuracy, epochs }.
 */
export async function runLenetBench({ log = console.log, samples = 5 } = {}) {
  await ag.ready();
  const nThreads = await poolThreads();
  const one = () => ag.setNumThreads(1);
  one();
  const tf = await loadTf();
  const tfl = await import('@tensorflow/tfjs-layers');
  const { train, test } = await ag.datasets.mnist({ flatten: false });
  const x = firstImages(train.images, N_TRAIN), y = ag.tidy(() => train.labels.narrow(0, 0, N_TRAIN).clone());
  const xt = firstImages(test.images, N_TEST), yt = ag.tidy(() => test.labels.narrow(0, 0, N_TEST).clone());
  ag.dispose([train, test]);
  const x1 = ag.tidy(() => xt.narrow(0, 0, 1).clone()), x64 = ag.tidy(() => xt.narrow(0, 0, 64).clone());
  const xData = x.data(), yData = y.data(), xtData = xt.data(), ytData = yt.data();
  const ours = lenet(ag);
  await ours.fit(x, y, fitArgs);

  const peers = {};
  for (const [name, n] of [['wasm', N_TRAIN], ['cpu', N_TRAIN_CPU]]) {
    tf.setBackend(name);
    peers[name] = {
      n,
      model: lenet(tfl),
      x: tf.tensor4d(xData.subarray(0, n * 784), [n, 28, 28, 1]),
      y: tf.tensor2d(Float32Array.from(yData.subarray(0, n)), [n, 1]),
      x1: tf.tensor4d(xtData.subarray(0, 784), [1, 28, 28, 1]),
      x64: tf.tensor4d(xtData.subarray(0, 64 * 784), [64, 28, 28, 1]),
      xt: tf.tensor4d(xtData, [N_TEST, 28, 28, 1]),
      enter: () => tf.setBackend(name),
    };
  }
  const { wasm, cpu } = peers;
  // tfjs-wasm: does fit work at all? (4.22 lacks Conv2DBackpropFilter: fit throws.)
  let wasmError = null;
  wasm.enter();
  try {
    const xs = tf.slice(wasm.x, [0, 0, 0, 0], [BATCH, 28, 28, 1]), ys = tf.slice(wasm.y, [0, 0], [BATCH, 1]);
    try { await wasm.model.fit(xs, ys, fitArgs); } finally { xs.dispose(); ys.dispose(); }
  } catch (e) {
    wasmError = String(e?.message ?? e).split('\n')[0];
    log(`tfjs-wasm cannot train LeNet: ${wasmError}`);
  }
  const epochs = { ours: 1, wasm: 0, cpu: 0 };
  const fit = {
    ours: () => { epochs.ours++; return ours.fit(x, y, fitArgs); },
    wasm: () => { epochs.wasm++; return wasm.model.fit(wasm.x, wasm.y, fitArgs); },
    cpu: () => { epochs.cpu++; return cpu.model.fit(cpu.x, cpu.y, fitArgs); },
  };
  log(`training: ${samples} alternating samples of one epoch each (ours${wasmError ? '' : ' and tfjs-wasm'} ${N_TRAIN} images, tfjs-cpu ${N_TRAIN_CPU})`);
  const t = await compare([
    { name: 'ours', run: fit.ours, async: true, enter: one },
    ...(nThreads > 1 ? [{ name: 'threads', run: fit.ours, async: true, enter: () => ag.setNumThreads(nThreads) }] : []),
    ...(wasmError ? [] : [{ name: 'wasm', run: fit.wasm, async: true, enter: wasm.enter }]),
    { name: 'cpu', run: fit.cpu, async: true, enter: cpu.enter },
  ], { samples, warmupMs: 1, minSampleMs: 1 });
  one();
  const rate = (n, ms) => (ms > 0 ? n / ms * 1e3 : undefined);
  const trainRate = { ours: rate(N_TRAIN, t.ours), threads: rate(N_TRAIN, t.threads), nThreads, wasm: rate(N_TRAIN, t.wasm), cpu: rate(N_TRAIN_CPU, t.cpu) };
  log(`train samples/s: ours ${fmt(trainRate.ours, 0)}  ours ${nThreads} threads ${fmt(trainRate.threads, 0)}  tfjs-wasm ${wasmError ? 'cannot train' : fmt(trainRate.wasm, 0)}  tfjs-cpu ${fmt(trainRate.cpu, 0)}`);

  const predictSides = (key) => [
    { name: 'ours', run: () => { ours.predict(key === 1 ? x1 : x64).dispose(); } },
    ...['wasm', 'cpu'].map((b) => ({ name: b, run: () => { peers[b].model.predict(key === 1 ? peers[b].x1 : peers[b].x64).dispose(); }, enter: peers[b].enter })),
  ];
  const latency1 = await compare(predictSides(1), { samples: 9, minSampleMs: 25 });
  const t64 = await compare(predictSides(64), { samples: 9, minSampleMs: 25 });
  const throughput64 = Object.fromEntries(Object.entries(t64).map(([k, ms]) => [k, 64 / ms * 1e3]));
  log(`predict batch 1 ms: ours ${fmt(latency1.ours, 3)}  tfjs-wasm ${fmt(latency1.wasm, 3)}  tfjs-cpu ${fmt(latency1.cpu, 3)}`);
  log(`predict batch 64 samples/s: ours ${fmt(throughput64.ours, 0)}  tfjs-wasm ${fmt(throughput64.wasm, 0)}  tfjs-cpu ${fmt(throughput64.cpu, 0)}`);

  // Sanity: the trained models learned (tfjs-wasm's is untrained when it cannot fit).
  const p = ours.predict(xt);
  const acc = { ours: accuracy(p.data(), ytData) };
  p.dispose();
  for (const b of ['wasm', 'cpu']) {
    peers[b].enter();
    const q = peers[b].model.predict(peers[b].xt);
    acc[b] = accuracy(q.dataSync(), ytData);
    q.dispose();
    for (const k of ['x', 'y', 'x1', 'x64', 'xt']) peers[b][k].dispose();
    peers[b].model.dispose();
  }
  ag.dispose([x, y, xt, yt, x1, x64]);
  ours.dispose();
  return { train: trainRate, wasmError, latency1, throughput64, accuracy: acc, epochs, sizes: { train: N_TRAIN, trainCpu: N_TRAIN_CPU, test: N_TEST } };
}

export function lenetTable(r) {
  const n = r.train.nThreads;
  const wasmTrain = r.wasmError ? 'cannot train' : fmt(r.train.wasm, 0);
  return markdownTable(
    ['LeNet-5, MNIST 28×28×1', 'asgrad', 'tfjs-wasm', 'tfjs-cpu', 'asgrad speed / tfjs-wasm', 'asgrad speed / tfjs-cpu'],
    [
      ['training, samples/s (batch 64, Adam)', fmt(r.train.ours, 0), wasmTrain, fmt(r.train.cpu, 1), r.wasmError ? '—' : ratio(r.train.ours, r.train.wasm), ratio(r.train.ours, r.train.cpu)],
      ...(n > 1 ? [[`training, asgrad on ${n} threads (${n} threads / 1 thread: ${ratio(r.train.threads, r.train.ours)})`, fmt(r.train.threads, 0), '', '', r.wasmError ? '—' : ratio(r.train.threads, r.train.wasm), ratio(r.train.threads, r.train.cpu)]] : []),
      ['predict batch 1, ms/call (lower is better)', fmt(r.latency1.ours, 3), fmt(r.latency1.wasm, 3), fmt(r.latency1.cpu, 3), ratio(r.latency1.wasm, r.latency1.ours), ratio(r.latency1.cpu, r.latency1.ours)],
      ['predict batch 64, samples/s', fmt(r.throughput64.ours, 0), fmt(r.throughput64.wasm, 0), fmt(r.throughput64.cpu, 0), ratio(r.throughput64.ours, r.throughput64.wasm), ratio(r.throughput64.ours, r.throughput64.cpu)],
      [`test accuracy (${r.sizes.test} images) after the epochs run`, `${(100 * r.accuracy.ours).toFixed(1)}% (${r.epochs.ours} ep. of ${r.sizes.train})`,
        r.wasmError ? `${(100 * r.accuracy.wasm).toFixed(1)}% (untrained)` : `${(100 * r.accuracy.wasm).toFixed(1)}% (${r.epochs.wasm} ep.)`,
        `${(100 * r.accuracy.cpu).toFixed(1)}% (${r.epochs.cpu} ep. of ${r.sizes.trainCpu})`, '', ''],
    ],
  );
}

export function lenetNotes(r) {
  return [
    'Same model in both libraries (`layers.conv2d`/`maxPooling2d`/`flatten`/`dense`, channelsLast, glorotUniform kernels,',
    "zero biases), `compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' })`. Data: real MNIST digits",
    '(`ag.datasets.mnist({ flatten: false })`, pixels / 255); tfjs gets tensors built from the same Float32Array.',
    `Training: one timed call = \`model.fit(x, y, { epochs: 1, batchSize: 64, shuffle: true })\` on the first ${r.sizes.train}`,
    `images (20 batches; tfjs-cpu: ${r.sizes.trainCpu} images, 1 batch), median of alternating samples; asgrad on one thread`,
    `except the "${r.train.nThreads} threads" row (worker pool, GEMMs split by rows). ${r.wasmError
      ? `tfjs-wasm 4.22 cannot train this model: \`fit\` throws "${r.wasmError}" (no Conv2DBackpropFilter kernel in the wasm backend).`
      : 'tfjs-wasm trained.'}`,
    'Inference: `model.predict(x).dispose()` on 1 or 64 test images, warm, median of alternating samples.',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await runLenetBench();
  console.log(`\n${lenetTable(r)}\n\n${lenetNotes(r)}`);
}
