// Constant padding (torch.nn.functional.pad, mode 'constant') and nearest upsampling
// (F.interpolate mode 'nearest'). pad's backward slices the interior out of dy; upsampling is a
// registered pair of mutually adjoint ops (adjoint_pair.ts), so both differentiate to any order.
import { copyInto, fillK } from '../backend/kernels';
import { getBackend } from '../backend/load';
import { Tensor } from '../tensor';
import { check, fmtShape } from '../util/errors';
import { defineOp, run, type OpDef } from './registry';
import { defineAdjointPair } from './adjoint_pair';
import { narrow, reshape } from './movement';

type PadAttrs = { before: number[]; after: number[]; value: number };

const padOp: OpDef<PadAttrs> = defineOp<PadAttrs>({
  name: 'pad',
  forward: ([x], { before, after, value }) => {
    const out = fillK(Tensor._empty(x.shape.map((d, i) => d + before[i] + after[i]), x.dtype), value);
    const inner = out._view(x.shape, out.strides, before.reduce((o, b, i) => o + b * out.strides[i], 0));
    copyInto(inner, x);
    inner.dispose();
    return out;
  },
  backward: ({ inputs: [x], attrs: { before } }, dy) => [() => cropTo(dy, before, x.shape)],
});

/** The box [before, before + shape) of t, as views (one narrow per dim that changes). */
function cropTo(t: Tensor, before: readonly number[], shape: readonly number[]): Tensor {
  let cur = t;
  for (let d = 0; d < shape.length; d++) {
    if (before[d] === 0 && shape[d] === cur.shape[d]) continue;
    const next = narrow(cur, d, before[d], shape[d]);
    if (cur !== t) cur.dispose();
    cur = next;
  }
  return cur === t ? run(padOp, [t], { before: shape.map(() => 0), after: shape.map(() => 0), value: 0 }) : cur;
}

/**
 * Pads the last dims (torch.nn.functional.pad order: [left, right] of the last dim, then
 * [top, bottom] of the one before, ...) with a constant. Negative amounts crop.
 * @example
 * const y = pad(x, [1, 1, 2, 2]); // [N, C, H, W] -> [N, C, H + 4, W + 2]
 */
export function pad(x: Tensor, padding: readonly number[], mode: 'constant' = 'constant', value = 0): Tensor {
  check(x?._isTensor, 'pad', () => `expected a tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive('pad');
  check(mode === 'constant', 'pad', () => `only mode 'constant' is supported, got '${mode}'`);
  check(Array.isArray(padding) && padding.length % 2 === 0 && padding.length / 2 <= x.ndim && padding.every(Number.isInteger), 'pad', () =>
    `padding must be an even-length list of integers of at most 2 * ${x.ndim} entries for input ${fmtShape(x.shape)}, got ${JSON.stringify(padding)}`);
  check(typeof value === 'number', 'pad', () => `value must be a number, got ${typeof value}`);
  const before = x.shape.map(() => 0), after = x.shape.map(() => 0);
  for (let i = 0; i < padding.length / 2; i++) {
    const d = x.ndim - 1 - i;
    before[d] = padding[2 * i]; after[d] = padding[2 * i + 1];
    check(x.shape[d] + before[d] + after[d] >= 0, 'pad', () =>
      `padding ${JSON.stringify(padding)} makes dim ${d} of input ${fmtShape(x.shape)} negative (${x.shape[d] + before[d] + after[d]})`);
  }
  // Negative entries crop first (views), the rest pads.
  const cropB = before.map((b) => Math.max(0, -b)), cropShape = x.shape.map((s, i) => s - cropB[i] - Math.max(0, -after[i]));
  const src = cropB.some((c, i) => c > 0 || cropShape[i] !== x.shape[i]) ? cropTo(x, cropB, cropShape) : x;
  const y = run(padOp, [src], { before: before.map((b) => Math.max(0, b)), after: after.map((a) => Math.max(0, a)), value });
  if (src !== x) src.dispose();
  return y;
}

type UpAttrs = { H: number; W: number; Ho: number; Wo: number; mapH: number[]; mapW: number[] };

const upOp = defineAdjointPair<UpAttrs>('upsampleNearest2d', (bwd, out, x, a) => {
  const { k, heap } = getBackend();
  const bytes = (a.Ho + a.Wo) * 4;
  const maps = heap.alloc(bytes);
  heap.i32().set([...a.mapH, ...a.mapW], maps >> 2);
  k.upsample_nearest2d_f32(out._ptr, x._ptr, x.shape[0] * x.shape[1], a.H, a.W, a.Ho, a.Wo, maps, maps + a.Ho * 4, bwd ? 1 : 0);
  heap.release(maps, bytes);
});

/** PyTorch's nearest source index: min(floor(o * scale), n - 1) in float32, scale = 1/factor or n/out. */
function nearestMap(n: number, out: number, factor: number | null): number[] {
  const scale = Math.fround(factor ? 1 / factor : n / out);
  return Array.from({ length: out }, (_, o) => Math.min(Math.floor(Math.fround(Math.fround(o) * scale)), n - 1));
}

export interface UpsampleOptions {
  /** Output [H, W] (or one int for both). */
  size?: number | readonly [number, number];
  /** Multiplier of H and W (or one for both); output = floor(input * factor). */
  scaleFactor?: number | readonly [number, number];
  mode?: 'nearest';
}

/**
 * Nearest-neighbour upsampling of [N, C, H, W] (F.interpolate(x, size | scale_factor, mode='nearest')).
 * @example
 * const y = upsample(x, { scaleFactor: 2 }); // [N, C, 7, 7] -> [N, C, 14, 14]
 */
export function upsample(x: Tensor, { size, scaleFactor, mode = 'nearest' }: UpsampleOptions): Tensor {
  check(x?._isTensor && (x.ndim === 4 || x.ndim === 3), 'upsample', () => `expected a 4-D input [N, C, H, W] (or 3-D [C, H, W]), got ${x?._isTensor ? `shape ${fmtShape(x.shape)}` : typeof x}`);
  x._assertLive('upsample');
  check(mode === 'nearest', 'upsample', () => `only mode 'nearest' is supported, got '${mode}'`);
  check((size === undefined) !== (scaleFactor === undefined), 'upsample', () => 'exactly one of size and scaleFactor must be given');
  const [H, W] = x.shape.slice(-2);
  let Ho: number, Wo: number, fh: number | null = null, fw: number | null = null;
  if (size !== undefined) {
    [Ho, Wo] = typeof size === 'number' ? [size, size] : [size[0], size[1]];
    check([Ho, Wo].every((v) => Number.isInteger(v) && v >= 1), 'upsample', () => `size must be positive integers, got ${JSON.stringify(size)}`);
  } else {
    [fh, fw] = typeof scaleFactor === 'number' ? [scaleFactor, scaleFactor] : [scaleFactor![0], scaleFactor![1]];
    check([fh, fw].every((v) => typeof v === 'number' && v > 0 && Number.isFinite(v)), 'upsample', () => `scaleFactor must be positive, got ${JSON.stringify(scaleFactor)}`);
    Ho = Math.floor(H * fh); Wo = Math.floor(W * fw);
    check(Ho >= 1 && Wo >= 1, 'upsample', () => `scaleFactor ${JSON.stringify(scaleFactor)} gives an empty output for input ${fmtShape(x.shape)}`);
  }
  check(H >= 1 && W >= 1, 'upsample', () => `expected non-empty spatial dims, got input ${fmtShape(x.shape)}`);
  const attrs = { H, W, Ho, Wo, mapH: nearestMap(H, Ho, fh), mapW: nearestMap(W, Wo, fw) };
  if (x.ndim === 4) return run(upOp, [x], attrs);
  const x4 = reshape(x, [1, ...x.shape]);
  const y = run(upOp, [x4], attrs);
  const r = reshape(y, y.shape.slice(1));
  x4.dispose(); y.dispose();
  return r;
}
