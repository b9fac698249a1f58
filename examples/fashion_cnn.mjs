// A small CNN on Fashion-MNIST (Zalando's 28x28 clothing images, 10 classes), PyTorch style:
// conv 32@3x3 -> max-pool 2 -> conv 64@3x3 -> max-pool 2 -> linear 1600->128 -> dropout -> 10,
// Adam, batch 64. The data comes from Debian's dataset-fashion-mnist: run scripts/fetch-fashion.sh
// first (it extracts the package into .cache/fashion). The full job (6 epochs) reaches about 91% test accuracy.
import { fileURLToPath } from 'node:url';
import * as ag from '../dist/index.js';
import { runIfMain } from './run_main.mjs';

const { nn, optim, data } = ag;

/** Where scripts/fetch-fashion.sh extracts the package (datasets.fashionMnist finds usr/share/... inside). */
export const FASHION_DIR = fileURLToPath(new URL('../.cache/fashion', import.meta.url));

/** [N, 1, 28, 28] -> logits [N, 10]; 28 -> 26 -> 13 -> 11 -> 5, so 64*5*5 = 1600 features. */
export function fashionNet() {
  return new nn.Sequential(
    new nn.Conv2d(1, 32, 3), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 3), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(64 * 5 * 5, 128), new nn.ReLU(), new nn.Dropout(0.3),
    new nn.Linear(128, 10),
  );
}

function accuracy(model, images, labels) {
  let correct = 0;
  for (let i = 0; i < images.shape[0]; i += 1000) {
    const m = Math.min(1000, images.shape[0] - i);
    correct += ag.tidy(() => ag.noGrad(() =>
      model.forward(images.narrow(0, i, m)).argmax(1).eq(labels.narrow(0, i, m)).float().sum().item()));
  }
  return correct / images.shape[0];
}

export async function main({ epochs = 6, trainSize = 60000, testSize = 10000, batchSize = 64, lr = 1e-3, dir = FASHION_DIR, log = true } = {}) {
  await ag.ready();
  ag.manualSeed(11);
  const t0 = performance.now();
  let ds;
  try {
    ds = await ag.datasets.fashionMnist({ dir, flatten: false });
  } catch (e) {
    throw new Error(`${e.message}\n(run scripts/fetch-fashion.sh to extract Debian's dataset-fashion-mnist into .cache/fashion)`);
  }
  const { train, test, classNames } = ds;
  const x = ag.tidy(() => train.images.narrow(0, 0, trainSize).unsqueeze(1).sub(0.5).div(0.5)); // [n, 1, 28, 28] in [-1, 1]
  const y = train.labels.narrow(0, 0, trainSize);
  const xTest = ag.tidy(() => test.images.narrow(0, 0, testSize).unsqueeze(1).sub(0.5).div(0.5));
  const yTest = test.labels.narrow(0, 0, testSize);
  const model = fashionNet();
  const optimizer = new optim.Adam(model.parameters(), { lr });
  const scheduler = new optim.StepLR(optimizer, 2, 0.5);
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
      console.log(`epoch ${epoch + 1}/${epochs}: mean training loss ${(total / batches).toFixed(4)}, test accuracy ${(accuracy(model, xTest, yTest) * 100).toFixed(2)}% (${secs} s)`);
    }
  }
  model.eval();
  const acc = accuracy(model, xTest, yTest);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`Fashion-MNIST CNN: test accuracy ${(acc * 100).toFixed(2)}% after ${epochs} epochs on ${trainSize} images (${classNames.length} classes; ${testSize} test images), ${seconds.toFixed(1)} s`);
  model.dispose();
  optimizer.dispose?.();
  ag.dispose([x, y, xTest, yTest, train, test]);
  return { accuracy: acc, seconds };
}

runIfMain(import.meta, () => main());
