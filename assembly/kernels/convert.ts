// Byte-to-32-bit conversions for loading data files (idx images, uint8 labels): raw bytes were
// copied into linear memory by the host; these widen them in one pass.

/** out[i] = <f32>(<f64>x[i] * scale) for i < n; x is u8, out f32; out must not overlap x. The
 *  product is formed in f64, so for scale = 1/255 it equals x / 255 rounded once to f32 (as numpy's
 *  `x.astype(float32) / 255`), which an f32 multiply by f32(1/255) misses for half the bytes. */
export function u8_to_f32_scaled(out: usize, x: usize, n: i32, scale: f64): void {
  const s = f64x2.splat(scale);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const w = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load64_zero(x + <usize>i)));
    const w2 = i32x4.extend_high_i16x8_u(i16x8.extend_low_i8x16_u(v128.load64_zero(x + <usize>i)));
    const po = out + (<usize>i << 2);
    v128.store64_lane(po, f32x4.demote_f64x2_zero(f64x2.mul(f64x2.convert_low_i32x4_u(w), s)), 0);
    v128.store64_lane(po, f32x4.demote_f64x2_zero(f64x2.mul(f64x2.convert_low_i32x4_u(i32x4.shuffle(w, w, 2, 3, 0, 1)), s)), 0, 8);
    v128.store64_lane(po, f32x4.demote_f64x2_zero(f64x2.mul(f64x2.convert_low_i32x4_u(w2), s)), 0, 16);
    v128.store64_lane(po, f32x4.demote_f64x2_zero(f64x2.mul(f64x2.convert_low_i32x4_u(i32x4.shuffle(w2, w2, 2, 3, 0, 1)), s)), 0, 24);
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>(<f64>load<u8>(x + <usize>i) * scale));
}

/** out[i] = <i32>x[i] for i < n; x is u8, out i32. out must not overlap x. */
export function u8_to_i32(out: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const b = v128.load(x + <usize>i);
    const lo = i16x8.extend_low_i8x16_u(b);
    const hi = i16x8.extend_high_i8x16_u(b);
    const po = out + (<usize>i << 2);
    v128.store(po, i32x4.extend_low_i16x8_u(lo));
    v128.store(po, i32x4.extend_high_i16x8_u(lo), 16);
    v128.store(po, i32x4.extend_low_i16x8_u(hi), 32);
    v128.store(po, i32x4.extend_high_i16x8_u(hi), 48);
  }
  for (; i < n; i++) store<i32>(out + (<usize>i << 2), <i32>load<u8>(x + <usize>i));
}
