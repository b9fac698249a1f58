// General matrix multiply, f32: C = A·B over strided operands.
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

// @ts-ignore: decorator
@inline const MR: i32 = 4;
// @ts-ignore: decorator
@inline const NR: i32 = 8;
// @ts-ignore: decorator
@inline const KC_MAX: i32 = 384;
// @ts-ignore: decorator
@inline const MC_MAX: i32 = 256;
// @ts-ignore: decorator
@inline const NC_MAX: i32 = 4096;
/** Row ranges shorter than this, with a row-major B, take the direct (unpacked B) path; it does
 *  the same arithmetic as the packed one, so the choice may depend on the range. */
// @ts-ignore: decorator
@inline const DIRECT_ROWS: i32 = 8;
// @ts-ignore: decorator
@inline const TILE_BYTES: usize = 128;

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

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
  } else if (bCol == 1 && rows < DIRECT_ROWS) {
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

/** Few rows, row-major B: B is read in place; only its last N % 8 columns are packed. */
function gemmDirect(out: usize, a: usize, b: usize, N: i32, K: i32, kcMax: i32,
  aRow: i32, aCol: i32, bRow: i32, ldc: i32, rowStart: i32, rowEnd: i32,
  tile: usize, ap: usize, bp: usize): void {
  const ldcBytes = <usize>ldc << 2;
  const bRowBytes = <usize>bRow << 2;
  const nFull = N & ~(NR - 1);
  const nTail = N - nFull;
  const mFull = rowStart + ((rowEnd - rowStart) & ~(MR - 1));
  for (let pc = 0; pc < K; pc += kcMax) {
    const kc = min(kcMax, K - pc);
    const first = pc == 0;
    const bk = b + (<usize>(pc * bRow) << 2);
    if (nTail > 0) packB(bp, b, pc, kc, nFull, nTail, bRow, 1);
    for (let i = rowStart; i < mFull; i += MR) {
      packA(ap, a, i, MR, pc, kc, aRow, aCol);
      const c = out + (<usize>(i * ldc) << 2);
      for (let j = 0; j < nFull; j += NR) {
        kernel4x8(ap, bk + (<usize>j << 2), bRowBytes, kc, c + (<usize>j << 2), ldcBytes, !first);
      }
      if (nTail > 0) {
        kernel4x8(ap, bp, 32, kc, tile, 32, false);
        mergeTile(c + (<usize>nFull << 2), ldcBytes, tile, MR, nTail, first);
      }
    }
    for (let i = mFull; i < rowEnd; i++) {
      const ar = a + (<usize>(i * aRow + pc * aCol) << 2);
      const c = out + (<usize>(i * ldc) << 2);
      kernelRow(ar, <usize>aCol << 2, bk, bRowBytes, kc, c, nFull, !first);
      if (nTail > 0) {
        kernelRow8(ar, <usize>aCol << 2, bp, 32, kc, tile, false);
        mergeTile(c + (<usize>nFull << 2), ldcBytes, tile, 1, nTail, first);
      }
    }
  }
}

/** c[j*ldc + r] (+)= tile[r*8 + j] for r < mr, j < nr. */
// @ts-ignore: decorator
@inline function mergeTileTransposed(c: usize, ldcBytes: usize, tile: usize, mr: i32, nr: i32, first: bool): void {
  for (let j = 0; j < nr; j++) {
    const cj = c + <usize>j * ldcBytes;
    for (let r = 0; r < mr; r++) {
      const o = <usize>r << 2;
      const t = load<f32>(tile + (<usize>r << 5) + (<usize>j << 2));
      store<f32>(cj + o, first ? t : load<f32>(cj + o) + t);
    }
  }
}

/** c[r*ldc + j] (+)= tile[r*8 + j] for r < mr, j < nr. */
// @ts-ignore: decorator
@inline function mergeTile(c: usize, ldcBytes: usize, tile: usize, mr: i32, nr: i32, first: bool): void {
  for (let r = 0; r < mr; r++) {
    const cr = c + <usize>r * ldcBytes;
    const tr = tile + (<usize>r << 5);
    for (let j = 0; j < nr; j++) {
      const o = <usize>j << 2;
      const t = load<f32>(tr + o);
      store<f32>(cr + o, first ? t : load<f32>(cr + o) + t);
    }
  }
}

// ---- micro-kernels -------------------------------------------------------------------------

/** The 4×8 register tile: C[4,8] (+)= Ap[4,kc] · B[kc,8]. `ap` is a packed A panel (16 bytes per
 *  k); B rows are `bStride` bytes apart (32 when packed). 8 accumulators + 2 B vectors + 1 A
 *  splat fit V8's 16 xmm registers; a 6×8 tile spills. */
function kernel4x8(ap: usize, bp: usize, bStride: usize, kc: i32, c: usize, ldcBytes: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  // One k per iteration: unrolled, TurboFan hoists the loads and spills the accumulators.
  const end = ap + (<usize>kc << 4);
  while (ap < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(ap);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(ap, 4);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(ap, 8);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(ap, 12);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    ap += 16;
    bp += bStride;
  }
  if (accumulate) {
    c00 = f32x4.add(v128.load(c), c00); c01 = f32x4.add(v128.load(c, 16), c01); c += ldcBytes;
    c10 = f32x4.add(v128.load(c), c10); c11 = f32x4.add(v128.load(c, 16), c11); c += ldcBytes;
    c20 = f32x4.add(v128.load(c), c20); c21 = f32x4.add(v128.load(c, 16), c21); c += ldcBytes;
    c30 = f32x4.add(v128.load(c), c30); c31 = f32x4.add(v128.load(c, 16), c31);
    c -= ldcBytes * 3;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldcBytes;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldcBytes;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldcBytes;
  v128.store(c, c30); v128.store(c, c31, 16);
}

/** One row of C, n columns (a multiple of 8): c[j] (+)= sum_k a[k*aStride] * B[k, j]. 32 columns
 *  at a time so 8 independent accumulators hide the add latency. */
function kernelRow(ar: usize, aStride: usize, bp: usize, bStride: usize, kc: i32, c: usize, n: i32, accumulate: bool): void {
  let j = 0;
  for (; j + 32 <= n; j += 32) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
    let ak = ar, bk = bp + (<usize>j << 2);
    for (let k = 0; k < kc; k++) {
      const x = v128.load32_splat(ak);
      c0 = madd(x, v128.load(bk), c0); c1 = madd(x, v128.load(bk, 16), c1);
      c2 = madd(x, v128.load(bk, 32), c2); c3 = madd(x, v128.load(bk, 48), c3);
      c4 = madd(x, v128.load(bk, 64), c4); c5 = madd(x, v128.load(bk, 80), c5);
      c6 = madd(x, v128.load(bk, 96), c6); c7 = madd(x, v128.load(bk, 112), c7);
      ak += aStride;
      bk += bStride;
    }
    const cj = c + (<usize>j << 2);
    if (accumulate) {
      c0 = f32x4.add(v128.load(cj), c0); c1 = f32x4.add(v128.load(cj, 16), c1);
      c2 = f32x4.add(v128.load(cj, 32), c2); c3 = f32x4.add(v128.load(cj, 48), c3);
      c4 = f32x4.add(v128.load(cj, 64), c4); c5 = f32x4.add(v128.load(cj, 80), c5);
      c6 = f32x4.add(v128.load(cj, 96), c6); c7 = f32x4.add(v128.load(cj, 112), c7);
    }
    v128.store(cj, c0); v128.store(cj, c1, 16); v128.store(cj, c2, 32); v128.store(cj, c3, 48);
    v128.store(cj, c4, 64); v128.store(cj, c5, 80); v128.store(cj, c6, 96); v128.store(cj, c7, 112);
  }
  for (; j < n; j += 8) {
    kernelRow8(ar, aStride, bp + (<usize>j << 2), bStride, kc, c + (<usize>j << 2), accumulate);
  }
}

/** One row, 8 columns: c[0..8] (+)= sum_k a[k*aStride] * B[k, 0..8]. */
function kernelRow8(ar: usize, aStride: usize, bp: usize, bStride: usize, kc: i32, c: usize, accumulate: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const x = v128.load32_splat(ar);
    c0 = madd(x, v128.load(bp), c0); c1 = madd(x, v128.load(bp, 16), c1);
    ar += aStride;
    bp += bStride;
  }
  if (accumulate) {
    c0 = f32x4.add(v128.load(c), c0); c1 = f32x4.add(v128.load(c, 16), c1);
  }
  v128.store(c, c0); v128.store(c, c1, 16);
}

/** Sums of the lanes of c0..c3, as one vector [Σc0, Σc1, Σc2, Σc3]. */
// @ts-ignore: decorator
@inline function hsum4(c0: v128, c1: v128, c2: v128, c3: v128): v128 {
  const t0 = f32x4.add(i32x4.shuffle(c0, c1, 0, 4, 1, 5), i32x4.shuffle(c0, c1, 2, 6, 3, 7));
  const t1 = f32x4.add(i32x4.shuffle(c2, c3, 0, 4, 1, 5), i32x4.shuffle(c2, c3, 2, 6, 3, 7));
  return f32x4.add(i32x4.shuffle(t0, t1, 0, 1, 4, 5), i32x4.shuffle(t0, t1, 2, 3, 6, 7));
}

/** c[j] = sum_k a[k] * b[j*bColBytes/4 + k] for j < N: one row of A·Bᵀ as dot products, 8 columns
 *  at a time (8 accumulators over k in steps of 4), then 4, then 1. */
function rowDotT(c: usize, a: usize, b: usize, N: i32, K: i32, bColBytes: usize): void {
  const k4 = <usize>(K & ~3) << 2;
  const kEnd = <usize>K << 2;
  let j = 0;
  for (; j + 8 <= N; j += 8) {
    const b0 = b + <usize>j * bColBytes;
    const b4 = b0 + bColBytes * 4;
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
    for (let o: usize = 0; o < k4; o += 16) {
      const x = v128.load(a + o);
      c0 = madd(x, v128.load(b0 + o), c0);
      c1 = madd(x, v128.load(b0 + bColBytes + o), c1);
      c2 = madd(x, v128.load(b0 + bColBytes * 2 + o), c2);
      c3 = madd(x, v128.load(b0 + bColBytes * 3 + o), c3);
      c4 = madd(x, v128.load(b4 + o), c4);
      c5 = madd(x, v128.load(b4 + bColBytes + o), c5);
      c6 = madd(x, v128.load(b4 + bColBytes * 2 + o), c6);
      c7 = madd(x, v128.load(b4 + bColBytes * 3 + o), c7);
    }
    let s0 = hsum4(c0, c1, c2, c3), s1 = hsum4(c4, c5, c6, c7);
    for (let o = k4; o < kEnd; o += 4) {
      const x = v128.load32_splat(a + o);
      s0 = madd(x, f32x4(load<f32>(b0 + o), load<f32>(b0 + bColBytes + o),
        load<f32>(b0 + bColBytes * 2 + o), load<f32>(b0 + bColBytes * 3 + o)), s0);
      s1 = madd(x, f32x4(load<f32>(b4 + o), load<f32>(b4 + bColBytes + o),
        load<f32>(b4 + bColBytes * 2 + o), load<f32>(b4 + bColBytes * 3 + o)), s1);
    }
    v128.store(c + (<usize>j << 2), s0);
    v128.store(c + (<usize>j << 2), s1, 16);
  }
  for (; j < N; j++) {
    const bj = b + <usize>j * bColBytes;
    let acc = f32x4.splat(0);
    for (let o: usize = 0; o < k4; o += 16) acc = madd(v128.load(a + o), v128.load(bj + o), acc);
    let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (let o = k4; o < kEnd; o += 4) s += load<f32>(a + o) * load<f32>(bj + o);
    store<f32>(c + (<usize>j << 2), s);
  }
}

// ---- packing -------------------------------------------------------------------------------

/** Transposes the 4×4 block r0..r3 (rows) and stores its columns at dst, dst+step, ... */
// @ts-ignore: decorator
@inline function storeTransposed4(dst: usize, step: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + step, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + step * 2, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + step * 3, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

/** Ap[(p*kc + k)*4 + r] = A[i0 + 4p + r, p0 + k], rows past i0 + mc zero. */
function packA(dst: usize, a: usize, i0: i32, mc: i32, p0: i32, kc: i32, aRow: i32, aCol: i32): void {
  const aRowBytes = <usize>aRow << 2;
  const aColBytes = <usize>aCol << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const src = a + (<usize>((i0 + ir) * aRow + p0 * aCol) << 2);
    if (mr == MR && aRow == 1) {
      // Aᵀ stored row-major: the 4 rows of a k are adjacent.
      let s = src, d = dst;
      for (let k = 0; k < kc; k++) {
        v128.store(d, v128.load(s));
        s += aColBytes; d += 16;
      }
    } else if (mr == MR && aCol == 1) {
      // Row-major A: transpose 4×4 blocks.
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const s = src + (<usize>k << 2);
        storeTransposed4(dst + (<usize>k << 4), 16,
          v128.load(s), v128.load(s + aRowBytes), v128.load(s + aRowBytes * 2), v128.load(s + aRowBytes * 3));
      }
      for (; k < kc; k++) {
        const s = src + (<usize>k << 2), d = dst + (<usize>k << 4);
        store<f32>(d, load<f32>(s));
        store<f32>(d, load<f32>(s + aRowBytes), 4);
        store<f32>(d, load<f32>(s + aRowBytes * 2), 8);
        store<f32>(d, load<f32>(s + aRowBytes * 3), 12);
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const s = src + <usize>k * aColBytes, d = dst + (<usize>k << 4);
        for (let r = 0; r < MR; r++) {
          store<f32>(d + (<usize>r << 2), r < mr ? load<f32>(s + <usize>r * aRowBytes) : 0);
        }
      }
    }
    dst += <usize>kc << 4;
  }
}

/** Bp[(q*kc + k)*8 + c] = B[p0 + k, j0 + 8q + c], columns past j0 + nc zero. */
function packB(dst: usize, b: usize, p0: i32, kc: i32, j0: i32, nc: i32, bRow: i32, bCol: i32): void {
  const bRowBytes = <usize>bRow << 2;
  const bColBytes = <usize>bCol << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const src = b + (<usize>(p0 * bRow + (j0 + jr) * bCol) << 2);
    if (nr == NR && bCol == 1) {
      // Row-major B: each k row of the panel is 8 adjacent floats.
      let s = src, d = dst;
      for (let k = 0; k < kc; k++) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        s += bRowBytes; d += 32;
      }
    } else if (nr == NR && bRow == 1) {
      // Bᵀ stored row-major (each column of B adjacent in k): transpose 4×4 blocks.
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const s = src + (<usize>k << 2), d = dst + (<usize>k << 5);
        storeTransposed4(d, 32,
          v128.load(s), v128.load(s + bColBytes), v128.load(s + bColBytes * 2), v128.load(s + bColBytes * 3));
        const s4 = s + bColBytes * 4;
        storeTransposed4(d + 16, 32,
          v128.load(s4), v128.load(s4 + bColBytes), v128.load(s4 + bColBytes * 2), v128.load(s4 + bColBytes * 3));
      }
      for (; k < kc; k++) {
        const s = src + (<usize>k << 2), d = dst + (<usize>k << 5);
        for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), load<f32>(s + <usize>c * bColBytes));
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const s = src + <usize>k * bRowBytes, d = dst + (<usize>k << 5);
        for (let c = 0; c < NR; c++) {
          store<f32>(d + (<usize>c << 2), c < nr ? load<f32>(s + <usize>c * bColBytes) : 0);
        }
      }
    }
    dst += <usize>kc << 5;
  }
}
