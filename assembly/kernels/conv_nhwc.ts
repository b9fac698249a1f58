// Channels-last (NHWC) convolution helpers: im2col / col2im over one image's range of output
// pixels. The host runs the GEMM between them (matmul_f32): cols [P, kh*kw*C] · W [kh*kw*C, Co]
// is the NHWC output [P, Co] directly, with W in Keras' [kh, kw, in, out] layout as it is stored.
//
// Geometry: image [H, W, C], kernel kh×kw, stride sh×sw, dilation dh×dw, padding padT / padL
// (bottom / right padding is implied by the output size); output pixel p = oh*Wo + ow. cols row
// p - p0 holds, for k = (i*kw + j)*C + c, x[oh*sh - padT + i*dh, ow*sw - padL + j*dw, c], or 0
// where that tap falls outside the image. Runs of C channels (kw*C without dilation) are contiguous
// in both x and cols, so rows are built by a few run copies. One-channel inputs have direct
// kernels instead (conv_nhwc_c1.ts).

/** d[0..n) = s[0..n). With n >= 4: whole vectors, then one vector over the last 4 (rewriting a few
 *  floats with the same values) instead of a scalar tail; these runs are short (kw*C floats). */
// @ts-ignore: decorator
@inline function copyRun(d: usize, s: usize, n: i32): void {
  if (n < 4) {
    for (let t = 0; t < n; t++) store<f32>(d + (<usize>t << 2), load<f32>(s + (<usize>t << 2)));
    return;
  }
  let t = 0;
  for (; t + 4 <= n; t += 4) v128.store(d + (<usize>t << 2), v128.load(s + (<usize>t << 2)));
  if (t < n) v128.store(d + (<usize>(n - 4) << 2), v128.load(s + (<usize>(n - 4) << 2)));
}

/** d[0..n) = 0. */
// @ts-ignore: decorator
@inline function zeroRun(d: usize, n: i32): void {
  if (n >= 4) {
    let t = 0;
    for (; t + 4 <= n; t += 4) v128.store(d + (<usize>t << 2), f32x4.splat(0));
    if (t < n) v128.store(d + (<usize>(n - 4) << 2), f32x4.splat(0));
    return;
  }
  for (let t = 0; t < n; t++) store<f32>(d + (<usize>t << 2), 0);
}

/** d[0..n) += s[0..n). */
// @ts-ignore: decorator
@inline function addRun(d: usize, s: usize, n: i32): void {
  let t = 0;
  for (; t + 4 <= n; t += 4) {
    const o = <usize>t << 2;
    v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o)));
  }
  for (; t < n; t++) {
    const o = <usize>t << 2;
    store<f32>(d + o, load<f32>(d + o) + load<f32>(s + o));
  }
}

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

/** One tap row (kw taps of C channels) of one output pixel, any strides; taps outside [0, W) are
 *  zeros. src is the input row ih. Not inlined: it runs for edge pixels and strided views only. */
function edgeTaps(dst: usize, src: usize, w0: i32, W: i32, C: i32, sW: i32, sC: i32, kw: i32, dw: i32): void {
  for (let j = 0; j < kw; j++) {
    const iw = w0 + j * dw;
    const d = dst + (<usize>(j * C) << 2);
    const s = src + (<usize>(iw * sW) << 2);
    if (iw < 0 || iw >= W) zeroRun(d, C);
    else for (let c = 0; c < C; c++) store<f32>(d + (<usize>c << 2), load<f32>(s + (<usize>(c * sC) << 2)));
  }
}

/** Rows p0..p1 of one image's cols (see header), written at cols (row stride kh*kw*C floats). x is
 *  the image's [0, 0, 0] element, read through element strides sH, sW, sC (any view of [H, W, C]);
 *  cols must not overlap x. Works one output row and one tap row at a time, so pixels whose
 *  window is inside the image copy one run of kw*C floats in a tight loop. */
export function im2col_nhwc_f32(cols: usize, x: usize, H: i32, W: i32, C: i32, sH: i32, sW: i32, sC: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32, Wo: i32, p0: i32, p1: i32): void {
  const KB = <usize>(kh * kw * C) << 2, run = kw * C;
  // A tap row's kw pixels are one run of kw*C floats in x (no dilation, pixels C apart).
  const dense = sC == 1 && sW == C && dw == 1;
  let p = p0;
  while (p < p1) {
    const oh = p / Wo, a = p - oh * Wo, b = min(Wo, a + p1 - p);
    const base = cols + <usize>(p - p0) * KB;
    const lo = dense ? interiorLo(a, b, sw, padL) : b, hi = dense ? interiorHi(lo, b, W, kw, sw, padL, dw) : b;
    for (let i = 0; i < kh; i++) {
      const ih = oh * sh - padT + i * dh;
      let d = base + (<usize>(i * run) << 2);
      if (ih < 0 || ih >= H) {
        for (let ow = a; ow < b; ow++) { zeroRun(d, run); d += KB; }
        continue;
      }
      const src = x + (<usize>(ih * sH) << 2);
      for (let ow = a; ow < b; ow++) {
        const w0 = ow * sw - padL;
        if (ow >= lo && ow < hi) copyRun(d, src + (<usize>(w0 * C) << 2), run);
        else edgeTaps(d, src, w0, W, C, sW, sC, kw, dw);
        d += KB;
      }
    }
    p += b - a;
  }
}

/** The adjoint of im2col_nhwc_f32 for rows p0..p1: dx[tap] += cols[row, k] over every in-image tap.
 *  dx is one contiguous image [H, W, C], accumulated into (the host zeroes it first); it must
 *  not overlap cols. */
export function col2im_nhwc_f32(dx: usize, cols: usize, H: i32, W: i32, C: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32, Wo: i32, p0: i32, p1: i32): void {
  const KB = <usize>(kh * kw * C) << 2, run = kw * C;
  let p = p0;
  while (p < p1) {
    const oh = p / Wo, a = p - oh * Wo, b = min(Wo, a + p1 - p);
    const base = cols + <usize>(p - p0) * KB;
    for (let i = 0; i < kh; i++) {
      const ih = oh * sh - padT + i * dh;
      if (ih < 0 || ih >= H) continue;
      const dst = dx + (<usize>(ih * W * C) << 2);
      let src = base + (<usize>(i * run) << 2);
      for (let ow = a; ow < b; ow++) {
        const w0 = ow * sw - padL;
        if (dw == 1 && w0 >= 0 && w0 + kw <= W) addRun(dst + (<usize>(w0 * C) << 2), src, run);
        else {
          for (let j = 0; j < kw; j++) {
            const iw = w0 + j * dw;
            if (iw >= 0 && iw < W) addRun(dst + (<usize>(iw * C) << 2), src + (<usize>(j * C) << 2), C);
          }
        }
        src += KB;
      }
    }
    p += b - a;
  }
}
