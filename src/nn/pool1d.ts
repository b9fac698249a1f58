// 1-D pooling over [N, C, L] (or unbatched [C, L]) as the 2-D ops over an added unit height, and
// adaptive max pooling (1-D and 2-D): modules MaxPool1d, AvgPool1d, AdaptiveAvgPool1d,
// AdaptiveMaxPool1d, AdaptiveMaxPool2d and their F functions (re-exported by functional_extra.ts).
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, poolOut } from '../ops/pool';
import { cat } from '../ops/movement';
import { check, fmtShape, knownOptions } from '../util/errors';
import { Module } from './module';
import { pyBool } from './repr';

/** An int or a 1-tuple, as PyTorch's 1-D arguments. */
export type Single = number | readonly [number];

function single(op: string, name: string, v: Single, min = 1): number {
  const n = typeof v === 'number' ? v : Array.isArray(v) && v.length === 1 ? v[0] : NaN;
  check(Number.isInteger(n) && n >= min, op, () => `${name} must be an integer >= ${min} (or a 1-tuple of one), got ${JSON.stringify(v)}`);
  return n;
}

function needInput(op: string, x: Tensor, ranks: number[], shape: string): void {
  check(x?._isTensor, op, () => `expected a tensor input, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
  check(x.dtype === 'float32', op, () => `expected a float32 input, got ${x.dtype}`);
  check(ranks.includes(x.ndim), op, () => `expected a ${shape} input, got shape ${fmtShape(x.shape)}`);
}

export interface Pool1dOptions { stride?: Single | null; padding?: Single; ceilMode?: boolean }
export interface MaxPool1dOptions extends Pool1dOptions { dilation?: Single }
export interface AvgPool1dOptions extends Pool1dOptions { countIncludePad?: boolean }

/** Checked kernel, stride, padding, dilation of a 1-D pool over x. */
function geom1d(op: string, x: Tensor, kernelSize: Single, o: MaxPool1dOptions): [number, number, number, number] {
  needInput(op, x, [2, 3], '2-D [C, L] or 3-D [N, C, L]');
  const k = single(op, 'kernelSize', kernelSize), s = o.stride == null ? k : single(op, 'stride', o.stride);
  const p = single(op, 'padding', o.padding ?? 0, 0), d = single(op, 'dilation', o.dilation ?? 1);
  check(p <= k / 2, op, () => `padding should be at most half of kernel size, but got padding=${p} and kernelSize=${k}`);
  const L = x.shape[x.ndim - 1], Lo = poolOut(L, k, s, p, d, o.ceilMode ?? false);
  check(Lo >= 1, op, () => `output size is too small: input ${fmtShape(x.shape)} with kernel ${k}, stride ${s}, padding ${p}, dilation ${d} gives ${Lo}`);
  return [k, s, p, d];
}

/** Runs a 2-D op on x with a unit height added before the last dim. */
const asRow = (x: Tensor, f: (x2: Tensor) => Tensor): Tensor => tidy(() => f(x.unsqueeze(x.ndim - 1)).squeeze(x.ndim - 1));

/** Max over kernelSize windows along the last dim (torch.nn.functional.max_pool1d). */
export function maxPool1d(x: Tensor, kernelSize: Single, opts: MaxPool1dOptions = {}): Tensor {
  knownOptions('maxPool1d', opts, 'stride padding dilation ceilMode');
  const [k, s, p, d] = geom1d('maxPool1d', x, kernelSize, opts);
  return asRow(x, (x2) => maxPool2d(x2, [1, k], { stride: [1, s], padding: [0, p], dilation: [1, d], ceilMode: opts.ceilMode ?? false }));
}

/** Mean over kernelSize windows along the last dim (torch.nn.functional.avg_pool1d); countIncludePad defaults to true. */
export function avgPool1d(x: Tensor, kernelSize: Single, opts: AvgPool1dOptions = {}): Tensor {
  knownOptions('avgPool1d', opts, 'stride padding ceilMode countIncludePad');
  const [k, s, p] = geom1d('avgPool1d', x, kernelSize, opts);
  return asRow(x, (x2) => avgPool2d(x2, [1, k], { stride: [1, s], padding: [0, p], ceilMode: opts.ceilMode ?? false, countIncludePad: opts.countIncludePad ?? true }));
}

/** Average pooling of the last dim to outputSize windows [floor(i*L/Lo), ceil((i+1)*L/Lo)). */
export function adaptiveAvgPool1d(x: Tensor, outputSize: Single): Tensor {
  needInput('adaptiveAvgPool1d', x, [2, 3], '2-D [C, L] or 3-D [N, C, L]');
  const o = single('adaptiveAvgPool1d', 'outputSize', outputSize);
  return asRow(x, (x2) => adaptiveAvgPool2d(x2, [1, o]));
}

/** Max over the adaptive windows of one dim (the max of a box is the max over rows of the max over columns). */
function adaptiveMaxDim(x: Tensor, dim: number, o: number): Tensor {
  const n = x.shape[dim];
  if (o === n) return x;
  const parts: Tensor[] = [];
  for (let i = 0; i < o; i++) {
    const s = Math.floor((i * n) / o), e = Math.ceil(((i + 1) * n) / o);
    parts.push(x.narrow(dim, s, e - s).max(dim, true));
  }
  return cat(parts, dim);
}

type Size2 = number | readonly [number | null, number | null];

/**
 * Max pooling to a fixed output size (torch.nn.functional.adaptive_max_pool2d) over [N, C, H, W]
 * or [C, H, W]; window i spans [floor(i*H/Ho), ceil((i+1)*H/Ho)), a null entry keeps that size.
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: Size2): Tensor {
  const op = 'adaptiveMaxPool2d';
  needInput(op, x, [3, 4], '3-D [C, H, W] or 4-D [N, C, H, W]');
  const [H, W] = x.shape.slice(-2);
  const os = typeof outputSize === 'number' ? [outputSize, outputSize] : [outputSize?.[0] ?? H, outputSize?.[1] ?? W];
  check(os.every((v) => Number.isInteger(v) && v >= 1), op, () => `outputSize must be a positive integer or a pair of them (or null), got ${JSON.stringify(outputSize)}`);
  check(H >= 1 && W >= 1, op, () => `expected non-empty spatial dims, got input ${fmtShape(x.shape)}`);
  const [Ho, Wo] = os;
  if (H % Ho === 0 && W % Wo === 0) return maxPool2d(x, [H / Ho, W / Wo]);
  return tidy(() => adaptiveMaxDim(adaptiveMaxDim(x, x.ndim - 2, Ho), x.ndim - 1, Wo));
}

/** Max pooling of the last dim of [N, C, L] or [C, L] to outputSize adaptive windows. */
export function adaptiveMaxPool1d(x: Tensor, outputSize: Single): Tensor {
  needInput('adaptiveMaxPool1d', x, [2, 3], '2-D [C, L] or 3-D [N, C, L]');
  const o = single('adaptiveMaxPool1d', 'outputSize', outputSize);
  return asRow(x, (x2) => adaptiveMaxPool2d(x2, [1, o]));
}

const tup = (v: Single): string => `(${typeof v === 'number' ? v : v[0]},)`;
const arg = (v: Single | Size2): string =>
  (typeof v === 'number' ? String(v) : v.length === 1 ? tup(v as Single) : `(${v.map((e) => (e === null ? 'None' : String(e))).join(', ')})`);

/**
 * @example
 * new MaxPool1d(3, { stride: 2 }).call(x); // [N, C, 11] -> [N, C, 5]
 */
export class MaxPool1d extends Module {
  readonly stride: Single;
  readonly padding: Single;
  readonly dilation: Single;
  readonly ceilMode: boolean;

  constructor(readonly kernelSize: Single, opts: MaxPool1dOptions = {}) {
    knownOptions('MaxPool1d', opts, 'stride padding dilation ceilMode');
    const { stride = null, padding = 0, dilation = 1, ceilMode = false } = opts;
    super();
    this.stride = stride ?? kernelSize; this.padding = padding; this.dilation = dilation; this.ceilMode = ceilMode;
  }

  forward(x: Tensor): Tensor {
    return maxPool1d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }

  extraRepr(): string {
    return `kernel_size=${arg(this.kernelSize)}, stride=${arg(this.stride)}, padding=${arg(this.padding)}, dilation=${arg(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

export class AvgPool1d extends Module {
  readonly stride: Single;
  readonly padding: Single;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(readonly kernelSize: Single, opts: AvgPool1dOptions = {}) {
    knownOptions('AvgPool1d', opts, 'stride padding ceilMode countIncludePad');
    const { stride = null, padding = 0, ceilMode = false, countIncludePad = true } = opts;
    super();
    this.stride = stride ?? kernelSize; this.padding = padding; this.ceilMode = ceilMode; this.countIncludePad = countIncludePad;
  }

  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad });
  }

  // PyTorch stores AvgPool1d's arguments as 1-tuples.
  extraRepr(): string { return `kernel_size=${tup(this.kernelSize)}, stride=${tup(this.stride)}, padding=${tup(this.padding)}`; }
}

export class AdaptiveAvgPool1d extends Module {
  constructor(readonly outputSize: Single) { super(); }
  forward(x: Tensor): Tensor { return adaptiveAvgPool1d(x, this.outputSize); }
  extraRepr(): string { return `output_size=${arg(this.outputSize)}`; }
}

export class AdaptiveMaxPool1d extends Module {
  constructor(readonly outputSize: Single) { super(); }
  forward(x: Tensor): Tensor { return adaptiveMaxPool1d(x, this.outputSize); }
  extraRepr(): string { return `output_size=${arg(this.outputSize)}`; }
}

/**
 * @example
 * new AdaptiveMaxPool2d([5, 7]).call(x); // [N, C, H, W] -> [N, C, 5, 7]
 */
export class AdaptiveMaxPool2d extends Module {
  constructor(readonly outputSize: Size2) { super(); }
  forward(x: Tensor): Tensor { return adaptiveMaxPool2d(x, this.outputSize); }
  extraRepr(): string { return `output_size=${arg(this.outputSize)}`; }
}
