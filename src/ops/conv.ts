// 2-D convolution (PyTorch conv2d / conv1d, NCHW), lowered to GEMM: per group and chunk of nb
// images, out[Co/g, nb*Ho*Wo] = W[Co/g, Cin/g*kh*kw] · cols, cols = im2col(x) (see BATCHED GEMMs).
// Three registered ops close under differentiation, so every order of gradient works:
//   conv2d(x, w)            -> y
//   conv2dInputGrad(dy, w)  -> dx = col2im(Wᵀ · dy)        (adjoint of conv2d in x)
//   conv2dWeightGrad(x, dy) -> dw = Σ_n dy · colsᵀ          (adjoint of conv2d in w)
// Depthwise (groups = Cin = Cout) uses direct kernels instead; see DEPTHWISE below.
import { copyK, withContiguous } from '../backend/kernels';
import { B } from '../backend/exports';
import { getBackend } from '../backend/load';
import { Tensor } from '../tensor';
import { check, fmtShape, knownOptions } from '../util/errors';
import { defineOp, run, type OpDef } from './registry';
import { sum } from './reduce';
import { reshape } from './movement';
import { squeeze, unsqueeze } from './shaping';

/** Stride, padding (top, bottom, left, right), dilation and groups of one convolution. */
export interface ConvGeom { sh: number; sw: number; pt: number; pb: number; pl: number; pr: number; dh: number; dw: number; groups: number }

/** Output size along one dim; <= 0 when the dilated kernel does not fit the padded input. */
export const convOut = (n: number, k: number, s: number, p0: number, p1: number, d: number): number =>
  Math.floor((n + p0 + p1 - d * (k - 1) - 1) / s) + 1;

/** Element offset of the [n, c, 0, 0] entry of a 4-d view. */
const at = (t: Tensor, n: number, c: number): number => t._storage.ptr + (t.offset + n * t.strides[0] + c * t.strides[1]) * 4;

/** dy as [Co, Ho*Wo] matrices needs Ho and Wo to merge into one stride; copies when they don't. */
function mergeable(t: Tensor): Tensor {
  const [, , h, w] = t.shape;
  return h <= 1 || w <= 1 || t.strides[2] === w * t.strides[3] ? t : copyK(t);
}

/** Runs fn(cols, scratch) with cols (K*P floats) and GEMM scratch taken from the heap. */
function withBuffers<T>(colFloats: number, M: number, N: number, K: number, fn: (cols: number, scratch: number) => T): T {
  const { k, heap } = getBackend();
  const sb = k.matmul_f32_scratch_bytes(M, N, K);
  const cb = Math.max(colFloats, 1) * 4;
  const cols = heap.alloc(cb), scratch = heap.alloc(sb);
  try { return fn(cols, scratch); } finally { heap.release(scratch, sb); heap.release(cols, cb); }
}

function im2col(cols: number, x: Tensor, n: number, c0: number, Cg: number, kh: number, kw: number, g: ConvGeom, Ho: number, Wo: number, ld = Ho * Wo): void {
  const [, , H, W] = x.shape;
  getBackend().k.im2col_f32(cols, at(x, n, c0), Cg, H, W, x.strides[1], x.strides[2], x.strides[3],
    kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, Ho, Wo, ld);
}

// BATCHED GEMMs: one image's product is small (LeNet's conv2 at 8×8 output: 16×64×150), so nb
// images go side by side in one cols matrix [K, nb*P] (im2col with ld = nb*P) and one GEMM covers
// them all: forward out_q = W_q · cols, input grad cols = W_qᵀ · dy_q, weight grad dw_q = dy_q · colsᵀ
// (accumulated over chunks). dy is first copied to [Co, N*P] order so every chunk is a plain
// matrix. Training step at batch 64 (shared 2-core box), per-image GEMMs -> batched: one thread
// LeNet and the Fashion CNN of examples/ within noise (0.94-1.03x); two threads (the default) the
// Fashion CNN 125-160 ms -> 72-74 ms, as the larger GEMMs split across the worker pool.

/** Bytes of im2col columns one batched GEMM may use; about L2-sized, so the GEMM reads them hot. */
const COLS_BYTES = 1 << 20;

/** Images per GEMM (at least 1), the column count of a full chunk and of the last one. */
function chunks(N: number, K: number, P: number): { nb: number; full: number; last: number } {
  const nb = Math.max(1, Math.min(N, Math.floor(COLS_BYTES / (Math.max(K, 1) * P * 4))));
  return { nb, full: nb * P, last: (N - Math.floor((N - 1) / nb) * nb) * P };
}

/** Runs fn with heap buffers of the given byte sizes, released afterwards (also on throw). */
function withHeap<T>(bytes: number[], fn: (ptrs: number[]) => T): T {
  const { heap } = getBackend();
  const ptrs = bytes.map((b) => heap.alloc(Math.max(b, 4)));
  try { return fn(ptrs); } finally { for (let i = ptrs.length - 1; i >= 0; i--) heap.release(ptrs[i], Math.max(bytes[i], 4)); }
}

/** dy [N, Co, Ho, Wo] (any strides) copied into dst as [Co, N*Ho*Wo]. */
function dyByChannel(dst: number, dy: Tensor): void {
  const [N, Co, Ho, Wo] = dy.shape, [s0, s1, s2, s3] = dy.strides;
  getBackend().k.copy_strided_32(dst, at(dy, 0, 0), Co, N, Ho, Wo, N * Ho * Wo, Ho * Wo, Wo, 1, s1, s0, s2, s3);
}

/** 1×1, stride 1, no padding, with H and W mergeable: x itself is the cols matrix. */
const pointwise = (x: Tensor, kh: number, kw: number, g: ConvGeom) =>
  kh === 1 && kw === 1 && g.sh === 1 && g.sw === 1 && g.pt + g.pb + g.pl + g.pr === 0 && mergeable(x) === x;

// DEPTHWISE (groups = Cin = Cout): im2col + GEMM degenerates to M = 1 products per plane. Measured
// on [64, 32, 28, 28], 3×3, stride 1, pad 1 (Node 20, shared 2-core box, min of 5 × 10 runs):
//   forward 9.2 ms -> 4.9 ms, input grad 14.7 ms -> 5.7 ms, weight grad 10.3 ms -> 4.2 ms
// with the direct SIMD plane kernels (depthwise_planes_f32), so all three use them.
const isDepthwise = (C: number, Co: number, g: ConvGeom) => g.groups === C && Co === C;

/** depthwise_planes_f32's kinds: which of y (the output), x and w the operands a, b, c are. */
const DW = { forward: 0, inputGrad: 1, weightGrad: 2 } as const; // (y, x, w), (dx, dy, w), (dw, x, dy)

/** Runs a depthwise plane kernel over every (image, channel) in one kernel call; a, b, c are
 *  contiguous and play the roles DW lists (x [N, C, H, W], y [N, C, Ho, Wo], w [C, 1, kh, kw]). */
function depthwise(kind: number, a: Tensor, b: Tensor, c: Tensor, xShape: readonly number[], wShape: readonly number[], g: ConvGeom, Ho: number, Wo: number): void {
  const [N, C, H, W] = xShape, [, , kh, kw] = wShape;
  getBackend().k.depthwise_planes_f32(kind, a._ptr, b._ptr, c._ptr, N, C, H, W, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, Ho, Wo);
}

function forwardK(x: Tensor, w0: Tensor, bias: Tensor | undefined, g: ConvGeom): Tensor {
  const [N, C, H, W] = x.shape, [Co, Cg, kh, kw] = w0.shape;
  const Ho = convOut(H, kh, g.sh, g.pt, g.pb, g.dh), Wo = convOut(W, kw, g.sw, g.pl, g.pr, g.dw);
  const out = Tensor._empty([N, Co, Ho, Wo]);
  if (out.size === 0) return out;
  withContiguous(w0, (w) => {
    const k = getBackend().k;
    const Mg = Co / g.groups, K = Cg * kh * kw, P = Ho * Wo;
    if (isDepthwise(C, Co, g) && x.isContiguous()) depthwise(DW.forward, out, x, w, x.shape, w.shape, g, Ho, Wo);
    else if (pointwise(x, kh, kw, g)) {
      withBuffers(0, Mg, P, K, (_, scratch) => {
        for (let n = 0; n < N; n++) for (let q = 0; q < g.groups; q++) {
          k.matmul_f32(out._ptr + (n * Co + q * Mg) * P * 4, w._ptr + q * Mg * K * 4, at(x, n, q * Cg), Mg, P, K, K, 1,
            x.strides[1], x.strides[3], P, 0, Mg, scratch);
        }
      });
    } else {
      const { nb, full, last } = chunks(N, K, P);
      const sb = Math.max(k.matmul_f32_scratch_bytes(Mg, full, K), k.matmul_f32_scratch_bytes(Mg, last, K));
      withHeap([K * full * 4, nb > 1 ? Mg * full * 4 : 0, sb], ([cols, tmp, scratch]) => {
        for (let n0 = 0; n0 < N; n0 += nb) {
          const m = Math.min(nb, N - n0), L = m * P;
          for (let q = 0; q < g.groups; q++) {
            for (let i = 0; i < m; i++) im2col(cols + i * P * 4, x, n0 + i, q * Cg, Cg, kh, kw, g, Ho, Wo, L);
            const dst = at(out, n0, q * Mg);
            if (m === 1) { k.matmul_f32(dst, w._ptr + q * Mg * K * 4, cols, Mg, P, K, K, 1, P, 1, P, 0, Mg, scratch); continue; }
            k.matmul_f32(tmp, w._ptr + q * Mg * K * 4, cols, Mg, L, K, K, 1, L, 1, L, 0, Mg, scratch);
            k.copy_strided_32(dst, tmp, m, Mg, 1, P, Co * P, P, 0, 1, P, L, 0, 1); // [Mg, m, P] -> out[n0 + i, q*Mg + c, p]
          }
        }
      });
    }
    if (bias) withContiguous(bias, (b) => k.channel_bias_add_f32(out._ptr, b._ptr, N, Co, P));
  });
  return out;
}

function inputGradK(dy0: Tensor, w0: Tensor, g: ConvGeom, xShape: number[]): Tensor {
  const [N, C, H, W] = xShape, [Co, Cg, kh, kw] = w0.shape, [, , Ho, Wo] = dy0.shape;
  const dx = Tensor._empty(xShape);
  if (dx.size === 0) return dx;
  if (isDepthwise(C, Co, g)) {
    withContiguous(dy0, (dy) => withContiguous(w0, (w) => depthwise(DW.inputGrad, dx, dy, w, xShape, w0.shape, g, Ho, Wo)));
    return dx;
  }
  const k = getBackend().k;
  const Mg = Co / g.groups, K = Cg * kh * kw, P = Ho * Wo, NP = N * P;
  if (P === 0) { k.fill_32(dx._ptr, 0, dx.size); return dx; }
  const { nb, full, last } = chunks(N, K, P);
  const sb = Math.max(k.matmul_f32_scratch_bytes(K, full, Mg), k.matmul_f32_scratch_bytes(K, last, Mg));
  withContiguous(w0, (w) => withHeap([Co * NP * 4, K * full * 4, sb], ([dyT, cols, scratch]) => {
    dyByChannel(dyT, dy0);
    for (let n0 = 0; n0 < N; n0 += nb) {
      const m = Math.min(nb, N - n0), L = m * P;
      for (let q = 0; q < g.groups; q++) {
        k.matmul_f32(cols, w._ptr + q * Mg * K * 4, dyT + (q * Mg * NP + n0 * P) * 4, K, L, Mg, 1, K, NP, 1, L, 0, K, scratch);
        for (let i = 0; i < m; i++) {
          k.col2im_f32(dx._ptr + ((n0 + i) * C + q * Cg) * H * W * 4, cols + i * P * 4, Cg, H, W, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, Ho, Wo, L);
        }
      }
    }
  }));
  return dx;
}

function weightGradK(x: Tensor, dy0: Tensor, g: ConvGeom, wShape: number[]): Tensor {
  const [N, , , ] = x.shape, [Co, Cg, kh, kw] = wShape, [, , Ho, Wo] = dy0.shape;
  const dw = Tensor._empty(wShape);
  const k = getBackend().k;
  const Mg = Co / g.groups, K = Cg * kh * kw, P = Ho * Wo, NP = N * P;
  k.fill_32(dw._ptr, 0, dw.size);
  if (dw.size === 0 || N === 0 || P === 0) return dw;
  if (isDepthwise(x.shape[1], Co, g)) {
    withContiguous(x, (xc) => withContiguous(dy0, (dy) => depthwise(DW.weightGrad, dw, xc, dy, x.shape, wShape, g, Ho, Wo)));
    return dw;
  }
  const { nb, full, last } = chunks(N, K, P);
  const sb = Math.max(k.matmul_f32_scratch_bytes(Mg, K, full), k.matmul_f32_scratch_bytes(Mg, K, last));
  withHeap([Co * NP * 4, K * full * 4, Mg * K * 4, sb], ([dyT, cols, tmp, scratch]) => {
    dyByChannel(dyT, dy0);
    for (let n0 = 0; n0 < N; n0 += nb) {
      const m = Math.min(nb, N - n0), L = m * P;
      for (let q = 0; q < g.groups; q++) {
        for (let i = 0; i < m; i++) im2col(cols + i * P * 4, x, n0 + i, q * Cg, Cg, kh, kw, g, Ho, Wo, L);
        const dst = dw._ptr + q * Mg * K * 4;
        k.matmul_f32(n0 === 0 ? dst : tmp, dyT + (q * Mg * NP + n0 * P) * 4, cols, Mg, K, L, NP, 1, 1, L, K, 0, Mg, scratch);
        if (n0 > 0) k.binary_f32(B.add, dst, dst, tmp, 1, 1, 1, Mg * K, 0, 0, 0, 1, 0, 0, 0, 1);
      }
    }
  });
  return dw;
}

type GradAttrs = ConvGeom & { shape: number[] };

const conv2dOp: OpDef<ConvGeom> = defineOp<ConvGeom>({
  name: 'conv2d',
  forward: ([x, w, b], g) => forwardK(x, w, b, g),
  save: ([x, w]) => [x, w],
  backward: ({ inputs, saved: [x, w], attrs }, dy) => [
    () => run(inputGradOp, [dy, w], { ...attrs, shape: [...x.shape] }),
    () => run(weightGradOp, [x, dy], { ...attrs, shape: [...w.shape] }),
    ...(inputs.length > 2 ? [() => sum(dy, [0, 2, 3])] : []),
  ],
});

const inputGradOp: OpDef<GradAttrs> = defineOp<GradAttrs>({
  name: 'conv2dInputGrad',
  forward: ([dy, w], a) => inputGradK(dy, w, a, a.shape),
  save: ([dy, w]) => [dy, w],
  backward: ({ saved: [dy, w], attrs: { shape, ...g } }, gx) => [
    () => run(conv2dOp, [gx, w], g),
    () => run(weightGradOp, [gx, dy], { ...g, shape: [...w.shape] }),
  ],
});

const weightGradOp: OpDef<GradAttrs> = defineOp<GradAttrs>({
  name: 'conv2dWeightGrad',
  forward: ([x, dy], a) => weightGradK(x, dy, a, a.shape),
  save: ([x, dy]) => [x, dy],
  backward: ({ saved: [x, dy], attrs: { shape, ...g } }, gw) => [
    () => run(inputGradOp, [dy, gw], { ...g, shape: [...x.shape] }),
    () => run(conv2dOp, [x, gw], g),
  ],
});

export type Pair = number | readonly [number, number];
export type Padding = Pair | 'same' | 'valid';

export interface Conv2dOptions {
  stride?: Pair;
  /** Zero padding of each side: an int, [h, w], 'valid' (none) or 'same' (output size = input size; stride 1 only). */
  padding?: Padding;
  dilation?: Pair;
  groups?: number;
}

/** [a, b] from an int or a pair of positive (or non-negative) integers. */
export function pair(op: string, name: string, v: Pair, min = 1): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v?.[0], v?.[1]];
  check((typeof v === 'number' || (Array.isArray(v) && v.length === 2)) && p.every((e) => Number.isInteger(e) && e >= min), op, () =>
    `${name} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`);
  return p;
}

/** 'same' padding (total = d*(k-1), the odd pixel at the end: PyTorch and TensorFlow agree at stride 1). */
export function samePads(k: number, d: number): [number, number] {
  const total = d * (k - 1);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Validates and runs conv2d with explicit per-side padding (the Keras layers use TF's 'same' pads). */
export function conv2dPadded(op: string, x: Tensor, weight: Tensor, bias: Tensor | null | undefined, g: ConvGeom): Tensor {
  for (const [n, t] of [['input', x], ['weight', weight], ['bias', bias]] as const) {
    if (n === 'bias' && (t === null || t === undefined)) continue;
    check(t?._isTensor, op, () => `${n} must be a tensor, got ${t === null ? 'null' : typeof t}`);
    t._assertLive(op);
    check(t.dtype === 'float32', op, () => `${n} must be float32, got ${t.dtype}`);
  }
  check(x.ndim === 4, op, () => `expected a 4-D input [N, C, H, W], got shape ${fmtShape(x.shape)}`);
  check(weight.ndim === 4, op, () => `expected a 4-D weight [out, in/groups, kh, kw], got shape ${fmtShape(weight.shape)}`);
  const [, C, H, W] = x.shape, [Co, Cg, kh, kw] = weight.shape;
  check(Number.isInteger(g.groups) && g.groups >= 1, op, () => `groups must be a positive integer, got ${g.groups}`);
  check(C % g.groups === 0 && Co % g.groups === 0, op, () =>
    `in channels ${C} and out channels ${Co} must both be divisible by groups=${g.groups} (input ${fmtShape(x.shape)}, weight ${fmtShape(weight.shape)})`);
  check(Cg * g.groups === C, op, () =>
    `weight ${fmtShape(weight.shape)} with groups=${g.groups} expects ${Cg * g.groups} input channels, got input ${fmtShape(x.shape)}`);
  check(H + g.pt + g.pb >= g.dh * (kh - 1) + 1 && W + g.pl + g.pr >= g.dw * (kw - 1) + 1, op, () =>
    `kernel size (${kh}, ${kw}) with dilation (${g.dh}, ${g.dw}) is larger than the padded input (${H + g.pt + g.pb}, ${W + g.pl + g.pr}) of input ${fmtShape(x.shape)}`);
  if (bias) check(bias.ndim === 1 && bias.shape[0] === Co, op, () => `bias must have shape [${Co}], got ${fmtShape(bias.shape)}`);
  return run(conv2dOp, bias ? [x, weight, bias] : [x, weight], g);
}

/** Geometry from PyTorch-style options for a kh×kw kernel. */
export function convGeom(op: string, kh: number, kw: number, { stride = 1, padding = 0, dilation = 1, groups = 1 }: Conv2dOptions): ConvGeom {
  const [sh, sw] = pair(op, 'stride', stride);
  const [dh, dw] = pair(op, 'dilation', dilation);
  let pads: [number, number, number, number];
  if (padding === 'valid') pads = [0, 0, 0, 0];
  else if (padding === 'same') {
    check(sh === 1 && sw === 1, op, () => `padding='same' is not supported for strided convolutions (stride [${sh}, ${sw}])`);
    pads = [...samePads(kh, dh), ...samePads(kw, dw)];
  } else {
    const [ph, pw] = pair(op, 'padding', padding as Pair, 0);
    pads = [ph, ph, pw, pw];
  }
  return { sh, sw, pt: pads[0], pb: pads[1], pl: pads[2], pr: pads[3], dh, dw, groups };
}

/**
 * 2-D convolution (cross-correlation, as torch.nn.functional.conv2d).
 * x [N, Cin, H, W] (or unbatched [Cin, H, W]), weight [Cout, Cin/groups, kh, kw], bias [Cout]
 * -> [N, Cout, Ho, Wo], Ho = floor((H + 2p - d(kh-1) - 1) / s) + 1.
 * @example
 * const y = conv2d(x, w, b, { stride: 2, padding: 1 });
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  knownOptions('conv2d', opts, 'stride padding dilation groups');
  check(weight?._isTensor && weight.ndim === 4, 'conv2d', () => `expected a 4-D weight [out, in/groups, kh, kw], got ${weight?._isTensor ? `shape ${fmtShape(weight.shape)}` : typeof weight}`);
  const g = convGeom('conv2d', weight.shape[2], weight.shape[3], opts);
  if (x?._isTensor && x.ndim === 3) {
    const x4 = unsqueeze(x, 0);
    const y = conv2dPadded('conv2d', x4, weight, bias, g);
    const r = squeeze(y, 0);
    x4.dispose(); y.dispose();
    return r;
  }
  return conv2dPadded('conv2d', x, weight, bias, g);
}

export interface Conv1dOptions { stride?: number; padding?: number | 'same' | 'valid'; dilation?: number; groups?: number }

/**
 * 1-D convolution (torch.nn.functional.conv1d): x [N, Cin, L] (or [Cin, L]), weight [Cout, Cin/groups, k]
 * -> [N, Cout, Lo]; computed as conv2d with H = 1.
 */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv1dOptions = {}): Tensor {
  knownOptions('conv1d', opts, 'stride padding dilation groups');
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = opts;
  check(x?._isTensor && (x.ndim === 3 || x.ndim === 2), 'conv1d', () => `expected a 3-D input [N, C, L] (or 2-D [C, L]), got ${x?._isTensor ? `shape ${fmtShape(x.shape)}` : typeof x}`);
  check(weight?._isTensor && weight.ndim === 3, 'conv1d', () => `expected a 3-D weight [out, in/groups, k], got ${weight?._isTensor ? `shape ${fmtShape(weight.shape)}` : typeof weight}`);
  const batched = x.ndim === 3;
  const x4 = batched ? unsqueeze(x, 2) : reshape(x, [1, x.shape[0], 1, x.shape[1]]);
  const w4 = unsqueeze(weight, 2);
  const p = typeof padding === 'number' ? [0, padding] as const : padding;
  const g = convGeom('conv1d', 1, weight.shape[2], { stride: [1, stride], padding: p, dilation: [1, dilation], groups });
  const y = conv2dPadded('conv1d', x4, w4, bias, g);
  const r = batched ? squeeze(y, 2) : reshape(y, [y.shape[1], y.shape[3]]);
  x4.dispose(); w4.dispose(); y.dispose();
  return r;
}

/** torch.nn.grad.conv2d_input: the gradient of conv2d with respect to an input of `inputSize`. */
export function conv2dInput(inputSize: readonly number[], weight: Tensor, gradOutput: Tensor, opts: Conv2dOptions = {}): Tensor {
  const g = convGeom('conv2dInput', weight.shape[2], weight.shape[3], opts);
  return run(inputGradOp, [gradOutput, weight], { ...g, shape: [...inputSize] });
}

/** torch.nn.grad.conv2d_weight: the gradient of conv2d with respect to a weight of `weightSize`. */
export function conv2dWeight(input: Tensor, weightSize: readonly number[], gradOutput: Tensor, opts: Conv2dOptions = {}): Tensor {
  const g = convGeom('conv2dWeight', weightSize[2], weightSize[3], opts);
  return run(weightGradOp, [input, gradOutput], { ...g, shape: [...weightSize] });
}

/** conv2d's input-gradient op on dy with geometry g, for an input of `shape` (recorded: it
 *  differentiates to any order). conv_transpose.ts runs it forward. */
export function conv2dInputGradOp(dy: Tensor, weight: Tensor, g: ConvGeom, shape: number[]): Tensor {
  return run(inputGradOp, [dy, weight], { ...g, shape });
}
