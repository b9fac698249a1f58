// Seeded random numbers, xoshiro128** (see: Blackman & Vigna, prng.di.unimi.it). The 16-byte
// generator state lives in host-owned memory at `state` and is advanced in place, so the host
// controls seeding (manualSeed) and the stream is identical on every engine.

// @ts-ignore: decorator
@inline function rotl(x: u32, k: u32): u32 { return (x << k) | (x >>> (32 - k)); }

// @ts-ignore: decorator
@inline function next(state: usize): u32 {
  let s0 = load<u32>(state), s1 = load<u32>(state, 4), s2 = load<u32>(state, 8), s3 = load<u32>(state, 12);
  const result = rotl(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
  store<u32>(state, s0); store<u32>(state, s1, 4); store<u32>(state, s2, 8); store<u32>(state, s3, 12);
  return result;
}

/** Uniform in [0, 1) with 24 random bits: u = (next >>> 8) * 2^-24. */
// @ts-ignore: decorator
@inline function uniform(state: usize): f32 { return <f32>(next(state) >>> 8) * (1.0 / 16777216.0); }

/** out[i] = low + (high - low) * U[0,1) for i < n. */
export function rand_uniform_f32(out: usize, n: i32, state: usize, low: f32, high: f32): void {
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), low + (high - low) * uniform(state));
}

/** out[i] = mean + std * N(0,1) (Box-Muller, both outputs used) for i < n. */
export function rand_normal_f32(out: usize, n: i32, state: usize, mean: f32, std: f32): void {
  for (let i = 0; i < n; i += 2) {
    const u1: f32 = <f32>1 - uniform(state); // (0, 1]
    const u2 = uniform(state);
    const r = Mathf.sqrt(<f32>-2 * Mathf.log(u1));
    const th = <f32>6.283185307179586 * u2;
    store<f32>(out + (<usize>i << 2), mean + std * r * Mathf.cos(th));
    if (i + 1 < n) store<f32>(out + (<usize>(i + 1) << 2), mean + std * r * Mathf.sin(th));
  }
}

/** out[i] = low + floor(U[0,1) * (high - low)) as i32, uniform integers in [low, high). */
export function rand_int_i32(out: usize, n: i32, state: usize, low: i32, high: i32): void {
  const span = <u64>(high - low);
  for (let i = 0; i < n; i++) store<i32>(out + (<usize>i << 2), low + <i32>((<u64>next(state) * span) >>> 32));
}

/** Dropout mask: out[i] = U < p ? 0 : scale (scale = 1/(1-p)). */
export function dropout_mask_f32(out: usize, n: i32, state: usize, p: f32, scale: f32): void {
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), uniform(state) < p ? 0 : scale);
}
