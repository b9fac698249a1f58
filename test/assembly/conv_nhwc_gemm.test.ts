// conv_nhwc_gemm_f32 (the NHWC convolution GEMM that reads its A operand straight from the image)
// against a float64 reference, and bit for bit against im2col_nhwc_f32 + matmul_f32 (the path it
// replaces): paddings, strides, dilations, odd channel counts (W's Co % 8 tail), pixel ranges that
// start and end mid-row, strided (non-dense) images, and guards around the output.
import { beforeAll, describe, expect, it } from 'vitest';
import { availableBuilds, loadRaw, type RawWasm } from '../helpers/raw_wasm';

interface Case {
  H: number; W: number; C: number; Co: number; kh: number; kw: number;
  sh: number; sw: number; pt: number; pl: number; pb: number; pr: number; dh: number; dw: number;
  range?: [number, number]; strided?: boolean;
}

const CASES: Case[] = [
  { H: 12, W: 12, C: 6, Co: 16, kh: 5, kw: 5, sh: 1, sw: 1, pt: 0, pl: 0, pb: 0, pr: 0, dh: 1, dw: 1 }, // LeNet conv2
  { H: 9, W: 11, C: 3, Co: 8, kh: 3, kw: 3, sh: 1, sw: 1, pt: 1, pl: 1, pb: 1, pr: 1, dh: 1, dw: 1 }, // 'same'
  { H: 10, W: 13, C: 5, Co: 13, kh: 3, kw: 2, sh: 2, sw: 3, pt: 1, pl: 0, pb: 2, pr: 1, dh: 1, dw: 1 },
  { H: 14, W: 15, C: 2, Co: 7, kh: 3, kw: 3, sh: 1, sw: 1, pt: 2, pl: 2, pb: 2, pr: 2, dh: 2, dw: 2 }, // dilated
  { H: 7, W: 9, C: 4, Co: 4, kh: 1, kw: 1, sh: 1, sw: 2, pt: 0, pl: 0, pb: 0, pr: 0, dh: 1, dw: 1 },
  { H: 13, W: 12, C: 3, Co: 8, kh: 3, kw: 3, sh: 1, sw: 2, pt: 0, pl: 0, pb: 0, pr: 0, dh: 2, dw: 1 }, // row dilation, column stride
  { H: 16, W: 16, C: 24, Co: 17, kh: 4, kw: 4, sh: 1, sw: 1, pt: 0, pl: 0, pb: 0, pr: 0, dh: 1, dw: 1 }, // K = 384
  { H: 12, W: 12, C: 6, Co: 16, kh: 5, kw: 5, sh: 1, sw: 1, pt: 0, pl: 0, pb: 0, pr: 0, dh: 1, dw: 1, range: [5, 58] },
  { H: 11, W: 10, C: 3, Co: 9, kh: 3, kw: 3, sh: 1, sw: 1, pt: 1, pl: 1, pb: 1, pr: 1, dh: 1, dw: 1, range: [13, 14] },
  { H: 9, W: 8, C: 5, Co: 12, kh: 3, kw: 3, sh: 1, sw: 1, pt: 0, pl: 1, pb: 0, pr: 1, dh: 1, dw: 1, strided: true },
];

const SENTINEL = -12345.5;
const GUARD = 16; // floats

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  };
}

function run(w: RawWasm, c: Case): void {
  const { H, W, C, Co, kh, kw, sh, sw, pt, pl, dh, dw } = c;
  const Ho = Math.floor((H + pt + c.pb - dh * (kh - 1) - 1) / sh) + 1, Wo = Math.floor((W + pl + c.pr - dw * (kw - 1) - 1) / sw) + 1;
  const K = kh * kw * C, P = Ho * Wo;
  const [p0, p1] = c.range ?? [0, P];
  const rows = p1 - p0;
  const label = JSON.stringify(c);
  w.reset();
  const bytes = w.exports.conv_nhwc_gemm_scratch_bytes(K, Co);
  expect(bytes, `${label} takes these sizes`).toBeGreaterThan(0);
  // x as a view: channels 2 apart and one spare pixel per row when strided.
  const [sC, sW, sH] = c.strided ? [2, 2 * C + 1, (2 * C + 1) * W + 3] : [1, C, W * C];
  const px = w.alloc(4 * sH * H), pw = w.alloc(4 * K * Co), po = w.alloc(4 * (rows * Co + 2 * GUARD)) + 4 * GUARD;
  const po2 = w.alloc(4 * rows * Co), cols = w.alloc(4 * Math.max(1, rows * K));
  const scratch = w.alloc(bytes), ms = w.alloc(w.exports.matmul_f32_scratch_bytes(rows, Co, K));
  const rnd = random(H * 131 + W * 17 + C * 7 + Co);
  const x64 = new Float64Array(H * W * C), w64 = new Float64Array(K * Co);
  let f = w.f32();
  for (let h = 0; h < H; h++) for (let q = 0; q < W; q++) for (let ch = 0; ch < C; ch++) {
    const v = Math.fround(rnd()); x64[(h * W + q) * C + ch] = v; f[(px >> 2) + h * sH + q * sW + ch * sC] = v;
  }
  for (let i = 0; i < K * Co; i++) { const v = Math.fround(rnd() * 0.5); w64[i] = v; f[(pw >> 2) + i] = v; }
  for (let i = -GUARD; i < rows * Co + GUARD; i++) f[(po >> 2) + i] = SENTINEL;
  w.exports.conv_nhwc_gemm_f32(po, px, pw, H, W, C, sH, sW, sC, kh, kw, sh, sw, pt, pl, dh, dw, Wo, Co, p0, p1, scratch);
  w.exports.im2col_nhwc_f32(cols, px, H, W, C, sH, sW, sC, kh, kw, sh, sw, pt, pl, dh, dw, Wo, p0, p1);
  w.exports.matmul_f32(po2, cols, pw, rows, Co, K, K, 1, Co, 1, Co, 0, rows, ms);
  f = w.f32();
  let worst = 0;
  for (let p = p0; p < p1; p++) {
    const oh = Math.floor(p / Wo), ow = p % Wo;
    for (let co = 0; co < Co; co++) {
      let s = 0;
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
        const ih = oh * sh - pt + i * dh, iw = ow * sw - pl + j * dw;
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
        for (let ch = 0; ch < C; ch++) s += x64[(ih * W + iw) * C + ch] * w64[((i * kw + j) * C + ch) * Co + co];
      }
      const err = Math.abs(f[(po >> 2) + (p - p0) * Co + co] - s);
      if (!(err <= worst)) worst = err;
    }
  }
  expect(worst, `${label} vs float64`).toBeLessThan(1e-5 * Math.sqrt(K));
  for (let i = 1; i <= GUARD; i++) {
    expect(f[(po >> 2) - i], `${label} guard before`).toBe(SENTINEL);
    expect(f[(po >> 2) + rows * Co - 1 + i], `${label} guard after`).toBe(SENTINEL);
  }
  const a = Array.from(f.subarray(po >> 2, (po >> 2) + rows * Co)), b = Array.from(f.subarray(po2 >> 2, (po2 >> 2) + rows * Co));
  expect(a, `${label} equals im2col + matmul_f32 bit for bit`).toEqual(b);
}

describe.each(availableBuilds())('conv_nhwc_gemm_f32 (%s build)', (build) => {
  let w: RawWasm;
  beforeAll(async () => { w = await loadRaw(build); });

  it('matches a float64 reference and im2col + matmul_f32 bitwise', () => {
    for (const c of CASES) run(w, c);
  });

  it('declines sizes it does not take (K over one k block, or W too large to read in place)', () => {
    expect(w.exports.conv_nhwc_gemm_scratch_bytes(385, 8)).toBe(0);
    expect(w.exports.conv_nhwc_gemm_scratch_bytes(300, 512)).toBe(0);
    expect(w.exports.conv_nhwc_gemm_scratch_bytes(0, 8)).toBe(0);
    expect(w.exports.conv_nhwc_gemm_scratch_bytes(150, 16)).toBeGreaterThan(0);
  });
});
