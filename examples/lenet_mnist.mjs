// LeNet-5 on MNIST, PyTorch style: conv 6@5x5 -> max-pool 2 -> conv 16@5x5 -> max-pool 2 ->
// linear 256->120->84->10 with ReLU, an nn.Module subclass, Adam with a StepLR schedule, a
// DataLoader and cross-entropy. The full job (60,000 digits, 8 epochs) reaches about 99% on the
// 10,000 test digits.
import * as ag from '../dist/index.js';
import { runIfMain } from './run_main.mjs';

const { nn, optim, data } = ag;

/** LeNet for [N, 1, 28, 28] input (no padding: 28 -> 24 -> 12 -> 8 -> 4, so 16*4*4 = 256 features). */
export class LeNet extends nn.Module {
  constructor() {
    super();
    this.conv1 = this.registerModule('conv1', new nn.Conv2d(1, 6, 5));
    this.conv2 = this.registerModule('conv2', new nn.Conv2d(6, 16, 5));
    this.pool = this.registerModule('pool', new nn.MaxPool2d(2));
    this.fc1 = this.registerModule('fc1', new nn.Linear(16 * 4 * 4, 120));
    this.fc2 = this.registerModule('fc2', new nn.Linear(120, 84));
    this.fc3 = this.registerModule('fc3', new nn.Linear(84, 10));
  }

  forward(x) {
    x = this.pool.forward(this.conv1.forward(x).relu());
    x = this.pool.forward(this.conv2.forward(x).relu());
    x = x.flatten(1);
    return this.fc3.forward(this.fc2.forward(this.fc1.forward(x).relu()).relu());
  }
}

/** Test accuracy of a model mapping [n, 1, 28, 28] images to logits, in batches of 1000. */
export function evaluate(model, images, labels) {
  const n = images.shape[0];
  let correct = 0;
  for (let i = 0; i < n; i += 1000) {
    const m = Math.min(1000, n - i);
    correct += ag.tidy(() => ag.noGrad(() =>
      model.forward(images.narrow(0, i, m)).argmax(1).eq(labels.narrow(0, i, m)).float().sum().item()));
  }
  return correct / n;
}

// The training set's pixel mean and standard deviation (PyTorch's MNIST example normalizes with them).
const MEAN = 0.1307, STD = 0.3081;

export async function main({ epochs = 8, trainSize = 60000, batchSize = 64, lr = 1e-3, log = true } = {}) {
  await ag.ready();
  ag.manualSeed(5);
  const t0 = performance.now();
  const { train, test } = await ag.datasets.mnist({ flatten: false });
  const x = ag.tidy(() => train.images.narrow(0, 0, trainSize).unsqueeze(1).sub(MEAN).div(STD)); // [n, 1, 28, 28]
  const y = train.labels.narrow(0, 0, trainSize);
  const xTest = ag.tidy(() => test.images.unsqueeze(1).sub(MEAN).div(STD));
  const model = new LeNet();
  const optimizer = new optim.Adam(model.parameters(), { lr });
  const scheduler = new optim.StepLR(optimizer, 2, 0.5); // halve the lr every 2 epochs
  const lossFn = new nn.CrossEntropyLoss();
  const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize, shuffle: true });
  for (let epoch = 0; epoch < epochs; epoch++) {
    model.train();
    let total = 0, batches = 0;
    const te = performance.now();
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
    scheduler.step();
    if (log) {
      const secs = ((performance.now() - te) / 1000).toFixed(1);
      model.eval();
      const acc = (evaluate(model, xTest, test.labels) * 100).toFixed(2);
      console.log(`epoch ${epoch + 1}/${epochs}: mean training loss ${(total / batches).toFixed(4)}, test accuracy ${acc}% (${secs} s)`);
    }
  }
  model.eval();
  const accuracy = evaluate(model, xTest, test.labels);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`LeNet (PyTorch style): test accuracy ${(accuracy * 100).toFixed(2)}% after ${epochs} epochs on ${trainSize} digits, ${seconds.toFixed(1)} s`);
  model.dispose();
  optimizer.dispose?.();
  ag.dispose([x, y, xTest, train, test]);
  return { accuracy, seconds };
}

runIfMain(import.meta, () => main());
