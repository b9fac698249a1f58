// The same MNIST MLP trained with a PyTorch-style loop: nn.Sequential, a DataLoader,
// optimizer.zeroGrad(), loss.backward(), optimizer.step().
import * as ag from '../dist/index.js';
import { runIfMain } from './run_main.mjs';

const { nn, optim, data } = ag;

export async function main({ epochs = 3, trainSize = 60000, log = true } = {}) {
  await ag.ready();
  ag.manualSeed(3);
  const { train, test } = await ag.datasets.mnist();
  const x = train.images.narrow(0, 0, trainSize), y = train.labels.narrow(0, 0, trainSize);
  const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 128, shuffle: true });
  for (let epoch = 0; epoch < epochs; epoch++) {
    model.train();
    let total = 0, batches = 0;
    for await (const [xb, yb] of loader) {
      total += ag.tidy(() => {
        const loss = lossFn.forward(model.forward(xb), yb);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        return loss.item();
      });
      batches++;
      ag.dispose([xb, yb]);
    }
    if (log) console.log(`epoch ${epoch + 1}/${epochs}: mean training loss ${(total / batches).toFixed(4)}`);
  }
  model.eval();
  const accuracy = ag.tidy(() => ag.noGrad(() => model.forward(test.images).argmax(1).eq(test.labels).float().mean().item()));
  console.log(`PyTorch-style MLP: test accuracy ${(accuracy * 100).toFixed(2)}%`);
  model.dispose();
  optimizer.dispose?.();
  ag.dispose([x, y, train, test]);
  return { accuracy };
}

runIfMain(import.meta, () => main());
