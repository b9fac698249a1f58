// DataLoader: batches of a Dataset in sequential or shuffled order, with sync and async iteration
// (torch.utils.data.DataLoader without worker processes). Batches are new tensors the consumer
// owns: dispose them, or run the loop body in tidy().
import { Tensor } from '../tensor';
import { tidy } from '../memory';
import { stack } from '../ops/shaping';
import { fromFlat } from '../creation';
import { check } from '../util/errors';
import type { Dataset } from './dataset';
import { permutation, SeededGenerator } from './random';

export interface DataLoaderOptions<T, B> {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** Reshuffle the order at the start of every epoch (default false). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Shuffle with a private generator seeded by this number: the sequence of epoch orders is
   *  reproducible and independent of other random draws. Without it, shuffling draws from the
   *  global generator, so manualSeed(n) makes it reproducible. */
  seed?: number;
  /** Builds a batch from the items; the default stacks tensors (recursively through arrays and
   *  plain objects) and turns numbers into a 1-D tensor. Tensors the items hold that were created
   *  by `dataset.get` and are not returned are disposed after collate. */
  collate?: (items: T[]) => B;
}

/**
 * The default collate (torch's default_collate): tensors are stacked along a new dim 0, arrays
 * and plain objects are collated per position / key, numbers become an int32 tensor when all are
 * integers and float32 otherwise; anything else is returned as the array of items.
 */
export function defaultCollate<T>(items: T[]): T {
  check(items.length > 0, 'defaultCollate', () => 'cannot collate an empty batch');
  const first = items[0] as unknown;
  if ((first as Tensor)?._isTensor) return stack(items as unknown as Tensor[], 0) as unknown as T;
  if (typeof first === 'number' || typeof first === 'boolean') {
    const nums = (items as unknown as (number | boolean)[]).map(Number);
    return fromFlat(nums, [nums.length], nums.every(Number.isInteger) ? 'int32' : 'float32') as unknown as T;
  }
  if (Array.isArray(first)) {
    const n = first.length;
    check(items.every((it) => Array.isArray(it) && it.length === n), 'defaultCollate', () => `items are arrays of different lengths (the first has ${n})`);
    return first.map((_, j) => defaultCollate((items as unknown as unknown[][]).map((it) => it[j]))) as unknown as T;
  }
  if (first !== null && typeof first === 'object' && Object.getPrototypeOf(first) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) out[key] = defaultCollate((items as unknown as Record<string, unknown>[]).map((it) => it[key]));
    return out as T;
  }
  return items as unknown as T;
}

/**
 * Iterates a dataset in batches.
 * @example
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 64, shuffle: true });
 * for (const [xb, yb] of loader) {           // or: for await (const [xb, yb] of loader)
 *   tidy(() => { ... });
 *   xb.dispose(); yb.dispose();              // batches belong to the loop
 * }
 */
export class DataLoader<T, B = T> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly gen?: SeededGenerator;
  private readonly collate?: (items: T[]) => B;

  constructor(dataset: Dataset<T>, opts: DataLoaderOptions<T, B> = {}) {
    check(dataset && Number.isInteger(dataset.length) && typeof dataset.get === 'function', 'DataLoader', () =>
      'expected a dataset with an integer `length` and a `get(i)` method');
    const { batchSize = 1, shuffle = false, dropLast = false, seed, collate } = opts;
    check(Number.isInteger(batchSize) && batchSize > 0, 'DataLoader', () => `batchSize must be a positive integer, got ${batchSize}`);
    check(collate === undefined || typeof collate === 'function', 'DataLoader', () => `collate must be a function, got ${typeof collate}`);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.collate = collate;
    if (seed !== undefined) this.gen = new SeededGenerator(seed);
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The item order of one epoch (a new shuffle each call when shuffle is on). */
  private order(): Int32Array {
    const n = this.dataset.length;
    if (this.shuffle) return permutation(n, this.gen);
    const o = new Int32Array(n);
    for (let i = 0; i < n; i++) o[i] = i;
    return o;
  }

  private batch(indices: Int32Array): B {
    return tidy(() => {
      if (!this.collate && this.dataset.getBatch) return this.dataset.getBatch(indices) as unknown as B;
      const items = Array.from(indices, (i) => this.dataset.get(i));
      return (this.collate ?? defaultCollate)(items) as B;
    });
  }

  *[Symbol.iterator](): Iterator<B> {
    const order = this.order();
    const count = this.length;
    for (let b = 0; b < count; b++) {
      yield this.batch(order.subarray(b * this.batchSize, Math.min(order.length, (b + 1) * this.batchSize)));
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    for (const b of this) yield b;
  }
}
