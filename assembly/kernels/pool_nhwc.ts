// Channels-last (NHWC) max and average pooling: x [N, H, W, C] and out [N, Ho, Wo, C] contiguous,
// SIMD across channels (C is the contiguous dim, so the 4 lanes are 4 channels of one window).
// Windows start at oh*sh - padT, ow*sw - padL; taps outside the image are skipped. Forward kernels
// finish a channel count that is not a multiple of 4 with one vector over the last 4 channels
// (overlapping work already done, same results), so only C < 4 runs scalar.
import { avgDivisor } from './pool_window';

/** First tap index i with 0 <= h0 + i*d, and one past the last with h0 + i*d < H (at most k).
 *  d == 1 (every pooling layer but a dilated one) skips the divisions. */
// @ts-ignore: decorator
@inline function tapLo(h0: i32, d: i32): i32 { return h0 >= 0 ? 0 : d == 1 ? -h0 : (-h0 + d - 1) / d; }
// @ts-ignore: decorator
@inline function tapHi(h0: i32, d: i32, H: i32, k: i32): i32 {
  const last = H - 1 - h0;
  return last < 0 ? 0 : min(k, (d == 1 ? last : last / d) + 1);
}

/** Max over the window's taps [ia, ib) × [ja, jb) of channels c..c+3 of image xn; stores 4 values
 *  at o and, when oi != 0, the flat indices (ih*W + iw)*C + c at oi. First max wins; a NaN wins
 *  and the last NaN is kept (as the scalar NCHW kernel and PyTorch). The running max is a pmax
 *  (b < v ? v : b: one instruction, keeps the first of equal values, skips NaN), NaN taps are
 *  tracked on the side, so the loop-carried chain is one instruction long. */
// @ts-ignore: decorator
@inline function maxBlock(o: usize, oi: usize, xn: usize, c: i32, W: i32, C: i32,
  h0: i32, w0: i32, ia: i32, ib: i32, ja: i32, jb: i32, dh: i32, dw: i32): void {
  const first = ((h0 + ia * dh) * W + w0 + ja * dw) * C + c;
  const rowStep = dh * W * C, colStep = dw * C;
  let rowp = xn + (<usize>first << 2);
  let rowk = i32x4.add(i32x4.splat(first), i32x4(0, 1, 2, 3));
  let best = v128.load(rowp);
  let bi = rowk, nanAny = f32x4.ne(best, best), nanIdx = rowk;
  for (let i = ia; i < ib; i++) {
    let p = rowp, k = rowk;
    for (let j = ja; j < jb; j++) {
      const v = v128.load(p);
      const nan = f32x4.ne(v, v);
      nanAny = v128.or(nanAny, nan);
      if (oi != 0) {
        bi = v128.bitselect(k, bi, f32x4.lt(best, v));
        nanIdx = v128.bitselect(k, nanIdx, nan);
      }
      best = f32x4.pmax(best, v);
      p += <usize>colStep << 2;
      k = i32x4.add(k, i32x4.splat(colStep));
    }
    rowp += <usize>rowStep << 2;
    rowk = i32x4.add(rowk, i32x4.splat(rowStep));
  }
  v128.store(o, v128.bitselect(f32x4.splat(NaN), best, nanAny));
  if (oi != 0) v128.store(oi, v128.bitselect(nanIdx, bi, nanAny));
}

/** maxBlock for a 2×2 window inside the image (the usual pool) without loops: taps k, k + cs,
 *  k + rs, k + rs + cs (flat indices of channel c..c+3). Same results as maxBlock. */
// @ts-ignore: decorator
@inline function max2x2(o: usize, oi: usize, xn: usize, k: i32, cs: i32, rs: i32): void {
  const p = xn + (<usize>k << 2);
  const a = v128.load(p), b = v128.load(p + (<usize>cs << 2));
  const d = v128.load(p + (<usize>rs << 2)), e = v128.load(p + (<usize>(rs + cs) << 2));
  const na = f32x4.ne(a, a), nb = f32x4.ne(b, b), nd = f32x4.ne(d, d), ne = f32x4.ne(e, e);
  const nan = v128.or(v128.or(na, nb), v128.or(nd, ne));
  const ab = f32x4.pmax(a, b), de = f32x4.pmax(d, e);
  v128.store(o, v128.bitselect(f32x4.splat(NaN), f32x4.pmax(ab, de), nan));
  if (oi == 0) return;
  const ia = i32x4.add(i32x4.splat(k), i32x4(0, 1, 2, 3));
  const ib = i32x4.add(ia, i32x4.splat(cs)), id = i32x4.add(ia, i32x4.splat(rs)), ie = i32x4.add(id, i32x4.splat(cs));
  const iab = v128.bitselect(ib, ia, f32x4.lt(a, b)), ide = v128.bitselect(ie, id, f32x4.lt(d, e));
  const best = v128.bitselect(ide, iab, f32x4.lt(ab, de));
  // the last NaN tap's index, where there is one
  const inan = v128.bitselect(ie, v128.bitselect(id, v128.bitselect(ib, ia, nb), nd), ne);
  v128.store(oi, v128.bitselect(inan, best, nan));
}

/** maxpool_nhwc_f32 for the usual 2×2, stride 2, unpadded pool over C >= 4 channels: one loop per
 *  output row over its (pixel, 4-channel block) pairs (the general loop's per-window bounds and
 *  nested channel loop cost more than max2x2 itself). Same results. */
function maxpool2x2(out: usize, idx: usize, x: usize, N: i32, H: i32, W: i32, C: i32, Ho: i32, Wo: i32): void {
  const nb = (C + 3) >> 2, rs = W * C;
  for (let n = 0; n < N; n++) {
    const xn = x + (<usize>(n * H * W * C) << 2);
    for (let oh = 0; oh < Ho; oh++) {
      const q0 = (n * Ho + oh) * Wo * C, k0 = 2 * oh * rs;
      let ow = 0, b = 0;
      for (let t = Wo * nb; t > 0; t--) {
        const cb = min(b << 2, C - 4); // the last block overlaps the previous one
        const q = <usize>(q0 + ow * C + cb) << 2;
        max2x2(out + q, idx == 0 ? <usize>0 : idx + q, xn, k0 + 2 * ow * C + cb, C, rs);
        if (++b == nb) { b = 0; ow++; }
      }
    }
  }
}

/** out = max over each kh×kw window (dilation dh, dw); idx (i32, same shape as out; 0 = not
 *  wanted) gets the flat index (ih*W + iw)*C + c of the max within its image. A window with no tap
 *  inside the image (the host prevents it) yields -inf and index 0. */
export function maxpool_nhwc_f32(out: usize, idx: usize, x: usize, N: i32, H: i32, W: i32, C: i32, Ho: i32, Wo: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32): void {
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && dh == 1 && dw == 1 && padT == 0 && padL == 0 && C >= 4
    && 2 * Ho <= H && 2 * Wo <= W) {
    maxpool2x2(out, idx, x, N, H, W, C, Ho, Wo);
    return;
  }
  for (let n = 0; n < N; n++) {
    const xn = x + (<usize>(n * H * W * C) << 2);
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = oh * sh - padT;
      const ia = tapLo(h0, dh), ib = tapHi(h0, dh, H, kh);
      for (let ow = 0; ow < Wo; ow++) {
        const w0 = ow * sw - padL;
        const ja = tapLo(w0, dw), jb = tapHi(w0, dw, W, kw);
        const q = <usize>(((n * Ho + oh) * Wo + ow) * C) << 2;
        const o = out + q;
        const oi: usize = idx == 0 ? <usize>0 : idx + q;
        const empty = ia >= ib || ja >= jb;
        if (C >= 4 && ib - ia == 2 && jb - ja == 2) {
          const k00 = ((h0 + ia * dh) * W + w0 + ja * dw) * C;
          for (let c = 0; c < C; c += 4) {
            const cb = min(c, C - 4);
            max2x2(o + (<usize>cb << 2), oi == 0 ? <usize>0 : oi + (<usize>cb << 2), xn, k00 + cb, dw * C, dh * W * C);
          }
          continue;
        }
        if (C >= 4 && !empty) {
          for (let c = 0; c < C; c += 4) {
            const cb = min(c, C - 4); // the last block overlaps the previous one
            const cq = <usize>cb << 2;
            maxBlock(o + cq, oi == 0 ? <usize>0 : oi + cq, xn, cb, W, C, h0, w0, ia, ib, ja, jb, dh, dw);
          }
          continue;
        }
        for (let c = 0; c < C; c++) {
          let bk = empty ? 0 : ((h0 + ia * dh) * W + w0 + ja * dw) * C + c;
          let best: f32 = empty ? -Infinity : load<f32>(xn + (<usize>bk << 2));
          for (let i = ia; i < ib; i++) for (let j = ja; j < jb; j++) {
            const k = ((h0 + i * dh) * W + w0 + j * dw) * C + c;
            const v = load<f32>(xn + (<usize>k << 2));
            if (v > best || v != v) { best = v; bk = k; }
          }
          store<f32>(o + (<usize>c << 2), best);
          if (oi != 0) store<i32>(oi + (<usize>c << 2), bk);
        }
      }
    }
  }
}

/** Σ over taps rows [ha, hb) × cols [wa, wb) (row by row) of channels c..c+3, divided by div. */
// @ts-ignore: decorator
@inline function meanBlock(xn: usize, c: i32, W: i32, C: i32, ha: i32, hb: i32, wa: i32, wb: i32, div: v128): v128 {
  let s = f32x4.splat(0);
  for (let ih = ha; ih < hb; ih++) for (let iw = wa; iw < wb; iw++) {
    s = f32x4.add(s, v128.load(xn + (<usize>((ih * W + iw) * C + c) << 2)));
  }
  return f32x4.div(s, div);
}

/** Average pooling, no dilation. bwd = 0: out [N, Ho, Wo, C] = window means of x [N, H, W, C].
 *  bwd = 1: the adjoint: out (as dx [N, H, W, C], overwritten) gets x (as dy [N, Ho, Wo, C]) / divisor
 *  added at every tap of its window. Sums run tap by tap in row order, as the NCHW kernels. */
export function avgpool_nhwc_f32(out: usize, x: usize, N: i32, H: i32, W: i32, C: i32, Ho: i32, Wo: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, padT: i32, padB: i32, padL: i32, padR: i32, countIncludePad: i32, bwd: i32): void {
  if (bwd) memory.fill(out, 0, <usize>(N * H * W * C) << 2);
  for (let n = 0; n < N; n++) {
    const img = (bwd ? out : x) + (<usize>(n * H * W * C) << 2);
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = oh * sh - padT;
      const ha = max(h0, 0), hb = min(h0 + kh, H);
      for (let ow = 0; ow < Wo; ow++) {
        const w0 = ow * sw - padL;
        const wa = max(w0, 0), wb = min(w0 + kw, W);
        const d = avgDivisor(h0, w0, kh, kw, H, W, padB, padR, countIncludePad, 0);
        const dv = f32x4.splat(d);
        const px = (bwd ? x : out) + (<usize>(((n * Ho + oh) * Wo + ow) * C) << 2);
        if (!bwd) {
          if (C >= 4) {
            for (let c = 0; c < C; c += 4) {
              const q = min(c, C - 4); // the last block overlaps the previous one
              v128.store(px + (<usize>q << 2), meanBlock(img, q, W, C, ha, hb, wa, wb, dv));
            }
          } else {
            for (let c = 0; c < C; c++) {
              let s: f32 = 0;
              for (let ih = ha; ih < hb; ih++) for (let iw = wa; iw < wb; iw++) s += load<f32>(img + (<usize>((ih * W + iw) * C + c) << 2));
              store<f32>(px + (<usize>c << 2), s / d);
            }
          }
          continue;
        }
        for (let ih = ha; ih < hb; ih++) for (let iw = wa; iw < wb; iw++) {
          const t = img + (<usize>((ih * W + iw) * C) << 2);
          let c = 0;
          for (; c + 4 <= C; c += 4) {
            const o = <usize>c << 2;
            v128.store(t + o, f32x4.add(v128.load(t + o), f32x4.div(v128.load(px + o), dv)));
          }
          for (; c < C; c++) {
            const o = <usize>c << 2;
            store<f32>(t + o, load<f32>(t + o) + load<f32>(px + o) / d);
          }
        }
      }
    }
  }
}
