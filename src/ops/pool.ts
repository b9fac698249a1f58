// 2-D pooling, PyTorch semantics over [N, C, H, W] (or unbatched [C, H, W]): maxPool2d,
// avgPool2d, adaptiveAvgPool2d. The average pools are linear, so each is a registered pair of
// mutually adjoint ops (adjoint_pair.ts) and differentiates to any order. maxPool2d finds the
// argmax with a kernel and, when a gradient is needed, selects with gather (whose backward
// scatters dy to the argmax positions).
import { withContiguous } from '../backend/kernels';
import { getBackend } from '../backend/load';
import { isGradEnabled, noGrad } from '../autograd';
import { Tensor } from '../tensor';
import { check, fmtShape, knownOptions } from '../util/errors';
import { run } from './registry';
import { defineAdjointPair, type ResampleAttrs } from './adjoint_pair';
import { reshape } from './movement';
import { gather } from './indexing';
import { pair, type Pair } from './conv';

/** Window, stride, per-side padding, dilation and output size of one 2-D pooling. */
export interface PoolGeom { kh: number; kw: number; sh: number; sw: number; pt: number; pb: number; pl: number; pr: number; dh: number; dw: number; Ho: number; Wo: number }

/** PyTorch's pooling_output_shape (floor or ceil mode; a ceil window must start inside input + left pad). */
export function poolOut(n: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  let o = Math.floor((n + 2 * p - d * (k - 1) - 1 + (ceilMode ? s - 1 : 0)) / s) + 1;
  if (ceilMode && (o - 1) * s >= n + p) o--;
  return o;
}

export interface PoolOptions {
  /** Default: the kernel size. */
  stride?: Pair | null;
  padding?: Pair;
  ceilMode?: boolean;
}
export interface MaxPoolOptions extends PoolOptions { dilation?: Pair }
export interface AvgPoolOptions extends PoolOptions {
  /** Count the zero padding in the divisor (PyTorch default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size. */
  divisorOverride?: number | null;
}

function checkInput(op: string, x: Tensor): void {
  check(x?._isTensor, op, () => `expected a tensor input, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
  check(x.dtype === 'float32', op, () => `expected a float32 input, got ${x.dtype}`);
  check(x.ndim === 4 || x.ndim === 3, op, () => `expected a 4-D input [N, C, H, W] (or 3-D [C, H, W]), got shape ${fmtShape(x.shape)}`);
}

/** Runs f on x as 4-D (adding and removing a batch dim for 3-D input). */
function batched(x: Tensor, f: (x4: Tensor) => Tensor): Tensor {
  if (x.ndim === 4) return f(x);
  const x4 = reshape(x, [1, ...x.shape]);
  const y = f(x4);
  const r = reshape(y, y.shape.slice(1));
  x4.dispose(); y.dispose();
  return r;
}

/** PyTorch-style geometry, validated (padding at most half the kernel, output at least 1). */
export function poolGeom(op: string, x: Tensor, kernelSize: Pair, o: MaxPoolOptions): PoolGeom {
  const [kh, kw] = pair(op, 'kernelSize', kernelSize);
  const [sh, sw] = o.stride === undefined || o.stride === null ? [kh, kw] : pair(op, 'stride', o.stride);
  const [ph, pw] = pair(op, 'padding', o.padding ?? 0, 0);
  const [dh, dw] = pair(op, 'dilation', o.dilation ?? 1);
  check(ph <= kh / 2 && pw <= kw / 2, op, () => `padding should be at most half of kernel size, but got padding (${ph}, ${pw}) and kernel size (${kh}, ${kw})`);
  const [H, W] = x.shape.slice(-2);
  const Ho = poolOut(H, kh, sh, ph, dh, o.ceilMode ?? false), Wo = poolOut(W, kw, sw, pw, dw, o.ceilMode ?? false);
  check(Ho >= 1 && Wo >= 1, op, () => `output size is too small: input ${fmtShape(x.shape)} with kernel (${kh}, ${kw}), stride (${sh}, ${sw}), padding (${ph}, ${pw}), dilation (${dh}, ${dw}) gives (${Ho}, ${Wo})`);
  return { kh, kw, sh, sw, pt: ph, pb: ph, pl: pw, pr: pw, dh, dw, Ho, Wo };
}

/** Max values and int32 flat argmax indices (ih * W + iw) of a 4-D input; not recorded. */
export function maxPoolK(x: Tensor, g: PoolGeom): [Tensor, Tensor] {
  const [N, C, H, W] = x.shape;
  const out = Tensor._empty([N, C, g.Ho, g.Wo]), idx = Tensor._empty([N, C, g.Ho, g.Wo], 'int32');
  if (out.size > 0) withContiguous(x, (c) => getBackend().k.maxpool2d_f32(out._ptr, idx._ptr, c._ptr, N * C, H, W, g.Ho, g.Wo,
    g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw));
  return [out, idx];
}

/** maxPool2d with explicit geometry (TF-style 'same' pools use asymmetric padding); returns [y, indices]. */
export function maxPoolGeom(x: Tensor, g: PoolGeom): [Tensor, Tensor] {
  const [y, idx] = noGrad(() => maxPoolK(x, g));
  if (!(isGradEnabled() && x.requiresGrad) || y.size === 0) return [y, idx];
  y.dispose();
  const [N, C, H, W] = x.shape;
  const xf = reshape(x, [N, C, H * W]), ii = reshape(idx, [N, C, g.Ho * g.Wo]);
  const yf = gather(xf, 2, ii);
  const y4 = reshape(yf, [N, C, g.Ho, g.Wo]);
  xf.dispose(); ii.dispose(); yf.dispose();
  return [y4, idx];
}

/**
 * Max over kernelSize windows (torch.nn.functional.max_pool2d). The gradient flows to the first
 * maximum of each window.
 * @example
 * const y = maxPool2d(x, 2); // [N, C, 28, 28] -> [N, C, 14, 14]
 */
export function maxPool2d(x: Tensor, kernelSize: Pair, opts: MaxPoolOptions = {}): Tensor {
  const [y, idx] = maxPool2dWithIndices(x, kernelSize, opts);
  idx.dispose();
  return y;
}

/** maxPool2d and the int32 flat index (h * W + w within each plane) of every maximum, as return_indices=True. */
export function maxPool2dWithIndices(x: Tensor, kernelSize: Pair, opts: MaxPoolOptions = {}): [Tensor, Tensor] {
  checkInput('maxPool2d', x);
  knownOptions('maxPool2d', opts, 'stride padding dilation ceilMode');
  const g = poolGeom('maxPool2d', x, kernelSize, opts);
  if (x.ndim === 4) return maxPoolGeom(x, g);
  const x4 = reshape(x, [1, ...x.shape]);
  const [y, i] = maxPoolGeom(x4, g);
  const r: [Tensor, Tensor] = [reshape(y, y.shape.slice(1)), reshape(i, i.shape.slice(1))];
  x4.dispose(); y.dispose(); i.dispose();
  return r;
}

type AvgAttrs = PoolGeom & { H: number; W: number; countIncludePad: boolean; divisorOverride: number };

const avgPoolOp = defineAdjointPair<AvgAttrs>('avgPool2d', (bwd, out, x, a) =>
  getBackend().k[bwd ? 'avgpool2d_bwd_f32' : 'avgpool2d_f32'](out._ptr, x._ptr, x.shape[0] * x.shape[1], a.H, a.W, a.Ho, a.Wo,
    a.kh, a.kw, a.sh, a.sw, a.pt, a.pb, a.pl, a.pr, a.countIncludePad ? 1 : 0, a.divisorOverride));

/** avgPool2d with explicit geometry (TF-style 'same' pools use asymmetric padding). */
export function avgPoolGeom(x: Tensor, g: PoolGeom, countIncludePad: boolean, divisorOverride = 0): Tensor {
  return run(avgPoolOp, [x], { ...g, H: x.shape[2], W: x.shape[3], countIncludePad, divisorOverride });
}

/**
 * Mean over kernelSize windows (torch.nn.functional.avg_pool2d): countIncludePad (default true)
 * divides by the window size including zero padding.
 */
export function avgPool2d(x: Tensor, kernelSize: Pair, opts: AvgPoolOptions = {}): Tensor {
  checkInput('avgPool2d', x);
  knownOptions('avgPool2d', opts, 'stride padding ceilMode countIncludePad divisorOverride');
  const g = poolGeom('avgPool2d', x, kernelSize, { ...opts, dilation: 1 });
  const d = opts.divisorOverride ?? 0;
  check(Number.isInteger(d) && d >= 0 && (opts.divisorOverride == null || d > 0), 'avgPool2d', () => `divisorOverride must be a positive integer, got ${opts.divisorOverride}`);
  return batched(x, (x4) => avgPoolGeom(x4, g, opts.countIncludePad ?? true, d));
}

const adaptiveOp = defineAdjointPair<ResampleAttrs>('adaptiveAvgPool2d', (bwd, out, x, a) =>
  getBackend().k.adaptive_avgpool2d_f32(out._ptr, x._ptr, x.shape[0] * x.shape[1], a.H, a.W, a.Ho, a.Wo, bwd ? 1 : 0));

/**
 * Average pooling to a fixed output size (torch.nn.functional.adaptive_avg_pool2d). Window i
 * spans [floor(i*H/Ho), ceil((i+1)*H/Ho)). A null entry keeps that input size.
 * @example
 * const y = adaptiveAvgPool2d(x, 1); // global average pooling: [N, C, H, W] -> [N, C, 1, 1]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  checkInput('adaptiveAvgPool2d', x);
  const [H, W] = x.shape.slice(-2);
  const os = typeof outputSize === 'number' ? [outputSize, outputSize] : [outputSize?.[0] ?? H, outputSize?.[1] ?? W];
  check(os.every((v) => Number.isInteger(v) && v >= 1), 'adaptiveAvgPool2d', () => `outputSize must be a positive integer or a pair of them (or null), got ${JSON.stringify(outputSize)}`);
  check(H >= 1 && W >= 1, 'adaptiveAvgPool2d', () => `expected non-empty spatial dims, got input ${fmtShape(x.shape)}`);
  return batched(x, (x4) => run(adaptiveOp, [x4], { H, W, Ho: os[0], Wo: os[1] }));
}
