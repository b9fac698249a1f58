// Channels-last 2-D convolution (TensorFlow's NHWC with a Keras [kh, kw, in, out] kernel), lowered
// to one GEMM per chunk of output pixels: rows are pixels, so out[pixels, Co] = cols[pixels, K] ·
// W[K, Co] (K = kh*kw*Cin, the kernel's own layout: no transpose) is the NHWC output itself, and
// bias + activation run on each chunk while it is hot (linear_epilogue_f32). Registered ops, closed
// under differentiation as conv.ts's NCHW trio:
//   conv2dNhwc(x, w)            -> y
//   conv2dNhwcInputGrad(dy, w)  -> dx = col2im(dy · Wᵀ)
//   conv2dNhwcWeightGrad(x, dy) -> dw = colsᵀ · dy     (summed over pixel chunks)
// 1×1 stride-1 unpadded convolutions skip im2col (x itself is the cols matrix), one-channel
// inputs with horizontal stride 1 (grayscale first layers) run direct kernels for the forward and
// the weight gradient (assembly/kernels/conv_nhwc_c1.ts), and forwards with K <= 384 that the
// worker pool would not split read their GEMM's A operand straight from x (conv_nhwc_gemm.ts).
import { copyK, L, withContiguous } from '../backend/kernels';
import { B } from '../backend/exports';
import { getBackend } from '../backend/load';
import { isGradEnabled } from '../autograd';
import { Tensor } from '../tensor';
import { check, fmtShape } from '../util/errors';
import { defineOp, run, type OpDef } from './registry';
import { convOut } from './conv';
import { sum } from './reduce';
import { relu, sigmoid, tanh } from './unary';
import { softmax } from './softmax';
import type { FusedActivation } from './linear';

/** Stride, per-side padding (top, bottom, left, right) and dilation of one NHWC convolution. */
export interface NhwcGeom { sh: number; sw: number; pt: number; pb: number; pl: number; pr: number; dh: number; dw: number }
type GradAttrs = NhwcGeom & { shape: number[] };

const ACT: Record<FusedActivation, number> = { linear: L.none, relu: L.relu, sigmoid: L.sigmoid, tanh: L.tanh, softmax: L.softmax };
const APPLY: Record<FusedActivation, ((x: Tensor) => Tensor) | null> = { linear: null, relu, sigmoid, tanh, softmax: (x) => softmax(x, -1) };

/** Bytes of im2col rows one GEMM takes: about half this core's L2, so the GEMM packs them hot. */
const COLS_BYTES = 1 << 20;

/** Pixels per chunk for rows of K floats (at least 1). */
function chunkRows(M: number, K: number): number {
  return Math.max(1, Math.min(M, Math.floor(COLS_BYTES / (Math.max(K, 1) * 4))));
}

/** Runs fn with heap blocks of the given byte sizes, released afterwards (also on throw). */
function withHeap<T>(bytes: number[], fn: (ptrs: number[]) => T): T {
  const { heap } = getBackend();
  const ptrs = bytes.map((b) => heap.alloc(Math.max(b, 4)));
  try { return fn(ptrs); } finally { for (let i = ptrs.length - 1; i >= 0; i--) heap.release(ptrs[i], Math.max(bytes[i], 4)); }
}

/** The one element stride between pixels when x's [N, H, W] dims merge into a single dim, else null. */
function pixelStride(x: Tensor): number | null {
  let stride: number | null = null, span = 0;
  for (let d = 2; d >= 0; d--) {
    if (x.shape[d] === 1) continue;
    if (stride === null) stride = x.strides[d];
    else if (x.strides[d] !== span) return null;
    span = x.strides[d] * x.shape[d];
  }
  return stride ?? 1;
}

/** 1×1, stride 1, no padding: the pixels of x (when they merge into rows) are the cols matrix. */
const isPointwise = (kh: number, kw: number, g: NhwcGeom) =>
  kh === 1 && kw === 1 && g.sh === 1 && g.sw === 1 && g.pt + g.pb + g.pl + g.pr === 0;

/** im2col of global pixel rows [r0, r1) of x (any strides) into cols. */
function im2colRows(cols: number, x: Tensor, kh: number, kw: number, g: NhwcGeom, Ho: number, Wo: number, r0: number, r1: number): void {
  const [, H, W, C] = x.shape, [s0, s1, s2, s3] = x.strides, K = kh * kw * C, P = Ho * Wo;
  const k = getBackend().k, base = x._ptr;
  for (let n = Math.floor(r0 / P); n * P < r1; n++) {
    const p0 = Math.max(r0 - n * P, 0), p1 = Math.min(r1 - n * P, P);
    k.im2col_nhwc_f32(cols + (n * P + p0 - r0) * K * 4, base + n * s0 * 4, H, W, C, s1, s2, s3, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, Wo, p0, p1);
  }
}

/** y = act(conv(x, w) + bias) as a new contiguous [N, Ho, Wo, Co]; nothing recorded. (No inner
 *  named closures: the bundle's keepNames wraps each in a defineProperty call, per call.) */
function forwardK(x: Tensor, w0: Tensor, bias0: Tensor | null | undefined, g: NhwcGeom, act: number): Tensor {
  const [N, H, W, C] = x.shape, [kh, kw, , Co] = w0.shape;
  const Ho = convOut(H, kh, g.sh, g.pt, g.pb, g.dh), Wo = convOut(W, kw, g.sw, g.pl, g.pr, g.dw);
  const out = Tensor._empty([N, Ho, Wo, Co]);
  if (out.size === 0) return out;
  const w = w0.isContiguous() ? w0 : copyK(w0);
  const bias = !bias0 || bias0.isContiguous() ? bias0 ?? null : copyK(bias0);
  try {
    forwardInto(out, x, w, bias, g, act);
  } finally {
    if (w !== w0) w.dispose();
    if (bias !== null && bias !== bias0) bias.dispose();
  }
  return out;
}

function forwardInto(out: Tensor, x: Tensor, w: Tensor, bias: Tensor | null, g: NhwcGeom, act: number): void {
  const [N, H, W, C] = x.shape, [kh, kw, , Co] = w.shape, [, Ho, Wo] = out.shape;
  const k = getBackend().k;
  const K = kh * kw * C, M = N * Ho * Wo;
  const bp = bias === null ? 0 : bias._ptr, epilogue = bias !== null || act !== L.none;
  if (K === 0) {
    k.fill_32(out._ptr, 0, out.size);
    if (epilogue) k.linear_epilogue_f32(out._ptr, bp, M, Co, act);
    return;
  }
  if (C === 1 && g.sw === 1 && x.strides[2] === 1) {
    // One input channel: the direct kernel (no im2col), with bias and relu in its tile epilogue.
    const relu = act === L.relu ? 1 : 0, inKernel = relu === 1 || act === L.none;
    for (let n = 0; n < N; n++) {
      k.conv_nhwc_c1_f32(out._ptr + n * Ho * Wo * Co * 4, x._ptr + n * x.strides[0] * 4, w._ptr, inKernel ? bp : 0, H, W, x.strides[1], Co,
        kh, kw, g.sh, g.pt, g.pl, g.dh, g.dw, Wo, 0, Ho, relu);
    }
    if (!inKernel) k.linear_epilogue_f32(out._ptr, bp, M, Co, act);
    return;
  }
  const { heap } = getBackend();
  const rs = isPointwise(kh, kw, g) ? pixelStride(x) : null;
  if (rs !== null) {
    const sb = k.matmul_f32_scratch_bytes(M, Co, K), scratch = heap.alloc(sb);
    try { k.matmul_f32(out._ptr, x._ptr, w._ptr, M, Co, K, rs, x.strides[3], Co, 1, Co, 0, M, scratch); } finally { heap.release(scratch, sb); }
    if (epilogue) k.linear_epilogue_f32(out._ptr, bp, M, Co, act);
    return;
  }
  const rows = chunkRows(M, K), last = M - Math.floor((M - 1) / rows) * rows;
  const pool = getBackend().pool, pb = k.conv_nhwc_gemm_scratch_bytes(K, Co);
  if (pb > 0 && (pool === null || !pool.wouldSplit(rows, Co, K))) {
    // The GEMM reads A from x itself (no cols matrix), one image at a time, with each image's
    // bias + activation while its output is hot. It is not split across threads, so it runs
    // only where the im2col GEMM would not be split either.
    const scratch = heap.alloc(pb), [s0, s1, s2, s3] = x.strides, P = Ho * Wo;
    try {
      for (let n = 0; n < N; n++) {
        const o = out._ptr + n * P * Co * 4;
        k.conv_nhwc_gemm_f32(o, x._ptr + n * s0 * 4, w._ptr, H, W, C, s1, s2, s3, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, Wo, Co, 0, P, scratch);
        if (epilogue) k.linear_epilogue_f32(o, bp, P, Co, act);
      }
    } finally { heap.release(scratch, pb); }
    return;
  }
  const sb = Math.max(k.matmul_f32_scratch_bytes(rows, Co, K), k.matmul_f32_scratch_bytes(last, Co, K)), cb = rows * K * 4;
  const cols = heap.alloc(cb), scratch = heap.alloc(sb);
  try {
    for (let r0 = 0; r0 < M; r0 += rows) {
      const r1 = Math.min(M, r0 + rows);
      im2colRows(cols, x, kh, kw, g, Ho, Wo, r0, r1);
      k.matmul_f32(out._ptr + r0 * Co * 4, cols, w._ptr, r1 - r0, Co, K, K, 1, Co, 1, Co, 0, r1 - r0, scratch);
      if (epilogue) k.linear_epilogue_f32(out._ptr + r0 * Co * 4, bp, r1 - r0, Co, act);
    }
  } finally {
    heap.release(scratch, sb);
    heap.release(cols, cb);
  }
}

/** dx [N, H, W, C] of conv2dNhwc from dy [N, Ho, Wo, Co] and w [kh, kw, C, Co]. */
function inputGradK(dy0: Tensor, w0: Tensor, g: NhwcGeom, xShape: number[]): Tensor {
  const [N, H, W, C] = xShape, [kh, kw, , Co] = w0.shape, [, Ho, Wo] = dy0.shape;
  const dx = Tensor._empty(xShape);
  const k = getBackend().k;
  if (dx.size === 0) return dx;
  const K = kh * kw * C, P = Ho * Wo, M = N * P;
  if (M === 0 || Co === 0) { k.fill_32(dx._ptr, 0, dx.size); return dx; }
  withContiguous(dy0, (dy) => withContiguous(w0, (w) => {
    if (isPointwise(kh, kw, g)) {
      // dx [M, C] = dy [M, Co] · Wᵀ (W is [C, Co]).
      const sb = k.matmul_f32_scratch_bytes(M, C, Co);
      withHeap([sb], ([scratch]) => k.matmul_f32(dx._ptr, dy._ptr, w._ptr, M, C, Co, Co, 1, 1, Co, C, 0, M, scratch));
      return;
    }
    k.fill_32(dx._ptr, 0, dx.size);
    const rows = chunkRows(M, K), last = M - Math.floor((M - 1) / rows) * rows;
    const sb = Math.max(k.matmul_f32_scratch_bytes(rows, K, Co), k.matmul_f32_scratch_bytes(last, K, Co));
    withHeap([rows * K * 4, sb], ([cols, scratch]) => {
      for (let r0 = 0; r0 < M; r0 += rows) {
        const r1 = Math.min(M, r0 + rows);
        k.matmul_f32(cols, dy._ptr + r0 * Co * 4, w._ptr, r1 - r0, K, Co, Co, 1, 1, Co, K, 0, r1 - r0, scratch);
        for (let n = Math.floor(r0 / P); n * P < r1; n++) {
          const p0 = Math.max(r0 - n * P, 0), p1 = Math.min(r1 - n * P, P);
          k.col2im_nhwc_f32(dx._ptr + n * H * W * C * 4, cols + (n * P + p0 - r0) * K * 4, H, W, C, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, Wo, p0, p1);
        }
      }
    });
  }));
  return dx;
}

/** dw [kh, kw, C, Co] of conv2dNhwc from x [N, H, W, C] and dy [N, Ho, Wo, Co]. */
function weightGradK(x: Tensor, dy0: Tensor, g: NhwcGeom, wShape: number[]): Tensor {
  const [kh, kw, C, Co] = wShape, [N, Ho, Wo] = dy0.shape;
  const dw = Tensor._empty(wShape);
  const k = getBackend().k;
  const K = kh * kw * C, M = N * Ho * Wo;
  if (dw.size === 0) return dw;
  if (M === 0) { k.fill_32(dw._ptr, 0, dw.size); return dw; }
  withContiguous(dy0, (dy) => {
    const rs = isPointwise(kh, kw, g) ? pixelStride(x) : null;
    if (rs !== null) {
      // dw [C, Co] = xᵀ [C, M] · dy [M, Co].
      const sb = k.matmul_f32_scratch_bytes(C, Co, M);
      withHeap([sb], ([scratch]) => k.matmul_f32(dw._ptr, x._ptr, dy._ptr, C, Co, M, x.strides[3], rs, Co, 1, Co, 0, C, scratch));
      return;
    }
    const P = Ho * Wo;
    if (C === 1 && g.sw === 1 && x.strides[2] === 1) {
      // One channel, horizontal stride 1: the direct kernel over dy packed in 4-pixel groups.
      const G = Wo >> 2, pb = Math.max(Ho * G * Co * 16, 4), [, H, W] = x.shape;
      k.fill_32(dw._ptr, 0, dw.size);
      withHeap([pb], ([dyP]) => {
        for (let n = 0; n < N; n++) {
          const d = dy._ptr + n * P * Co * 4;
          k.wgrad_nhwc_c1_f32(dw._ptr, x._ptr + n * x.strides[0] * 4, dyP, d, H, W, x.strides[1], Co, kh, kw, g.sh, g.pt, g.pl, g.dh, g.dw, Ho, Wo);
        }
      });
      return;
    }
    if (C === 1) {
      // One channel: x is also NCHW, so the NCHW im2col builds colsᵀ [K, images*P] from long
      // contiguous runs (image rows), and colsᵀ is a row-major GEMM operand.
      const nb = Math.max(1, Math.min(N, Math.floor(COLS_BYTES / (K * P * 4)))), lastL = (N - Math.floor((N - 1) / nb) * nb) * P;
      const sb = Math.max(k.matmul_f32_scratch_bytes(K, Co, nb * P), k.matmul_f32_scratch_bytes(K, Co, lastL));
      withHeap([nb * P * K * 4, N > nb ? K * Co * 4 : 0, sb], ([cols, tmp, scratch]) => {
        const [s0, s1, s2, s3] = x.strides, [, H, W] = x.shape;
        for (let n0 = 0; n0 < N; n0 += nb) {
          const m = Math.min(nb, N - n0), L = m * P;
          for (let i = 0; i < m; i++) {
            k.im2col_f32(cols + i * P * 4, x._ptr + (n0 + i) * s0 * 4, 1, H, W, s3, s1, s2, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, Ho, Wo, L);
          }
          k.matmul_f32(n0 === 0 ? dw._ptr : tmp, cols, dy._ptr + n0 * P * Co * 4, K, Co, L, L, 1, Co, 1, Co, 0, K, scratch);
          if (n0 > 0) k.binary_f32(B.add, dw._ptr, dw._ptr, tmp, 1, 1, 1, K * Co, 0, 0, 0, 1, 0, 0, 0, 1);
        }
      });
      return;
    }
    const rows = chunkRows(M, K), last = M - Math.floor((M - 1) / rows) * rows;
    const sb = Math.max(k.matmul_f32_scratch_bytes(K, Co, rows), k.matmul_f32_scratch_bytes(K, Co, last));
    withHeap([rows * K * 4, M > rows ? K * Co * 4 : 0, sb], ([cols, tmp, scratch]) => {
      for (let r0 = 0; r0 < M; r0 += rows) {
        const r1 = Math.min(M, r0 + rows);
        im2colRows(cols, x, kh, kw, g, Ho, Wo, r0, r1);
        // [K, Co] += colsᵀ · dy rows: cols read transposed through strides.
        k.matmul_f32(r0 === 0 ? dw._ptr : tmp, cols, dy._ptr + r0 * Co * 4, K, Co, r1 - r0, 1, K, Co, 1, Co, 0, K, scratch);
        if (r0 > 0) k.binary_f32(B.add, dw._ptr, dw._ptr, tmp, 1, 1, 1, K * Co, 0, 0, 0, 1, 0, 0, 0, 1);
      }
    });
  });
  return dw;
}

const convOp: OpDef<NhwcGeom> = defineOp<NhwcGeom>({
  name: 'conv2dNhwc',
  forward: ([x, w, b], g) => forwardK(x, w, b, g, L.none),
  save: ([x, w]) => [x, w],
  backward: ({ inputs, saved: [x, w], attrs }, dy) => [
    () => run(inputGradOp, [dy, w], { ...attrs, shape: [...x.shape] }),
    () => run(weightGradOp, [x, dy], { ...attrs, shape: [...w.shape] }),
    ...(inputs.length > 2 ? [() => sum(dy, [0, 1, 2])] : []),
  ],
});

const inputGradOp: OpDef<GradAttrs> = defineOp<GradAttrs>({
  name: 'conv2dNhwcInputGrad',
  forward: ([dy, w], a) => inputGradK(dy, w, a, a.shape),
  save: ([dy, w]) => [dy, w],
  backward: ({ saved: [dy, w], attrs: { shape, ...g } }, gx) => [
    () => run(convOp, [gx, w], g),
    () => run(weightGradOp, [gx, dy], { ...g, shape: [...w.shape] }),
  ],
});

const weightGradOp: OpDef<GradAttrs> = defineOp<GradAttrs>({
  name: 'conv2dNhwcWeightGrad',
  forward: ([x, dy], a) => weightGradK(x, dy, a, a.shape),
  save: ([x, dy]) => [x, dy],
  backward: ({ saved: [x, dy], attrs: { shape, ...g } }, gw) => [
    () => run(inputGradOp, [dy, gw], { ...g, shape: [...x.shape] }),
    () => run(convOp, [x, gw], g),
  ],
});

function checkTensor(op: string, name: string, t: Tensor): void {
  check(t?._isTensor, op, () => `${name} must be a tensor, got ${t === null ? 'null' : typeof t}`);
  t._assertLive(op);
  check(t.dtype === 'float32', op, () => `${name} must be float32, got ${t.dtype}`);
}

const intAtLeast = (v: number, min: number): boolean => Number.isInteger(v) && v >= min;

function checkGeom(op: string, g: NhwcGeom): void {
  check(g !== null && typeof g === 'object' && intAtLeast(g.sh, 1) && intAtLeast(g.sw, 1) && intAtLeast(g.dh, 1) && intAtLeast(g.dw, 1)
    && intAtLeast(g.pt, 0) && intAtLeast(g.pb, 0) && intAtLeast(g.pl, 0) && intAtLeast(g.pr, 0), op, () =>
    `expected integer strides and dilation >= 1 and paddings >= 0, got ${JSON.stringify(g)}`);
}

/** Validates x [N, H, W, C] against a kernel of shape wShape [kh, kw, C, Co]; returns [Ho, Wo]. */
function checkShapes(op: string, xShape: readonly number[], wShape: readonly number[], g: NhwcGeom): [number, number] {
  check(xShape.length === 4, op, () => `expected a 4-D input [N, H, W, C] (channels last), got shape ${fmtShape(xShape)}`);
  check(wShape.length === 4, op, () => `expected a 4-D kernel [kh, kw, in, out], got shape ${fmtShape(wShape)}`);
  const [, H, W, C] = xShape, [kh, kw, Ci] = wShape;
  check(Ci === C, op, () => `kernel ${fmtShape(wShape)} expects ${Ci} input channels, got input ${fmtShape(xShape)} with ${C}`);
  check(H + g.pt + g.pb >= g.dh * (kh - 1) + 1 && W + g.pl + g.pr >= g.dw * (kw - 1) + 1, op, () =>
    `kernel size (${kh}, ${kw}) with dilation (${g.dh}, ${g.dw}) is larger than the padded input (${H + g.pt + g.pb}, ${W + g.pl + g.pr}) of input ${fmtShape(xShape)}`);
  return [convOut(H, kh, g.sh, g.pt, g.pb, g.dh), convOut(W, kw, g.sw, g.pl, g.pr, g.dw)];
}

export interface Conv2dNhwcOptions {
  /** Applied after the bias; fused into the kernel when nothing is recorded (default 'linear'). */
  activation?: FusedActivation;
  /** Op name for errors (the caller's, e.g. a layer name). */
  op?: string;
}

/**
 * Channels-last 2-D convolution (cross-correlation, as tf.conv2d): x [N, H, W, Cin], kernel
 * [kh, kw, Cin, Cout] (Keras' layout), bias [Cout] or null, explicit per-side padding (TF's
 * asymmetric 'same' pads come from the caller) -> act(y + bias) [N, Ho, Wo, Cout].
 * @example
 * const y = conv2dNhwc(x, kernel, bias, { sh: 1, sw: 1, pt: 1, pb: 1, pl: 1, pr: 1, dh: 1, dw: 1 }, { activation: 'relu' });
 */
export function conv2dNhwc(x: Tensor, weight: Tensor, bias: Tensor | null, g: NhwcGeom, { activation = 'linear', op = 'conv2dNhwc' }: Conv2dNhwcOptions = {}): Tensor {
  checkTensor(op, 'input', x);
  checkTensor(op, 'kernel', weight);
  if (bias !== null && bias !== undefined) checkTensor(op, 'bias', bias);
  checkGeom(op, g);
  checkShapes(op, x.shape, weight.shape, g);
  const Co = weight.shape[3];
  if (bias) check(bias.ndim === 1 && bias.shape[0] === Co, op, () => `bias must have shape [${Co}], got ${fmtShape(bias.shape)}`);
  check(Object.prototype.hasOwnProperty.call(ACT, activation), op, () => `unknown activation '${activation}' (expected one of ${Object.keys(ACT).join(', ')})`);
  const recording = isGradEnabled() && (x.requiresGrad || weight.requiresGrad || (!!bias && bias.requiresGrad));
  if (!recording) return forwardK(x, weight, bias, g, ACT[activation]);
  const y = run(convOp, bias ? [x, weight, bias] : [x, weight], g);
  const f = APPLY[activation];
  if (f === null) return y;
  const r = f(y);
  y.dispose();
  return r;
}

/** The gradient of conv2dNhwc with respect to an input of shape xShape (as torch.nn.grad.conv2d_input). */
export function conv2dNhwcInput(xShape: readonly number[], weight: Tensor, gradOutput: Tensor, g: NhwcGeom, op = 'conv2dNhwcInput'): Tensor {
  checkTensor(op, 'kernel', weight);
  checkTensor(op, 'gradOutput', gradOutput);
  checkGeom(op, g);
  check(Array.isArray(xShape) && xShape.every((d) => Number.isInteger(d) && d >= 0), op, () => `xShape must be a list of sizes, got ${JSON.stringify(xShape)}`);
  const [Ho, Wo] = checkShapes(op, xShape, weight.shape, g);
  const want = [xShape[0], Ho, Wo, weight.shape[3]];
  check(gradOutput.ndim === 4 && gradOutput.shape.every((d, i) => d === want[i]), op, () => `gradOutput must have shape ${fmtShape(want)}, got ${fmtShape(gradOutput.shape)}`);
  return run(inputGradOp, [gradOutput, weight], { ...g, shape: [...xShape] });
}

/** The gradient of conv2dNhwc with respect to a kernel of shape wShape (as torch.nn.grad.conv2d_weight). */
export function conv2dNhwcWeight(x: Tensor, wShape: readonly number[], gradOutput: Tensor, g: NhwcGeom, op = 'conv2dNhwcWeight'): Tensor {
  checkTensor(op, 'input', x);
  checkTensor(op, 'gradOutput', gradOutput);
  checkGeom(op, g);
  check(Array.isArray(wShape) && wShape.every((d) => Number.isInteger(d) && d >= 0), op, () => `wShape must be a list of sizes, got ${JSON.stringify(wShape)}`);
  const [Ho, Wo] = checkShapes(op, x.shape, wShape, g);
  const want = [x.shape[0], Ho, Wo, wShape[3]];
  check(gradOutput.ndim === 4 && gradOutput.shape.every((d, i) => d === want[i]), op, () => `gradOutput must have shape ${fmtShape(want)}, got ${fmtShape(gradOutput.shape)}`);
  return run(weightGradOp, [x, gradOutput], { ...g, shape: [...wShape] });
}
