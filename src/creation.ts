// Creating tensors: from nested arrays or typed arrays, and the factory functions
// (zeros, ones, full, arange, linspace, eye, rand, randn, randint).
import { getBackend } from './backend/load';
import { fillK } from './backend/kernels';
import { isDType, type DType } from './dtype';
import { Tensor, type NestedArray, type TypedArray } from './tensor';
import { checkShape, sizeOf } from './shape';
import { check, fmtShape } from './util/errors';
import { rngState } from './util/rng';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  /** Shape for flat data (typed arrays or flat number arrays). */
  shape?: number[];
}

function inferShape(data: NestedArray, op: string): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

function flatten(data: NestedArray, shape: number[], op: string): number[] {
  const out: number[] = [];
  const walk = (x: NestedArray, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      check(!Array.isArray(x), op, () => `ragged nested array: element at [${path.join(', ')}] is an array, expected a number at depth ${depth} (shape ${fmtShape(shape)})`);
      check(typeof x === 'number' || typeof x === 'boolean', op, () => `expected numbers or booleans, got ${typeof x} at [${path.join(', ')}]`);
      out.push(typeof x === 'boolean' ? (x ? 1 : 0) : x);
      return;
    }
    check(Array.isArray(x) && x.length === shape[depth], op, () =>
      `ragged nested array: expected length ${shape[depth]} at [${path.join(', ')}] (shape ${fmtShape(shape)} inferred from the first elements), got ${Array.isArray(x) ? `length ${x.length}` : 'a scalar'}`);
    (x as NestedArray[]).forEach((v, i) => walk(v, depth + 1, [...path, i]));
  };
  walk(data, 0, []);
  return out;
}

/** Writes flat values into a fresh tensor (float32 as f32, others as i32). */
export function fromFlat(values: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  const t = Tensor._empty(shape, dtype);
  const heap = getBackend().heap;
  if (dtype === 'float32') heap.f32().set(values, t._ptr >> 2);
  else heap.i32().set(values, t._ptr >> 2);
  return t;
}

function finish(t: Tensor, opts: TensorOptions, op: string): Tensor {
  if (opts.requiresGrad) {
    check(t.dtype === 'float32', op, () => `only float32 tensors can require gradients, got dtype ${t.dtype}`);
    t.requiresGrad = true;
  }
  return t;
}

function checkOpts(op: string, opts: TensorOptions): void {
  check(opts.dtype === undefined || isDType(opts.dtype), op, () => `unknown dtype '${String(opts.dtype)}' (expected 'float32', 'int32' or 'bool')`);
}

/**
 * A tensor from nested arrays, a flat array or a typed array (with `shape`).
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = tensor(new Float32Array(6), { shape: [2, 3] });
 */
export function tensor(data: NestedArray | TypedArray | number[], shapeOrOpts?: number[] | TensorOptions, maybeOpts: TensorOptions = {}): Tensor {
  const opts: TensorOptions = Array.isArray(shapeOrOpts) ? { ...maybeOpts, shape: shapeOrOpts } : { ...(shapeOrOpts ?? {}) };
  checkOpts('tensor', opts);
  let values: ArrayLike<number>;
  let shape: number[];
  let dtype = opts.dtype;
  if (ArrayBuffer.isView(data)) {
    values = data as TypedArray;
    shape = opts.shape ?? [values.length];
    if (!dtype) dtype = data instanceof Float32Array || data instanceof Float64Array ? 'float32' : 'int32';
  } else if (typeof data === 'number' || typeof data === 'boolean') {
    values = [typeof data === 'boolean' ? (data ? 1 : 0) : data];
    shape = opts.shape ?? [];
    if (!dtype) dtype = typeof data === 'boolean' ? 'bool' : 'float32';
  } else {
    check(Array.isArray(data), 'tensor', () => `expected a number, nested arrays or a typed array, got ${data === null ? 'null' : typeof data}`);
    const inferred = inferShape(data, 'tensor');
    values = flatten(data, inferred, 'tensor');
    if (!dtype) {
      let first: NestedArray = data;
      while (Array.isArray(first) && first.length) first = first[0];
      dtype = typeof first === 'boolean' ? 'bool' : 'float32';
    }
    shape = opts.shape ?? inferred;
  }
  checkShape('tensor', shape);
  check(sizeOf(shape) === values.length, 'tensor', () => `${values.length} values cannot fill shape ${fmtShape(shape)} (${sizeOf(shape)} elements)`);
  if (dtype !== 'float32') {
    for (let i = 0; i < values.length; i++) {
      check(Number.isFinite(values[i]), 'tensor', () => `dtype ${dtype} needs finite values, got ${values[i]} at flat index ${i}`);
    }
  }
  return finish(fromFlat(values, shape, dtype), opts, 'tensor');
}

type ShapeArgs = [number[] | number, ...(number | TensorOptions)[]];

/** Accepts `f([2, 3], opts)` and `f(2, 3, opts)`. */
function parseShape(op: string, args: ShapeArgs): [number[], TensorOptions] {
  let shape: number[];
  let rest: unknown[];
  if (Array.isArray(args[0])) { shape = args[0]; rest = args.slice(1); }
  else {
    const i = args.findIndex((a) => typeof a !== 'number');
    shape = (i < 0 ? args : args.slice(0, i)) as number[];
    rest = i < 0 ? [] : args.slice(i);
  }
  const opts = (rest[0] ?? {}) as TensorOptions;
  checkShape(op, shape);
  checkOpts(op, opts);
  return [shape, opts];
}

export function full(shape: number[], value: number, opts: TensorOptions = {}): Tensor {
  checkShape('full', shape);
  checkOpts('full', opts);
  const dtype = opts.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  return finish(fillK(Tensor._empty(shape, dtype), Number(value)), opts, 'full');
}

export function zeros(...args: ShapeArgs): Tensor {
  const [shape, opts] = parseShape('zeros', args);
  return full(shape, 0, opts);
}

export function ones(...args: ShapeArgs): Tensor {
  const [shape, opts] = parseShape('ones', args);
  return full(shape, 1, opts);
}

export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return full([...t.shape], 0, { dtype: t.dtype, ...opts });
}

export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return full([...t.shape], 1, { dtype: t.dtype, ...opts });
}

/** arange(end), arange(start, end, step?): int32 when all arguments are integers. */
export function arange(a: number, b?: number | TensorOptions, c?: number | TensorOptions, d: TensorOptions = {}): Tensor {
  if (typeof b === 'object') return arange(0, a, 1, b); // arange(end, opts)
  const opts = typeof c === 'object' ? c : d;
  const step = typeof c === 'number' ? c : 1;
  const [start, end] = b === undefined ? [0, a] : [a, b];
  check([start, end, step].every(Number.isFinite), 'arange', () => `start, end and step must be finite, got ${start}, ${end}, ${step}`);
  check(step !== 0, 'arange', () => 'step must be non-zero');
  check((end - start) / step >= 0 || end === start, 'arange', () => `end ${end} is not reachable from start ${start} with step ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const vals = Array.from({ length: n }, (_, i) => start + i * step);
  return finish(fromFlat(vals, [n], dtype), opts, 'arange');
}

export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  check(Number.isInteger(steps) && steps >= 0, 'linspace', () => `steps must be a non-negative integer, got ${steps}`);
  const vals = Array.from({ length: steps }, (_, i) => (steps === 1 ? start : start + ((end - start) * i) / (steps - 1)));
  return finish(fromFlat(vals, [steps], opts.dtype ?? 'float32'), opts, 'linspace');
}

export function eye(n: number, m: number | TensorOptions = n, opts: TensorOptions = {}): Tensor {
  const cols = typeof m === 'number' ? m : n;
  const o = typeof m === 'number' ? opts : m;
  checkShape('eye', [n, cols]);
  const t = full([n, cols], 0, o);
  const heap = getBackend().heap;
  const view = t.dtype === 'float32' ? heap.f32() : heap.i32();
  for (let i = 0; i < Math.min(n, cols); i++) view[(t._ptr >> 2) + i * cols + i] = 1;
  return t;
}

/** Uniform on [0, 1). */
export function rand(...args: ShapeArgs): Tensor {
  const [shape, opts] = parseShape('rand', args);
  const t = Tensor._empty(shape, 'float32');
  getBackend().k.rand_uniform_f32(t._ptr, t.size, rngState(), 0, 1);
  return finish(t, opts, 'rand');
}

/** Standard normal. */
export function randn(...args: ShapeArgs): Tensor {
  const [shape, opts] = parseShape('randn', args);
  const t = Tensor._empty(shape, 'float32');
  getBackend().k.rand_normal_f32(t._ptr, t.size, rngState(), 0, 1);
  return finish(t, opts, 'randn');
}

/** Uniform integers in [low, high), int32. */
export function randint(low: number, high: number, shape: number[], opts: TensorOptions = {}): Tensor {
  check(Number.isInteger(low) && Number.isInteger(high) && high > low, 'randint', () => `expected integers low < high, got low=${low}, high=${high}`);
  checkShape('randint', shape);
  const t = Tensor._empty(shape, 'int32');
  getBackend().k.rand_int_i32(t._ptr, t.size, rngState(), low, high);
  return t;
}

/** Uniform on [low, high) (initializers). */
export function uniform(shape: number[], low: number, high: number): Tensor {
  const t = Tensor._empty(shape, 'float32');
  getBackend().k.rand_uniform_f32(t._ptr, t.size, rngState(), low, high);
  return t;
}

/** Normal(mean, std) (initializers). */
export function normal(shape: number[], mean: number, std: number): Tensor {
  const t = Tensor._empty(shape, 'float32');
  getBackend().k.rand_normal_f32(t._ptr, t.size, rngState(), mean, std);
  return t;
}
