// Padding (torch.nn.functional.pad: 'constant', 'reflect', 'replicate', 'circular') and nearest
// upsampling (F.interpolate mode 'nearest'). Constant padding is one op whose backward slices the
// interior out of dy; the other modes concatenate views of x (narrow, flip, expand), so their
// gradients come from those ops; upsampling is a registered pair of mutually adjoint ops
// (adjoint_pair.ts). All differentiate to any order.
import { copyInto, fillK } from '../backend/kernels';
import { getBackend } from '../backend/load';
import { Tensor } from '../tensor';
import { check, fmtShape, knownOptions } from '../util/errors';
import { defineOp, run, type OpDef } from './registry';
import { defineAdjointPair } from './adjoint_pair';
import { cat, expand, flip, narrow, reshape } from './movement';
import { bilinear } from './bilinear';

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

/** F.pad's modes: a constant, the mirror image without the edge ('reflect'), copies of the edge
 *  ('replicate'), or the other end of the dim ('circular'). */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';
const MODES: readonly PadMode[] = ['constant', 'reflect', 'replicate', 'circular'];

/**
 * Pads the last dims (torch.nn.functional.pad order: [left, right] of the last dim, then
 * [top, bottom] of the one before, ...). Mode 'constant' fills with `value` and crops where an
 * amount is negative; 'reflect' needs each amount below the dim's size, 'circular' at most it.
 * @example
 * const y = pad(x, [1, 1, 2, 2]); // [N, C, H, W] -> [N, C, H + 4, W + 2]
 * const r = pad(x, [2, 2], 'reflect'); // [..., W] -> [..., W + 4], mirrored at both ends
 */
export function pad(x: Tensor, padding: readonly number[], mode: PadMode = 'constant', value = 0): Tensor {
  check(x?._isTensor, 'pad', () => `expected a tensor, got ${x === null ? 'null' : typeof x}`);
  x._assertLive('pad');
  check(MODES.includes(mode), 'pad', () => `mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got '${mode}'`);
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
  if (mode !== 'constant') return padFromInput(x, before, after, mode, padding);
  // Negative entries crop first (views), the rest pads.
  const cropB = before.map((b) => Math.max(0, -b)), cropShape = x.shape.map((s, i) => s - cropB[i] - Math.max(0, -after[i]));
  const src = cropB.some((c, i) => c > 0 || cropShape[i] !== x.shape[i]) ? cropTo(x, cropB, cropShape) : x;
  const y = run(padOp, [src], { before: before.map((b) => Math.max(0, b)), after: after.map((a) => Math.max(0, a)), value });
  if (src !== x) src.dispose();
  return y;
}

/** 'reflect', 'replicate' or 'circular' padding: each padded dim, last first, becomes
 *  cat([head, cur, tail]) of views of the tensor so far (so corners come out as in PyTorch). */
function padFromInput(x: Tensor, before: number[], after: number[], mode: Exclude<PadMode, 'constant'>, padding: readonly number[]): Tensor {
  let cur = x;
  for (let d = x.ndim - 1; d >= 0; d--) {
    const b = before[d], a = after[d], n = x.shape[d];
    if (b === 0 && a === 0) continue;
    check(b >= 0 && a >= 0, 'pad', () => `mode '${mode}' takes no negative padding, got ${JSON.stringify(padding)}`);
    check(mode === 'reflect' ? b < n && a < n : mode === 'circular' ? b <= n && a <= n : n > 0, 'pad', () =>
      mode === 'replicate' ? `mode 'replicate' cannot pad the empty dim ${d} of input ${fmtShape(x.shape)}`
        : `mode '${mode}' needs padding ${mode === 'reflect' ? 'below' : 'at most'} the size ${n} of dim ${d} (input ${fmtShape(x.shape)}), got ${b} and ${a}`);
    const parts: Tensor[] = [];
    if (b > 0) parts.push(edge(cur, d, b, mode, true));
    parts.push(cur);
    if (a > 0) parts.push(edge(cur, d, a, mode, false));
    const next = cat(parts, d);
    for (const t of parts) if (t !== cur) t.dispose();
    if (cur !== x) cur.dispose();
    cur = next;
  }
  return cur === x ? run(padOp, [x], { before, after, value: 0 }) : cur;
}

/** The m entries added at the start (head) or end of dim d of t for the mode. */
function edge(t: Tensor, d: number, m: number, mode: Exclude<PadMode, 'constant'>, head: boolean): Tensor {
  const n = t.shape[d];
  if (mode === 'circular') return narrow(t, d, head ? n - m : 0, m);
  if (mode === 'replicate') {
    const e = narrow(t, d, head ? 0 : n - 1, 1);
    const shape = [...t.shape]; shape[d] = m;
    const r = expand(e, shape);
    if (r !== e) e.dispose();
    return r;
  }
  const s = narrow(t, d, head ? 1 : n - 1 - m, m);
  const r = flip(s, [d]);
  s.dispose();
  return r;
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
  mode?: 'nearest' | 'bilinear';
  /** Bilinear only: corner pixels' centres map onto each other (F.interpolate's align_corners). */
  alignCorners?: boolean;
}

/**
 * Nearest-neighbour or bilinear resizing of [N, C, H, W] (F.interpolate(x, size | scale_factor,
 * mode='nearest' | 'bilinear', align_corners)).
 * @example
 * const y = upsample(x, { scaleFactor: 2 }); // [N, C, 7, 7] -> [N, C, 14, 14]
 * const z = upsample(x, { size: [10, 12], mode: 'bilinear' });
 */
export function upsample(x: Tensor, opts: UpsampleOptions): Tensor {
  knownOptions('upsample', opts, 'size scaleFactor mode alignCorners');
  const { size, scaleFactor, mode = 'nearest', alignCorners } = opts ?? {};
  check(x?._isTensor && (x.ndim === 4 || x.ndim === 3), 'upsample', () => `expected a 4-D input [N, C, H, W] (or 3-D [C, H, W]), got ${x?._isTensor ? `shape ${fmtShape(x.shape)}` : typeof x}`);
  x._assertLive('upsample');
  check(mode === 'nearest' || mode === 'bilinear', 'upsample', () => `mode must be 'nearest' or 'bilinear', got '${mode}'`);
  check(alignCorners === undefined || mode === 'bilinear', 'upsample', () => `alignCorners only applies to mode 'bilinear' (as in PyTorch), got mode '${mode}'`);
  check(mode === 'nearest' || x.dtype === 'float32', 'upsample', () => `mode 'bilinear' needs a float32 tensor, got ${x.dtype}`);
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
  if (mode === 'bilinear') return bilinear(x, Ho, Wo, fh, fw, alignCorners ?? false);
  const attrs = { H, W, Ho, Wo, mapH: nearestMap(H, Ho, fh), mapW: nearestMap(W, Wo, fw) };
  if (x.ndim === 4) return run(upOp, [x], attrs);
  const x4 = reshape(x, [1, ...x.shape]);
  const y = run(upOp, [x4], attrs);
  const r = reshape(y, y.shape.slice(1));
  x4.dispose(); y.dispose();
  return r;
}
