// LeNet-5 on MNIST, Keras style (the TensorFlow.js layers API): conv2d 6@5x5 -> maxPooling2d ->
// conv2d 16@5x5 -> maxPooling2d -> flatten -> dense 120 -> 84 -> 10 softmax, channelsLast input
// [N, 28, 28, 1], Adam, sparse categorical cross-entropy, batch 64.
import * as ag from '../dist/index.js';
import { runIfMain } from './run_main.mjs';

/** The Keras twin of examples/lenet_mnist.mjs's LeNet. */
export function lenet() {
  const { layers } = ag;
  return ag.sequential({
    layers: [
      layers.conv2d({ filters: 6, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.flatten(),
      layers.dense({ units: 120, activation: 'relu' }),
      layers.dense({ units: 84, activation: 'relu' }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

export async function main({ epochs = 4, trainSize = 60000, batchSize = 64, verbose = 1 } = {}) {
  await ag.ready();
  ag.manualSeed(7);
  const t0 = performance.now();
  const { train, test } = await ag.datasets.mnist({ flatten: false });
  const x = ag.tidy(() => train.images.narrow(0, 0, trainSize).reshape([trainSize, 28, 28, 1]));
  const y = train.labels.narrow(0, 0, trainSize);
  const xTest = test.images.reshape([-1, 28, 28, 1]);
  const model = lenet();
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs, batchSize, verbose });
  const [loss, acc] = model.evaluate(xTest, test.labels, { batchSize: 1000 });
  const seconds = (performance.now() - t0) / 1000;
  const result = { loss: loss.item(), accuracy: acc.item(), seconds };
  console.log(`LeNet (Keras style): test loss ${result.loss.toFixed(4)}, test accuracy ${(result.accuracy * 100).toFixed(2)}% after ${epochs} epochs on ${trainSize} digits, ${seconds.toFixed(1)} s`);
  ag.dispose([loss, acc, x, y, xTest, train, test]);
  model.dispose();
  return result;
}

runIfMain(import.meta, () => main());
