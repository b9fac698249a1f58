// ONNX converters: MaxPool (with its Indices output), AveragePool, GlobalAveragePool and
// GlobalMaxPool over NCHW inputs; 1-D and 2-D windows with asgrad's pool kernels, which take
// per-side padding and an explicit output size.
import type { Tensor } from '../../../../tensor';
import { tensor } from '../../../../creation';
import { tidy } from '../../../../memory';
import { avgPoolGeom, maxPoolGeom } from '../../../../ops/pool';
import { nodeError, type OnnxOp, type OpContext } from '../attrs';
import { need } from '../values';
import { as4d, checkWindowsHitInput, from4d, needFloat, poolGeomOf, poolKernel, spatialRank, windowAxes } from './nn_geom';

/** Integer inputs (MaxPool-12's int8 / uint8) pool in float32, exact below 2^24 in magnitude. */
function asFloat(ctx: OpContext, x: Tensor): Tensor {
  if (x.dtype === 'float32') return x;
  if (x.dtype !== 'int32') nodeError(ctx.node, `X must be a float or integer tensor, got ${x.dtype}`);
  const big = (x.data() as Int32Array).some((v) => Math.abs(v) > 2 ** 24);
  if (big) nodeError(ctx.node, 'integer inputs above 2^24 in magnitude are not supported (asgrad pools them in float32)');
  return x.float();
}

/** ONNX's Indices: flat positions in the whole input (row-major, or column-major within each
 *  plane for storage_order=1), from asgrad's per-plane ih * W + iw. Not differentiable. */
function flatIndices(idx: Tensor, H: number, W: number, columnMajor: boolean): Tensor {
  const src = idx.data() as Int32Array, plane = idx.shape[2] * idx.shape[3];
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i], base = Math.floor(i / plane) * H * W;
    out[i] = base + (columnMajor ? (v % W) * H + Math.floor(v / W) : v);
  }
  return tensor(out, { shape: [...idx.shape], dtype: 'int32' });
}

const maxPool: OnnxOp = (inputs, a, ctx) => {
  a.only('auto_pad', 'ceil_mode', 'dilations', 'kernel_shape', 'pads', 'storage_order', 'strides');
  const x = need(ctx, inputs, 0, 'X');
  const r = spatialRank(ctx, x);
  const storage = a.int('storage_order', 0);
  if (storage !== 0 && storage !== 1) nodeError(ctx.node, `storage_order must be 0 (row major) or 1 (column major), got ${storage}`);
  const axes = windowAxes(a, ctx, x.shape.slice(2), poolKernel(a, ctx, r), true);
  checkWindowsHitInput(ctx, axes);
  const wantIndices = !!ctx.node.outputs[1];
  return tidy(() => {
    const [y, idx] = maxPoolGeom(as4d(asFloat(ctx, x)), poolGeomOf(axes));
    const out = from4d(x.dtype === 'float32' ? y : y.int(), r);
    if (!wantIndices) return out;
    const [H, W] = r === 1 ? [1, x.shape[2]] : [x.shape[2], x.shape[3]];
    return [out, from4d(flatIndices(idx, H, W, storage === 1), r)];
  });
};

const averagePool: OnnxOp = (inputs, a, ctx) => {
  a.only('auto_pad', 'ceil_mode', 'count_include_pad', 'dilations', 'kernel_shape', 'pads', 'strides');
  const x = need(ctx, inputs, 0, 'X');
  needFloat(ctx, x, 'X');
  const r = spatialRank(ctx, x);
  const axes = windowAxes(a, ctx, x.shape.slice(2), poolKernel(a, ctx, r), true);
  if (axes.some((ax) => ax.d !== 1)) nodeError(ctx.node, `dilations [${axes.map((ax) => ax.d).join(', ')}] are not supported for AveragePool (asgrad's average pool has no dilation)`);
  const include = a.int('count_include_pad', 0) !== 0;
  if (!include) checkWindowsHitInput(ctx, axes);
  return tidy(() => from4d(avgPoolGeom(as4d(x), poolGeomOf(axes), include), r));
};

/** Global pools reduce every spatial axis (any rank >= 3), keeping them as size 1. */
function globalPool(kind: 'mean' | 'max'): OnnxOp {
  return (inputs, a, ctx) => {
    a.only();
    const x = need(ctx, inputs, 0, 'X');
    needFloat(ctx, x, 'X');
    if (x.ndim < 3) nodeError(ctx.node, `expected an input [N, C, D1, ...] of rank >= 3, got shape [${x.shape.join(', ')}]`);
    if (x.shape.slice(2).some((n) => n === 0)) nodeError(ctx.node, `the spatial dims of input [${x.shape.join(', ')}] must be non-empty`);
    const dims = x.shape.slice(2).map((_, i) => i + 2);
    return x[kind](dims, true);
  };
}

export const POOL_OPS: Record<string, OnnxOp> = {
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalPool('mean'),
  GlobalMaxPool: globalPool('max'),
};
