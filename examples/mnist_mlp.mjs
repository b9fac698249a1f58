// The MNIST MLP, Keras style: dense(128, relu) -> dense(10, softmax), Adam, sparse categorical
// cross-entropy, batch 128 (the classic example; `npm start` runs the full job with save/reload).
import * as ag from '../dist/index.js';
import { runIfMain } from './run_main.mjs';

export async function main({ epochs = 5, trainSize = 60000, verbose = 1 } = {}) {
  await ag.ready();
  ag.manualSeed(1);
  const { train, test } = await ag.datasets.mnist();
  const x = train.images.narrow(0, 0, trainSize), y = train.labels.narrow(0, 0, trainSize);
  const model = ag.sequential({
    layers: [
      ag.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
      ag.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs, batchSize: 128, verbose });
  const [loss, acc] = model.evaluate(test.images, test.labels, { batchSize: 1000 });
  const result = { loss: loss.item(), accuracy: acc.item() };
  console.log(`MNIST MLP: test loss ${result.loss.toFixed(4)}, test accuracy ${(result.accuracy * 100).toFixed(2)}%`);
  ag.dispose([loss, acc, x, y, train, test]);
  model.dispose();
  return result;
}

runIfMain(import.meta, () => main());
