// General matrix multiply, f32: C = A·B over strided operands. This file holds the entry points
// and the cache blocking; packing is in matmul_pack.ts, the register-tiled micro-kernel and edge
// tiles in matmul_micro.ts, the small-M / few-row paths in matmul_small.ts.
//
// The structure is BLIS's (see: flame/blis, "BLIS: A Framework for Rapidly Instantiating BLAS
// Functionality", Van Zee & van de Geijn 2015): a KC×NC block of B and an MC×KC block of A are
// copied ("packed") into scratch so the micro-kernel reads both with unit stride, whatever the
// strides of the caller's operands were. Transposed operands therefore cost one strided pass in
// packing and nothing in the O(M·N·K) part.
//
//   for jc in 0..N step NC                       B block: kc × NC    (L3)
//     for pc in 0..K step kc                     kc = K split evenly into pieces ≤ KC_MAX
//       pack B[pc:pc+kc, jc:jc+nc] -> Bp
//       for ic in rowStart..rowEnd step MC       A block: MC × kc    (L2)
//         pack A[ic:ic+mc, pc:pc+kc] -> Ap
//         for jr in 0..nc step NR                B micro-panel: kc × 8 (L1)
//           for ir in 0..mc step MR              4×8 tile of C in 8 f32x4 registers
//
// The 4×8 tile is the largest V8 keeps in registers (8 accumulators, 2 B vectors, 1 A splat; a
// 6×8 tile spills). On a 2-port FMA core it runs at ~95% of the relaxed_madd peak, and at the
// mul + add peak without relaxed SIMD, so the remaining work is in the edges and small shapes:
//
//   - narrow C (N ≤ 64, N mod 8 in 1..4): computed as Cᵀ = Bᵀ·Aᵀ, N on the tile's 4-row side;
//   - M < 4 with Bᵀ contiguous in k (x·Wᵀ at batch 1): dot products, nothing packed;
//   - few rows (< 8) with a row-major B: B read in place, only its N mod 8 tail packed.
//
// Packed layouts (f32 element offsets, zero-padded past the edge of the matrix):
//
//   Ap: panel p of 4 rows   Ap[(p*kc + k)*4 + r]  = A[ic + 4p + r, pc + k]
//   Bp: panel q of 8 cols   Bp[(q*kc + k)*8 + c]  = B[pc + k, jc + 8q + c]
//
// Scratch (byte offsets from the caller's 64-byte aligned pointer):
//
//   0          128                128 + Ap bytes
//   ┌──────────┬──────────────────┬───────────────────┐
//   │ C tile   │ Ap  (mc × kc)    │ Bp  (kc × nc)     │
//   │ 4×8 f32  │ 64-byte aligned  │ 64-byte aligned   │
//   └──────────┴──────────────────┴───────────────────┘
//
// Edge tiles are computed into the C tile and the valid part is copied out, so every element of C
// gets the same sequence of operations (k in order within each kc block, blocks added in order)
// wherever its row falls. The direct path does the same arithmetic as the packed one, and the
// paths that order it differently (Cᵀ, dot products) are chosen from M, N and the strides, never
// from the row range: results are bitwise the same however rows are split between calls.

import { MR, NR, kernel4x8, mergeTile, mergeTileTransposed } from './matmul_micro';
import { packA, packB } from './matmul_pack';
import { gemmDirect, rowDotT, rowTimesB } from './matmul_small';

// @ts-ignore: decorator
@inline const KC_MAX: i32 = 384;
// @ts-ignore: decorator
@inline const MC_MAX: i32 = 256;
// @ts-ignore: decorator
@inline const NC_MAX: i32 = 4096;
/** Row ranges up to this many rows, with a row-major B whose kc-row block is at most
 *  DIRECT_B_FLOATS, take the direct (unpacked B) path: with few row tiles, packing B costs more
 *  than reading it in place (raw kernel, simd build: [8x784]·[784x128] 58 -> 43 us, 16 rows
 *  106 -> 86 us, 32 rows 186-195 -> 173-176 us, 64 rows 360-378 -> 341-347 us), but a B block
 *  that does not stay in L2 made it slower ([64x512]·[512x4096] 8.6 -> 18.4 ms). It does the
 *  same arithmetic as the packed path, so the choice may depend on the range. */
// @ts-ignore: decorator
@inline const DIRECT_ROWS: i32 = 64;
// @ts-ignore: decorator
@inline const DIRECT_B_FLOATS: i32 = 65536;
// @ts-ignore: decorator
@inline const TILE_BYTES: usize = 128;

// @ts-ignore: decorator
@inline function roundUp(x: i32, m: i32): i32 { return (x + m - 1) / m * m; }

// @ts-ignore: decorator
@inline function align64(x: usize): usize { return (x + 63) & ~(<usize>63); }

/** The kc used for each K block: K split into equal pieces of at most KC_MAX. */
// @ts-ignore: decorator
@inline function blockK(K: i32): i32 {
  const blocks = (K + KC_MAX - 1) / KC_MAX;
  return blocks <= 1 ? K : (K + blocks - 1) / blocks;
}

/** Narrow C (N = 1..4 mod 8, M ≥ 4N): computing Cᵀ wastes less of the 4×8 tile on padding. */
// @ts-ignore: decorator
@inline function swapCT(M: i32, N: i32): bool {
  return N <= 64 && (N & 7) != 0 && (N & 7) <= 4 && M >= 4 * N;
}

/** Bytes of the packed A block for `rows` rows of A. */
// @ts-ignore: decorator
@inline function panelABytes(rows: i32, kc: i32): usize {
  return align64(<usize>(min(roundUp(rows, MR), MC_MAX) * kc) << 2);
}

/** Bytes of the packed B block for `cols` columns of B. */
// @ts-ignore: decorator
@inline function panelBBytes(cols: i32, kc: i32): usize {
  return align64(<usize>(min(roundUp(cols, NR), NC_MAX) * kc) << 2);
}

/** Bytes of scratch space matmul_f32 needs for these sizes (packing panels). */
export function matmul_f32_scratch_bytes(M: i32, N: i32, K: i32): i32 {
  if (M <= 0 || N <= 0 || K <= 0) return <i32>TILE_BYTES;
  const kc = blockK(K);
  if (swapCT(M, N)) return <i32>(TILE_BYTES + panelABytes(N, kc) + panelBBytes(M, kc));
  return <i32>(TILE_BYTES + panelABytes(M, kc) + panelBBytes(N, kc));
}

/** out[i*ldc + j] = sum_k A[i,k] * B[k,j] for rows i in [rowStart, rowEnd), all j < N.
 *  A[i,k] is the f32 at a + 4*(i*aRow + k*aCol); B[k,j] at b + 4*(k*bRow + j*bCol). Transposed
 *  operands arrive as strides. `out` must not alias a or b. `scratch`: 64-byte aligned, at least
 *  matmul_f32_scratch_bytes(M, N, K) bytes. K = 0 writes zeros. */
export function matmul_f32(out: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
  aRow: i32, aCol: i32, bRow: i32, bCol: i32, ldc: i32, rowStart: i32, rowEnd: i32, scratch: usize): void {
  const rows = rowEnd - rowStart;
  if (rows <= 0 || N <= 0) return;
  if (K <= 0) {
    for (let i = rowStart; i < rowEnd; i++) memory.fill(out + (<usize>(i * ldc) << 2), 0, <usize>N << 2);
    return;
  }
  const kc = blockK(K);
  const tile = scratch;
  const ap = scratch + TILE_BYTES;
  if (swapCT(M, N)) {
    // C = (Bᵀ·Aᵀ)ᵀ: the narrow N becomes the 4-row side of the tile, the long M the 8-wide one.
    const bp = ap + panelABytes(N, kc);
    gemmPacked(out, b, a, rowStart, rowEnd, K, kc, bCol, bRow, aCol, aRow, ldc, 0, N, tile, ap, bp, true);
  } else if (M < MR && bRow == 1 && aCol == 1) {
    // A few rows times Bᵀ (a Linear layer's x·Wᵀ at batch 1): both operands contiguous in k.
    for (let i = rowStart; i < rowEnd; i++) {
      rowDotT(out + (<usize>(i * ldc) << 2), a + (<usize>(i * aRow) << 2), b, N, K, <usize>bCol << 2);
    }
  } else if (M == 1 && bCol == 1) {
    // One row times a row-major B (a dense layer's x·W at batch 1): B streamed in address order.
    rowTimesB(out + (<usize>(rowStart * ldc) << 2), a + (<usize>(rowStart * aRow) << 2), <usize>aCol << 2, b, <usize>bRow << 2, N, K);
  } else if (bCol == 1 && rows <= DIRECT_ROWS && kc * N <= DIRECT_B_FLOATS) {
    gemmDirect(out, a, b, N, K, kc, aRow, aCol, bRow, ldc, rowStart, rowEnd, tile, ap, ap + panelABytes(M, kc));
  } else {
    gemmPacked(out, a, b, 0, N, K, kc, aRow, aCol, bRow, bCol, ldc, rowStart, rowEnd, tile, ap, ap + panelABytes(M, kc), false);
  }
}

/** The blocked product for rows [rowStart, rowEnd) and columns [colStart, colEnd) of C' = A'·B'.
 *  C'[i, j] is at out + 4*(i*ldc + j), or, when `swapped`, at out + 4*(j*ldc + i): C' = Cᵀ. */
function gemmPacked(out: usize, a: usize, b: usize, colStart: i32, colEnd: i32, K: i32, kcMax: i32,
  aRow: i32, aCol: i32, bRow: i32, bCol: i32, ldc: i32, rowStart: i32, rowEnd: i32,
  tile: usize, ap: usize, bp: usize, swapped: bool): void {
  const ldcBytes = <usize>ldc << 2;
  for (let jc = colStart; jc < colEnd; jc += NC_MAX) {
    const nc = min(NC_MAX, colEnd - jc);
    for (let pc = 0; pc < K; pc += kcMax) {
      const kc = min(kcMax, K - pc);
      const first = pc == 0;
      packB(bp, b, pc, kc, jc, nc, bRow, bCol);
      for (let ic = rowStart; ic < rowEnd; ic += MC_MAX) {
        const mc = min(MC_MAX, rowEnd - ic);
        packA(ap, a, ic, mc, pc, kc, aRow, aCol);
        const panelBytes = <usize>kc << 5;
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bPanel = bp + (<usize>(jr / NR) * panelBytes);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const aPanel = ap + (<usize>(ir / MR) * (<usize>kc << 4));
            if (swapped) {
              kernel4x8(aPanel, bPanel, 32, kc, tile, 32, false);
              mergeTileTransposed(out + ((<usize>((jc + jr) * ldc + ic + ir)) << 2), ldcBytes, tile, mr, nr, first);
              continue;
            }
            const c = out + ((<usize>((ic + ir) * ldc + jc + jr)) << 2);
            if (mr == MR && nr == NR) {
              kernel4x8(aPanel, bPanel, 32, kc, c, ldcBytes, !first);
            } else {
              kernel4x8(aPanel, bPanel, 32, kc, tile, 32, false);
              mergeTile(c, ldcBytes, tile, mr, nr, first);
            }
          }
        }
      }
    }
  }
}
