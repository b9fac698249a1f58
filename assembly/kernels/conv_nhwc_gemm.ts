// Channels-last convolution as a GEMM whose A operand, the output pixels' im2col rows, is read
// straight from the image: no cols matrix is written and, for most pixels, no A panel is packed.
// For 4 pixels of one output row whose windows lie inside the image (x dense, no horizontal
// dilation), A[r, k] for the k of kernel row i is x at (row h0 + i*dh, the pixel's first column)
// + k - i*run: per k a step of one float, per pixel a step of C*sw floats, and a jump to the next
// kernel row every run = kw*C k's. kernelImage4x8 walks that in one loop (as c1Tile walks its
// taps). Other pixel groups (image edges, groups spanning two output rows, the last < 4 pixels)
// go through im2col_nhwc_f32 into 4 scratch rows, packA and kernel4x8. W [K, Co] (K = kh*kw*C)
// is read in place as gemmDirect does, its last Co % 8 columns packed once. One k block
// (K <= KC_MAX): every output gets the operations of im2col + matmul_f32 in the same order
// (bitwise the same results).
import { MR, NR, madd, kernel4x8, mergeTile } from './matmul_micro';
import { packA, packB } from './matmul_pack';
import { im2col_nhwc_f32 } from './conv_nhwc';

/** The single k block matmul_f32 uses below this K (its KC_MAX). */
// @ts-ignore: decorator
@inline const MAX_K: i32 = 384;
/** W read in place while it stays in L1/L2: at most this many floats (as matmul's DIRECT_B_FLOATS). */
// @ts-ignore: decorator
@inline const MAX_W_FLOATS: i32 = 65536;

// @ts-ignore: decorator
@inline function align64(x: i32): i32 { return (x + 63) & ~63; }

/** Scratch bytes conv_nhwc_gemm_f32 needs for K = kh*kw*C and Co output channels, or 0 when it
 *  does not take these sizes (the host then runs im2col + matmul_f32). */
export function conv_nhwc_gemm_scratch_bytes(K: i32, Co: i32): i32 {
  if (K <= 0 || K > MAX_K || Co <= 0 || K * Co > MAX_W_FLOATS) return 0;
  // C tile, A panel (4 rows), 4 im2col rows, W's last Co % 8 columns as one 8-wide panel.
  return 128 + align64(K * 16) + align64(K * 16) + align64(K * 32);
}

/** kernel4x8 with A read from the image (see the header): C[4, 8] = A[4, K] · B[K, 8], A[r, k]
 *  at a + r*pixBytes + 4k + jumpBytes*floor(k / run); B rows bStride bytes apart; C stored at c,
 *  rows ldcBytes apart. Same operations per output as kernel4x8 on the packed panel. */
function kernelImage4x8(a: usize, pixBytes: usize, run: i32, jumpBytes: usize, K: i32, bp: usize, bStride: usize,
  c: usize, ldcBytes: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const p2 = pixBytes * 2, p3 = pixBytes * 3;
  const end = bp + <usize>K * bStride;
  let j = 0;
  while (bp < end) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a + pixBytes);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a + p2);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a + p3);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    a += 4;
    bp += bStride;
    if (++j == run) { j = 0; a += jumpBytes; }
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldcBytes;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldcBytes;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldcBytes;
  v128.store(c, c30); v128.store(c, c31, 16);
}

/** out[(p - p0)*Co + co] = Σ_k cols[p, k] · w[k*Co + co] for output pixels p in [p0, p1) of one
 *  image; cols as im2col_nhwc_f32 defines it (x read through element strides sH, sW, sC). w is
 *  contiguous [K, Co]; out rows are Co floats apart and must not overlap x or w. scratch: 64-byte
 *  aligned, conv_nhwc_gemm_scratch_bytes(K, Co) (> 0) bytes. Bias and activation are the host's
 *  epilogue. */
export function conv_nhwc_gemm_f32(out: usize, x: usize, w: usize, H: i32, W: i32, C: i32, sH: i32, sW: i32, sC: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32, Wo: i32, Co: i32, p0: i32, p1: i32,
  scratch: usize): void {
  const K = kh * kw * C, run = kw * C;
  const tile = scratch, ap = tile + 128, rows = ap + <usize>align64(K * 16), bp = rows + <usize>align64(K * 16);
  const ldc = <usize>Co << 2;
  const nFull = Co & ~(NR - 1), nTail = Co - nFull;
  if (nTail > 0) packB(bp, w, 0, K, nFull, nTail, Co, 1);
  // Runs of one kernel row are contiguous in x, and the 4 pixels' runs C*sw floats apart.
  const dense = sC == 1 && sW == C && dw == 1;
  const pixBytes = <usize>(C * sw) << 2, jumpBytes = (<usize>(dh * sH) << 2) - (<usize>run << 2);
  for (let p = p0; p < p1; p += MR) {
    const mr = min(MR, p1 - p);
    const oh = p / Wo, ow = p - oh * Wo;
    const h0 = oh * sh - padT, w0 = ow * sw - padL;
    const c = out + <usize>(p - p0) * ldc;
    if (dense && mr == MR && ow + MR <= Wo && h0 >= 0 && h0 + (kh - 1) * dh < H
      && w0 >= 0 && w0 + (MR - 1) * sw + kw - 1 < W) {
      const a = x + (<usize>(h0 * sH + w0 * C) << 2);
      for (let j = 0; j < nFull; j += NR) kernelImage4x8(a, pixBytes, run, jumpBytes, K, w + (<usize>j << 2), ldc, c + (<usize>j << 2), ldc);
      if (nTail > 0) {
        kernelImage4x8(a, pixBytes, run, jumpBytes, K, bp, 32, tile, 32);
        mergeTile(c + (<usize>nFull << 2), ldc, tile, MR, nTail, true);
      }
      continue;
    }
    im2col_nhwc_f32(rows, x, H, W, C, sH, sW, sC, kh, kw, sh, sw, padT, padL, dh, dw, Wo, p, p + mr);
    packA(ap, rows, 0, mr, 0, K, K, 1);
    for (let j = 0; j < nFull; j += NR) {
      if (mr == MR) kernel4x8(ap, w + (<usize>j << 2), ldc, K, c + (<usize>j << 2), ldc, false);
      else {
        kernel4x8(ap, w + (<usize>j << 2), ldc, K, tile, 32, false);
        mergeTile(c + (<usize>j << 2), ldc, tile, mr, NR, true);
      }
    }
    if (nTail > 0) {
      kernel4x8(ap, bp, 32, K, tile, 32, false);
      mergeTile(c + (<usize>nFull << 2), ldc, tile, mr, nTail, true);
    }
  }
}
