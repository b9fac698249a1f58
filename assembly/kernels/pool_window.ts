// Average pooling's window divisor, shared by the NCHW (pool.ts) and NHWC (pool_nhwc.ts) kernels.
// Not re-exported by assembly/index.ts: inlined helpers only.

/** The divisor of the window starting at (h0, w0) (padding counted in h0, w0 < 0): divisorOverride
 *  when > 0, else the window clipped to the padded input when countIncludePad, else its taps inside
 *  the H×W input. */
// @ts-ignore: decorator
@inline export function avgDivisor(h0: i32, w0: i32, kh: i32, kw: i32, H: i32, W: i32, padB: i32, padR: i32,
  countIncludePad: i32, divisorOverride: i32): f32 {
  if (divisorOverride > 0) return <f32>divisorOverride;
  const he = min(h0 + kh, H + padB), we = min(w0 + kw, W + padR);
  if (countIncludePad) return <f32>((he - h0) * (we - w0));
  return <f32>((min(he, H) - max(h0, 0)) * (min(we, W) - max(w0, 0)));
}
