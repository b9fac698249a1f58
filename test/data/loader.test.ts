// TensorDataset, Subset, DataLoader: batching, order, dropLast, seeded shuffles, async iteration,
// default collate, and that batches are caller-owned.
import { describe, expect, it } from 'vitest';
import { arange, dispose, manualSeed, memory, tensor, tidy, type Tensor } from '../../src/index';
import { DataLoader, Subset, TensorDataset, defaultCollate, type Dataset } from '../../src/data';

const rows = (n: number, f: number) => arange(n * f).reshape(n, f).float();

describe('TensorDataset', () => {
  it('get(i) returns row views and getBatch gathers rows', () => tidy(() => {
    const x = rows(5, 3);
    const y = arange(5).mul(10);
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(5);
    const [xi, yi] = ds.get(2);
    expect(xi.toArray()).toEqual([6, 7, 8]);
    expect(yi.shape).toEqual([]);
    expect(yi.item()).toBe(20);
    expect(ds.get(-1)[1].item()).toBe(40);
    const [xb, yb] = ds.getBatch(Int32Array.from([4, 0, 4]));
    expect(xb.toArray()).toEqual([[12, 13, 14], [0, 1, 2], [12, 13, 14]]);
    expect(yb.dtype).toBe('int32');
    expect(yb.toArray()).toEqual([40, 0, 40]);
  }));

  it('rejects mismatched first dims and bad indices with clear errors', () => tidy(() => {
    expect(() => new TensorDataset(rows(5, 2), arange(4))).toThrow(/TensorDataset: size mismatch.*5 \(shape \[5, 2\]\), 4 \(shape \[4\]\)/);
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
    expect(() => new TensorDataset(tensor(3))).toThrow(/scalar/);
    const ds = new TensorDataset(rows(3, 1));
    expect(() => ds.get(3)).toThrow(/index 3 is out of range for a dataset of length 3/);
  }));

  it('Subset maps indices and keeps the fast path', () => tidy(() => {
    const ds = new TensorDataset(rows(6, 2), arange(6));
    const sub = new Subset(ds, [5, 1, 3]);
    expect(sub.length).toBe(3);
    expect(sub.get(0)[1].item()).toBe(5);
    const [xb, yb] = sub.getBatch!(Int32Array.from([2, 0]));
    expect(yb.toArray()).toEqual([3, 5]);
    expect(xb.toArray()).toEqual([[6, 7], [10, 11]]);
    expect(() => new Subset(ds, [6])).toThrow(/indices\[0\] = 6 is out of range/);
  }));
});

describe('DataLoader', () => {
  it('batches in order with a short last batch, or drops it', () => {
    tidy(() => {
      const ds = new TensorDataset(rows(10, 2), arange(10));
      const loader = new DataLoader(ds, { batchSize: 4 });
      expect(loader.length).toBe(3);
      const ys: number[][] = [];
      const shapes: number[][] = [];
      for (const [xb, yb] of loader) { ys.push(yb.toArray() as number[]); shapes.push([...xb.shape]); }
      expect(ys).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
      expect(shapes).toEqual([[4, 2], [4, 2], [2, 2]]);
      const dl = new DataLoader(ds, { batchSize: 4, dropLast: true });
      expect(dl.length).toBe(2);
      expect([...dl].map(([, y]) => y.toArray())).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
      expect(new DataLoader(ds).length).toBe(10);
      expect(new DataLoader(ds, { batchSize: 10, dropLast: true }).length).toBe(1);
      expect(new DataLoader(ds, { batchSize: 11, dropLast: true }).length).toBe(0);
    });
  });

  it('a shuffled epoch is a permutation; x and y rows stay paired', () => tidy(() => {
    const x = arange(20).float().mul(2).reshape(20, 1);
    const ds = new TensorDataset(x, arange(20));
    const seen: number[] = [];
    for (const [xb, yb] of new DataLoader(ds, { batchSize: 6, shuffle: true })) {
      const xs = xb.data(), ys = yb.data();
      ys.forEach((v, i) => expect(xs[i]).toBe(2 * v));
      seen.push(...ys);
    }
    expect(seen.length).toBe(20);
    expect([...seen].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(seen).not.toEqual([...Array(20).keys()]);
  }));

  it('manualSeed makes shuffles repeat; seed gives a private reproducible sequence of epochs', () => tidy(() => {
    const ds = new TensorDataset(arange(50));
    const epoch = (l: DataLoader<Tensor[]>) => [...l].flatMap(([y]) => [...y.data()]);
    const l1 = new DataLoader(ds, { batchSize: 7, shuffle: true });
    manualSeed(3); const a = epoch(l1); const b = epoch(l1);
    manualSeed(3); const a2 = epoch(l1); const b2 = epoch(l1);
    expect(a2).toEqual(a);
    expect(b2).toEqual(b);
    expect(b).not.toEqual(a);
    const s1 = new DataLoader(ds, { batchSize: 7, shuffle: true, seed: 42 });
    const s2 = new DataLoader(ds, { batchSize: 7, shuffle: true, seed: 42 });
    const e1 = epoch(s1);
    manualSeed(99); // the seeded loader ignores the global generator
    expect(epoch(s2)).toEqual(e1);
    expect(epoch(s1)).toEqual(epoch(s2)); // second epochs match too
    expect(epoch(new DataLoader(ds, { batchSize: 7, shuffle: true, seed: 43 }))).not.toEqual(e1);
  }));

  it('async iteration yields the same batches', async () => {
    const ds = new TensorDataset(...tidy(() => [rows(7, 3), arange(7)]));
    const loader = new DataLoader(ds, { batchSize: 3 });
    const ys: number[][] = [];
    for await (const [xb, yb] of loader) {
      await Promise.resolve();
      ys.push(yb.toArray() as number[]);
      expect(xb.shape[1]).toBe(3);
      xb.dispose(); yb.dispose();
    }
    expect(ys).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    dispose(ds.tensors);
  });

  it('batches are new tensors the consumer owns; breaking early leaks nothing', () => {
    const ds = new TensorDataset(...tidy(() => [rows(9, 2), arange(9)]));
    const before = memory().numTensors;
    for (const batch of new DataLoader(ds, { batchSize: 2 })) {
      expect(memory().numTensors).toBe(before + 2);
      dispose(batch);
      break;
    }
    expect(memory().numTensors).toBe(before);
    dispose(ds.tensors);
  });

  it('generic datasets go through collate: default stacks tensors, numbers and objects', () => tidy(() => {
    const base = rows(4, 2);
    const ds: Dataset<{ x: Tensor; label: number }> = {
      length: 4,
      get: (i) => ({ x: base.narrow(0, i, 1).squeeze(0), label: i * 2 }),
    };
    const [b0, b1] = [...new DataLoader(ds, { batchSize: 3 })];
    expect(b0.x.toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(b0.label.dtype).toBe('int32');
    expect(b0.label.toArray()).toEqual([0, 2, 4]);
    expect(b1.x.shape).toEqual([1, 2]);
    const custom = new DataLoader(ds, { batchSize: 2, collate: (items) => items.map((it) => it.label) });
    expect([...custom]).toEqual([[0, 2], [4, 6]]);
    expect(defaultCollate([1.5, 2]).dtype).toBe('float32');
    expect(() => defaultCollate([])).toThrow(/empty batch/);
  }));

  it('validates options', () => tidy(() => {
    const ds = new TensorDataset(arange(3));
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => new DataLoader({} as Dataset<number>)).toThrow(/integer `length`/);
  }));
});
