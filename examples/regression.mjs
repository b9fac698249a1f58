// Regression on random data, Keras style: dense(64, relu) -> dense(1), MSE, Adam. The target is
// a fixed random linear function of the inputs plus noise, so the loss has something to learn
// (the classic example's pure-noise target can only reach the noise variance).
import * as ag from '../dist/index.js';
import { runIfMain } from './run_main.mjs';

export async function main({ samples = 1000, epochs = 10, verbose = 1 } = {}) {
  await ag.ready();
  ag.manualSeed(2);
  const x = ag.rand([samples, 10]);
  const w = ag.randn([10, 1]);
  const y = ag.tidy(() => x.matmul(w).add(ag.randn([samples, 1]).mul(0.1)));
  const model = ag.sequential({
    layers: [
      ag.layers.dense({ units: 64, activation: 'relu', inputShape: [10] }),
      ag.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const history = await model.fit(x, y, { epochs, batchSize: 32, verbose });
  const losses = history.history.loss;
  console.log(`regression: MSE ${losses[0].toFixed(4)} after epoch 1 -> ${losses.at(-1).toFixed(4)} after epoch ${epochs}`);
  ag.dispose([x, w, y]);
  model.dispose();
  return { losses };
}

runIfMain(import.meta, () => main());
