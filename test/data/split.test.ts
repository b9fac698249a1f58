// trainTestSplit, kFold, randomSplit: sizes, disjointness, coverage, pairing, reproducibility.
import { describe, expect, it } from 'vitest';
import { arange, manualSeed, tensor, tidy } from '../../src/index';
import { kFold, randomSplit, trainTestSplit, TensorDataset } from '../../src/data';

const sorted = (a: ArrayLike<number>) => [...a].sort((p, q) => p - q);

describe('trainTestSplit', () => {
  it('splits 25% (rounded up) to test, disjoint and covering, rows paired', () => tidy(() => {
    const x = arange(10).float().mul(3).reshape(10, 1);
    const y = arange(10);
    const { xTrain, xTest, yTrain, yTest } = trainTestSplit(x, y, { seed: 0 });
    expect(xTrain.shape).toEqual([7, 1]);
    expect(xTest.shape).toEqual([3, 1]);
    const tr = [...yTrain.data()], te = [...yTest.data()];
    expect(sorted([...tr, ...te])).toEqual([...Array(10).keys()]);
    xTrain.data().forEach((v, i) => expect(v).toBe(3 * tr[i]));
    xTest.data().forEach((v, i) => expect(v).toBe(3 * te[i]));
    // seeded: the same split again; another seed differs
    expect([...trainTestSplit(x, y, { seed: 0 }).yTest.data()]).toEqual(te);
    expect([...trainTestSplit(x, y, { seed: 1 }).yTest.data()]).not.toEqual(te);
    // global generator: manualSeed repeats it
    manualSeed(5); const a = [...trainTestSplit(x, y).yTest.data()];
    manualSeed(5); expect([...trainTestSplit(x, y).yTest.data()]).toEqual(a);
  }));

  it('without shuffle the test set is the tail; counts work too', () => tidy(() => {
    const x = arange(8).reshape(8, 1);
    const y = arange(8);
    const s = trainTestSplit(x, y, { shuffle: false, testSize: 0.3 });
    expect(s.yTest.toArray()).toEqual([5, 6, 7]);
    expect(s.yTrain.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(trainTestSplit(x, y, { testSize: 2, seed: 1 }).yTest.shape).toEqual([2]);
    expect(() => trainTestSplit(x, arange(7))).toThrow(/same first dim.*\[8, 1\].*\[7\]/);
    expect(() => trainTestSplit(x, y, { testSize: 8 })).toThrow(/leaves no training samples/);
    expect(() => trainTestSplit(x, y, { testSize: 0 })).toThrow(/testSize/);
  }));

  it('stratify keeps class proportions', () => tidy(() => {
    const labels = [...Array(40)].map((_, i) => (i < 20 ? 0 : i < 30 ? 1 : 2)); // 20/10/10
    const y = tensor(labels, { dtype: 'int32' });
    const x = arange(40).float().reshape(40, 1);
    const { yTrain, yTest, xTest } = trainTestSplit(x, y, { testSize: 0.25, stratify: y, seed: 3 });
    const count = (a: ArrayLike<number>, c: number) => [...a].filter((v) => v === c).length;
    const te = yTest.data();
    expect(count(te, 0)).toBe(5);
    expect(count(te, 1) + count(te, 2)).toBe(5);
    expect(Math.abs(count(te, 1) - count(te, 2))).toBeLessThanOrEqual(1);
    expect(te.length).toBe(10);
    expect(yTrain.shape).toEqual([30]);
    xTest.data().forEach((v, i) => expect(labels[v]).toBe(te[i]));
    expect(() => trainTestSplit(x, y, { stratify: [...labels.slice(0, 39), 7] })).toThrow(/only 1 member/);
  }));
});

describe('kFold', () => {
  it('matches sklearn KFold without shuffle: first n % k folds one larger', () => {
    const folds = kFold(10, 3);
    expect(folds.map((f) => [...f.testIndex])).toEqual([[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect([...folds[1].trainIndex]).toEqual([0, 1, 2, 3, 7, 8, 9]);
  });

  it('shuffled folds are disjoint, cover 0..n-1, sorted, and reproducible by seed', () => {
    const n = 23, k = 5;
    const folds = kFold(n, k, { shuffle: true, seed: 7 });
    expect(folds.map((f) => f.testIndex.length)).toEqual([5, 5, 5, 4, 4]);
    const all = folds.flatMap((f) => [...f.testIndex]);
    expect(sorted(all)).toEqual([...Array(n).keys()]);
    for (const f of folds) {
      expect(f.trainIndex.length + f.testIndex.length).toBe(n);
      expect(sorted([...f.trainIndex, ...f.testIndex])).toEqual([...Array(n).keys()]);
      expect([...f.testIndex]).toEqual(sorted(f.testIndex));
    }
    expect(folds.map((f) => [...f.testIndex])).not.toEqual(kFold(n, k).map((f) => [...f.testIndex]));
    expect(kFold(n, k, { shuffle: true, seed: 7 }).map((f) => [...f.testIndex])).toEqual(folds.map((f) => [...f.testIndex]));
    expect(() => kFold(3, 4)).toThrow(/k=4 folds of n=3/);
    expect(() => kFold(3, 1)).toThrow(/k must be an integer >= 2/);
  });
});

describe('randomSplit', () => {
  it('splits a dataset into disjoint subsets by counts or fractions', () => tidy(() => {
    const ds = new TensorDataset(arange(10));
    const [a, b] = randomSplit(ds, [0.7, 0.3], { seed: 1 });
    expect([a.length, b.length]).toEqual([7, 3]);
    expect(sorted([...a.indices, ...b.indices])).toEqual([...Array(10).keys()]);
    expect(randomSplit(ds, [5, 5]).map((s) => s.length)).toEqual([5, 5]);
    expect(() => randomSplit(ds, [5, 4])).toThrow(/summing to the dataset length 10/);
  }));
});
