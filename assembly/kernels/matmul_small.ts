// Matmul paths for small shapes, chosen by matmul_f32 (matmul.ts): few rows with a row-major B
// (gemmDirect: B read in place) and M < 4 with Bᵀ contiguous in k (rowDotT: dot products).
import { MR, NR, madd, kernel4x8, kernelRow, kernelRow8, mergeTile } from './matmul_micro';
import { packA, packB } from './matmul_pack';

/** Few rows, row-major B: B is read in place; only its last N % 8 columns are packed. */
export function gemmDirect(out: usize, a: usize, b: usize, N: i32, K: i32, kcMax: i32,
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

/** Sums of the lanes of c0..c3, as one vector [Σc0, Σc1, Σc2, Σc3]. */
// @ts-ignore: decorator
@inline function hsum4(c0: v128, c1: v128, c2: v128, c3: v128): v128 {
  const t0 = f32x4.add(i32x4.shuffle(c0, c1, 0, 4, 1, 5), i32x4.shuffle(c0, c1, 2, 6, 3, 7));
  const t1 = f32x4.add(i32x4.shuffle(c2, c3, 0, 4, 1, 5), i32x4.shuffle(c2, c3, 2, 6, 3, 7));
  return f32x4.add(i32x4.shuffle(t0, t1, 0, 1, 4, 5), i32x4.shuffle(t0, t1, 2, 3, 6, 7));
}

/** c[j] = sum_k a[k] * b[j*bColBytes/4 + k] for j < N: one row of A·Bᵀ as dot products, 8 columns
 *  at a time (8 accumulators over k in steps of 4), then 4, then 1. */
export function rowDotT(c: usize, a: usize, b: usize, N: i32, K: i32, bColBytes: usize): void {
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

/** c[j] = sum_k a[k*aColBytes/4] * B[k, j] for j < N: one row of A times a row-major B (B's rows
 *  bRowBytes apart, columns contiguous), as a vector-matrix product: what a batch-1 dense layer
 *  needs. Columns go 32 at a time in 8 register accumulators over all k (then 16; the last N % 16
 *  in rowTimesBNarrow), so c is written once and each B row is read as whole cache lines. Each
 *  c[j] is summed as ((0 + a0·b0) + a1·b1) + ..., k in order: the same operations as the tiled
 *  kernel's. */
export function rowTimesB(c: usize, a: usize, aColBytes: usize, b: usize, bRowBytes: usize, N: i32, K: i32): void {
  let j = 0;
  for (; j + 32 <= N; j += 32) rowBlock(8, c + (<usize>j << 2), a, aColBytes, b + (<usize>j << 2), bRowBytes, K);
  for (; j + 16 <= N; j += 16) rowBlock(4, c + (<usize>j << 2), a, aColBytes, b + (<usize>j << 2), bRowBytes, K);
  if (j < N) rowTimesBNarrow(c + (<usize>j << 2), a, aColBytes, b + (<usize>j << 2), bRowBytes, N - j, K);
}

/** nv (4 or 8; a constant after inlining) vectors of columns of rowTimesB, accumulated in
 *  registers over all k and stored once at c. */
// @ts-ignore: decorator
@inline function rowBlock(nv: i32, c: usize, a: usize, aColBytes: usize, b: usize, bRowBytes: usize, K: i32): void {
  const kEnd = <usize>K * aColBytes;
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  let bk = b;
  for (let ak: usize = 0; ak < kEnd; ak += aColBytes) {
    const x = v128.load32_splat(a + ak);
    c0 = madd(x, v128.load(bk), c0);
    c1 = madd(x, v128.load(bk, 16), c1);
    c2 = madd(x, v128.load(bk, 32), c2);
    c3 = madd(x, v128.load(bk, 48), c3);
    if (nv > 4) {
      c4 = madd(x, v128.load(bk, 64), c4);
      c5 = madd(x, v128.load(bk, 80), c5);
      c6 = madd(x, v128.load(bk, 96), c6);
      c7 = madd(x, v128.load(bk, 112), c7);
    }
    bk += bRowBytes;
  }
  v128.store(c, c0); v128.store(c, c1, 16); v128.store(c, c2, 32); v128.store(c, c3, 48);
  if (nv > 4) { v128.store(c, c4, 64); v128.store(c, c5, 80); v128.store(c, c6, 96); v128.store(c, c7, 112); }
}

/** rowTimesB for a few columns (N < 16 in practice): c is kept in memory (in L1) and gains four
 *  rows of B per pass, so the columns share one walk over k. Same order of operations per c[j]. */
function rowTimesBNarrow(c: usize, a: usize, aColBytes: usize, b: usize, bRowBytes: usize, N: i32, K: i32): void {
  const nVec = <usize>(N & ~3) << 2;
  const nEnd = <usize>N << 2;
  memory.fill(c, 0, nEnd);
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    const ak = a + <usize>k * aColBytes;
    const x0 = v128.load32_splat(ak), x1 = v128.load32_splat(ak + aColBytes);
    const x2 = v128.load32_splat(ak + aColBytes * 2), x3 = v128.load32_splat(ak + aColBytes * 3);
    const b0 = b + <usize>k * bRowBytes, b1 = b0 + bRowBytes, b2 = b1 + bRowBytes, b3 = b2 + bRowBytes;
    for (let o: usize = 0; o < nVec; o += 16) {
      let acc = v128.load(c + o);
      acc = madd(x0, v128.load(b0 + o), acc);
      acc = madd(x1, v128.load(b1 + o), acc);
      acc = madd(x2, v128.load(b2 + o), acc);
      acc = madd(x3, v128.load(b3 + o), acc);
      v128.store(c + o, acc);
    }
    const s0 = f32x4.extract_lane(x0, 0), s1 = f32x4.extract_lane(x1, 0);
    const s2 = f32x4.extract_lane(x2, 0), s3 = f32x4.extract_lane(x3, 0);
    for (let o = nVec; o < nEnd; o += 4) {
      store<f32>(c + o, (((load<f32>(c + o) + s0 * load<f32>(b0 + o)) + s1 * load<f32>(b1 + o))
        + s2 * load<f32>(b2 + o)) + s3 * load<f32>(b3 + o));
    }
  }
  for (; k < K; k++) {
    const ak = a + <usize>k * aColBytes;
    const x = v128.load32_splat(ak);
    const s = load<f32>(ak);
    const bk = b + <usize>k * bRowBytes;
    for (let o: usize = 0; o < nVec; o += 16) v128.store(c + o, madd(x, v128.load(bk + o), v128.load(c + o)));
    for (let o = nVec; o < nEnd; o += 4) store<f32>(c + o, load<f32>(c + o) + s * load<f32>(bk + o));
  }
}
