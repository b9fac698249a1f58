// k-fold cross-validation on Iris (all four features, three species): a fresh
// dense(10, relu) -> dense(3, softmax) model per fold, standardized with the training fold's
// statistics only, scored on the held-out fold.
import * as ag from '../dist/index.js';
import { runIfMain } from './run_main.mjs';

export async function main({ k = 5, epochs = 150, verbose = true } = {}) {
  await ag.ready();
  ag.manualSeed(4);
  const iris = await ag.datasets.iris();
  const folds = ag.data.kFold(iris.features.shape[0], k, { shuffle: true, seed: 4 });
  const scores = [];
  for (const [i, { trainIndex, testIndex }] of folds.entries()) {
    const ti = ag.tensor(trainIndex, { dtype: 'int32' }), vi = ag.tensor(testIndex, { dtype: 'int32' });
    const xTr = iris.features.indexSelect(0, ti), yTr = iris.labels.indexSelect(0, ti);
    const xTe = iris.features.indexSelect(0, vi), yTe = iris.labels.indexSelect(0, vi);
    const scaler = new ag.data.StandardScaler();
    const xTrS = scaler.fitTransform(xTr), xTeS = scaler.transform(xTe);
    const model = ag.sequential({
      layers: [
        ag.layers.dense({ units: 10, activation: 'relu', inputShape: [4] }),
        ag.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await model.fit(xTrS, yTr, { epochs, batchSize: 16, verbose: 0 });
    const acc = ag.tidy(() => model.evaluate(xTeS, yTe)[1].item());
    scores.push(acc);
    if (verbose) console.log(`fold ${i + 1}/${k}: held-out accuracy ${(acc * 100).toFixed(1)}%`);
    model.dispose();
    scaler.dispose?.();
    ag.dispose([ti, vi, xTr, yTr, xTe, yTe, xTrS, xTeS]);
  }
  const mean = scores.reduce((a, b) => a + b, 0) / k;
  const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / k);
  console.log(`${k}-fold cross-validated accuracy: ${(mean * 100).toFixed(1)}% ± ${(sd * 100).toFixed(1)}%`);
  ag.dispose([iris.features, iris.labels]);
  return { scores, mean };
}

runIfMain(import.meta, () => main());
