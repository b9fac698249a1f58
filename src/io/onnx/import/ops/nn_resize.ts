// ONNX converters: Resize (opsets 10, 11, 13) and Upsample (7, 9). Separable over every axis:
// each output index along an axis is a weighted sum of a few input indices (1 tap for nearest,
// 2 for linear, 4 for cubic), computed here in float64 as ONNX's reference resize.py does, and
// applied with indexSelect, mul and add, so the result differentiates to the input.
import type { Tensor } from '../../../../tensor';
import { tensor } from '../../../../creation';
import { tidy } from '../../../../memory';
import { nodeError, type Attrs, type OnnxOp, type OpContext } from '../attrs';
import { valuesOf, need } from '../values';

type Mode = 'nearest' | 'linear' | 'cubic';
const COORDS = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn', 'tf_crop_and_resize'] as const;
type Coord = typeof COORDS[number];
const NEAREST = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'] as const;
/** 'legacy': Resize-10 / Upsample nearest as onnxruntime runs it (floor when upsampling, ceil when downsampling). */
type Nearest = typeof NEAREST[number] | 'legacy';

interface Options { mode: Mode; coord: Coord; nearest: Nearest; cubicA: number; exclude: boolean; extrapolation: number }

/** Per output index o: taps[t].idx[o] (clamped into the input) with weight taps[t].w[o]; inside[o]
 *  false where tf_crop_and_resize samples outside the input (the output is extrapolation_value). */
interface AxisPlan { taps: { idx: number[]; w: number[] }[]; inside: boolean[] }

/** ONNX's cubic convolution coefficients for the 4 taps f-1..f+2 at distance `r` in (0, 1] past f. */
function cubicCoeffs(r: number, A: number): number[] {
  const c = (t: number) => ((A * t - 5 * A) * t + 8 * A) * t - 4 * A, d = (t: number) => ((A + 2) * t - (A + 3)) * t * t + 1;
  return [c(r + 1), d(r), d(1 - r), c(2 - r)];
}

/** Source coordinate of output index x along an axis of n inputs, `out` outputs, scale `scale`. */
function sourceCoord(o: Options, x: number, n: number, out: number, scale: number, roi: [number, number]): number {
  const width = scale * n; // the reference's output_width: fractional when it comes from a scale
  switch (o.coord) {
    case 'half_pixel': return (x + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel': return out > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners': return width === 1 ? 0 : x * (n - 1) / (width - 1);
    case 'asymmetric': return x / scale;
    case 'tf_half_pixel_for_nn': return (x + 0.5) / scale;
    case 'tf_crop_and_resize': {
      const [s, e] = roi;
      return (width === 1 ? (e - s) * (n - 1) / 2 : x * (e - s) * (n - 1) / (width - 1)) + s * (n - 1);
    }
  }
}

function axisPlan(o: Options, n: number, out: number, scale: number, roi: [number, number]): AxisPlan {
  const ntaps = o.mode === 'nearest' ? 1 : o.mode === 'linear' ? 2 : 4;
  const taps = Array.from({ length: ntaps }, () => ({ idx: [] as number[], w: [] as number[] }));
  const inside: boolean[] = [];
  const clamp = (i: number) => Math.min(Math.max(i, 0), n - 1);
  for (let x = 0; x < out; x++) {
    const xo = sourceCoord(o, x, n, out, scale, roi);
    const ok = o.coord !== 'tf_crop_and_resize' || (xo >= 0 && xo <= n - 1);
    inside.push(ok);
    // f and ratio in (0, 1]: an integer coordinate is taken as the right end of [f, f + 1].
    const f = Number.isInteger(xo) ? xo - 1 : Math.floor(xo), r = xo - f;
    let idx: number[], w: number[];
    if (o.mode === 'nearest') {
      const m = o.nearest;
      const pick = Number.isInteger(xo) ? xo : m === 'legacy' ? (scale >= 1 ? Math.floor(xo) : Math.ceil(xo))
        : m === 'floor' ? f : m === 'ceil' ? f + 1 : m === 'round_prefer_floor' ? (r <= 0.5 ? f : f + 1) : (r < 0.5 ? f : f + 1);
      idx = [pick]; w = [1];
    } else if (o.mode === 'linear') {
      idx = [f, f + 1]; w = [1 - r, r];
    } else {
      idx = [f - 1, f, f + 1, f + 2]; w = cubicCoeffs(r, o.cubicA);
      if (o.exclude) {
        w = w.map((c, t) => (idx[t] < 0 || idx[t] >= n ? 0 : c));
        const total = w.reduce((p, c) => p + c, 0);
        w = w.map((c) => c / total);
      }
    }
    idx.forEach((i, t) => { taps[t].idx.push(clamp(i)); taps[t].w.push(ok ? w[t] : 0); });
  }
  return { taps, inside };
}

/** True when the plan maps every output index to the same input index with total weight 1. */
function isIdentity(p: AxisPlan, n: number): boolean {
  if (p.inside.length !== n) return false;
  for (let o = 0; o < n; o++) {
    if (!p.inside[o]) return false;
    let self = 0;
    for (const t of p.taps) { if (t.idx[o] === o) self += t.w[o]; else if (t.w[o] !== 0) return false; }
    if (self !== 1) return false;
  }
  return true;
}

/** Resamples x along `axis` with the plan: Σ_t x.indexSelect(axis, idx_t) * w_t (a tap whose
 *  weights are all 1, as nearest's inside the input, skips the product; all 0 skips the tap). */
function alongAxis(x: Tensor, axis: number, p: AxisPlan): Tensor {
  const bshape = [p.inside.length, ...x.shape.slice(axis + 1).map(() => 1)];
  const pick = (idx: number[]) => x.indexSelect(axis, tensor(Int32Array.from(idx), { dtype: 'int32' }));
  let y: Tensor | null = null;
  for (const t of p.taps) {
    if (t.w.every((w) => w === 0)) continue;
    const sel = pick(t.idx);
    const term = t.w.every((w) => w === 1) ? sel : sel.mul(tensor(Float32Array.from(t.w), { shape: bshape }));
    y = y ? y.add(term) : term;
  }
  return y ?? pick(p.taps[0].idx).mul(0);
}

/** Resizes x to `outs` with per-axis scales (the given ones, or out / in when sizes were given). */
function resize(ctx: OpContext, x: Tensor, outs: number[], scales: number[], o: Options, roi: number[] | null): Tensor {
  if (x.dtype !== 'float32' && !(x.dtype === 'int32' && o.mode === 'nearest' && o.coord !== 'tf_crop_and_resize')) {
    nodeError(ctx.node, `mode '${o.mode}'${o.coord === 'tf_crop_and_resize' ? ' with tf_crop_and_resize' : ''} needs a float input, got ${x.dtype}`);
  }
  if (outs.some((d) => d < 1) && x.size > 0) nodeError(ctx.node, `the output shape [${outs.join(', ')}] of input [${x.shape.join(', ')}] has an empty dim`);
  const r = x.ndim;
  return tidy(() => {
    let y = x;
    const masks: Tensor[] = [];
    for (let axis = 0; axis < r; axis++) {
      const p = axisPlan(o, x.shape[axis], outs[axis], scales[axis], roi ? [roi[axis], roi[r + axis]] : [0, 1]);
      if (p.inside.some((ok) => !ok)) masks.push(tensor(Float32Array.from(p.inside, Number), { shape: [outs[axis], ...x.shape.slice(axis + 1).map(() => 1)] }));
      if (!isIdentity(p, x.shape[axis])) y = alongAxis(y, axis, p);
    }
    if (y === x) return x;
    if (masks.length && o.extrapolation !== 0) y = y.add(masks.reduce((m, t) => m.mul(t)).neg().add(1).mul(o.extrapolation));
    return y;
  });
}

/** Scales of the rank-r input, checked (positive, finite, one per dim). */
function checkScales(ctx: OpContext, scales: number[], r: number): number[] {
  if (scales.length !== r || !scales.every((s) => s > 0 && Number.isFinite(s))) nodeError(ctx.node, `scales must hold ${r} positive numbers (one per dim of X), got [${scales.join(', ')}]`);
  return scales;
}

/** Output sizes and scales from scales (floor(n * scale)) or sizes (scale = size / n). */
function outsAndScales(ctx: OpContext, x: Tensor, scales: number[] | null, sizes: number[] | null): [number[], number[]] {
  const r = x.ndim;
  if (sizes && sizes.length) {
    if (scales && scales.length) nodeError(ctx.node, 'only one of scales and sizes may be given');
    if (sizes.length !== r || !sizes.every((s) => Number.isInteger(s) && s >= 1)) nodeError(ctx.node, `sizes must hold ${r} positive integers (one per dim of X), got [${sizes.join(', ')}]`);
    return [sizes, sizes.map((s, i) => s / x.shape[i])];
  }
  if (!scales || !scales.length) nodeError(ctx.node, 'needs scales or sizes');
  checkScales(ctx, scales, r);
  return [scales.map((s, i) => Math.floor(x.shape[i] * s)), scales];
}

function modeOf(ctx: OpContext, a: Attrs, allowed: readonly Mode[]): Mode {
  const m = a.string('mode', 'nearest') as Mode;
  if (!allowed.includes(m)) nodeError(ctx.node, `mode must be one of ${allowed.join(', ')}, got '${m}'`);
  return m;
}

const legacy = (mode: Mode): Options => ({ mode, coord: 'asymmetric', nearest: 'legacy', cubicA: -0.75, exclude: false, extrapolation: 0 });

const resizeOp: OnnxOp = (inputs, a, ctx) => {
  const x = need(ctx, inputs, 0, 'X');
  if (ctx.opset < 11) {
    a.only('mode');
    const [outs, scales] = outsAndScales(ctx, x, valuesOf(need(ctx, inputs, 1, 'scales'))!, null);
    return resize(ctx, x, outs, scales, legacy(modeOf(ctx, a, ['nearest', 'linear'])), null);
  }
  a.only('coordinate_transformation_mode', 'cubic_coeff_a', 'exclude_outside', 'extrapolation_value', 'mode', 'nearest_mode');
  const coord = a.string('coordinate_transformation_mode', 'half_pixel') as Coord;
  if (!COORDS.includes(coord)) nodeError(ctx.node, `coordinate_transformation_mode must be one of ${COORDS.join(', ')}, got '${coord}'`);
  const nearest = a.string('nearest_mode', 'round_prefer_floor') as Nearest;
  if (!(NEAREST as readonly string[]).includes(nearest)) nodeError(ctx.node, `nearest_mode must be one of ${NEAREST.join(', ')}, got '${nearest}'`);
  const o: Options = { mode: modeOf(ctx, a, ['nearest', 'linear', 'cubic']), coord, nearest, cubicA: a.float('cubic_coeff_a', -0.75),
    exclude: a.int('exclude_outside', 0) !== 0, extrapolation: a.float('extrapolation_value', 0) };
  const [outs, scales] = outsAndScales(ctx, x, valuesOf(inputs[2]) ?? null, valuesOf(inputs[3]) ?? null);
  let roi: number[] | null = null;
  if (coord === 'tf_crop_and_resize') {
    roi = valuesOf(need(ctx, inputs, 1, 'roi'))!;
    if (roi.length !== 2 * x.ndim) nodeError(ctx.node, `roi must hold ${2 * x.ndim} values ([starts, ends], one per dim of X), got ${roi.length}`);
  }
  return resize(ctx, x, outs, scales, o, roi);
};

const upsampleOp: OnnxOp = (inputs, a, ctx) => {
  const x = need(ctx, inputs, 0, 'X');
  let scales: number[];
  if (ctx.opset < 9) { a.only('mode', 'scales'); scales = a.floats('scales'); } else { a.only('mode'); scales = valuesOf(need(ctx, inputs, 1, 'scales'))!; }
  checkScales(ctx, scales, x.ndim);
  const [outs] = outsAndScales(ctx, x, scales, null);
  return resize(ctx, x, outs, scales, legacy(modeOf(ctx, a, ['nearest', 'linear'])), null);
};

export const RESIZE_OPS: Record<string, OnnxOp> = { Resize: resizeOp, Upsample: upsampleOp };
