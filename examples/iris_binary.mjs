// Iris with two features, Keras style: dense(10, relu) -> dense(1, sigmoid), binary
// cross-entropy, Adam. The classic example feeds all three class labels to a binary loss; here
// the target is honest: setosa (1) against the other two species (0), from sepal length and width.
import * as ag from '../dist/index.js';
import { runIfMain } from './run_main.mjs';

export async function main({ epochs = 100, batchSize = 10, verbose = 0 } = {}) {
  await ag.ready();
  ag.manualSeed(0);
  const iris = await ag.datasets.iris();
  const x = iris.features.slice(1, 0, 2).contiguous(); // sepal length, sepal width
  const y = iris.labels.eq(0).float().reshape([-1, 1]);
  const model = ag.sequential({
    layers: [
      ag.layers.dense({ units: 10, activation: 'relu', inputShape: [2] }),
      ag.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs, batchSize, verbose });
  const acc = ag.tidy(() => model.predict(x).gt(0.5).float().eq(y).float().mean().item());
  console.log(`iris (setosa vs rest, 2 features): training accuracy ${(acc * 100).toFixed(1)}%, final loss ${history.history.loss.at(-1).toFixed(4)}`);
  model.dispose();
  ag.dispose([x, y, iris.features, iris.labels]);
  return { accuracy: acc, history };
}

runIfMain(import.meta, () => main({ verbose: 1 }));
