// LeNet-5 on MNIST, ours (Keras-style API) vs TensorFlow.js-layers on the wasm and cpu backends:
// the same conv 6@5x5 -> max-pool 2 -> conv 16@5x5 -> max-pool 2 -> dense 120 -> 84 -> 10 model,
// channelsLast [N, 28, 28, 1], Adam 0.001, sparse categorical CE, batch 64. tfjs-wasm has no
// Conv2DBackpropFilter kernel, so it cannot train this model: the bench records its error.
//   node bench/train_lenet.mjs   (prints; bench/run.mjs --only=lenet writes RESULTS.md)
import * as ag from '../dist/index.js';
import { fileURLToPath } from 'node:url';
import { fmt, markdownTable, ratio } from './harness.mjs';
import { makePeers, predictRows, startKerasBench, testAccuracies, timePredict, timeTraining } from './keras_peer.mjs';

const BATCH = 64;
/** Training subset sizes: 20 batches (1 for the slow tfjs-cpu backend). */
const N_TRAIN = 20 * BATCH, N_TRAIN_CPU = BATCH, N_TEST = 2000;

/** The model in either library's layers API (ag or tfjs-layers: same names and arguments). */
export function lenet(L) {
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

/** The first n images of t [N, 28, 28] as a new [n, 28, 28, 1] tensor. */
function firstImages(t, n) {
  return ag.tidy(() => t.narrow(0, 0, n).reshape([n, 28, 28, 1]).clone());
}

/**
 * Trains and times both libraries. Returns { train: {ours, threads, nThreads, wasm, cpu} samples/s
 * (wasm undefined when it cannot train), wasmError, latency1: ms, throughput64: samples/s, accuracy, epochs }.
 */
export async function runLenetBench({ log = console.log, samples = 5 } = {}) {
  const { nThreads, tf, tfl } = await startKerasBench();
  const { train, test } = await ag.datasets.mnist({ flatten: false });
  const x = firstImages(train.images, N_TRAIN), y = ag.tidy(() => train.labels.narrow(0, 0, N_TRAIN).clone());
  const xt = firstImages(test.images, N_TEST), yt = ag.tidy(() => test.labels.narrow(0, 0, N_TEST).clone());
  ag.dispose([train, test]);
  const x1 = ag.tidy(() => xt.narrow(0, 0, 1).clone()), x64 = ag.tidy(() => xt.narrow(0, 0, 64).clone());
  const xData = x.data(), yData = y.data(), xtData = xt.data(), ytData = yt.data();
  const ours = lenet(ag);
  await ours.fit(x, y, fitArgs);

  const peers = makePeers(tf, () => lenet(tfl), { xData, yData, xtData, sample: [28, 28, 1], nTrain: N_TRAIN, nTrainCpu: N_TRAIN_CPU, nTest: N_TEST });
  const { wasm } = peers;
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
  log(`training: ${samples} alternating samples of one epoch each (ours${wasmError ? '' : ' and tfjs-wasm'} ${N_TRAIN} images, tfjs-cpu ${N_TRAIN_CPU})`);
  const trainRate = await timeTraining({ ours, x, y, fitArgs, peers, nThreads, skip: wasmError ? ['wasm'] : [], samples, epochs });
  log(`train samples/s: ours ${fmt(trainRate.ours, 0)}  ours ${nThreads} threads ${fmt(trainRate.threads, 0)}  tfjs-wasm ${wasmError ? 'cannot train' : fmt(trainRate.wasm, 0)}  tfjs-cpu ${fmt(trainRate.cpu, 0)}`);

  const { latency1, throughput64 } = await timePredict(ours, x1, x64, peers, log);

  // Sanity: the trained models learned (tfjs-wasm's is untrained when it cannot fit).
  const acc = testAccuracies(ours, xt, ytData, peers);
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
      ...predictRows(r),
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
    'Inference: `model.predict(x, { batchSize: n }).dispose()` on n = 1 or 64 test images (one batch), warm, median of alternating samples.',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await runLenetBench();
  console.log(`\n${lenetTable(r)}\n\n${lenetNotes(r)}`);
}
