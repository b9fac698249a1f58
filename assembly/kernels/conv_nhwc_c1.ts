// Channels-last convolution of one-channel images (grayscale first layers: C = 1, horizontal
// stride 1), without im2col: the forward pass (conv_nhwc_c1_f32) and the weight gradient
// (wgrad_nhwc_c1_f32). Geometry as in conv_nhwc.ts; w / dw are [kh*kw, Co] (Keras' [kh, kw, 1, Co]).
import { hsum } from '../simd';

// @ts-ignore: decorator
@inline function floorDiv(a: i32, b: i32): i32 { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/** First ow whose window lies inside [0, W) horizontally, clamped to [a, b). */
// @ts-ignore: decorator
@inline function interiorLo(a: i32, b: i32, sw: i32, padL: i32): i32 { return min(max((padL + sw - 1) / sw, a), b); }
/** One past the last such ow, clamped to [lo, b). */
// @ts-ignore: decorator
@inline function interiorHi(lo: i32, b: i32, W: i32, kw: i32, sw: i32, padL: i32, dw: i32): i32 {
  return min(max(floorDiv(W - 1 - (kw - 1) * dw + padL, sw) + 1, lo), b);
}

// DIRECT ONE-CHANNEL CONVOLUTION (a grayscale first layer: C = 1, horizontal stride 1). An image
// row is then a run of pixels, so 4 consecutive output pixels read 4 consecutive floats per tap:
// tiles of 8 pixels (2 vectors) × 4 output channels (8 accumulators, as the GEMM's 4×8 tile) need
// no im2col and no packing, and bias + relu are applied before the tile is transposed to NHWC.

// @ts-ignore: decorator
@inline function tapLo(h0: i32, d: i32): i32 { return h0 >= 0 ? 0 : (-h0 + d - 1) / d; }
// @ts-ignore: decorator
@inline function tapHi(h0: i32, d: i32, H: i32, k: i32): i32 {
  const last = H - 1 - h0;
  return last < 0 ? 0 : min(k, last / d + 1);
}

/** v + bias, then relu when asked (NaN stays NaN, as unary relu). */
// @ts-ignore: decorator
@inline function finish(v: v128, b: v128, relu: i32): v128 {
  const s = f32x4.add(v, b);
  return relu ? v128.bitselect(f32x4.splat(0), s, f32x4.le(s, f32x4.splat(0))) : s;
}

/** Stores lane q of v (one channel of 4 pixels) at o + q*step bytes, with bias b and relu. (Not
 *  inlined, as storeTransposed: once per tile, and the module stays small.) */
function storeLanes(o: usize, step: usize, v: v128, b: f32, relu: i32): void {
  const r = finish(v, f32x4.splat(b), relu);
  store<f32>(o, f32x4.extract_lane(r, 0));
  store<f32>(o + step, f32x4.extract_lane(r, 1));
  store<f32>(o + 2 * step, f32x4.extract_lane(r, 2));
  store<f32>(o + 3 * step, f32x4.extract_lane(r, 3));
}

/** Channels r0..r3 of 4 pixels, transposed: pixel q's 4 channels stored at o + q*step bytes. */
function storeTransposed(o: usize, step: usize, r0: v128, r1: v128, r2: v128, r3: v128, b: v128, relu: i32): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = f32x4.shuffle(r0, r1, 2, 6, 3, 7), t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(o, finish(f32x4.shuffle(t0, t1, 0, 1, 4, 5), b, relu));
  v128.store(o + step, finish(f32x4.shuffle(t0, t1, 2, 3, 6, 7), b, relu));
  v128.store(o + 2 * step, finish(f32x4.shuffle(t2, t3, 0, 1, 4, 5), b, relu));
  v128.store(o + 3 * step, finish(f32x4.shuffle(t2, t3, 2, 3, 6, 7), b, relu));
}

/** One tile: nc (2 or 4; a constant after inlining) output channels of 8 consecutive pixels whose
 *  windows lie inside the image horizontally. o: the first pixel's output at its first channel;
 *  xr: the input at (first valid tap row, first pixel's w0); wp: the kernel at (first valid tap
 *  row, j 0, first channel); bp: bias at the first channel or 0. */
// @ts-ignore: decorator
@inline function c1Tile(nc: i32, o: usize, xr: usize, wp: usize, bp: usize, Co: i32, sH: i32, rows: i32,
  kw: i32, dh: i32, dw: i32, relu: i32): void {
  const z = f32x4.splat(0);
  let a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
  const wStep = <usize>Co << 2, xStep = <usize>dw << 2;
  // One loop over all rows*kw taps (w's taps are consecutive rows of [kh*kw, Co]; x jumps to the
  // next tap row after kw taps): nested row and tap loops ran this tile at ~27 instead of ~37
  // GFLOP/s with 5×5 taps.
  const rowJump = (<usize>(dh * sH) << 2) - <usize>kw * xStep;
  let xs = xr, ws = wp, j = 0;
  const wEnd = wp + <usize>(rows * kw) * wStep;
  while (ws < wEnd) {
    const x0 = v128.load(xs), x1 = v128.load(xs, 16);
    const w0 = v128.load32_splat(ws), w1 = v128.load32_splat(ws, 4);
    a0 = f32x4.add(a0, f32x4.mul(x0, w0));
    a1 = f32x4.add(a1, f32x4.mul(x1, w0));
    a2 = f32x4.add(a2, f32x4.mul(x0, w1));
    a3 = f32x4.add(a3, f32x4.mul(x1, w1));
    if (nc > 2) {
      const w2 = v128.load32_splat(ws, 8), w3 = v128.load32_splat(ws, 12);
      a4 = f32x4.add(a4, f32x4.mul(x0, w2));
      a5 = f32x4.add(a5, f32x4.mul(x1, w2));
      a6 = f32x4.add(a6, f32x4.mul(x0, w3));
      a7 = f32x4.add(a7, f32x4.mul(x1, w3));
    }
    xs += xStep;
    ws += wStep;
    if (++j == kw) { j = 0; xs += rowJump; }
  }
  const step = wStep;
  if (nc > 2) {
    const b = bp == 0 ? z : v128.load(bp);
    storeTransposed(o, step, a0, a2, a4, a6, b, relu);
    storeTransposed(o + 4 * step, step, a1, a3, a5, a7, b, relu);
    return;
  }
  const b0: f32 = bp == 0 ? 0 : load<f32>(bp), b1: f32 = bp == 0 ? 0 : load<f32>(bp, 4);
  storeLanes(o, step, a0, b0, relu);
  storeLanes(o + 4 * step, step, a1, b0, relu);
  storeLanes(o + 4, step, a2, b1, relu);
  storeLanes(o + 4 + 4 * step, step, a3, b1, relu);
}

/** All Co (>= 2) channels of 8 interior pixels: tiles of 4 channels, then of 2 (the last one
 *  overlapping the previous tile when Co is odd: same values written twice). */
// @ts-ignore: decorator
@inline function c1Pixels(o: usize, xr: usize, w: usize, bias: usize, Co: i32, sH: i32, rows: i32, kw: i32, dh: i32, dw: i32, relu: i32): void {
  let c = 0;
  for (; c + 4 <= Co; c += 4) c1Tile(4, o + (<usize>c << 2), xr, w + (<usize>c << 2), bias == 0 ? <usize>0 : bias + (<usize>c << 2), Co, sH, rows, kw, dh, dw, relu);
  for (; c < Co; c += 2) {
    const q = min(c, Co - 2);
    c1Tile(2, o + (<usize>q << 2), xr, w + (<usize>q << 2), bias == 0 ? <usize>0 : bias + (<usize>q << 2), Co, sH, rows, kw, dh, dw, relu);
  }
}

/** One output pixel whose window may cross the image edge (taps outside read 0): channels 4 at a
 *  time (the last block overlapping when Co is not a multiple of 4), scalar when Co < 4. */
function c1Edge(o: usize, x: usize, w: usize, bias: usize, W: i32, Co: i32, sH: i32, h0: i32, ia: i32, ib: i32,
  w0: i32, kw: i32, dh: i32, dw: i32, relu: i32): void {
  const vec = Co >= 4;
  for (let c = 0; c < Co; c += vec ? 4 : 1) {
    const q = vec ? min(c, Co - 4) : c;
    let acc = f32x4.splat(0);
    for (let i = ia; i < ib; i++) {
      const xrow = x + (<usize>((h0 + i * dh) * sH) << 2);
      for (let j = 0; j < kw; j++) {
        const iw = w0 + j * dw;
        if (iw < 0 || iw >= W) continue;
        const wq = w + (<usize>((i * kw + j) * Co + q) << 2);
        const wv = vec ? v128.load(wq) : f32x4.splat(load<f32>(wq));
        acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(xrow + (<usize>iw << 2))), wv));
      }
    }
    const b = bias == 0 ? f32x4.splat(0) : vec ? v128.load(bias + (<usize>q << 2)) : f32x4.splat(load<f32>(bias + (<usize>q << 2)));
    const r = finish(acc, b, relu);
    if (vec) v128.store(o + (<usize>q << 2), r);
    else store<f32>(o + (<usize>q << 2), f32x4.extract_lane(r, 0));
  }
}

/** out rows oh0..oh1 of a one-channel image: out [Ho, Wo, Co] (the image's output, contiguous) =
 *  conv(x, w) + bias, relu'd when relu != 0. x: the image, rows sH floats apart, pixels adjacent
 *  (C = 1); w [kh*kw, Co] contiguous; bias Co floats or 0. Horizontal stride 1, any dilation and
 *  padding; the host checks the geometry. Interior pixels go 8 at a time (the last group
 *  overlapping the previous one), edge pixels and images narrower than 8 one at a time. */
export function conv_nhwc_c1_f32(out: usize, x: usize, w: usize, bias: usize, H: i32, W: i32, sH: i32, Co: i32,
  kh: i32, kw: i32, sh: i32, padT: i32, padL: i32, dh: i32, dw: i32, Wo: i32, oh0: i32, oh1: i32, relu: i32): void {
  let lo = interiorLo(0, Wo, 1, padL), hi = interiorHi(lo, Wo, W, kw, 1, padL, dw);
  if (hi - lo < 8 || Co < 2) hi = lo;
  const pix = <usize>Co << 2;
  for (let oh = oh0; oh < oh1; oh++) {
    const h0 = oh * sh - padT;
    const ia = tapLo(h0, dh), ib = max(tapHi(h0, dh, H, kh), ia);
    const orow = out + <usize>(oh * Wo) * pix;
    const xr = x + (<usize>((h0 + ia * dh) * sH - padL) << 2);
    const wr = w + <usize>(ia * kw) * pix;
    for (let ow = lo; ow < hi; ow += 8) {
      const q = min(ow, hi - 8);
      c1Pixels(orow + <usize>q * pix, xr + (<usize>q << 2), wr, bias, Co, sH, ib - ia, kw, dh, dw, relu);
    }
    for (let e = 0; e < lo; e++) c1Edge(orow + <usize>e * pix, x, w, bias, W, Co, sH, h0, ia, ib, e - padL, kw, dh, dw, relu);
    for (let e = hi; e < Wo; e++) c1Edge(orow + <usize>e * pix, x, w, bias, W, Co, sH, h0, ia, ib, e - padL, kw, dh, dw, relu);
  }
}

// WEIGHT GRADIENT OF THE ONE-CHANNEL CONVOLUTION: dw[tap, co] += Σ_pixels x[pixel + tap] ·
// dy[pixel, co]. Vectors hold 4 consecutive pixels of an output row, so dy is first packed per
// row into groups of 4 pixels × Co channels (dyP[((oh*G + g)*Co + co)*4 + lane], G = Wo/4):
// the channels of a tile are then 16 bytes apart, static load offsets. A tile is 2 taps × nc
// channels (8 accumulators at nc 4, as the GEMM's tile) over the pixel groups where both taps
// fall inside the image; the few pixels left (edges, Wo mod 4) run scalar from dy itself.

/** Output rows [a, b) whose tap row i lands inside the image (ih = oh*sh - padT + i*dh in [0, H)). */
// @ts-ignore: decorator
@inline function rowsLo(i: i32, sh: i32, padT: i32, dh: i32, Ho: i32): i32 {
  const t = padT - i * dh;
  return t <= 0 ? 0 : min(Ho, (t + sh - 1) / sh);
}
// @ts-ignore: decorator
@inline function rowsHi(i: i32, sh: i32, padT: i32, dh: i32, H: i32, Ho: i32): i32 {
  const t = H - 1 + padT - i * dh;
  return t < 0 ? 0 : min(Ho, t / sh + 1);
}

/** nc (2 or 4, a constant after inlining) channels of two taps over output rows [oa, ob) and
 *  pixel groups [ga, gb): dw[t0, c..] and dw[t1, c..] (rows Co floats apart from dw0, dw1) gain
 *  Σ x · dy; xa/xb: tap t0/t1's input at row oa, group 0; dp: dyP at row oa, group 0, channel c. */
// @ts-ignore: decorator
@inline function wgTile(nc: i32, dw0: usize, dw1: usize, xa: usize, xb: usize, dp: usize, oa: i32, ob: i32, ga: i32, gb: i32,
  xRow: usize, dRow: usize, Co: i32, both: bool): void {
  const z = f32x4.splat(0);
  let a0 = z, a1 = z, a2 = z, a3 = z, b0 = z, b1 = z, b2 = z, b3 = z;
  const gStep = <usize>Co << 4, groups = gb - ga;
  // One loop over all (row, group) pairs, jumping to the next row every `groups` groups (nested
  // loops are slower for short rows, as in c1Tile); the sums run in the same order.
  const xJump = xRow - (<usize>groups << 4), dJump = dRow - <usize>groups * gStep;
  let pa = xa + (<usize>ga << 4), pb = xb + (<usize>ga << 4), d = dp + <usize>ga * gStep;
  let left = (ob - oa) * groups, g = 0;
  while (left-- > 0) {
    const u = v128.load(pa), v = v128.load(pb);
    const y0 = v128.load(d), y1 = v128.load(d, 16);
    a0 = f32x4.add(a0, f32x4.mul(u, y0)); b0 = f32x4.add(b0, f32x4.mul(v, y0));
    a1 = f32x4.add(a1, f32x4.mul(u, y1)); b1 = f32x4.add(b1, f32x4.mul(v, y1));
    if (nc > 2) {
      const y2 = v128.load(d, 32), y3 = v128.load(d, 48);
      a2 = f32x4.add(a2, f32x4.mul(u, y2)); b2 = f32x4.add(b2, f32x4.mul(v, y2));
      a3 = f32x4.add(a3, f32x4.mul(u, y3)); b3 = f32x4.add(b3, f32x4.mul(v, y3));
    }
    pa += 16; pb += 16; d += gStep;
    if (++g == groups) { g = 0; pa += xJump; pb += xJump; d += dJump; }
  }
  addSums(dw0, a0, a1, a2, a3, nc);
  if (both) addSums(dw1, b0, b1, b2, b3, nc);
}

/** dwt[q] += the lane sum of a_q, q < nc. Not inlined: it runs once per tile. */
function addSums(dwt: usize, a0: v128, a1: v128, a2: v128, a3: v128, nc: i32): void {
  store<f32>(dwt, load<f32>(dwt) + hsum(a0));
  store<f32>(dwt, load<f32>(dwt, 4) + hsum(a1), 4);
  if (nc < 4) return;
  store<f32>(dwt, load<f32>(dwt, 8) + hsum(a2), 8);
  store<f32>(dwt, load<f32>(dwt, 12) + hsum(a3), 12);
}

/** dwt[c] += Σ x[ow] · dy[ow, c] for pixels [p0, p1) of one row and channels [c0, Co). */
// @ts-ignore: decorator
@inline function wgRun(dwt: usize, xr: usize, dr: usize, Co: i32, p0: i32, p1: i32, c0: i32): void {
  for (let ow = p0; ow < p1; ow++) {
    const xv = load<f32>(xr + (<usize>ow << 2));
    const d = dr + (<usize>(ow * Co) << 2);
    for (let c = c0; c < Co; c++) store<f32>(dwt + (<usize>c << 2), load<f32>(dwt + (<usize>c << 2)) + xv * load<f32>(d + (<usize>c << 2)));
  }
}

/** Scalar part of tap (i, j): channels [cv, Co) of the pixels in rows [oa, ob) × [pa, pb) (the
 *  tiles did channels below cv there), all channels of the tap's other in-image pixels. */
function wgScalar(dwt: usize, x: usize, dy: usize, H: i32, W: i32, sH: i32, Co: i32, i: i32, j: i32, sh: i32, padT: i32, padL: i32,
  dh: i32, dwl: i32, Ho: i32, Wo: i32, oa: i32, ob: i32, pa: i32, pb: i32, cv: i32): void {
  const off = j * dwl - padL;
  const r0 = rowsLo(i, sh, padT, dh, Ho), r1 = rowsHi(i, sh, padT, dh, H, Ho);
  const c0 = max(0, -off), c1 = min(Wo, W - off);
  for (let oh = r0; oh < r1; oh++) {
    const xr = x + (<usize>((oh * sh - padT + i * dh) * sH + off) << 2);
    const dr = dy + (<usize>(oh * Wo * Co) << 2);
    if (oh < oa || oh >= ob) { wgRun(dwt, xr, dr, Co, c0, c1, 0); continue; }
    wgRun(dwt, xr, dr, Co, c0, min(pa, c1), 0);
    if (cv < Co) wgRun(dwt, xr, dr, Co, max(pa, c0), min(pb, c1), cv);
    wgRun(dwt, xr, dr, Co, max(pb, c0), c1, 0);
  }
}

/** dyP = dy [Ho, Wo, Co] in groups of 4 pixels (see above): 4×4 transposes, the last channel block
 *  overlapping the previous one (same values rewritten); scalar when Co < 4. */
function packGroups(dyP: usize, dy: usize, Ho: i32, Wo: i32, Co: i32): void {
  const G = Wo >> 2, px = <usize>Co << 2;
  for (let oh = 0; oh < Ho; oh++) for (let g = 0; g < G; g++) {
    const s = dy + <usize>(oh * Wo + 4 * g) * px, d = dyP + <usize>(oh * G + g) * (px << 2);
    if (Co < 4) {
      for (let c = 0; c < Co; c++) for (let q = 0; q < 4; q++) store<f32>(d + (<usize>(c * 4 + q) << 2), load<f32>(s + <usize>q * px + (<usize>c << 2)));
      continue;
    }
    for (let c = 0; c < Co; c += 4) {
      const cb = <usize>min(c, Co - 4) << 2;
      const r0 = v128.load(s + cb), r1 = v128.load(s + px + cb), r2 = v128.load(s + 2 * px + cb), r3 = v128.load(s + 3 * px + cb);
      const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t2 = f32x4.shuffle(r0, r1, 2, 6, 3, 7), t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const o = d + (cb << 2);
      v128.store(o, f32x4.shuffle(t0, t1, 0, 1, 4, 5));
      v128.store(o, f32x4.shuffle(t0, t1, 2, 3, 6, 7), 16);
      v128.store(o, f32x4.shuffle(t2, t3, 0, 1, 4, 5), 32);
      v128.store(o, f32x4.shuffle(t2, t3, 2, 3, 6, 7), 48);
    }
  }
}

/** dw [kh*kw, Co] += the weight gradient of one one-channel image: x (rows sH floats apart, pixels
 *  adjacent), dy [Ho, Wo, Co] contiguous; dyP: scratch for dy packed as above (Ho*(Wo/4)*Co*4
 *  floats). Horizontal stride 1; any vertical stride, dilation and padding. */
export function wgrad_nhwc_c1_f32(dw: usize, x: usize, dyP: usize, dy: usize, H: i32, W: i32, sH: i32, Co: i32,
  kh: i32, kw: i32, sh: i32, padT: i32, padL: i32, dh: i32, dwl: i32, Ho: i32, Wo: i32): void {
  const G = Wo >> 2, K = kh * kw;
  packGroups(dyP, dy, Ho, Wo, Co);
  const xRow = <usize>(sh * sH) << 2, dRow = <usize>(G * Co) << 4;
  for (let t = 0; t < K; t += 2) {
    // taps t and t + 1 (t alone when K is odd: its partner's results are dropped)
    const t1 = min(t + 1, K - 1), both = t1 != t;
    const i0 = t / kw, j0 = t - i0 * kw, i1 = t1 / kw, j1 = t1 - i1 * kw;
    const off0 = j0 * dwl - padL, off1 = j1 * dwl - padL;
    // output rows and 4-pixel groups where both taps are inside the image
    const oa = max(rowsLo(i0, sh, padT, dh, Ho), rowsLo(i1, sh, padT, dh, Ho));
    let ob = max(oa, min(rowsHi(i0, sh, padT, dh, H, Ho), rowsHi(i1, sh, padT, dh, H, Ho)));
    const ga = min(G, (max(0, max(-off0, -off1)) + 3) >> 2);
    const gb = max(ga, min(G, min(W - off0, W - off1) >> 2));
    if (ga == gb) ob = oa;
    const dw0 = dw + (<usize>(t * Co) << 2), dw1 = dw + (<usize>(t1 * Co) << 2);
    let c = 0;
    if (oa < ob) {
      const xa = x + (<usize>((oa * sh - padT + i0 * dh) * sH + off0) << 2);
      const xb = x + (<usize>((oa * sh - padT + i1 * dh) * sH + off1) << 2);
      const dp = dyP + <usize>oa * dRow;
      for (; c + 4 <= Co; c += 4) {
        wgTile(4, dw0 + (<usize>c << 2), dw1 + (<usize>c << 2), xa, xb, dp + (<usize>c << 4), oa, ob, ga, gb, xRow, dRow, Co, both);
      }
      if (c + 2 <= Co) {
        wgTile(2, dw0 + (<usize>c << 2), dw1 + (<usize>c << 2), xa, xb, dp + (<usize>c << 4), oa, ob, ga, gb, xRow, dRow, Co, both);
        c += 2;
      }
    }
    wgScalar(dw0, x, dy, H, W, sH, Co, i0, j0, sh, padT, padL, dh, dwl, Ho, Wo, oa, ob, ga << 2, gb << 2, c);
    if (both) wgScalar(dw1, x, dy, H, W, sH, Co, i1, j1, sh, padT, padL, dh, dwl, Ho, Wo, oa, ob, ga << 2, gb << 2, c);
  }
}
