// 2-D convolution helpers: im2col / col2im (the GEMM lowering), per-channel bias add and sum, and
// a direct depthwise convolution. One call covers one image and one channel group; the host loops
// over images and groups and runs the GEMM (matmul_f32) between them.
//
// Geometry shared by every kernel: input [C, H, W], kernel kh×kw, stride sh×sw, dilation dh×dw,
// padding padT (top) and padL (left), output Ho×Wo. Bottom/right padding is implied by Ho/Wo
// (asymmetric 'same' padding needs nothing more): taps that fall outside [0,H)×[0,W) read zero.
// cols row r = (c*kh + i)*kw + j holds the Ho*Wo values x[c, oh*sh - padT + i*dh, ow*sw - padL + j*dw],
// which is PyTorch's flattening of a weight [Cout, C, kh, kw].

// @ts-ignore: decorator
@inline function floorDiv(a: i32, b: i32): i32 { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/** First ow whose column ow*s + off is >= 0, and one past the last whose column is < W. */
// @ts-ignore: decorator
@inline function validLo(off: i32, s: i32): i32 { return off >= 0 ? 0 : (-off + s - 1) / s; }
// @ts-ignore: decorator
@inline function validHi(off: i32, s: i32, W: i32, Wo: i32): i32 {
  const last = W - 1 - off;
  return last < 0 ? 0 : min(Wo, floorDiv(last, s) + 1);
}

// Rows of cols are short (Wo floats: 8 and 24 for LeNet), where memory.copy / memory.fill cost a
// call each; these inline loops made LeNet's im2col about 3× faster.
// @ts-ignore: decorator
@inline function copyRun(d: usize, s: usize, n: i32): void {
  let t = 0;
  for (; t + 4 <= n; t += 4) v128.store(d + (<usize>t << 2), v128.load(s + (<usize>t << 2)));
  for (; t < n; t++) store<f32>(d + (<usize>t << 2), load<f32>(s + (<usize>t << 2)));
}
// @ts-ignore: decorator
@inline function zeroRun(d: usize, n: i32): void {
  let t = 0;
  for (; t + 4 <= n; t += 4) v128.store(d + (<usize>t << 2), f32x4.splat(0));
  for (; t < n; t++) store<f32>(d + (<usize>t << 2), 0);
}

/** d[k] += s[k] for k < n. */
// @ts-ignore: decorator
@inline function addRun(d: usize, s: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o)));
  }
  for (; k < n; k++) {
    const o = <usize>k << 2;
    store<f32>(d + o, load<f32>(d + o) + load<f32>(s + o));
  }
}
/** d[k] += s[k] * w for k < n; wv = f32x4.splat(w), hoisted by the caller. */
// @ts-ignore: decorator
@inline function axpyRun(d: usize, s: usize, n: i32, w: f32, wv: v128): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    v128.store(d + o, f32x4.add(v128.load(d + o), f32x4.mul(v128.load(s + o), wv)));
  }
  for (; k < n; k++) {
    const o = <usize>k << 2;
    store<f32>(d + o, load<f32>(d + o) + load<f32>(s + o) * w);
  }
}

/** cols[r*ld + oh*Wo + ow] (see header) for r < C*kh*kw. x is read through element strides
 *  (sC, sH, sW), so channels-last views need no copy. cols must not overlap x; ld >= Ho*Wo. */
export function im2col_f32(cols: usize, x: usize, C: i32, H: i32, W: i32, sC: i32, sH: i32, sW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32, Ho: i32, Wo: i32, ld: i32): void {
  for (let c = 0; c < C; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    const row = cols + (<usize>(((c * kh + i) * kw + j) * ld) << 2);
    const off = j * dw - padL;
    const lo = min(validLo(off, sw), Wo);
    const hi = max(validHi(off, sw, W, Wo), lo);
    for (let oh = 0; oh < Ho; oh++) {
      const ih = oh * sh - padT + i * dh;
      const dst = row + (<usize>(oh * Wo) << 2);
      if (ih < 0 || ih >= H) { zeroRun(dst, Wo); continue; }
      if (lo > 0) zeroRun(dst, lo);
      if (hi < Wo) zeroRun(dst + (<usize>hi << 2), Wo - hi);
      const src = x + (<usize>(c * sC + ih * sH) << 2);
      if (sw == 1 && sW == 1) {
        copyRun(dst + (<usize>lo << 2), src + (<usize>(lo + off) << 2), hi - lo);
      } else {
        const step = sw * sW;
        let p = src + (<usize>((lo * sw + off) * sW) << 2);
        for (let ow = lo; ow < hi; ow++) {
          store<f32>(dst + (<usize>ow << 2), load<f32>(p));
          p += <usize>step << 2;
        }
      }
    }
  }
}

/** The adjoint of im2col: x = 0, then x[c, ih, iw] += cols[r*ld + oh*Wo + ow] over every tap.
 *  x is contiguous [C, H, W] and is overwritten; it must not overlap cols. */
export function col2im_f32(x: usize, cols: usize, C: i32, H: i32, W: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32, Ho: i32, Wo: i32, ld: i32): void {
  memory.fill(x, 0, <usize>(C * H * W) << 2);
  for (let c = 0; c < C; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    const row = cols + (<usize>(((c * kh + i) * kw + j) * ld) << 2);
    const off = j * dw - padL;
    const lo = min(validLo(off, sw), Wo);
    const hi = max(validHi(off, sw, W, Wo), lo);
    for (let oh = 0; oh < Ho; oh++) {
      const ih = oh * sh - padT + i * dh;
      if (ih < 0 || ih >= H) continue;
      const src = row + (<usize>(oh * Wo) << 2);
      const dst = x + (<usize>((c * H + ih) * W) << 2);
      if (sw == 1) {
        addRun(dst + (<usize>(lo + off) << 2), src + (<usize>lo << 2), hi - lo);
      } else {
        for (let ow = lo; ow < hi; ow++) {
          const p = dst + (<usize>(ow * sw + off) << 2);
          store<f32>(p, load<f32>(p) + load<f32>(src + (<usize>ow << 2)));
        }
      }
    }
  }
}

/** x[n, c, p] += bias[c] for contiguous x [N, C, P]. */
export function channel_bias_add_f32(x: usize, bias: usize, N: i32, C: i32, P: i32): void {
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) {
    const b = load<f32>(bias + (<usize>c << 2));
    const bv = f32x4.splat(b);
    const row = x + (<usize>((n * C + c) * P) << 2);
    let p = 0;
    for (; p + 4 <= P; p += 4) {
      const o = row + (<usize>p << 2);
      v128.store(o, f32x4.add(v128.load(o), bv));
    }
    for (; p < P; p++) {
      const o = row + (<usize>p << 2);
      store<f32>(o, load<f32>(o) + b);
    }
  }
}

/** Direct depthwise convolution of one channel plane: out[oh, ow] = sum_ij w[i, j] *
 *  x[oh*sh - padT + i*dh, ow*sw - padL + j*dw] (zero outside), out contiguous Ho×Wo, x contiguous
 *  H×W, w contiguous kh×kw. Overwrites out. With sw == 1 the valid run of each tap row is added
 *  4 lanes at a time. */
function depthwise_plane_f32(out: usize, x: usize, w: usize, H: i32, W: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32, Ho: i32, Wo: i32): void {
  memory.fill(out, 0, <usize>(Ho * Wo) << 2);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    const wv = load<f32>(w + (<usize>(i * kw + j) << 2));
    const wsplat = f32x4.splat(wv);
    const off = j * dw - padL;
    const lo = min(validLo(off, sw), Wo);
    const hi = max(validHi(off, sw, W, Wo), lo);
    for (let oh = 0; oh < Ho; oh++) {
      const ih = oh * sh - padT + i * dh;
      if (ih < 0 || ih >= H) continue;
      const d = out + (<usize>(oh * Wo) << 2);
      const s = x + (<usize>(ih * W) << 2);
      if (sw == 1) {
        axpyRun(d + (<usize>lo << 2), s + (<usize>(lo + off) << 2), hi - lo, wv, wsplat);
      } else {
        for (let ow = lo; ow < hi; ow++) {
          const o = d + (<usize>ow << 2);
          store<f32>(o, load<f32>(o) + load<f32>(s + (<usize>(ow * sw + off) << 2)) * wv);
        }
      }
    }
  }
}

/** Adjoint of depthwise_plane_f32 in x: dx (H×W, overwritten) = Σ_taps w[i, j] * dy scattered back. */
function depthwise_plane_bwd_f32(dx: usize, dy: usize, w: usize, H: i32, W: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32, Ho: i32, Wo: i32): void {
  memory.fill(dx, 0, <usize>(H * W) << 2);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    const wv = load<f32>(w + (<usize>(i * kw + j) << 2));
    const wsplat = f32x4.splat(wv);
    const off = j * dw - padL;
    const lo = min(validLo(off, sw), Wo);
    const hi = max(validHi(off, sw, W, Wo), lo);
    for (let oh = 0; oh < Ho; oh++) {
      const ih = oh * sh - padT + i * dh;
      if (ih < 0 || ih >= H) continue;
      const g = dy + (<usize>(oh * Wo) << 2);
      const d = dx + (<usize>(ih * W) << 2);
      if (sw == 1) {
        axpyRun(d + (<usize>(lo + off) << 2), g + (<usize>lo << 2), hi - lo, wv, wsplat);
      } else {
        for (let ow = lo; ow < hi; ow++) {
          const o = d + (<usize>(ow * sw + off) << 2);
          store<f32>(o, load<f32>(o) + load<f32>(g + (<usize>ow << 2)) * wv);
        }
      }
    }
  }
}

/** Adjoint of depthwise_plane_f32 in w: gw[i, j] += Σ_{oh,ow} dy[oh, ow] * x[tap] (gw kh×kw, accumulated). */
function depthwise_plane_wgrad_f32(gw: usize, x: usize, dy: usize, H: i32, W: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32, Ho: i32, Wo: i32): void {
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    const off = j * dw - padL;
    const lo = min(validLo(off, sw), Wo);
    const hi = max(validHi(off, sw, W, Wo), lo);
    let acc = f32x4.splat(0);
    let s: f32 = 0;
    for (let oh = 0; oh < Ho; oh++) {
      const ih = oh * sh - padT + i * dh;
      if (ih < 0 || ih >= H) continue;
      const g = dy + (<usize>(oh * Wo) << 2);
      const r = x + (<usize>(ih * W) << 2);
      if (sw == 1) {
        const rr = r + (<usize>(lo + off) << 2), gg = g + (<usize>lo << 2);
        const n = hi - lo;
        let k = 0;
        for (; k + 4 <= n; k += 4) {
          const o = <usize>k << 2;
          acc = f32x4.add(acc, f32x4.mul(v128.load(gg + o), v128.load(rr + o)));
        }
        for (; k < n; k++) s += load<f32>(gg + (<usize>k << 2)) * load<f32>(rr + (<usize>k << 2));
      } else {
        for (let ow = lo; ow < hi; ow++) s += load<f32>(g + (<usize>ow << 2)) * load<f32>(r + (<usize>(ow * sw + off) << 2));
      }
    }
    const q = gw + (<usize>(i * kw + j) << 2);
    store<f32>(q, load<f32>(q) + s + f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  }
}

export const DW_FORWARD = 0, DW_INPUT_GRAD = 1, DW_WEIGHT_GRAD = 2;

/**
 * A depthwise plane kernel over every (image, channel) of N×C contiguous NCHW planes, in one call
 * (a call per plane from the host cost more than the planes of a 1-D conv over a few steps).
 * Operands by `kind`: DW_FORWARD (y, x, w), DW_INPUT_GRAD (dx, dy, w), DW_WEIGHT_GRAD (dw, x, dy);
 * x / dx planes are H×W, y / dy planes Ho×Wo, w / dw [C, kh, kw] (the weight gradient accumulates).
 */
export function depthwise_planes_f32(kind: i32, a: usize, b: usize, c: usize, N: i32, C: i32, H: i32, W: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32, Ho: i32, Wo: i32): void {
  const xPlane = <usize>(H * W) << 2, yPlane = <usize>(Ho * Wo) << 2, wPlane = <usize>(kh * kw) << 2;
  for (let n = 0; n < N; n++) for (let ch = 0; ch < C; ch++) {
    const plane = <usize>(n * C + ch), wo = <usize>ch * wPlane;
    if (kind == DW_FORWARD) depthwise_plane_f32(a + plane * yPlane, b + plane * xPlane, c + wo, H, W, kh, kw, sh, sw, padT, padL, dh, dw, Ho, Wo);
    else if (kind == DW_INPUT_GRAD) depthwise_plane_bwd_f32(a + plane * xPlane, b + plane * yPlane, c + wo, H, W, kh, kw, sh, sw, padT, padL, dh, dw, Ho, Wo);
    else depthwise_plane_wgrad_f32(a + wo, b + plane * xPlane, c + plane * yPlane, H, W, kh, kw, sh, sw, padT, padL, dh, dw, Ho, Wo);
  }
}
