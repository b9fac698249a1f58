// The convolutional examples at reduced size on the built bundle (dist/index.js): LeNet on MNIST in
// both API styles, and the Fashion-MNIST CNN (its data comes from scripts/fetch-fashion.sh, run
// here when missing). Each example disposes what it makes; the bundle has its own heap, so the
// src/ leak check does not see it.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFetched, loadExample as load, quietly } from '../helpers/examples';

const FASHION = '.cache/fashion/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz';

describe('CNN examples', () => {
  beforeAll(() => {
    ensureFetched(FASHION, 'scripts/fetch-fashion.sh');
  }, 120000);

  it('lenet_mnist (PyTorch style): 4000 digits, 1 epoch -> test accuracy > 0.8 on all 10,000 test digits', async () => {
    const { main, LeNet } = await load('lenet_mnist');
    const r = await quietly(() => main({ trainSize: 4000, epochs: 1, batchSize: 32, log: false }));
    expect(r.accuracy).toBeGreaterThan(0.8);
    expect(r.accuracy).toBeLessThanOrEqual(1);
    // the architecture of the brief: 2 conv + 3 linear layers, 6*1*25+6 + 16*6*25+16 + 256*120+120 + 120*84+84 + 84*10+10 parameters
    const net = new LeNet();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(net.parameters().reduce((n: number, p: any) => n + p.size, 0)).toBe(156 + 2416 + 30840 + 10164 + 850);
    net.dispose();
  }, 120000);

  it('lenet_keras (channelsLast [N, 28, 28, 1]): 4000 digits, 1 epoch -> test accuracy > 0.8', async () => {
    const { main, lenet } = await load('lenet_keras');
    const r = await quietly(() => main({ trainSize: 4000, epochs: 1, batchSize: 32, verbose: 0 }));
    expect(r.accuracy).toBeGreaterThan(0.8);
    expect(r.loss).toBeLessThan(0.8);
    const m = lenet();
    expect(m.countParams()).toBe(156 + 2416 + 30840 + 10164 + 850);
    m.dispose();
  }, 120000);

  it('fashion_cnn: 3000 images, 1 epoch -> accuracy > 0.65 on 2000 test images (10 classes: chance is 0.1)', async () => {
    const { main } = await load('fashion_cnn');
    const r = await quietly(() => main({ trainSize: 3000, testSize: 2000, epochs: 1, log: false }));
    expect(r.accuracy).toBeGreaterThan(0.65);
  }, 120000);
});
