// Channels-last 2-D pooling over x [N, H, W, C] with explicit geometry (PoolGeom from pool.ts, so
// TF 'same' pools pass asymmetric pads): maxPool2dNhwc and avgPool2dNhwc, SIMD across channels.
// Max pooling records nothing of its own: when a gradient is needed its output is x gathered at
// the kernel's argmax indices (gather's backward scatters dy there), as pool.ts does for NCHW.
// Average pooling is linear: a registered op and its adjoint, each the other's backward.
import { withContiguous } from '../backend/kernels';
import { getBackend } from '../backend/load';
import { isGradEnabled } from '../autograd';
import { Tensor } from '../tensor';
import { check, fmtShape } from '../util/errors';
import { defineOp, run, type OpDef } from './registry';
import { reshape } from './movement';
import { gather } from './indexing';
import type { PoolGeom } from './pool';

function checkInput(op: string, x: Tensor): void {
  check(x?._isTensor, op, () => `expected a tensor input, got ${x === null ? 'null' : typeof x}`);
  x._assertLive(op);
  check(x.dtype === 'float32', op, () => `expected a float32 input, got ${x.dtype}`);
  check(x.ndim === 4, op, () => `expected a 4-D input [N, H, W, C] (channels last), got shape ${fmtShape(x.shape)}`);
}

const pos = (v: number): boolean => Number.isInteger(v) && v >= 1;
const nonNeg = (v: number): boolean => Number.isInteger(v) && v >= 0;
/** The first window reaches the input and the last starts inside it. */
const fits = (n: number, k: number, s: number, p: number, d: number, o: number): boolean => p <= (k - 1) * d && (o - 1) * s - p <= n - 1;

/** Every window must start inside the padded input and hold at least one tap of the image. */
function checkGeom(op: string, x: Tensor, g: PoolGeom): void {
  const [, H, W] = x.shape;
  check(g !== null && typeof g === 'object' && pos(g.kh) && pos(g.kw) && pos(g.sh) && pos(g.sw) && pos(g.dh) && pos(g.dw) && pos(g.Ho) && pos(g.Wo)
    && nonNeg(g.pt) && nonNeg(g.pb) && nonNeg(g.pl) && nonNeg(g.pr), op, () =>
    `expected a geometry of positive integer sizes and non-negative paddings, got ${JSON.stringify(g)}`);
  check(fits(H, g.kh, g.sh, g.pt, g.dh, g.Ho) && fits(W, g.kw, g.sw, g.pl, g.dw, g.Wo), op, () =>
    `pool window (${g.kh}, ${g.kw}) with stride (${g.sh}, ${g.sw}), padding (${g.pt}, ${g.pl}) and output (${g.Ho}, ${g.Wo}) has windows outside the input ${fmtShape(x.shape)}`);
}

/** Max values and, when `indices`, int32 argmax indices ((ih*W + iw)*C + c within each image); not recorded. */
function maxPoolK(x: Tensor, g: PoolGeom, indices: boolean): [Tensor, Tensor | null] {
  const [N, H, W, C] = x.shape;
  const out = Tensor._empty([N, g.Ho, g.Wo, C]), idx = indices ? Tensor._empty([N, g.Ho, g.Wo, C], 'int32') : null;
  if (out.size > 0) withContiguous(x, (c) => getBackend().k.maxpool_nhwc_f32(out._ptr, idx === null ? 0 : idx._ptr, c._ptr,
    N, H, W, C, g.Ho, g.Wo, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw));
  return [out, idx];
}

/**
 * Max over windows of a channels-last x [N, H, W, C] -> [N, Ho, Wo, C]. The gradient flows to the
 * first maximum of each window.
 * @example
 * const y = maxPool2dNhwc(x, { kh: 2, kw: 2, sh: 2, sw: 2, pt: 0, pb: 0, pl: 0, pr: 0, dh: 1, dw: 1, Ho: 14, Wo: 14 });
 */
export function maxPool2dNhwc(x: Tensor, g: PoolGeom, op = 'maxPool2dNhwc'): Tensor {
  checkInput(op, x);
  checkGeom(op, x, g);
  if (!(isGradEnabled() && x.requiresGrad)) return maxPoolK(x, g, false)[0];
  const [y0, idx] = maxPoolK(x, g, true);
  y0.dispose();
  const [N, H, W, C] = x.shape;
  const xf = reshape(x, [N, H * W * C]), ii = reshape(idx!, [N, g.Ho * g.Wo * C]);
  const yf = gather(xf, 1, ii);
  const y = reshape(yf, [N, g.Ho, g.Wo, C]);
  xf.dispose(); ii.dispose(); yf.dispose(); idx!.dispose();
  return y;
}

type AvgAttrs = PoolGeom & { H: number; W: number; countIncludePad: boolean };

/** The average pool (adjoint false: x [N, H, W, C] -> [N, Ho, Wo, C]) or its adjoint (sizes swapped). */
function avgK(adjoint: boolean, t: Tensor, a: AvgAttrs): Tensor {
  const [N, , , C] = t.shape;
  const out = Tensor._empty(adjoint ? [N, a.H, a.W, C] : [N, a.Ho, a.Wo, C]);
  if (out.size > 0) withContiguous(t, (c) => getBackend().k.avgpool_nhwc_f32(out._ptr, c._ptr, N, a.H, a.W, C, a.Ho, a.Wo,
    a.kh, a.kw, a.sh, a.sw, a.pt, a.pb, a.pl, a.pr, a.countIncludePad ? 1 : 0, adjoint ? 1 : 0));
  return out;
}

const avgOp: OpDef<AvgAttrs> = defineOp<AvgAttrs>({
  name: 'avgPool2dNhwc',
  forward: ([x], a) => avgK(false, x, a),
  backward: ({ attrs }, dy) => [() => run(avgAdjointOp, [dy], attrs)],
});

const avgAdjointOp: OpDef<AvgAttrs> = defineOp<AvgAttrs>({
  name: 'avgPool2dNhwcBackward',
  forward: ([dy], a) => avgK(true, dy, a),
  backward: ({ attrs }, g) => [() => run(avgOp, [g], attrs)],
});

/**
 * Mean over windows of a channels-last x [N, H, W, C] -> [N, Ho, Wo, C] (no dilation).
 * countIncludePad divides by the window clipped to the padded input; otherwise (TensorFlow) by the
 * number of taps inside the image.
 */
export function avgPool2dNhwc(x: Tensor, g: PoolGeom, countIncludePad = false, op = 'avgPool2dNhwc'): Tensor {
  checkInput(op, x);
  checkGeom(op, x, g);
  check(g.dh === 1 && g.dw === 1, op, () => `average pooling has no dilation, got (${g.dh}, ${g.dw})`);
  return run(avgOp, [x], { ...g, H: x.shape[1], W: x.shape[2], countIncludePad });
}
