// The seam between tensors and kernels: validate nothing (ops did), allocate the output, call
// the kernel with pointers. Nothing here records autograd. Outputs are new contiguous tensors.
import { getBackend } from './load';
import { B, C, L, R } from './exports';
import { Tensor } from '../tensor';
import type { DType } from '../dtype';
import { collapse, contiguousStrides, sizeOf } from '../shape';

const k = () => getBackend().k;
/** One float32 and its bit pattern (fill_32 takes the bits): reused, not allocated per fill. */
const f32Bits = new Float32Array(1), i32Bits = new Int32Array(f32Bits.buffer);

/**
 * Calls `fn` once per 4-d block covering `shape`, with element offsets of each operand and their
 * collapsed [d0..d3] dims and strides. Rank above 4 after collapsing splits the leading dim.
 */
export function forBlocks(shape: readonly number[], strides: readonly (readonly number[])[], offsets: number[],
  fn: (offsets: number[], dims: number[], strides: number[][]) => void): void {
  const c = collapse(shape, strides);
  if (c) { fn(offsets, c.dims, c.strides); return; }
  for (let i = 0; i < shape[0]; i++) {
    forBlocks(shape.slice(1), strides.map((s) => s.slice(1)), offsets.map((o, j) => o + i * strides[j][0]), fn);
  }
}

/** dst[...] = src[...] for equal shapes (src may have stride-0 dims); dst may be any view. */
export function copyInto(dst: Tensor, src: Tensor): void {
  if (dst.size === 0) return;
  const kk = k();
  forBlocks(dst.shape, [dst.strides, src.strides], [dst.offset, src.offset], (o, d, s) => {
    kk.copy_strided_32(dst._storage.ptr + o[0] * 4, src._storage.ptr + o[1] * 4, d[0], d[1], d[2], d[3],
      s[0][0], s[0][1], s[0][2], s[0][3], s[1][0], s[1][1], s[1][2], s[1][3]);
  });
}

/** A fresh contiguous copy of any view. */
export function copyK(x: Tensor, dtype: DType = x.dtype): Tensor {
  const out = Tensor._empty(x.shape, dtype);
  copyInto(out, x);
  return out;
}

/** Runs fn on a contiguous version of x (x itself when it already is), freeing any copy. */
export function withContiguous<T>(x: Tensor, fn: (c: Tensor) => T): T {
  if (x.isContiguous()) return fn(x);
  const c = copyK(x);
  try { return fn(c); } finally { c.dispose(); }
}

export function fillK(out: Tensor, value: number): Tensor {
  let bits = value | 0;
  if (out.dtype === 'float32') { f32Bits[0] = value; bits = i32Bits[0]; }
  k().fill_32(out._ptr, bits, out.size);
  return out;
}

export function unaryK(code: number, x: Tensor, alpha = 0): Tensor {
  return withContiguous(x, (c) => {
    const out = Tensor._empty(x.shape, 'float32');
    k().unary_f32(code, out._ptr, c._ptr, x.size, alpha);
    return out;
  });
}

/** Elementwise a (op) b for equal shapes (either may be a stride-0 expanded view). */
/** One element seen everywhere: every stride 0 (a scalar expanded to a shape). */
const isSplat = (t: Tensor): boolean => t.strides.every((s) => s === 0);

export function binaryK(kind: 'f32' | 'i32' | 'cmp_f32' | 'cmp_i32', code: number, a: Tensor, b: Tensor): Tensor {
  const dtype: DType = kind === 'f32' ? 'float32' : kind === 'i32' ? 'int32' : 'bool';
  const out = Tensor._empty(a.shape, dtype);
  if (out.size === 0) return out;
  const kk = k();
  const fn = kind === 'f32' ? kk.binary_f32 : kind === 'i32' ? kk.binary_i32 : kind === 'cmp_f32' ? kk.compare_f32 : kk.compare_i32;
  const pa = a._storage.ptr, pb = b._storage.ptr;
  // Common layouts skip the generic collapse (arrays and closures per call): equal contiguous
  // operands as one flat run, and any rank-2 pair (a [M, N] + [N] bias row) as it is.
  const aFlat = a.isContiguous(), bFlat = b.isContiguous();
  if (aFlat && bFlat) {
    fn(code, out._ptr, a._ptr, b._ptr, 1, 1, 1, out.size, 0, 0, 0, 1, 0, 0, 0, 1);
    return out;
  }
  // x (op) scalar, the scalar expanded to x's shape (all strides 0): one flat run, its stride 0.
  if (aFlat && isSplat(b)) {
    fn(code, out._ptr, a._ptr, b._ptr, 1, 1, 1, out.size, 0, 0, 0, 1, 0, 0, 0, 0);
    return out;
  }
  if (bFlat && isSplat(a)) {
    fn(code, out._ptr, a._ptr, b._ptr, 1, 1, 1, out.size, 0, 0, 0, 0, 0, 0, 0, 1);
    return out;
  }
  if (a.ndim === 2) {
    const [as0, as1] = a.strides, [bs0, bs1] = b.strides;
    fn(code, out._ptr, a._ptr, b._ptr, 1, 1, a.shape[0], a.shape[1], 0, 0, as0, as1, 0, 0, bs0, bs1);
    return out;
  }
  forBlocks(a.shape, [out.strides, a.strides, b.strides], [0, a.offset, b.offset], (o, d, s) => {
    fn(code, out._ptr + o[0] * 4, pa + o[1] * 4, pb + o[2] * 4, d[0], d[1], d[2], d[3],
      s[1][0], s[1][1], s[1][2], s[1][3], s[2][0], s[2][1], s[2][2], s[2][3]);
  });
  return out;
}

export function castK(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype || (x.dtype !== 'float32' && dtype !== 'float32' && dtype !== 'bool')) return copyK(x, dtype);
  return withContiguous(x, (c) => {
    const out = Tensor._empty(x.shape, dtype);
    if (dtype === 'float32') k().cast_i32_f32(out._ptr, c._ptr, x.size);
    else if (dtype === 'int32') k().cast_f32_i32(out._ptr, c._ptr, x.size);
    else { // to bool: x != 0
      const zero = fillK(Tensor._empty([], x.dtype), 0);
      const z = zero._view(x.shape, x.shape.map(() => 0), 0);
      const r = binaryK(x.dtype === 'float32' ? 'cmp_f32' : 'cmp_i32', C.ne, c, z);
      z.dispose(); zero.dispose(); out.dispose();
      return r;
    }
    return out;
  });
}

/**
 * Reduces x over `dims` (sorted, non-negative). Output shape keeps reduced dims as size 1.
 * Reduced dims that are not one contiguous run are moved last by a copy first.
 */
export function reduceK(op: keyof typeof R, x: Tensor, dims: number[]): Tensor {
  const keepShape = x.shape.map((d, i) => (dims.includes(i) ? 1 : d));
  const run = dims.length === 0 || dims[dims.length - 1] - dims[0] === dims.length - 1;
  let src = x;
  let outer: number, len: number, inner: number;
  if (run && x.isContiguous()) {
    const a = dims.length ? dims[0] : x.ndim, b = dims.length ? dims[dims.length - 1] + 1 : x.ndim;
    outer = sizeOf(x.shape.slice(0, a)); len = sizeOf(x.shape.slice(a, b)); inner = sizeOf(x.shape.slice(b));
  } else {
    const keepDims = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
    const perm = [...keepDims, ...dims];
    const pv = x._view(perm.map((p) => x.shape[p]), perm.map((p) => x.strides[p]), x.offset);
    src = copyK(pv);
    pv.dispose();
    outer = sizeOf(keepDims.map((i) => x.shape[i])); len = sizeOf(dims.map((i) => x.shape[i])); inner = 1;
  }
  const out = Tensor._empty(keepShape, x.dtype === 'float32' ? 'float32' : 'int32');
  if (x.dtype === 'float32') k().reduce_f32(R[op], out._ptr, src._ptr, outer, len, inner);
  else k().reduce_i32(R[op], out._ptr, src._ptr, outer, len, inner);
  if (src !== x) src.dispose();
  return out;
}

/** argmax (isMin false) / argmin along one dim; output keeps the dim as size 1 (int32). */
export function argK(isMin: boolean, x: Tensor, dim: number): Tensor {
  return withContiguous(x, (c) => {
    const out = Tensor._empty(x.shape.map((d, i) => (i === dim ? 1 : d)), 'int32');
    k().argreduce_f32(isMin ? 1 : 0, out._ptr, c._ptr, sizeOf(x.shape.slice(0, dim)), x.shape[dim], sizeOf(x.shape.slice(dim + 1)));
    return out;
  });
}

/** softmax / logSoftmax along the last dim of a contiguous copy. */
export function softmaxLastK(log: boolean, x: Tensor): Tensor {
  return withContiguous(x, (c) => {
    const out = Tensor._empty(x.shape, 'float32');
    const cols = x.shape[x.ndim - 1] ?? 1;
    if (out.size > 0) k().softmax_f32(log ? 1 : 0, out._ptr, c._ptr, out.size / cols, cols);
    return out;
  });
}

/** Batched a [..., M, K] x b [..., K, N] with equal batch dims; any strides (transposes free). */
export function matmulK(a: Tensor, b: Tensor): Tensor {
  const r = a.ndim;
  const M = a.shape[r - 2], K = a.shape[r - 1], N = b.shape[r - 1];
  const batch = a.shape.slice(0, r - 2);
  const out = Tensor._empty([...batch, M, N], 'float32');
  if (out.size === 0) return out;
  const { k: kk, heap } = getBackend();
  const scratchBytes = kk.matmul_f32_scratch_bytes(M, N, K);
  const scratch = scratchBytes > 0 ? heap.alloc(scratchBytes) : 0;
  const nb = sizeOf(batch);
  const bStr = contiguousStrides(batch);
  for (let i = 0; i < nb; i++) {
    let oa = a.offset, ob = b.offset;
    for (let d = 0; d < batch.length; d++) {
      const idx = Math.floor(i / bStr[d]) % batch[d];
      oa += idx * a.strides[d]; ob += idx * b.strides[d];
    }
    kk.matmul_f32(out._ptr + i * M * N * 4, a._storage.ptr + oa * 4, b._storage.ptr + ob * 4, M, N, K,
      a.strides[r - 2], a.strides[r - 1], b.strides[r - 2], b.strides[r - 1], N, 0, M, scratch);
  }
  if (scratchBytes > 0) heap.release(scratch, scratchBytes);
  return out;
}

/**
 * act(x·W + bias): the GEMM (matmul_f32, through the export table, so a worker pool may split its
 * rows), then bias and activation in place in one epilogue call. x [M, K] with element strides
 * xRow, xCol; W [K, N] with wRow, wCol (a [N, K] weight passes wRow = 1, wCol = K); bias
 * contiguous [N] or null; act: L.*. The output is a new contiguous tensor of `outShape` (M·N elements).
 */
export function linearK(x: Tensor, M: number, K: number, xRow: number, xCol: number,
  w: Tensor, N: number, wRow: number, wCol: number, bias: Tensor | null, act: number, outShape: readonly number[]): Tensor {
  const out = Tensor._empty(outShape, 'float32');
  if (M === 0 || N === 0) return out;
  const { k: kk, heap } = getBackend();
  const scratchBytes = kk.matmul_f32_scratch_bytes(M, N, K);
  const scratch = heap.alloc(scratchBytes);
  kk.matmul_f32(out._ptr, x._ptr, w._ptr, M, N, K, xRow, xCol, wRow, wCol, N, 0, M, scratch);
  heap.release(scratch, scratchBytes);
  if (bias !== null || act !== L.none) kk.linear_epilogue_f32(out._ptr, bias === null ? 0 : bias._ptr, M, N, act);
  return out;
}

/** cond ? a : b for equal shapes (any layouts); the output starts as a copy of a. */
export function whereK(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const out = copyK(a);
  withContiguous(cond, (c) => withContiguous(b, (cb) => k().where_32(out._ptr, c._ptr, out._ptr, cb._ptr, out.size)));
  return out;
}

/** [min, max] of an int32 tensor (size > 0). */
export function minmaxI32(x: Tensor): [number, number] {
  return withContiguous(x, (c) => {
    const { k: kk, heap } = getBackend();
    const p = heap.alloc(8);
    kk.minmax_i32(p, c._ptr, x.size);
    const i32 = heap.i32();
    const r: [number, number] = [i32[p >> 2], i32[(p >> 2) + 1]];
    heap.release(p, 8);
    return r;
  });
}

export function allFinite(x: Tensor): boolean {
  return withContiguous(x, (c) => k().all_finite_f32(c._ptr, x.size) === 1);
}

export { B, C, L, R };
