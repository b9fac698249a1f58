// The shared half of the Keras-model benchmarks (train_mlp.mjs, train_lenet.mjs): one
// tfjs-layers peer per backend built from the same data, training epochs and predict calls timed
// alternating with ours, test accuracy, and the predict rows of their tables.
import * as ag from '../dist/index.js';
import { compare, fmt, ratio } from './harness.mjs';
import { loadTf, poolThreads } from './matmul.mjs';

/**
 * The Keras benches' common start: ready(), the worker pool's default thread count (`nThreads`),
 * ours set to one thread, and tfjs-core (wasm and cpu backends) and tfjs-layers loaded.
 */
export async function startKerasBench() {
  const backend = await ag.ready();
  const nThreads = await poolThreads();
  ag.setNumThreads(1);
  return { backend, nThreads, tf: await loadTf(), tfl: await import('@tensorflow/tfjs-layers') };
}

/** Fraction of the rows of `pred` (flat [n, classes]) whose argmax equals labels[i]. */
export function accuracy(pred, labels, classes = 10) {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let j = 1; j < classes; j++) if (pred[i * classes + j] > pred[i * classes + best]) best = j;
    if (best === labels[i]) ok++;
  }
  return ok / labels.length;
}

/**
 * A tfjs model and copies of the data per backend: 'wasm' trains on nTrain rows, 'cpu' on
 * nTrainCpu; each is created while its backend is current. `sample` is one example's shape
 * ([784], [28, 28, 1]); labels become float [n, 1]. Returns { wasm, cpu }: { n, model, x, y, x1,
 * x64, xt, enter }.
 */
export function makePeers(tf, makeModel, { xData, yData, xtData, sample, nTrain, nTrainCpu, nTest }) {
  const per = sample.reduce((a, b) => a * b, 1);
  const peers = {};
  for (const [name, n] of [['wasm', nTrain], ['cpu', nTrainCpu]]) {
    tf.setBackend(name);
    peers[name] = {
      n,
      model: makeModel(),
      x: tf.tensor(xData.subarray(0, n * per), [n, ...sample]),
      y: tf.tensor2d(Float32Array.from(yData.subarray(0, n)), [n, 1]),
      x1: tf.tensor(xtData.subarray(0, per), [1, ...sample]),
      x64: tf.tensor(xtData.subarray(0, 64 * per), [64, ...sample]),
      xt: tf.tensor(xtData, [nTest, ...sample]),
      enter: () => tf.setBackend(name),
    };
  }
  return peers;
}

/**
 * One epoch per call, sides alternating: ours on one thread, ours on `nThreads` (when > 1), then
 * each peer not in `skip`. Counts every epoch run (warm-up included) in `epochs`. Returns samples/s
 * { ours, threads, nThreads, wasm, cpu } (undefined for sides not run).
 */
export async function timeTraining({ ours, x, y, fitArgs, peers, nThreads, skip = [], samples, epochs }) {
  const one = () => ag.setNumThreads(1);
  const fitOurs = () => { epochs.ours++; return ours.fit(x, y, fitArgs); };
  const fitPeer = (b) => () => { epochs[b]++; return peers[b].model.fit(peers[b].x, peers[b].y, fitArgs); };
  const t = await compare([
    { name: 'ours', run: fitOurs, async: true, enter: one },
    ...(nThreads > 1 ? [{ name: 'threads', run: fitOurs, async: true, enter: () => ag.setNumThreads(nThreads) }] : []),
    ...['wasm', 'cpu'].filter((b) => !skip.includes(b)).map((b) => ({ name: b, run: fitPeer(b), async: true, enter: peers[b].enter })),
  ], { samples, warmupMs: 1, minSampleMs: 1 });
  one();
  const rate = (n, ms) => (ms > 0 ? n / ms * 1e3 : undefined);
  return {
    ours: rate(x.shape[0], t.ours), threads: rate(x.shape[0], t.threads), nThreads,
    wasm: rate(peers.wasm.n, t.wasm), cpu: rate(peers.cpu.n, t.cpu),
  };
}

/** Warm predict timings, alternating: { latency1: ms per batch-1 call, throughput64: samples/s at batch 64 }. */
export async function timePredict(ours, x1, x64, peers, log) {
  // batchSize: the whole input in one batch (predict's default, 32 in both libraries, would split 64).
  const sides = (key) => [
    { name: 'ours', run: () => { ours.predict(key === 1 ? x1 : x64, { batchSize: key }).dispose(); } },
    ...['wasm', 'cpu'].map((b) => ({ name: b, run: () => { peers[b].model.predict(key === 1 ? peers[b].x1 : peers[b].x64, { batchSize: key }).dispose(); }, enter: peers[b].enter })),
  ];
  const latency1 = await compare(sides(1), { samples: 9, minSampleMs: 25 });
  const t64 = await compare(sides(64), { samples: 9, minSampleMs: 25 });
  const throughput64 = Object.fromEntries(Object.entries(t64).map(([k, ms]) => [k, 64 / ms * 1e3]));
  log(`predict batch 1 ms: ours ${fmt(latency1.ours, 3)}  tfjs-wasm ${fmt(latency1.wasm, 3)}  tfjs-cpu ${fmt(latency1.cpu, 3)}`);
  log(`predict batch 64 samples/s: ours ${fmt(throughput64.ours, 0)}  tfjs-wasm ${fmt(throughput64.wasm, 0)}  tfjs-cpu ${fmt(throughput64.cpu, 0)}`);
  return { latency1, throughput64 };
}

/** Test accuracy of ours (on xt) and of each peer (on its xt), then disposes the peers' tensors and models. */
export function testAccuracies(ours, xt, ytData, peers) {
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
  return acc;
}

/** The predict rows of a results table (columns: what, ours, tfjs-wasm, tfjs-cpu, two ratios). */
export function predictRows(r) {
  return [
    ['predict batch 1, ms/call (lower is better)', fmt(r.latency1.ours, 3), fmt(r.latency1.wasm, 3), fmt(r.latency1.cpu, 3), ratio(r.latency1.wasm, r.latency1.ours), ratio(r.latency1.cpu, r.latency1.ours)],
    ['predict batch 64, samples/s', fmt(r.throughput64.ours, 0), fmt(r.throughput64.wasm, 0), fmt(r.throughput64.cpu, 0), ratio(r.throughput64.ours, r.throughput64.wasm), ratio(r.throughput64.ours, r.throughput64.cpu)],
  ];
}
