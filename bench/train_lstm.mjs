// Character LSTM language model on the King James Bible, ours (Keras-style API) vs TensorFlow.js-layers
// on the wasm and cpu backends: embedding(V, 32) -> lstm(128, returnSequences) -> dense(V, softmax) at
// every step of 64-char windows, Adam 0.001, sparse categorical CE, batch 64, the same initial weights.
// tfjs-wasm 4.22 cannot train the embedding (no UnsortedSegmentSum kernel): the bench records its error
// and also times both libraries with the embedding frozen, which tfjs-wasm can train.
//   node bench/train_lstm.mjs   (prints; bench/run.mjs --only=lstm writes RESULTS.md)
import * as ag from '../dist/index.js';
import { fileURLToPath } from 'node:url';
import { compare, fmt, markdownTable, ratio } from './harness.mjs';
import { predictRows, startKerasBench } from './keras_peer.mjs';

const BATCH = 64, SEQ = 64, EMBED = 32, UNITS = 128;
/** Windows per timed epoch: ours 10 batches; the frozen-embedding pair 1 (tfjs-wasm takes ~1.5 s a batch); tfjs-cpu 1 (~10 s). */
const N_TRAIN = 10 * BATCH, N_FROZEN = BATCH, N_TRAIN_CPU = BATCH;
/** The same-model check trains on this many windows (small: tfjs-cpu takes ~1 s a step at 8). */
const N_CHECK = 8, N_VAL = 64, FALLBACK_VOCAB = 73;
const KJV = fileURLToPath(new URL('../.cache/kjv/kjv.txt', import.meta.url));

/** The model in either library's layers API (same names and arguments). */
function charLstm(L, vocab, { frozen = false, tfjs = false } = {}) {
  const model = L.sequential({
    layers: [
      L.layers.embedding({ inputDim: vocab, outputDim: EMBED, inputLength: SEQ, trainable: !frozen }),
      L.layers.lstm({
        units: UNITS, returnSequences: true, recurrentActivation: 'sigmoid', unitForgetBias: true,
        // tfjs-layers' orthogonal initializer calls a chained op (rMat.flatten) that tfjs-core alone does
        // not register; the weights are overwritten with ours before anything runs.
        ...(tfjs ? { recurrentInitializer: 'glorotUniform' } : {}),
      }),
      L.layers.dense({ units: vocab, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return model;
}

/**
 * Token ids: the first N_TRAIN windows of the KJV text (training) and its last N_VAL (validation), the
 * vocabulary of the whole text. Without the text (scripts/fetch-kjv.sh not run): seeded random ids over
 * FALLBACK_VOCAB symbols, which time the same and say so.
 */
async function charData(log) {
  const need = (n) => n * SEQ + 1;
  try {
    const text = await ag.data.loadKjv({ path: KJV });
    const vocab = ag.data.CharVocab.fromText(text);
    return {
      source: 'kjv', vocab: vocab.size, chars: text.length,
      unigram: ag.data.unigramEntropy(vocab.encode(text), vocab.size),
      train: vocab.encode(text.slice(0, need(N_TRAIN))), val: vocab.encode(text.slice(-need(N_VAL))),
    };
  } catch (e) {
    log(`LSTM bench: the KJV text is unavailable (${String(e?.message ?? e).split('\n')[0]}). FALLING BACK to uniformly random ids over ${FALLBACK_VOCAB} symbols: timings keep their meaning, losses do not.`);
    ag.manualSeed(1);
    const ids = (n) => ag.tidy(() => ag.randint(0, FALLBACK_VOCAB, [need(n)]).data());
    return { source: 'random', vocab: FALLBACK_VOCAB, chars: 0, unigram: Math.log(FALLBACK_VOCAB), train: ids(N_TRAIN), val: ids(N_VAL) };
  }
}

/** Mean -log p(target) over all steps: probs flat [n, SEQ, V], targets flat [n, SEQ]. */
function crossEntropy(probs, targets, V) {
  let s = 0;
  for (let i = 0; i < targets.length; i++) s -= Math.log(Math.max(probs[i * V + targets[i]], 1e-7));
  return s / targets.length;
}

/** Per-library weight lists in getWeights() order: trainable layers' weights first, so a frozen embedding moves last. */
const orderFor = (w, frozen) => (frozen ? [...w.slice(1), w[0]] : w);
function setOurs(model, w) {
  const ts = w.map((t) => ag.tensor(t.data, { shape: t.shape }));
  model.setWeights(ts);
  ag.dispose(ts);
}
function setTf(tf, model, w) {
  const ts = w.map((t) => tf.tensor(t.data, t.shape));
  model.setWeights(ts);
  ts.forEach((t) => t.dispose());
}
const num = (v) => (Array.isArray(v) ? v[0] : v);

/**
 * Same-model check before timing: from the same initial weights, two Adam steps on the first N_CHECK
 * windows must give the same losses (step 1: the forward pass; step 2: after one update, so gradients
 * and Adam agree too) in asgrad and tfjs-cpu, and in the frozen-embedding pair asgrad / tfjs-wasm;
 * tfjs-wasm's full model is only evaluated (its fit throws). Returns { losses, maxDiff, wasmError }.
 */
async function sameModelCheck(tf, m, d) {
  const losses = {};
  const two = async (model, x, y) => [num(await model.trainOnBatch(x, y)), num(await model.trainOnBatch(x, y))];
  losses.ours = await two(m.ours, d.cx, d.cy);
  losses.oursFrozen = await two(m.oursFrozen, d.cx, d.cy);
  tf.setBackend('cpu');
  losses.cpu = await two(m.cpu, d.tf.cpu.cx, d.tf.cpu.cy);
  tf.setBackend('wasm');
  const e = m.wasm.evaluate(d.tf.wasm.cx, d.tf.wasm.cy, { batchSize: N_CHECK });
  losses.wasm = [e.dataSync()[0]];
  e.dispose();
  let wasmError = null;
  try {
    losses.wasm = await two(m.wasm, d.tf.wasm.cx, d.tf.wasm.cy);
  } catch (err) {
    wasmError = String(err?.message ?? err).split('\n')[0];
  }
  losses.wasmFrozen = await two(m.wasmFrozen, d.tf.wasm.cx, d.tf.wasm.cy);
  const diffs = [
    ...[0, 1].map((k) => Math.abs(losses.cpu[k] - losses.ours[k])),
    ...losses.wasm.map((l, k) => Math.abs(l - losses.ours[k])),
    Math.abs(losses.oursFrozen[0] - losses.ours[0]),
    ...[0, 1].map((k) => Math.abs(losses.wasmFrozen[k] - losses.oursFrozen[k])),
  ];
  const maxDiff = Math.max(...diffs);
  if (!(maxDiff < 1e-3)) throw new Error(`LSTM bench: the libraries disagree on the first losses (max diff ${maxDiff}): ${JSON.stringify(losses)}`);
  return { losses, maxDiff, wasmError };
}

/**
 * Trains and times both libraries. Returns { train: samples/s { ours, threads, nThreads, frozen,
 * wasmFrozen, wasm (undefined when it cannot train), cpu }, wasmError, latency1: ms,
 * throughput64: samples/s, check, valLoss, unigram, epochs, sizes, data } (a sample = one 64-char window).
 */
export async function runLstmBench({ log = console.log, samples = 3 } = {}) {
  const { nThreads, tf, tfl } = await startKerasBench();
  const one = () => ag.setNumThreads(1);
  const data = await charData(log);
  const V = data.vocab;
  const train = ag.data.charWindows(data.train, SEQ), val = ag.data.charWindows(data.val, SEQ);
  const x = train.inputs, y = train.targets;
  const rowsOf = (t, n) => ag.tidy(() => t.narrow(0, 0, n).clone());
  const d = {
    cx: rowsOf(x, N_CHECK), cy: rowsOf(y, N_CHECK), fx: rowsOf(x, N_FROZEN), fy: rowsOf(y, N_FROZEN),
    x1: rowsOf(val.inputs, 1), xv: val.inputs, yv: val.targets,
  };
  const xData = x.data(), yData = y.data(), xvData = val.inputs.data(), yvData = val.targets.data();
  log(`data: ${data.source === 'kjv' ? `KJV, ${data.chars} chars` : 'RANDOM ids (KJV text missing)'}, vocabulary ${V}, ${N_TRAIN} training windows of ${SEQ}`);

  // One initial set of weights (asgrad's initializers) for every model.
  const ours = charLstm(ag, V);
  const w0 = ours.getWeights().map((t) => ({ data: t.data(), shape: [...t.shape] }));
  const oursFrozen = charLstm(ag, V, { frozen: true });
  setOurs(oursFrozen, orderFor(w0, true));
  const m = { ours, oursFrozen };
  d.tf = {};
  for (const [b, n] of [['wasm', N_FROZEN], ['cpu', N_TRAIN_CPU]]) {
    tf.setBackend(b);
    const full = charLstm(tfl, V, { tfjs: true });
    setTf(tf, full, w0);
    m[b] = full;
    if (b === 'wasm') { m.wasmFrozen = charLstm(tfl, V, { tfjs: true, frozen: true }); setTf(tf, m.wasmFrozen, orderFor(w0, true)); }
    // tfjs-layers wants sparse labels as [n, SEQ, 1] against the [n, SEQ, V] output.
    const xs = (k) => tf.tensor(Float32Array.from(xData.subarray(0, k * SEQ)), [k, SEQ]);
    const ys = (k) => tf.tensor(Float32Array.from(yData.subarray(0, k * SEQ)), [k, SEQ, 1]);
    d.tf[b] = {
      n, x: xs(n), y: ys(n), cx: xs(N_CHECK), cy: ys(N_CHECK),
      x1: tf.tensor(Float32Array.from(xvData.subarray(0, SEQ)), [1, SEQ]), xv: tf.tensor(Float32Array.from(xvData), [N_VAL, SEQ]),
      enter: () => tf.setBackend(b),
    };
  }

  const check = await sameModelCheck(tf, m, d);
  const { wasmError } = check;
  log(`same-model check (${N_CHECK} windows, 2 Adam steps from the same weights): losses ${JSON.stringify(check.losses)}, max |diff| ${check.maxDiff.toExponential(1)}`);
  if (wasmError) log(`tfjs-wasm cannot train the LSTM model: ${wasmError}`);

  const fitArgs = { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: true };
  // Epochs run per model (warm-up included; the check's two steps on N_CHECK windows not counted).
  const epochs = { ours: 0, frozen: 0, wasm: 0, wasmFrozen: 0, cpu: 0 };
  const fitSide = (name, model, xs, ys, enter) => ({ name, async: true, enter, run: () => { epochs[name === 'threads' ? 'ours' : name]++; return model.fit(xs, ys, fitArgs); } });
  const enterWasm = d.tf.wasm.enter;
  log(`training: ${samples} alternating samples of one epoch each (asgrad ${N_TRAIN} windows; frozen embedding: asgrad and tfjs-wasm ${N_FROZEN}${wasmError ? '' : `; tfjs-wasm ${N_FROZEN}`})`);
  const t = await compare([
    fitSide('ours', ours, x, y, one),
    ...(nThreads > 1 ? [fitSide('threads', ours, x, y, () => ag.setNumThreads(nThreads))] : []),
    fitSide('frozen', oursFrozen, d.fx, d.fy, one),
    fitSide('wasmFrozen', m.wasmFrozen, d.tf.wasm.x, d.tf.wasm.y, enterWasm),
    ...(wasmError ? [] : [fitSide('wasm', m.wasm, d.tf.wasm.x, d.tf.wasm.y, enterWasm)]),
  ], { samples, warmupMs: 1, minSampleMs: 1 });
  one();
  // tfjs-cpu: ~10 s a batch, so one timed epoch of one batch, not alternated (its kernels are warm from the check).
  d.tf.cpu.enter();
  const c0 = performance.now();
  epochs.cpu++;
  await m.cpu.fit(d.tf.cpu.x, d.tf.cpu.y, fitArgs);
  const cpuMs = performance.now() - c0;
  const rate = (n, ms) => (ms > 0 ? n / ms * 1e3 : undefined);
  const trainRate = {
    ours: rate(N_TRAIN, t.ours), threads: rate(N_TRAIN, t.threads), nThreads,
    frozen: rate(N_FROZEN, t.frozen), wasmFrozen: rate(N_FROZEN, t.wasmFrozen), wasm: rate(N_FROZEN, t.wasm), cpu: rate(N_TRAIN_CPU, cpuMs),
  };
  log(`train samples/s: asgrad ${fmt(trainRate.ours, 0)}  asgrad ${nThreads} threads ${fmt(trainRate.threads, 0)}  tfjs-wasm ${wasmError ? 'cannot train' : fmt(trainRate.wasm, 0)}  tfjs-cpu ${fmt(trainRate.cpu, 1)}`);
  log(`train samples/s, embedding frozen: asgrad ${fmt(trainRate.frozen, 0)}  tfjs-wasm ${fmt(trainRate.wasmFrozen, 1)}`);

  // Inference with the trained models (tfjs-wasm: the frozen-embedding one). Batch 64 = one predict call of 64 windows.
  const peer = { wasm: { model: m.wasmFrozen, ...d.tf.wasm }, cpu: { model: m.cpu, ...d.tf.cpu } };
  const p64 = { batchSize: BATCH };
  const latency1 = await compare([
    { name: 'ours', run: () => { ours.predict(d.x1).dispose(); } },
    ...['wasm', 'cpu'].map((b) => ({ name: b, run: () => { peer[b].model.predict(peer[b].x1).dispose(); }, enter: peer[b].enter })),
  ], { samples: 9, minSampleMs: 25 });
  const t64 = await compare([
    { name: 'ours', run: () => { ours.predict(d.xv, p64).dispose(); } },
    { name: 'wasm', run: () => { peer.wasm.model.predict(peer.wasm.xv, p64).dispose(); }, enter: peer.wasm.enter },
  ], { samples: 9, minSampleMs: 25 });
  // tfjs-cpu batch 64: ~3 s a call, timed once; its output gives tfjs-cpu's validation loss.
  peer.cpu.enter();
  const q0 = performance.now();
  const qc = m.cpu.predict(peer.cpu.xv, p64);
  t64.cpu = performance.now() - q0;
  const valLoss = { cpu: crossEntropy(qc.dataSync(), yvData, V) };
  qc.dispose();
  const throughput64 = Object.fromEntries(Object.entries(t64).map(([k, ms]) => [k, BATCH / ms * 1e3]));
  log(`predict batch 1 ms: asgrad ${fmt(latency1.ours, 3)}  tfjs-wasm ${fmt(latency1.wasm, 3)}  tfjs-cpu ${fmt(latency1.cpu, 3)}`);
  log(`predict batch 64 samples/s: asgrad ${fmt(throughput64.ours, 0)}  tfjs-wasm ${fmt(throughput64.wasm, 0)}  tfjs-cpu ${fmt(throughput64.cpu, 1)}`);

  // Sanity: the models learned something (validation cross-entropy in nats/char vs the unigram entropy).
  const po = ours.predict(d.xv, p64);
  valLoss.ours = crossEntropy(po.data(), yvData, V);
  po.dispose();
  peer.wasm.enter();
  const pw = m.wasmFrozen.predict(peer.wasm.xv, p64);
  valLoss.wasmFrozen = crossEntropy(pw.dataSync(), yvData, V);
  pw.dispose();
  log(`validation loss (nats/char, unigram ${data.unigram.toFixed(3)}): asgrad ${valLoss.ours.toFixed(3)}  tfjs-wasm (frozen emb.) ${valLoss.wasmFrozen.toFixed(3)}  tfjs-cpu ${valLoss.cpu.toFixed(3)}`);

  for (const b of ['wasm', 'cpu']) {
    d.tf[b].enter();
    for (const k of ['x', 'y', 'cx', 'cy', 'x1', 'xv']) d.tf[b][k].dispose();
    m[b].dispose();
  }
  d.tf.wasm.enter();
  m.wasmFrozen.dispose();
  tf.setBackend('cpu');
  ag.dispose([train, val, d.cx, d.cy, d.fx, d.fy, d.x1]);
  ours.dispose();
  oursFrozen.dispose();
  return {
    train: trainRate, wasmError, latency1, throughput64, check: { losses: check.losses, maxDiff: check.maxDiff },
    valLoss, unigram: data.unigram, epochs, data: { source: data.source, vocab: V, chars: data.chars },
    sizes: { train: N_TRAIN, frozen: N_FROZEN, trainCpu: N_TRAIN_CPU, check: N_CHECK, val: N_VAL },
  };
}

export function lstmTable(r) {
  const n = r.train.nThreads, s = r.sizes;
  const wasmTrain = r.wasmError ? 'cannot train' : fmt(r.train.wasm, 1);
  return markdownTable(
    [`char LSTM LM (${r.data.source === 'kjv' ? 'KJV' : 'RANDOM ids'}, vocabulary ${r.data.vocab}, 64 steps)`, 'asgrad', 'tfjs-wasm', 'tfjs-cpu', 'asgrad speed / tfjs-wasm', 'asgrad speed / tfjs-cpu'],
    [
      ['training, samples/s (64-char windows, batch 64, Adam)', fmt(r.train.ours, 0), wasmTrain, fmt(r.train.cpu, 1), r.wasmError ? '—' : ratio(r.train.ours, r.train.wasm), ratio(r.train.ours, r.train.cpu)],
      ...(n > 1 ? [[`training, asgrad on ${n} threads (${n} threads / 1 thread: ${ratio(r.train.threads, r.train.ours)})`, fmt(r.train.threads, 0), '', '', r.wasmError ? '—' : ratio(r.train.threads, r.train.wasm), ratio(r.train.threads, r.train.cpu)]] : []),
      ['training with the embedding frozen (`trainable: false`), samples/s', fmt(r.train.frozen, 0), fmt(r.train.wasmFrozen, 1), '', ratio(r.train.frozen, r.train.wasmFrozen), ''],
      ...predictRows(r),
      [`validation cross-entropy, nats/char (${s.val} held-out windows; unigram ${r.unigram.toFixed(3)})`,
        `${r.valLoss.ours.toFixed(3)} (${r.epochs.ours} ep. of ${s.train})`,
        `${r.valLoss.wasmFrozen.toFixed(3)} (frozen emb., ${r.epochs.wasmFrozen} ep. of ${s.frozen})`,
        `${r.valLoss.cpu.toFixed(3)} (${r.epochs.cpu} ep. of ${s.trainCpu})`, '', ''],
    ],
  );
}

export function lstmNotes(r) {
  const s = r.sizes, L = r.check.losses, f5 = (ls) => ls.map((l) => l.toFixed(5)).join(', ');
  return [
    'Same model in both libraries: `layers.embedding({ inputDim: V, outputDim: 32 })` → `layers.lstm({ units: 128,',
    "returnSequences: true, recurrentActivation: 'sigmoid', unitForgetBias: true })` → `layers.dense({ units: V, activation: 'softmax' })`",
    "on every step, `compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' })`, Keras gate order i, f, c, o on both sides",
    "(tfjs defaults to `recurrentActivation: 'hardSigmoid'`; both get the Keras 2 sigmoid). Every model starts from asgrad's initial",
    `weights (copied with \`setWeights\`). Checked before timing: two Adam steps on the first ${s.check} windows give the losses`,
    `${f5(L.ours)} (asgrad), ${f5(L.cpu)} (tfjs-cpu), ${f5(L.wasm)} (tfjs-wasm, forward only); embedding frozen:`,
    `${f5(L.oursFrozen)} (asgrad), ${f5(L.wasmFrozen)} (tfjs-wasm); max |difference| ${r.check.maxDiff.toExponential(1)}.`,
    `Data: ${r.data.source === 'kjv' ? `the King James Bible (\`scripts/fetch-kjv.sh\`, ${r.data.chars} chars, ${r.data.vocab} distinct), non-overlapping 64-char`
      : `**random ids over ${r.data.vocab} symbols: the KJV text was missing** (\`bash scripts/fetch-kjv.sh\`); non-overlapping 64-id`}`,
    'windows, target = the next character at every step (int32 [n, 64] for asgrad; float [n, 64, 1] for tfjs-layers, which',
    'wants rank-3 targets for a rank-3 output); training windows from the start of the text, validation windows from its end.',
    `Training: one timed call = \`model.fit(x, y, { epochs: 1, batchSize: 64, shuffle: true })\`; asgrad on the first ${s.train}`,
    `windows (${s.train / 64} batches), median of alternating samples, one thread except the "${r.train.nThreads} threads" row. ${r.wasmError
      ? 'tfjs-wasm 4.22 cannot train'
      : 'tfjs-wasm trained'}`,
    ...(r.wasmError ? [`this model: \`fit\` throws "${r.wasmError}" (the gradient of the embedding's gather).`] : []),
    `Frozen-embedding row: the same model with \`trainable: false\` on the embedding (tfjs-wasm can train it), ${s.frozen} windows`,
    `(${s.frozen / 64} batch${s.frozen > 64 ? 'es' : ''}) per epoch on both sides, alternating. tfjs-cpu: one epoch of ${s.trainCpu} windows (1 batch), timed once`,
    `(${fmt(s.trainCpu / r.train.cpu, 1)} s). A sample = one 64-char window (64 predicted characters).`,
    'Inference: `model.predict(x, { batchSize: 64 }).dispose()` on 1 or 64 validation windows, warm, median of alternating',
    'samples (tfjs-cpu at batch 64: timed once). Validation loss: the trained models after the epochs counted (warm-up included).',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await runLstmBench();
  console.log(`\n${lstmTable(r)}\n\n${lstmNotes(r)}`);
}
