// The demo's model: the MNIST MLP of `npm start` (784-128-10, ReLU, softmax, Adam), with the same
// layer names, so a page model, a worker model and a saved model share state-dict keys.
export function buildMlp(ag) {
  const model = ag.sequential({
    name: 'sequential',
    layers: [
      ag.layers.dense({ units: 128, activation: 'relu', inputShape: [784], name: 'dense' }),
      ag.layers.dense({ units: 10, activation: 'softmax', name: 'dense_1' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
