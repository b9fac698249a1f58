// The standard LSTM cell's pointwise math, forward and backward, fused (sigmoid gates, tanh cell).
// Rows are batch entries; all buffers are contiguous except cPrev and dhc, whose row strides (in
// elements) are parameters. `order` says where each gate's block sits in a row of xg / hg / dz:
// bits 0-1 the block of i, 2-3 of f, 4-5 of g, 6-7 of o (PyTorch's and Keras' i, f, g, o is 0xE4;
// ONNX's i, o, f, c is 0x78), so imported weights run without being reordered. act is always i, f, g, o.
import { sigmoidV, tanhV } from '../simd';

const ONE = f32x4.splat(1);

/**
 * z = xg + hg ([B, 4H] each); act = [sigmoid(z_i), sigmoid(z_f), tanh(z_g), sigmoid(z_o)];
 * c = f * cPrev + i * g; h = o * tanh(c); hc [B, 2H] = [h | c]. act [B, 4H].
 */
export function lstm_cell_f32(hc: usize, act: usize, xg: usize, hg: usize, cPrev: usize, cStride: i32, B: i32, H: i32, order: i32): void {
  const H4 = <usize>H << 2; // bytes of one gate block
  const bi = <usize>(order & 3) * H4, bf = <usize>((order >> 2) & 3) * H4, bg = <usize>((order >> 4) & 3) * H4, bo = <usize>((order >> 6) & 3) * H4;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>(b * 4 * H) << 2;
    const pz = xg + g0, ph = hg + g0, pa = act + g0;
    const pc = cPrev + (<usize>(b * cStride) << 2);
    const po = hc + (<usize>(b * 2 * H) << 2);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const i4 = sigmoidV(f32x4.add(v128.load(pz + bi + o), v128.load(ph + bi + o)));
      const f4 = sigmoidV(f32x4.add(v128.load(pz + bf + o), v128.load(ph + bf + o)));
      const g4 = tanhV(f32x4.add(v128.load(pz + bg + o), v128.load(ph + bg + o)));
      const o4 = sigmoidV(f32x4.add(v128.load(pz + bo + o), v128.load(ph + bo + o)));
      const c4 = f32x4.add(f32x4.mul(f4, v128.load(pc + o)), f32x4.mul(i4, g4));
      v128.store(pa + o, i4); v128.store(pa + H4 + o, f4); v128.store(pa + 2 * H4 + o, g4); v128.store(pa + 3 * H4 + o, o4);
      v128.store(po + o, f32x4.mul(o4, tanhV(c4)));
      v128.store(po + H4 + o, c4);
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      const zi = f32x4.splat(load<f32>(pz + bi + o) + load<f32>(ph + bi + o));
      const zf = f32x4.splat(load<f32>(pz + bf + o) + load<f32>(ph + bf + o));
      const zg = f32x4.splat(load<f32>(pz + bg + o) + load<f32>(ph + bg + o));
      const zo = f32x4.splat(load<f32>(pz + bo + o) + load<f32>(ph + bo + o));
      const i1 = f32x4.extract_lane(sigmoidV(zi), 0), f1 = f32x4.extract_lane(sigmoidV(zf), 0);
      const g1 = f32x4.extract_lane(tanhV(zg), 0), o1 = f32x4.extract_lane(sigmoidV(zo), 0);
      const c1 = f1 * load<f32>(pc + o) + i1 * g1;
      store<f32>(pa + o, i1); store<f32>(pa + H4 + o, f1); store<f32>(pa + 2 * H4 + o, g1); store<f32>(pa + 3 * H4 + o, o1);
      store<f32>(po + o, o1 * f32x4.extract_lane(tanhV(f32x4.splat(c1)), 0));
      store<f32>(po + H4 + o, c1);
    }
  }
}

/**
 * Backward of lstm_cell_f32. dhc [B, 2H] = [dh | dc] (row stride dhcStride); act and hc as the
 * forward wrote them; cPrev (row stride cStride). Writes dz [B, 4H] (the gradient of both xg and
 * hg) and dcPrev [B, H]:
 * dc_t = dc + dh * o * (1 - tanh(c)^2); dz_i = dc_t g i (1-i); dz_f = dc_t cPrev f (1-f);
 * dz_g = dc_t i (1-g^2); dz_o = dh tanh(c) o (1-o); dcPrev = dc_t f.
 */
export function lstm_cell_bwd_f32(dz: usize, dcPrev: usize, dhc: usize, dhcStride: i32, act: usize, hc: usize,
  cPrev: usize, cStride: i32, B: i32, H: i32, order: i32): void {
  const H4 = <usize>H << 2;
  const bi = <usize>(order & 3) * H4, bf = <usize>((order >> 2) & 3) * H4, bg = <usize>((order >> 4) & 3) * H4, bo = <usize>((order >> 6) & 3) * H4;
  for (let b = 0; b < B; b++) {
    const g0 = <usize>(b * 4 * H) << 2;
    const pa = act + g0, pd = dz + g0;
    const pc = cPrev + (<usize>(b * cStride) << 2);
    const py = hc + (<usize>(b * 2 * H) << 2);
    const pdy = dhc + (<usize>(b * dhcStride) << 2);
    const pdc = dcPrev + (<usize>(b * H) << 2);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const i4 = v128.load(pa + o), f4 = v128.load(pa + H4 + o), g4 = v128.load(pa + 2 * H4 + o), o4 = v128.load(pa + 3 * H4 + o);
      const tc = tanhV(v128.load(py + H4 + o));
      const dh = v128.load(pdy + o);
      const dc = f32x4.add(v128.load(pdy + H4 + o), f32x4.mul(f32x4.mul(dh, o4), f32x4.sub(ONE, f32x4.mul(tc, tc))));
      v128.store(pd + bi + o, f32x4.mul(f32x4.mul(dc, g4), f32x4.mul(i4, f32x4.sub(ONE, i4))));
      v128.store(pd + bf + o, f32x4.mul(f32x4.mul(dc, v128.load(pc + o)), f32x4.mul(f4, f32x4.sub(ONE, f4))));
      v128.store(pd + bg + o, f32x4.mul(f32x4.mul(dc, i4), f32x4.sub(ONE, f32x4.mul(g4, g4))));
      v128.store(pd + bo + o, f32x4.mul(f32x4.mul(dh, tc), f32x4.mul(o4, f32x4.sub(ONE, o4))));
      v128.store(pdc + o, f32x4.mul(dc, f4));
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      const i1 = load<f32>(pa + o), f1 = load<f32>(pa + H4 + o), g1 = load<f32>(pa + 2 * H4 + o), o1 = load<f32>(pa + 3 * H4 + o);
      const tc = f32x4.extract_lane(tanhV(f32x4.splat(load<f32>(py + H4 + o))), 0);
      const dh = load<f32>(pdy + o);
      const dc = load<f32>(pdy + H4 + o) + dh * o1 * (1 - tc * tc);
      store<f32>(pd + bi + o, dc * g1 * i1 * (1 - i1));
      store<f32>(pd + bf + o, dc * load<f32>(pc + o) * f1 * (1 - f1));
      store<f32>(pd + bg + o, dc * i1 * (1 - g1 * g1));
      store<f32>(pd + bo + o, dh * tc * o1 * (1 - o1));
      store<f32>(pdc + o, dc * f1);
    }
  }
}
