// The training worker: fetches MNIST, trains the MLP (Adam, batch 128) with asgrad, posts each
// batch's loss and accuracy, and every `syncEvery` batches the weights as safetensors bytes.
// In: {type: 'train', epochs, batches, samples, syncEvery} | {type: 'stop'}.
// Out: status | batch | weights | done | error messages (see app.js).
import * as ag from '../../dist/index.js';
import { loadMnist } from './mnist.js';
import { buildMlp } from './model.js';

const BATCH = 128;
let stopRequested = false;

const post = (msg, transfer) => self.postMessage(msg, transfer ?? []);
/** Lets the worker see a 'stop' message between batches (fit only yields between epochs). */
const tick = () => new Promise((r) => setTimeout(r, 0));

function postWeights(model, batch) {
  const bytes = ag.encodeSafetensors(model.stateDict());
  post({ type: 'weights', batch, bytes }, [bytes.buffer]);
}

async function train({ epochs = 3, batches = Infinity, samples = Infinity, syncEvery = 50 }) {
  stopRequested = false;
  post({ type: 'status', text: 'starting asgrad…' });
  await ag.ready();
  ag.manualSeed(1);
  post({ type: 'status', text: 'downloading MNIST…' });
  const data = await loadMnist(ag, 'train', samples);
  const n = data.images.shape[0];
  const total = Math.min(batches, epochs * Math.ceil(n / BATCH));
  const model = buildMlp(ag);
  post({ type: 'status', text: `training on ${n} digits`, total });
  let done = 0;
  const onBatchEnd = async (_b, logs) => {
    done++;
    post({ type: 'batch', batch: done, total, loss: logs.loss, acc: logs.acc });
    if (done % syncEvery === 0) postWeights(model, done);
    if (done >= total || stopRequested) model.stopTraining = true;
    if (done % 4 === 0) await tick();
  };
  try {
    await model.fit(data.images, data.labels, { epochs, batchSize: BATCH, verbose: 0, callbacks: { onBatchEnd } });
    postWeights(model, done);
    post({ type: 'status', text: 'evaluating on the 10000 test digits…' });
    const test = await loadMnist(ag, 't10k');
    const testAcc = ag.tidy(() => model.evaluate(test.images, test.labels, { batchSize: 1000 })[1].item());
    ag.dispose([test.images, test.labels]);
    post({ type: 'done', batches: done, stopped: stopRequested, testAcc });
  } finally {
    model.dispose();
    ag.dispose([data.images, data.labels]);
  }
}

self.onmessage = (e) => {
  if (e.data.type === 'stop') stopRequested = true;
  else if (e.data.type === 'train') train(e.data).catch((err) => post({ type: 'error', message: err?.message ?? String(err) }));
};
