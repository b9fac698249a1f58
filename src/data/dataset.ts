// Datasets as PyTorch's torch.utils.data has them: an indexable `Dataset<T>`, `TensorDataset`
// over first-dim-aligned tensors, and `Subset`. `getBatch` is the fast path DataLoader uses.
import type { Tensor } from '../tensor';
import { indexSelect } from '../ops/indexing';
import { check, fmtShape } from '../util/errors';
import { indexTensor } from './convert';

/** Anything with a length and items by index. */
export interface Dataset<T> {
  readonly length: number;
  /** Item `i` for 0 <= i < length. */
  get(i: number): T;
  /** Optional fast path: the whole batch of `indices` at once, already collated. */
  getBatch?(indices: Int32Array): T;
}

function checkIndex(op: string, i: number, n: number): number {
  check(Number.isInteger(i) && i >= -n && i < n, op, () => `index ${i} is out of range for a dataset of length ${n}`);
  return i < 0 ? i + n : i;
}

/**
 * Rows of tensors that share their first dimension (torch.utils.data.TensorDataset).
 * Holds references to the given tensors; it does not copy or own them (dispose them yourself).
 * @example
 * const ds = new TensorDataset(x, y);        // x [n, 784], y [n]
 * const [xi, yi] = ds.get(0);                // views: x[0] [784], y[0] []
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];
  readonly length: number;

  constructor(...tensors: Tensor[]) {
    check(tensors.length > 0, 'TensorDataset', () => 'expected at least one tensor');
    tensors.forEach((t, j) => {
      check(t?._isTensor, 'TensorDataset', () => `argument ${j} is not a tensor (got ${typeof t})`);
      t._assertLive('TensorDataset');
      check(t.ndim >= 1, 'TensorDataset', () => `argument ${j} is a scalar; every tensor needs a first (sample) dimension`);
    });
    const n = tensors[0].shape[0];
    check(tensors.every((t) => t.shape[0] === n), 'TensorDataset', () =>
      `size mismatch between tensors: first dims are ${tensors.map((t) => `${t.shape[0]} (shape ${fmtShape(t.shape)})`).join(', ')}; all must equal`);
    this.tensors = tensors;
    this.length = n;
  }

  /** Row i of every tensor, as new views sharing storage (dispose them, or call inside tidy). */
  get(i: number): Tensor[] {
    const r = checkIndex('TensorDataset.get', i, this.length);
    return this.tensors.map((t) => t._view(t.shape.slice(1), t.strides.slice(1), t.offset + r * t.strides[0]));
  }

  /** Rows `indices` of every tensor: one indexSelect per tensor; new tensors the caller owns. */
  getBatch(indices: Int32Array): Tensor[] {
    const idx = indexTensor(indices);
    try {
      return this.tensors.map((t) => indexSelect(t, 0, idx));
    } finally {
      idx.dispose();
    }
  }
}

/** The items of `dataset` at `indices` (torch.utils.data.Subset). */
export class Subset<T> implements Dataset<T> {
  readonly indices: Int32Array;

  constructor(readonly dataset: Dataset<T>, indices: ArrayLike<number>) {
    const n = dataset.length;
    const idx = Int32Array.from(indices);
    for (let j = 0; j < idx.length; j++) {
      check(Number.isInteger(indices[j]) && idx[j] >= 0 && idx[j] < n, 'Subset', () =>
        `indices[${j}] = ${indices[j]} is out of range for a dataset of length ${n}`);
    }
    this.indices = idx;
    const inner = dataset.getBatch?.bind(dataset);
    if (inner) {
      this.getBatch = (indices: Int32Array): T => {
        const mapped = new Int32Array(indices.length);
        for (let j = 0; j < indices.length; j++) mapped[j] = this.indices[checkIndex('Subset.getBatch', indices[j], this.length)];
        return inner(mapped);
      };
    }
  }

  get length(): number { return this.indices.length; }

  get(i: number): T {
    return this.dataset.get(this.indices[checkIndex('Subset.get', i, this.length)]);
  }

  /** Present when the underlying dataset has getBatch: maps the indices and delegates. */
  readonly getBatch?: (indices: Int32Array) => T;
}
