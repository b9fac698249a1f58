// Window geometry shared by the ONNX conv and pool converters: kernel_shape, strides, dilations,
// pads ([x1_begin, x2_begin, ..., x1_end, x2_end]), auto_pad and ceil_mode, read per spatial axis.
// 1-D ops run as 2-D ones over an added axis of size 1 (UNIT_AXIS).
import type { Tensor } from '../../../../tensor';
import type { ConvGeom } from '../../../../ops/conv';
import type { PoolGeom } from '../../../../ops/pool';
import { nodeError, type Attrs, type OpContext } from '../attrs';

/** One spatial axis: input size, kernel, stride, dilation, pads at the begin / end, output size. */
export interface Axis { n: number; k: number; s: number; d: number; pb: number; pe: number; out: number }

/** The axis added in front of a 1-D op's only spatial axis to run it in 2-D. */
export const UNIT_AXIS: Axis = { n: 1, k: 1, s: 1, d: 1, pb: 0, pe: 0, out: 1 };

const AUTO_PADS = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'];

/** A list attribute of `len` integers >= min (default: all `def`). */
function intList(a: Attrs, ctx: OpContext, name: string, len: number, def: number, min: number): number[] {
  const v = a.ints(name, new Array(len).fill(def));
  if (v.length !== len || !v.every((e) => Number.isInteger(e) && e >= min)) {
    nodeError(ctx.node, `${name} must be ${len} integer(s) >= ${min} (one per spatial axis), got [${v.join(', ')}]`);
  }
  return v;
}

/** The spatial rank of x (N, C, D1..Dn), checked to be 1 or 2 (asgrad has 1-D and 2-D windows). */
export function spatialRank(ctx: OpContext, x: Tensor, what = 'input'): number {
  const r = x.ndim - 2;
  if (r === 3) nodeError(ctx.node, `3-D (volumetric) ${what} [${x.shape.join(', ')}] is not supported: asgrad has 1-D and 2-D convolution and pooling`);
  if (r !== 1 && r !== 2) nodeError(ctx.node, `expected a 3-D [N, C, L] or 4-D [N, C, H, W] ${what}, got shape [${x.shape.join(', ')}]`);
  return r;
}

/**
 * Reads strides, dilations, pads / auto_pad (and ceil_mode when `ceil` is allowed) for inputs of
 * spatial sizes `ns` and kernel `ks`. Output sizes follow the ONNX spec: floor (or ceil, dropping a
 * last window that would start in the end padding) of (n + pads - d(k-1) - 1) / s + 1; SAME_* give
 * ceil(n / s) with the odd pad at the end (UPPER) or begin (LOWER); VALID pads nothing.
 */
export function windowAxes(a: Attrs, ctx: OpContext, ns: number[], ks: number[], ceil = false): Axis[] {
  const r = ns.length;
  const s = intList(a, ctx, 'strides', r, 1, 1), d = intList(a, ctx, 'dilations', r, 1, 1);
  const autoPad = a.string('auto_pad', 'NOTSET');
  if (!AUTO_PADS.includes(autoPad)) nodeError(ctx.node, `auto_pad must be one of ${AUTO_PADS.join(', ')}, got '${autoPad}'`);
  const pads = intList(a, ctx, 'pads', 2 * r, 0, 0);
  if (autoPad !== 'NOTSET' && pads.some((p) => p !== 0)) nodeError(ctx.node, `pads [${pads.join(', ')}] cannot be used with auto_pad '${autoPad}'`);
  const ceilMode = ceil && autoPad === 'NOTSET' && a.int('ceil_mode', 0) !== 0;
  return ns.map((n, i) => {
    const k = ks[i], keff = d[i] * (k - 1) + 1;
    let pb = pads[i], pe = pads[r + i];
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const total = Math.max(0, (Math.ceil(n / s[i]) - 1) * s[i] + keff - n);
      pb = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
      pe = total - pb;
    }
    const span = n + pb + pe - keff;
    if (span < 0) nodeError(ctx.node, `the kernel (size ${k}, dilation ${d[i]}) is larger than the padded input (${n} + ${pb} + ${pe}) along spatial axis ${i}`);
    let out = (ceilMode ? Math.ceil(span / s[i]) : Math.floor(span / s[i])) + 1;
    if (ceilMode && (out - 1) * s[i] >= n + pb) out--;
    return { n, k, s: s[i], d: d[i], pb, pe, out };
  });
}

/** The kernel_shape attribute, which must match `ks` when present (Conv's W carries the kernel). */
export function checkKernelShape(a: Attrs, ctx: OpContext, ks: number[]): void {
  if (!a.has('kernel_shape')) return;
  const v = a.ints('kernel_shape');
  if (v.length !== ks.length || v.some((e, i) => e !== ks[i])) nodeError(ctx.node, `kernel_shape [${v.join(', ')}] does not match the weight's kernel [${ks.join(', ')}]`);
}

/** The required kernel_shape of a pool with `r` spatial axes. */
export function poolKernel(a: Attrs, ctx: OpContext, r: number): number[] {
  if (!a.has('kernel_shape')) nodeError(ctx.node, 'needs the attribute kernel_shape');
  const v = a.ints('kernel_shape');
  if (v.length !== r || !v.every((e) => Number.isInteger(e) && e >= 1)) nodeError(ctx.node, `kernel_shape must be ${r} positive integer(s), got [${v.join(', ')}]`);
  return v;
}

/** Throws when some window has no tap inside the input (all padding: its max / mean is undefined). */
export function checkWindowsHitInput(ctx: OpContext, axes: Axis[]): void {
  axes.forEach((ax, i) => {
    for (let o = 0; o < ax.out; o++) {
      const start = o * ax.s - ax.pb;
      let hit = false;
      for (let j = 0; j < ax.k && !hit; j++) hit = start + j * ax.d >= 0 && start + j * ax.d < ax.n;
      if (!hit) nodeError(ctx.node, `window ${o} along spatial axis ${i} lies entirely in the padding (input ${ax.n}, pads ${ax.pb}/${ax.pe}, kernel ${ax.k}, stride ${ax.s}, dilation ${ax.d})`);
    }
  });
}

/** The [h, w] axes of a 1-D or 2-D op. */
export const hw = (axes: Axis[]): [Axis, Axis] => (axes.length === 1 ? [UNIT_AXIS, axes[0]] : [axes[0], axes[1]]);

export function convGeomOf(axes: Axis[], groups: number): ConvGeom {
  const [h, w] = hw(axes);
  return { sh: h.s, sw: w.s, pt: h.pb, pb: h.pe, pl: w.pb, pr: w.pe, dh: h.d, dw: w.d, groups };
}

export function poolGeomOf(axes: Axis[]): PoolGeom {
  const [h, w] = hw(axes);
  return { kh: h.k, kw: w.k, sh: h.s, sw: w.s, pt: h.pb, pb: h.pe, pl: w.pb, pr: w.pe, dh: h.d, dw: w.d, Ho: h.out, Wo: w.out };
}

/** x [N, C, L] as [N, C, 1, L] (a view); 4-D x itself. */
export const as4d = (x: Tensor): Tensor => (x.ndim === 3 ? x.unsqueeze(2) : x);

/** y [N, C, 1, L] back to [N, C, L] for a 1-D op; otherwise y itself. */
export const from4d = (y: Tensor, r: number): Tensor => (r === 1 ? y.squeeze(2) : y);

/** Checks that x is float32 (the conv / pool / norm kernels' type). */
export function needFloat(ctx: OpContext, t: Tensor, what: string): void {
  if (t.dtype !== 'float32') nodeError(ctx.node, `${what} must be a float tensor, got ${t.dtype}`);
}
