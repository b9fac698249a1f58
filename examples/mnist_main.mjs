// The main job (`npm start`): the 784-128-10 MLP on the full MNIST training set (60,000 digits),
// Adam, batch 128, sparse categorical cross-entropy; accuracy on the 10,000 test digits; then
// save, reload and check the reloaded model scores the same.
import * as ag from '../dist/index.js';

const EPOCHS = Number(process.env.EPOCHS ?? 10);
const MODEL_DIR = process.env.MODEL_DIR ?? 'models/mnist-mlp';

const t0 = performance.now();
await ag.ready();
ag.manualSeed(42);
const { train, test } = await ag.datasets.mnist();
console.log(`MNIST: ${train.images.shape[0]} training and ${test.images.shape[0]} test digits`);

const model = ag.sequential({
  layers: [
    ag.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
    ag.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
model.summary();

const tFit = performance.now();
await model.fit(train.images, train.labels, { epochs: EPOCHS, batchSize: 128, verbose: 1 });
const fitSecs = (performance.now() - tFit) / 1000;
console.log(`trained ${EPOCHS} epochs in ${fitSecs.toFixed(1)} s (${Math.round((EPOCHS * 60000) / fitSecs)} samples/s)`);

function accuracy(m) {
  return ag.tidy(() => {
    const [, acc] = m.evaluate(test.images, test.labels, { batchSize: 1000 });
    return acc.item();
  });
}

const acc = accuracy(model);
console.log(`test accuracy: ${(acc * 100).toFixed(2)}%`);

await model.save(MODEL_DIR);
const reloaded = await ag.loadModel(MODEL_DIR);
const acc2 = accuracy(reloaded);
const same = ag.tidy(() => {
  const a = model.predict(test.images, { batchSize: 1000 });
  const b = reloaded.predict(test.images, { batchSize: 1000 });
  return a.eq(b).float().mean().item() === 1;
});
console.log(`saved to ${MODEL_DIR}; reloaded test accuracy: ${(acc2 * 100).toFixed(2)}%; predictions identical: ${same}`);
console.log(`total time ${((performance.now() - t0) / 1000).toFixed(1)} s`);

model.dispose();
reloaded.dispose();
ag.dispose([train, test]);
if (acc < 0.975 || acc2 !== acc || !same) {
  console.error('FAILED: expected test accuracy >= 97.5% and an identical reloaded model');
  process.exit(1);
}
