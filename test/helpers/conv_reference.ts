// Float64 references for convolution, pooling, padding and upsampling (NCHW, flat arrays), used by
// test/ops/conv.test.ts and test/keras/conv.test.ts.

export interface Geom { sh: number; sw: number; pt: number; pb: number; pl: number; pr: number; dh: number; dw: number; groups: number }

export const outSize = (n: number, k: number, s: number, p0: number, p1: number, d: number) =>
  Math.floor((n + p0 + p1 - d * (k - 1) - 1) / s) + 1;

/** y [N, Co, Ho, Wo] of x [N, C, H, W], w [Co, C/g, kh, kw], optional bias. */
export function refConv2d(x: number[], xs: number[], w: number[], ws: number[], b: number[] | null, g: Geom): { y: number[]; shape: number[] } {
  const [N, C, H, W] = xs, [Co, Cg, kh, kw] = ws;
  const Ho = outSize(H, kh, g.sh, g.pt, g.pb, g.dh), Wo = outSize(W, kw, g.sw, g.pl, g.pr, g.dw);
  const Mg = Co / g.groups;
  const y = new Array<number>(N * Co * Ho * Wo).fill(0);
  for (let n = 0; n < N; n++) for (let co = 0; co < Co; co++) {
    const q = Math.floor(co / Mg);
    for (let oh = 0; oh < Ho; oh++) for (let ow = 0; ow < Wo; ow++) {
      let s = b ? b[co] : 0;
      for (let ci = 0; ci < Cg; ci++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
        const ih = oh * g.sh - g.pt + i * g.dh, iw = ow * g.sw - g.pl + j * g.dw;
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
        s += x[((n * C + q * Cg + ci) * H + ih) * W + iw] * w[((co * Cg + ci) * kh + i) * kw + j];
      }
      y[((n * Co + co) * Ho + oh) * Wo + ow] = s;
    }
  }
  return { y, shape: [N, Co, Ho, Wo] };
}

/** Gradients of sum(y * dy) of refConv2d with respect to x and w. */
export function refConv2dGrads(x: number[], xs: number[], w: number[], ws: number[], dy: number[], g: Geom): { dx: number[]; dw: number[] } {
  const [N, C, H, W] = xs, [Co, Cg, kh, kw] = ws;
  const Ho = outSize(H, kh, g.sh, g.pt, g.pb, g.dh), Wo = outSize(W, kw, g.sw, g.pl, g.pr, g.dw);
  const Mg = Co / g.groups;
  const dx = new Array<number>(x.length).fill(0), dw = new Array<number>(w.length).fill(0);
  for (let n = 0; n < N; n++) for (let co = 0; co < Co; co++) {
    const q = Math.floor(co / Mg);
    for (let oh = 0; oh < Ho; oh++) for (let ow = 0; ow < Wo; ow++) {
      const gy = dy[((n * Co + co) * Ho + oh) * Wo + ow];
      for (let ci = 0; ci < Cg; ci++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
        const ih = oh * g.sh - g.pt + i * g.dh, iw = ow * g.sw - g.pl + j * g.dw;
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
        const xi = ((n * C + q * Cg + ci) * H + ih) * W + iw, wi = ((co * Cg + ci) * kh + i) * kw + j;
        dx[xi] += gy * w[wi];
        dw[wi] += gy * x[xi];
      }
    }
  }
  return { dx, dw };
}

export interface PoolGeom { kh: number; kw: number; sh: number; sw: number; pt: number; pb: number; pl: number; pr: number; dh: number; dw: number; Ho: number; Wo: number }

/** Max pooling of NC planes with PyTorch's flat indices (first max wins). */
export function refMaxPool(x: number[], NC: number, H: number, W: number, p: PoolGeom): { y: number[]; idx: number[] } {
  const y: number[] = [], idx: number[] = [];
  for (let c = 0; c < NC; c++) for (let oh = 0; oh < p.Ho; oh++) for (let ow = 0; ow < p.Wo; ow++) {
    let best = -Infinity, bi = -1;
    for (let i = 0; i < p.kh; i++) for (let j = 0; j < p.kw; j++) {
      const ih = oh * p.sh - p.pt + i * p.dh, iw = ow * p.sw - p.pl + j * p.dw;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      const v = x[(c * H + ih) * W + iw];
      if (bi < 0 || v > best) { best = v; bi = ih * W + iw; }
    }
    y.push(best); idx.push(bi);
  }
  return { y, idx };
}

/** Average pooling as PyTorch's avg_pool2d (countIncludePad counts padding inside [-p, H + pb)). */
export function refAvgPool(x: number[], NC: number, H: number, W: number, p: PoolGeom, countIncludePad: boolean, divisorOverride = 0): number[] {
  const y: number[] = [];
  for (let c = 0; c < NC; c++) for (let oh = 0; oh < p.Ho; oh++) for (let ow = 0; ow < p.Wo; ow++) {
    const h0 = oh * p.sh - p.pt, w0 = ow * p.sw - p.pl;
    const he = Math.min(h0 + p.kh, H + p.pb), we = Math.min(w0 + p.kw, W + p.pr);
    let s = 0, n = 0;
    for (let ih = Math.max(h0, 0); ih < Math.min(he, H); ih++) for (let iw = Math.max(w0, 0); iw < Math.min(we, W); iw++) { s += x[(c * H + ih) * W + iw]; n++; }
    y.push(s / (divisorOverride || (countIncludePad ? (he - h0) * (we - w0) : n)));
  }
  return y;
}

/** Adaptive average pooling with PyTorch's start = floor(o*H/Ho), end = ceil((o+1)*H/Ho). */
export function refAdaptiveAvg(x: number[], NC: number, H: number, W: number, Ho: number, Wo: number): number[] {
  const y: number[] = [];
  for (let c = 0; c < NC; c++) for (let oh = 0; oh < Ho; oh++) for (let ow = 0; ow < Wo; ow++) {
    const ha = Math.floor(oh * H / Ho), hb = Math.ceil((oh + 1) * H / Ho);
    const wa = Math.floor(ow * W / Wo), wb = Math.ceil((ow + 1) * W / Wo);
    let s = 0;
    for (let ih = ha; ih < hb; ih++) for (let iw = wa; iw < wb; iw++) s += x[(c * H + ih) * W + iw];
    y.push(s / ((hb - ha) * (wb - wa)));
  }
  return y;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return m;
}
