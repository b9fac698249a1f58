// The page: wires the training worker to the chart and progress bar, the drawing pad to live
// predictions, and the model buttons to asgrad's loadModel / model.save URL schemes.
// URL parameters: epochs (3), batches (stop after N), samples (training digits used), sync (50).
import * as ag from '../../dist/index.js';
import { drawProbabilities, drawTraining, smooth } from './chart.js';
import { createPad, drawPreview } from './draw.js';
import { buildMlp } from './model.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const param = (k, d) => (params.has(k) ? Number(params.get(k)) : d);
const IDB_URL = 'indexeddb://mnist-mlp';
const SAVED_URL = '/models/mnist-mlp/model.json';

/** What the page shows, readable as window.__demo.state (tests read it). */
const state = {
  ready: false, training: false, finished: false, total: 0, loss: [], acc: [], testAcc: null,
  model: null, syncedBatch: 0, input: null, probs: null, predicted: null, error: null,
};
let worker = null, trained = null, current = null, chartQueued = false;
/** True from Train until a model is loaded: the page then predicts with the weights being trained. */
let followTraining = false;

const pad = createPad($('pad'), { onChange: predictNow });

function show(id, text, isError = false) {
  $(id).textContent = text;
  $(id).classList.toggle('error', isError);
  if (isError) state.error = text;
}

function setModel(model, source) {
  if (current && current !== trained && current !== model) current.dispose();
  current = model;
  state.model = source;
  $('model-source').textContent = source;
  $('save-idb').disabled = $('download').disabled = false;
  predictNow();
}

function predictNow() {
  const input = pad.toMnist();
  drawPreview($('preview'), input);
  state.input = input && Array.from(input);
  state.probs = input && current ? Array.from(ag.tidy(() => current.predict(ag.tensor(input, { shape: [1, 784] })).data())) : null;
  state.predicted = state.probs ? state.probs.indexOf(Math.max(...state.probs)) : null;
  $('predicted').textContent = state.predicted ?? '?';
  drawProbabilities($('probs'), state.probs);
}

function redrawChart() {
  chartQueued = false;
  drawTraining($('chart'), state);
  const n = state.loss.length;
  $('progress').value = state.total ? n / state.total : 0;
  if (n) {
    $('loss').textContent = smooth(state.loss).at(-1).toFixed(3);
    $('acc').textContent = `${(smooth(state.acc).at(-1) * 100).toFixed(1)}%`;
  }
}
function queueChart() {
  if (!chartQueued) { chartQueued = true; requestAnimationFrame(redrawChart); }
}

const handlers = {
  status({ text, total }) { show('status', text); if (total) state.total = total; queueChart(); },
  batch({ batch, total, loss, acc }) {
    state.loss.push(loss);
    state.acc.push(acc);
    state.total = total;
    show('status', `batch ${batch} of ${total}`);
    queueChart();
  },
  weights({ batch, bytes }) {
    trained ??= buildMlp(ag);
    const { tensors } = ag.decodeSafetensors(bytes);
    trained.loadStateDict(tensors, { strict: true });
    ag.dispose(Object.values(tensors));
    state.syncedBatch = batch;
    if (followTraining) setModel(trained, `trained in this page (after batch ${batch})`);
  },
  done({ batches, stopped, testAcc }) {
    Object.assign(state, { training: false, finished: true, testAcc });
    show('status', `${stopped ? 'stopped' : 'done'} after ${batches} batches · test accuracy ${(testAcc * 100).toFixed(2)}%`);
    $('train').disabled = false;
    $('stop').disabled = true;
    queueChart();
  },
  error({ message }) {
    state.training = false;
    show('status', `training failed: ${message}`, true);
    $('train').disabled = false;
    $('stop').disabled = true;
  },
};

function startTraining() {
  worker?.terminate();
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (e) => handlers[e.data.type](e.data);
  worker.onerror = (e) => handlers.error({ message: e.message ?? 'the worker failed to start' });
  Object.assign(state, { training: true, finished: false, loss: [], acc: [], total: 0, testAcc: null });
  followTraining = true;
  if (trained) setModel(trained, 'trained in this page (training again…)');
  $('train').disabled = true;
  $('stop').disabled = false;
  worker.postMessage({
    type: 'train', epochs: param('epochs', 3), batches: param('batches', Infinity),
    samples: param('samples', Infinity), syncEvery: param('sync', 50),
  });
}

/** Runs a button's action with the button disabled, reporting the outcome under the buttons. */
function action(id, fn) {
  $(id).addEventListener('click', async () => {
    $(id).disabled = true;
    try {
      show('message', await fn());
    } catch (e) {
      show('message', e.message, true);
    } finally {
      $(id).disabled = false;
    }
  });
}

/** A model the person asked for replaces the one being trained until Train is pressed again. */
function useLoaded(model, source) {
  followTraining = false;
  setModel(model, source);
}

action('load-saved', async () => {
  useLoaded(await ag.loadModel(SAVED_URL), `loaded from ${SAVED_URL} (saved by npm start)`);
  return `loaded ${SAVED_URL} and its weights with loadModel over fetch`;
});
action('save-idb', async () => { await current.save(IDB_URL); return `saved to ${IDB_URL}`; });
action('load-idb', async () => {
  useLoaded(await ag.loadModel(IDB_URL), `loaded from ${IDB_URL}`);
  return `loaded ${IDB_URL}`;
});
action('download', async () => {
  const r = await current.save('downloads://mnist-mlp');
  return `downloaded ${r.modelJson} and ${r.weights} (loadModel('path/to/${r.modelJson}') reads them in Node)`;
});
$('train').addEventListener('click', startTraining);
$('stop').addEventListener('click', () => { worker?.postMessage({ type: 'stop' }); $('stop').disabled = true; show('status', 'stopping…'); });
$('clear').addEventListener('click', () => pad.clear());
addEventListener('resize', () => { queueChart(); predictNow(); });

window.__demo = { state, ag, get model() { return current; } };
drawProbabilities($('probs'), null);
redrawChart();
await ag.ready();
state.ready = true;
$('train').disabled = false;
show('status', `ready (${crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated'}) · press Train`);
