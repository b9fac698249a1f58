// Matmul packing: copies an MR×kc block of A or a kc×NR block of B (any strides) into the
// unit-stride panels the micro-kernels read. Layouts are documented in matmul.ts.
import { MR, NR } from './matmul_micro';

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
export function packA(dst: usize, a: usize, i0: i32, mc: i32, p0: i32, kc: i32, aRow: i32, aCol: i32): void {
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
export function packB(dst: usize, b: usize, p0: i32, kc: i32, j0: i32, nc: i32, bRow: i32, bCol: i32): void {
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
