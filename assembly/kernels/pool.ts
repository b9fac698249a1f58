// 2-D pooling and nearest upsampling over NC contiguous planes (x [NC, H, W], out [NC, Ho, Wo]),
// PyTorch semantics. Backward kernels overwrite dx (zero it, then scatter-add dy).
// Padding: padT/padL shift the windows; padB/padR only matter for avg pooling's divisor.
// The loops are scalar: window bounds change per output element and stride 2 (the common case)
// would need lane shuffles; pooling is a few percent of a CNN step next to the convolutions.
import { avgDivisor } from './pool_window';

/** Max over each window (taps outside the input are skipped); idx gets the flat ih*W + iw of the
 *  max (first max wins; a NaN wins and the last NaN's index is kept), as PyTorch's max_pool2d_with_indices. A window with no
 *  tap inside the input (the host prevents it) yields -inf and index 0. */
export function maxpool2d_f32(out: usize, idx: usize, x: usize, NC: i32, H: i32, W: i32, Ho: i32, Wo: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32): void {
  for (let p = 0; p < NC; p++) {
    const xp = x + (<usize>(p * H * W) << 2);
    const o = <usize>(p * Ho * Wo) << 2;
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = oh * sh - padT;
      for (let ow = 0; ow < Wo; ow++) {
        const w0 = ow * sw - padL;
        let best: f32 = -Infinity;
        let bi = -1;
        for (let i = 0; i < kh; i++) {
          const ih = h0 + i * dh;
          if (ih < 0 || ih >= H) continue;
          for (let j = 0; j < kw; j++) {
            const iw = w0 + j * dw;
            if (iw < 0 || iw >= W) continue;
            const k = ih * W + iw;
            const v = load<f32>(xp + (<usize>k << 2));
            if (bi < 0 || v > best || v != v) { best = v; bi = k; }
          }
        }
        const q = o + (<usize>(oh * Wo + ow) << 2);
        store<f32>(out + q, best);
        store<i32>(idx + q, bi < 0 ? 0 : bi);
      }
    }
  }
}


/** Σ plane[ih*W + iw] over the window rows [ha, hb) × columns [wa, wb), row by row. */
// @ts-ignore: decorator
@inline function windowSum(plane: usize, W: i32, ha: i32, hb: i32, wa: i32, wb: i32): f32 {
  let s: f32 = 0;
  for (let ih = ha; ih < hb; ih++) for (let iw = wa; iw < wb; iw++) s += load<f32>(plane + (<usize>(ih * W + iw) << 2));
  return s;
}

/** plane[ih*W + iw] += g over the window rows [ha, hb) × columns [wa, wb). */
// @ts-ignore: decorator
@inline function windowAdd(plane: usize, W: i32, ha: i32, hb: i32, wa: i32, wb: i32, g: f32): void {
  for (let ih = ha; ih < hb; ih++) for (let iw = wa; iw < wb; iw++) {
    const q = plane + (<usize>(ih * W + iw) << 2);
    store<f32>(q, load<f32>(q) + g);
  }
}

/** Mean over each kh×kw window (no dilation, as PyTorch). Divisor: divisorOverride when > 0, else
 *  the window clipped to the padded input when countIncludePad, else the taps inside the input. */
export function avgpool2d_f32(out: usize, x: usize, NC: i32, H: i32, W: i32, Ho: i32, Wo: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, padT: i32, padB: i32, padL: i32, padR: i32, countIncludePad: i32, divisorOverride: i32): void {
  for (let p = 0; p < NC; p++) {
    const xp = x + (<usize>(p * H * W) << 2);
    const op = out + (<usize>(p * Ho * Wo) << 2);
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = oh * sh - padT;
      const ha = max(h0, 0), hb = min(h0 + kh, H);
      for (let ow = 0; ow < Wo; ow++) {
        const w0 = ow * sw - padL;
        const wa = max(w0, 0), wb = min(w0 + kw, W);
        const s = windowSum(xp, W, ha, hb, wa, wb);
        const div = avgDivisor(h0, w0, kh, kw, H, W, padB, padR, countIncludePad, divisorOverride);
        store<f32>(op + (<usize>(oh * Wo + ow) << 2), s / div);
      }
    }
  }
}

/** dx of avgpool2d_f32 (same arguments, dx overwritten). */
export function avgpool2d_bwd_f32(dx: usize, dy: usize, NC: i32, H: i32, W: i32, Ho: i32, Wo: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, padT: i32, padB: i32, padL: i32, padR: i32, countIncludePad: i32, divisorOverride: i32): void {
  memory.fill(dx, 0, <usize>(NC * H * W) << 2);
  for (let p = 0; p < NC; p++) {
    const xp = dx + (<usize>(p * H * W) << 2);
    const gp = dy + (<usize>(p * Ho * Wo) << 2);
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = oh * sh - padT;
      const ha = max(h0, 0), hb = min(h0 + kh, H);
      for (let ow = 0; ow < Wo; ow++) {
        const w0 = ow * sw - padL;
        const wa = max(w0, 0), wb = min(w0 + kw, W);
        const div = avgDivisor(h0, w0, kh, kw, H, W, padB, padR, countIncludePad, divisorOverride);
        windowAdd(xp, W, ha, hb, wa, wb, load<f32>(gp + (<usize>(oh * Wo + ow) << 2)) / div);
      }
    }
  }
}

/** Adaptive average pooling, PyTorch's windows: rows [floor(oh*H/Ho), ceil((oh+1)*H/Ho)), same for
 *  columns. bwd = 0 overwrites out with the mean; bwd = 1 overwrites `out` (as dx [NC, H, W]) with
 *  the adjoint of `x` (as dy [NC, Ho, Wo]). */
export function adaptive_avgpool2d_f32(out: usize, x: usize, NC: i32, H: i32, W: i32, Ho: i32, Wo: i32, bwd: i32): void {
  if (bwd) memory.fill(out, 0, <usize>(NC * H * W) << 2);
  for (let p = 0; p < NC; p++) {
    const hw = (bwd ? out : x) + (<usize>(p * H * W) << 2);
    const op = (bwd ? x : out) + (<usize>(p * Ho * Wo) << 2);
    for (let oh = 0; oh < Ho; oh++) {
      const ha = oh * H / Ho, hb = ((oh + 1) * H + Ho - 1) / Ho;
      for (let ow = 0; ow < Wo; ow++) {
        const wa = ow * W / Wo, wb = ((ow + 1) * W + Wo - 1) / Wo;
        const div = <f32>((hb - ha) * (wb - wa));
        const q = op + (<usize>(oh * Wo + ow) << 2);
        if (bwd) windowAdd(hw, W, ha, hb, wa, wb, load<f32>(q) / div);
        else store<f32>(q, windowSum(hw, W, ha, hb, wa, wb) / div);
      }
    }
  }
}

/** Nearest upsampling with source maps from the host (i32 mapH[Ho], mapW[Wo], values in range):
 *  bwd = 0: out[p, oh, ow] = x[p, mapH[oh], mapW[ow]];
 *  bwd = 1: out (as dx [NC, H, W]) = 0, then dx[p, mapH[oh], mapW[ow]] += x (as dy [NC, Ho, Wo]). */
export function upsample_nearest2d_f32(out: usize, x: usize, NC: i32, H: i32, W: i32, Ho: i32, Wo: i32,
  mapH: usize, mapW: usize, bwd: i32): void {
  if (bwd) memory.fill(out, 0, <usize>(NC * H * W) << 2);
  for (let p = 0; p < NC; p++) {
    const hw = (bwd ? out : x) + (<usize>(p * H * W) << 2);
    const op = (bwd ? x : out) + (<usize>(p * Ho * Wo) << 2);
    for (let oh = 0; oh < Ho; oh++) {
      const src = hw + (<usize>(load<i32>(mapH + (<usize>oh << 2)) * W) << 2);
      const dst = op + (<usize>(oh * Wo) << 2);
      if (bwd) {
        for (let ow = 0; ow < Wo; ow++) {
          const r = src + (<usize>load<i32>(mapW + (<usize>ow << 2)) << 2);
          store<f32>(r, load<f32>(r) + load<f32>(dst + (<usize>ow << 2)));
        }
      } else {
        for (let ow = 0; ow < Wo; ow++) {
          store<f32>(dst + (<usize>ow << 2), load<f32>(src + (<usize>load<i32>(mapW + (<usize>ow << 2)) << 2)));
        }
      }
    }
  }
}
