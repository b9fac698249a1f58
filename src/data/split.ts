// Splitting samples: trainTestSplit (sklearn.model_selection.train_test_split), kFold (sklearn
// KFold), and randomSplit of a Dataset (torch.utils.data.random_split).
import type { Tensor } from '../tensor';
import { indexSelect } from '../ops/indexing';
import { readFlat } from '../read';
import { check, fmtShape } from '../util/errors';
import { indexTensor } from './convert';
import { Subset, type Dataset } from './dataset';
import { permutation, SeededGenerator } from './random';

export interface TrainTestSplitOptions {
  /** Fraction in (0, 1) of samples for the test set (rounded up, as sklearn), or a count. Default 0.25. */
  testSize?: number;
  /** Shuffle before splitting (default true). Without shuffling the test set is the last samples. */
  shuffle?: boolean;
  /** Seed for a private generator; without it the global generator (manualSeed) is used. */
  seed?: number;
  /** Class labels (1-D int32 tensor or integer array, one per sample): each class keeps its share
   *  in both sets. Requires shuffle. */
  stratify?: Tensor | ArrayLike<number>;
}

export interface TrainTestSplit {
  xTrain: Tensor; xTest: Tensor; yTrain: Tensor; yTest: Tensor;
}

function testCount(op: string, n: number, testSize: number): number {
  check(Number.isFinite(testSize) && testSize > 0, op, () => `testSize must be a fraction in (0, 1) or a positive count, got ${testSize}`);
  const nTest = testSize < 1 ? Math.ceil(testSize * n) : testSize;
  check(Number.isInteger(nTest) && nTest < n, op, () => `testSize ${testSize} leaves no training samples out of ${n} (a count must be an integer below ${n})`);
  return nTest;
}

/** Index sets: per class, round(share) of its samples go to test (largest remainders fill up to nTest). */
function stratifiedIndices(op: string, labels: Int32Array, nTest: number, gen?: SeededGenerator): [Int32Array, Int32Array] {
  const n = labels.length;
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  for (const c of classes) {
    check(byClass.get(c)!.length >= 2, op, () => `the least populated class in stratify (${c}) has only 1 member; each class needs at least 2`);
  }
  const exact = classes.map((c) => (byClass.get(c)!.length * nTest) / n);
  const take = exact.map(Math.floor);
  let missing = nTest - take.reduce((a, b) => a + b, 0);
  const order = classes.map((_, j) => j).sort((a, b) => (exact[b] - take[b]) - (exact[a] - take[a]) || a - b);
  for (let j = 0; missing > 0; j = (j + 1) % order.length) {
    const c = order[j];
    if (take[c] < byClass.get(classes[c])!.length) { take[c]++; missing--; }
  }
  const train: number[] = [];
  const test: number[] = [];
  classes.forEach((c, j) => {
    const members = byClass.get(c)!;
    const p = permutation(members.length, gen);
    for (let i = 0; i < members.length; i++) (i < take[j] ? test : train).push(members[p[i]]);
  });
  // Interleave classes: shuffle each set so batches drawn in order are mixed.
  const shuffled = (a: number[]): Int32Array => { const p = permutation(a.length, gen); return Int32Array.from(p, (i) => a[i]); };
  return [shuffled(train), shuffled(test)];
}

/**
 * Splits x and y (same first dim) into train and test sets, as sklearn's train_test_split.
 * The four results are new tensors the caller owns.
 * @example
 * const { xTrain, xTest, yTrain, yTest } = trainTestSplit(x, y, { testSize: 0.2, seed: 0 });
 */
export function trainTestSplit(x: Tensor, y: Tensor, opts: TrainTestSplitOptions = {}): TrainTestSplit {
  const op = 'trainTestSplit';
  check(x?._isTensor && y?._isTensor, op, () => 'x and y must be tensors');
  x._assertLive(op); y._assertLive(op);
  check(x.ndim >= 1 && y.ndim >= 1 && x.shape[0] === y.shape[0], op, () =>
    `x and y must have the same first dim (samples), got x ${fmtShape(x.shape)} and y ${fmtShape(y.shape)}`);
  const n = x.shape[0];
  const { testSize = 0.25, shuffle = true, seed, stratify } = opts;
  const nTest = testCount(op, n, testSize);
  const gen = seed !== undefined ? new SeededGenerator(seed) : undefined;
  let trainIdx: Int32Array;
  let testIdx: Int32Array;
  if (stratify !== undefined) {
    check(shuffle, op, () => 'stratify requires shuffle: true (as in sklearn)');
    let labels: Int32Array;
    if ((stratify as Tensor)._isTensor) {
      const t = stratify as Tensor;
      check(t.dtype !== 'float32' && t.ndim === 1, op, () => `stratify must be a 1-D int32 tensor, got ${t.dtype} ${fmtShape(t.shape)}`);
      labels = Int32Array.from(readFlat(t));
    } else labels = Int32Array.from(stratify as ArrayLike<number>);
    check(labels.length === n, op, () => `stratify has ${labels.length} labels, expected one per sample (${n})`);
    [trainIdx, testIdx] = stratifiedIndices(op, labels, nTest, gen);
  } else {
    const order = shuffle ? permutation(n, gen) : Int32Array.from({ length: n }, (_, i) => i);
    // sklearn's ShuffleSplit puts the first n_test of the permutation in test.
    testIdx = shuffle ? order.slice(0, nTest) : order.slice(n - nTest);
    trainIdx = shuffle ? order.slice(nTest) : order.slice(0, n - nTest);
  }
  const tr = indexTensor(trainIdx);
  const te = indexTensor(testIdx);
  try {
    return { xTrain: indexSelect(x, 0, tr), xTest: indexSelect(x, 0, te), yTrain: indexSelect(y, 0, tr), yTest: indexSelect(y, 0, te) };
  } finally {
    tr.dispose(); te.dispose();
  }
}

export interface KFoldOptions {
  /** Shuffle the samples before cutting folds (default false). */
  shuffle?: boolean;
  /** Seed for a private generator (with shuffle); otherwise the global generator. */
  seed?: number;
}

export interface Fold { trainIndex: Int32Array; testIndex: Int32Array }

/**
 * k train/test index splits of n samples, as sklearn's KFold: consecutive folds (of a shuffled
 * order when shuffle), the first n % k folds one sample larger. Both index arrays are sorted.
 */
export function kFold(n: number, k: number, opts: KFoldOptions = {}): Fold[] {
  check(Number.isInteger(n) && n >= 0, 'kFold', () => `n must be a non-negative integer, got ${n}`);
  check(Number.isInteger(k) && k >= 2, 'kFold', () => `k must be an integer >= 2, got ${k}`);
  check(k <= n, 'kFold', () => `cannot make k=${k} folds of n=${n} samples (k must be <= n)`);
  const order = opts.shuffle ? permutation(n, opts.seed !== undefined ? new SeededGenerator(opts.seed) : undefined)
    : Int32Array.from({ length: n }, (_, i) => i);
  const folds: Fold[] = [];
  const inTest = new Uint8Array(n);
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    inTest.fill(0);
    for (let i = start; i < start + size; i++) inTest[order[i]] = 1;
    const testIndex = new Int32Array(size);
    const trainIndex = new Int32Array(n - size);
    for (let i = 0, a = 0, b = 0; i < n; i++) { if (inTest[i]) testIndex[a++] = i; else trainIndex[b++] = i; }
    folds.push({ trainIndex, testIndex });
    start += size;
  }
  return folds;
}

/**
 * Splits a dataset into non-overlapping Subsets of the given lengths (counts summing to its
 * length, or fractions summing to 1, remainders given round-robin), as torch's random_split.
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: number[], opts: { seed?: number } = {}): Subset<T>[] {
  const n = dataset.length;
  let counts = lengths;
  const total = lengths.reduce((a, b) => a + b, 0);
  if (lengths.every((l) => l >= 0 && l <= 1) && Math.abs(total - 1) < 1e-6 && total !== n) {
    counts = lengths.map((f) => Math.floor(f * n));
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]++;
  }
  check(counts.every((c) => Number.isInteger(c) && c >= 0) && counts.reduce((a, b) => a + b, 0) === n, 'randomSplit', () =>
    `lengths [${lengths.join(', ')}] must be non-negative counts summing to the dataset length ${n}, or fractions summing to 1`);
  const order = permutation(n, opts.seed !== undefined ? new SeededGenerator(opts.seed) : undefined);
  const out: Subset<T>[] = [];
  let at = 0;
  for (const c of counts) { out.push(new Subset(dataset, order.subarray(at, at + c))); at += c; }
  return out;
}
