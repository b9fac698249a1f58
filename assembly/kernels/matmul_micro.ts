// Matmul micro-kernels: the 4×8 register tile (kernel4x8), the one-row kernels for the direct
// path's leftover rows (kernelRow, kernelRow8), and the copy-out of edge tiles computed into the
// scratch C tile (mergeTile, mergeTileTransposed). Blocking and packing live in matmul.ts / matmul_pack.ts.

// @ts-ignore: decorator
@inline export const MR: i32 = 4;
// @ts-ignore: decorator
@inline export const NR: i32 = 8;

/** a·b + c per lane: one fused relaxed_madd where relaxed SIMD is enabled, mul + add otherwise. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** c[j*ldc + r] (+)= tile[r*8 + j] for r < mr, j < nr. */
// @ts-ignore: decorator
@inline export function mergeTileTransposed(c: usize, ldcBytes: usize, tile: usize, mr: i32, nr: i32, first: bool): void {
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
@inline export function mergeTile(c: usize, ldcBytes: usize, tile: usize, mr: i32, nr: i32, first: bool): void {
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

/** The 4×8 register tile: C[4,8] (+)= Ap[4,kc] · B[kc,8]. `ap` is a packed A panel (16 bytes per
 *  k); B rows are `bStride` bytes apart (32 when packed). 8 accumulators + 2 B vectors + 1 A
 *  splat fit V8's 16 xmm registers; a 6×8 tile spills. */
export function kernel4x8(ap: usize, bp: usize, bStride: usize, kc: i32, c: usize, ldcBytes: usize, accumulate: bool): void {
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
export function kernelRow(ar: usize, aStride: usize, bp: usize, bStride: usize, kc: i32, c: usize, n: i32, accumulate: bool): void {
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
export function kernelRow8(ar: usize, aStride: usize, bp: usize, bStride: usize, kc: i32, c: usize, accumulate: bool): void {
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
