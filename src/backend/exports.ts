// The TypeScript type of the kernel module's exports (assembly/index.ts). Every argument is a
// number: byte pointers, counts, op codes, f32 hyperparameters. A test checks this list against
// the real instance exports.

type P = number;
type Bin = (op: number, out: P, a: P, b: P, d0: number, d1: number, d2: number, d3: number,
  a0: number, a1: number, a2: number, a3: number, b0: number, b1: number, b2: number, b3: number) => void;
type Axis = (out: P, x: P, idx: P, outer: number, axisLen: number, nIdx: number, inner: number) => void;

export interface Kernels {
  heapBase(): number;
  unary_f32(op: number, out: P, x: P, n: number, alpha: number): void;
  binary_f32: Bin;
  binary_i32: Bin;
  compare_f32: Bin;
  compare_i32: Bin;
  reduce_f32(op: number, out: P, x: P, outer: number, len: number, inner: number): void;
  reduce_i32(op: number, out: P, x: P, outer: number, len: number, inner: number): void;
  argreduce_f32(isMin: number, out: P, x: P, outer: number, len: number, inner: number): void;
  prod_others_f32(out: P, x: P, rows: number, len: number): void;
  minmax_i32(out: P, x: P, n: number): void;
  all_finite_f32(x: P, n: number): number;
  softmax_f32(log: number, out: P, x: P, rows: number, cols: number): void;
  copy_strided_32(out: P, x: P, d0: number, d1: number, d2: number, d3: number,
    o0: number, o1: number, o2: number, o3: number, s0: number, s1: number, s2: number, s3: number): void;
  fill_32(out: P, bits: number, n: number): void;
  cast_i32_f32(out: P, x: P, n: number): void;
  cast_f32_i32(out: P, x: P, n: number): void;
  where_32(out: P, cond: P, a: P, b: P, n: number): void;
  index_select_32: Axis;
  index_add_f32: Axis;
  gather_32: Axis;
  scatter_add_f32: Axis;
  one_hot_f32(out: P, labels: P, rows: number, classes: number, on: number, off: number): void;
  matmul_f32(out: P, a: P, b: P, M: number, N: number, K: number, aRow: number, aCol: number,
    bRow: number, bCol: number, ldc: number, rowStart: number, rowEnd: number, scratch: P): void;
  matmul_f32_scratch_bytes(M: number, N: number, K: number): number;
  rand_uniform_f32(out: P, n: number, state: P, low: number, high: number): void;
  rand_normal_f32(out: P, n: number, state: P, mean: number, std: number): void;
  rand_int_i32(out: P, n: number, state: P, low: number, high: number): void;
  dropout_mask_f32(out: P, n: number, state: P, p: number, scale: number): void;
  u8_to_f32_scaled(out: P, x: P, n: number, scale: number): void;
  u8_to_i32(out: P, x: P, n: number): void;
  sgd_f32(param: P, grad: P, buf: P, n: number, lr: number, momentum: number, dampC: number, weightDecay: number, flags: number): void;
  adam_f32(param: P, grad: P, m: P, v: P, vmax: P, n: number, omb1: number, beta2: number, omb2: number, eps: number,
    weightDecay: number, decay: number, stepSize: number, bc2Sqrt: number, flags: number): void;
  adagrad_f32(param: P, grad: P, sum: P, n: number, clr: number, weightDecay: number, eps: number, flags: number): void;
  rmsprop_f32(param: P, grad: P, sq: P, ga: P, buf: P, n: number, lr: number, alpha: number, oma: number, eps: number,
    weightDecay: number, momentum: number, flags: number): void;
  scale_inplace_f32(x: P, n: number, s: number): void;
  clamp_inplace_f32(x: P, n: number, lo: number, hi: number): void;
  im2col_f32(cols: P, x: P, C: number, H: number, W: number, sC: number, sH: number, sW: number, kh: number, kw: number,
    sh: number, sw: number, padT: number, padL: number, dh: number, dw: number, Ho: number, Wo: number, ld: number): void;
  col2im_f32(x: P, cols: P, C: number, H: number, W: number, kh: number, kw: number,
    sh: number, sw: number, padT: number, padL: number, dh: number, dw: number, Ho: number, Wo: number, ld: number): void;
  channel_bias_add_f32(x: P, bias: P, N: number, C: number, P: number): void;
  /** kind: DW.forward (y, x, w), DW.inputGrad (dx, dy, w), DW.weightGrad (dw += , x, dy) over N×C planes. */
  depthwise_planes_f32(kind: number, a: P, b: P, c: P, N: number, C: number, H: number, W: number, kh: number, kw: number,
    sh: number, sw: number, padT: number, padL: number, dh: number, dw: number, Ho: number, Wo: number): void;
  maxpool2d_f32(out: P, idx: P, x: P, NC: number, H: number, W: number, Ho: number, Wo: number,
    kh: number, kw: number, sh: number, sw: number, padT: number, padL: number, dh: number, dw: number): void;
  avgpool2d_f32(out: P, x: P, NC: number, H: number, W: number, Ho: number, Wo: number, kh: number, kw: number,
    sh: number, sw: number, padT: number, padB: number, padL: number, padR: number, countIncludePad: number, divisorOverride: number): void;
  avgpool2d_bwd_f32(dx: P, dy: P, NC: number, H: number, W: number, Ho: number, Wo: number, kh: number, kw: number,
    sh: number, sw: number, padT: number, padB: number, padL: number, padR: number, countIncludePad: number, divisorOverride: number): void;
  adaptive_avgpool2d_f32(out: P, x: P, NC: number, H: number, W: number, Ho: number, Wo: number, bwd: number): void;
  upsample_nearest2d_f32(out: P, x: P, NC: number, H: number, W: number, Ho: number, Wo: number, mapH: P, mapW: P, bwd: number): void;
  lstm_cell_f32(hc: P, act: P, xg: P, hg: P, cPrev: P, cStride: number, B: number, H: number, order: number): void;
  lstm_cell_bwd_f32(dz: P, dcPrev: P, dhc: P, dhcStride: number, act: P, hc: P, cPrev: P, cStride: number, B: number, H: number, order: number): void;
  lstm_seq_f32(out: P, gx: P, wh: P, whRow: number, whCol: number, h0: P, h0Row: number, c0: P, c0Row: number,
    T: number, B: number, H: number, order: number, reverse: number, hg: P, act: P, scratch: P): void;
  linear_epilogue_f32(out: P, bias: P, rows: number, cols: number, act: number): void;
  im2col_nhwc_f32(cols: P, x: P, H: number, W: number, C: number, sH: number, sW: number, sC: number, kh: number, kw: number,
    sh: number, sw: number, padT: number, padL: number, dh: number, dw: number, Wo: number, p0: number, p1: number): void;
  col2im_nhwc_f32(dx: P, cols: P, H: number, W: number, C: number, kh: number, kw: number,
    sh: number, sw: number, padT: number, padL: number, dh: number, dw: number, Wo: number, p0: number, p1: number): void;
  maxpool_nhwc_f32(out: P, idx: P, x: P, N: number, H: number, W: number, C: number, Ho: number, Wo: number,
    kh: number, kw: number, sh: number, sw: number, padT: number, padL: number, dh: number, dw: number): void;
  avgpool_nhwc_f32(out: P, x: P, N: number, H: number, W: number, C: number, Ho: number, Wo: number, kh: number, kw: number,
    sh: number, sw: number, padT: number, padB: number, padL: number, padR: number, countIncludePad: number, bwd: number): void;
  conv_nhwc_c1_f32(out: P, x: P, w: P, bias: P, H: number, W: number, sH: number, Co: number, kh: number, kw: number,
    sh: number, padT: number, padL: number, dh: number, dw: number, Wo: number, oh0: number, oh1: number, relu: number): void;
  wgrad_nhwc_c1_f32(dw: P, x: P, dyP: P, dy: P, H: number, W: number, sH: number, Co: number, kh: number, kw: number,
    sh: number, padT: number, padL: number, dh: number, dwl: number, Ho: number, Wo: number): void;
  conv_nhwc_gemm_scratch_bytes(K: number, Co: number): number;
  argsort_f32(idx: P, x: P, outer: number, len: number, inner: number, desc: number, scratch: P): void;
  cumsum_f32(out: P, x: P, outer: number, len: number, inner: number, reverse: number): void;
  conv_nhwc_gemm_f32(out: P, x: P, w: P, H: number, W: number, C: number, sH: number, sW: number, sC: number, kh: number, kw: number,
    sh: number, sw: number, padT: number, padL: number, dh: number, dw: number, Wo: number, Co: number, p0: number, p1: number, scratch: P): void;
}

/** Names the host calls; the ABI test checks each is a function export of the module. */
export const KERNEL_NAMES: readonly (keyof Kernels)[] = [
  'heapBase', 'unary_f32', 'binary_f32', 'binary_i32', 'compare_f32', 'compare_i32', 'reduce_f32',
  'reduce_i32', 'argreduce_f32', 'prod_others_f32', 'minmax_i32', 'all_finite_f32', 'softmax_f32',
  'copy_strided_32', 'fill_32', 'cast_i32_f32', 'cast_f32_i32', 'where_32', 'index_select_32',
  'index_add_f32', 'gather_32', 'scatter_add_f32', 'one_hot_f32', 'matmul_f32', 'matmul_f32_scratch_bytes',
  'rand_uniform_f32', 'rand_normal_f32', 'rand_int_i32', 'dropout_mask_f32',
  'u8_to_f32_scaled', 'u8_to_i32',
  'sgd_f32', 'adam_f32', 'adagrad_f32', 'rmsprop_f32', 'scale_inplace_f32', 'clamp_inplace_f32',
  'im2col_f32', 'col2im_f32', 'channel_bias_add_f32', 'depthwise_planes_f32',
  'maxpool2d_f32', 'avgpool2d_f32', 'avgpool2d_bwd_f32', 'adaptive_avgpool2d_f32', 'upsample_nearest2d_f32',
  'lstm_cell_f32', 'lstm_cell_bwd_f32', 'lstm_seq_f32',
  'linear_epilogue_f32',
  'im2col_nhwc_f32', 'col2im_nhwc_f32', 'maxpool_nhwc_f32', 'avgpool_nhwc_f32', 'conv_nhwc_c1_f32', 'wgrad_nhwc_c1_f32',
  'conv_nhwc_gemm_scratch_bytes', 'conv_nhwc_gemm_f32', 'argsort_f32', 'cumsum_f32',
];

// Op codes, mirrored from assembly/kernels/*.ts (the ABI test compares them with the module's globals).
export const U = {
  neg: 0, abs: 1, sqrt: 2, rsqrt: 3, exp: 4, log: 5, square: 6, reciprocal: 7, relu: 8, sigmoid: 9,
  tanh: 10, leakyRelu: 11, elu: 12, gelu: 13, softplus: 14, step: 15, sign: 16, leakyGrad: 17,
  eluGrad: 18, geluGrad: 19, floor: 20, ceil: 21, round: 22, log1p: 23, softplusGrad: 24, sin: 25, cos: 26,
} as const;
export const B = { add: 0, sub: 1, mul: 2, div: 3, max: 4, min: 5, pow: 6 } as const;
export const C = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 } as const;
export const R = { sum: 0, max: 1, min: 2, prod: 3 } as const;

/** Flag bits of the optimizer kernels, mirrored from assembly/kernels/optim.ts (OPT_*). */
export const OPT = {
  nesterov: 1, maximize: 2, first: 4, amsgrad: 8, decoupled: 16, centered: 32, momentum: 64,
} as const;

/** Activations of linear_epilogue_f32, mirrored from assembly/kernels/linear.ts (L_*). */
export const L = { none: 0, relu: 1, sigmoid: 2, tanh: 3, softmax: 4 } as const;
