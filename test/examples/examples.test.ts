// Runs each example's main() at reduced size on the built bundle (dist/index.js, made by
// `npm test`'s pretest or `npm run build`) and checks the result it reports. The examples use
// their own copy of the library (the bundle), so the leak check of src/ does not see them; each
// example disposes what it makes.
import { describe, expect, it } from 'vitest';
import { loadExample as load, quietly } from '../helpers/examples';

describe('examples', () => {
  it('mnist_mlp: 6000 digits, 1 epoch -> test accuracy > 0.85', async () => {
    const { main } = await load('mnist_mlp');
    const r = await quietly(() => main({ trainSize: 6000, epochs: 1, verbose: 0 }));
    expect(r.accuracy).toBeGreaterThan(0.85);
    expect(r.loss).toBeLessThan(0.6);
  });

  it('mnist_pytorch_style: 6000 digits, 1 epoch -> test accuracy > 0.85', async () => {
    const { main } = await load('mnist_pytorch_style');
    const r = await quietly(() => main({ trainSize: 6000, epochs: 1, log: false }));
    expect(r.accuracy).toBeGreaterThan(0.85);
  });

  it('iris_binary: setosa vs rest from two sepal features -> training accuracy > 0.9', async () => {
    const { main } = await load('iris_binary');
    const r = await quietly(() => main({ epochs: 100, verbose: 0 }));
    expect(r.accuracy).toBeGreaterThan(0.9);
    expect(r.history.history.loss.length).toBe(100);
  });

  it('regression: the training MSE falls by more than 5x', async () => {
    const { main } = await load('regression');
    const r = await quietly(() => main({ epochs: 10, verbose: 0 }));
    expect(r.losses.length).toBe(10);
    expect(r.losses[0]).toBeGreaterThan(5 * r.losses[9]);
  });

  it('iris_kfold: 3 folds -> mean held-out accuracy > 0.8', async () => {
    const { main } = await load('iris_kfold');
    const r = await quietly(() => main({ k: 3, epochs: 60, verbose: false }));
    expect(r.scores.length).toBe(3);
    expect(r.mean).toBeGreaterThan(0.8);
  });
});
