// The optimizer kernels called raw on every build this engine runs (baseline and relaxed SIMD):
// odd sizes against the float64 references, flag codes against the module's globals, and the
// clipping kernels.
import { describe, expect, it } from 'vitest';
import { OPT } from '../../src/backend/exports';
import { availableBuilds, loadRaw, type RawWasm } from '../helpers/raw_wasm';
import { adamRef, gradValues, initValues, maxErr, rmspropRef, type RefState } from './reference';

const SIZES = [0, 1, 3, 5, 17, 1003];

function put(w: RawWasm, values: ArrayLike<number>): number {
  const ptr = w.alloc(Math.max(4, values.length * 4));
  w.f32().set(values, ptr >> 2);
  return ptr;
}
const read = (w: RawWasm, ptr: number, n: number) => w.f32().slice(ptr >> 2, (ptr >> 2) + n);

describe.each(availableBuilds())('optimizer kernels (%s build)', (build) => {
  it('OPT flags equal the module globals', async () => {
    const w = await loadRaw(build);
    const snake = (s: string) => `OPT_${s.replace(/([A-Z])/g, '_$1').toUpperCase()}`;
    const fromModule = Object.fromEntries(Object.keys(w.exports).filter((k) => k.startsWith('OPT_'))
      .map((k) => [k, (w.exports[k] as WebAssembly.Global).value]));
    expect(fromModule).toEqual(Object.fromEntries(Object.entries(OPT).map(([k, v]) => [snake(k), v])));
  });

  it('adam_f32 (amsgrad, L2) matches the float64 reference at odd sizes', async () => {
    const w = await loadRaw(build);
    for (const n of SIZES) {
      w.reset();
      const p0 = initValues(n, 3).map(Math.fround);
      const pp = put(w, p0), gp = put(w, new Float32Array(n)), m = put(w, new Float32Array(n)), v = put(w, new Float32Array(n)), vm = put(w, new Float32Array(n));
      const ref = Float64Array.from(p0);
      const s: RefState = {};
      const o = { lr: 0.01, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0.1, amsgrad: true };
      for (let t = 1; t <= 5; t++) {
        const g = gradValues(n, t).map(Math.fround);
        w.f32().set(g, gp >> 2);
        w.exports.adam_f32(pp, gp, m, v, vm, n, 1 - 0.9, 0.999, 1 - 0.999, 1e-8, 0.1, 1, 0.01 / (1 - 0.9 ** t), Math.sqrt(1 - 0.999 ** t), OPT.amsgrad);
        adamRef(ref, g, s, o);
      }
      expect(maxErr(read(w, pp, n), ref), `n = ${n}`).toBeLessThanOrEqual(1);
    }
  });

  it('rmsprop_f32 (centered, momentum) matches the float64 reference at odd sizes', async () => {
    const w = await loadRaw(build);
    for (const n of SIZES) {
      w.reset();
      const p0 = initValues(n, 5).map(Math.fround);
      const pp = put(w, p0), gp = put(w, new Float32Array(n));
      const sq = put(w, new Float32Array(n)), ga = put(w, new Float32Array(n)), buf = put(w, new Float32Array(n));
      const ref = Float64Array.from(p0);
      const s: RefState = {};
      for (let t = 1; t <= 5; t++) {
        const g = gradValues(n, t, 1).map(Math.fround);
        w.f32().set(g, gp >> 2);
        w.exports.rmsprop_f32(pp, gp, sq, ga, buf, n, 0.01, 0.99, 1 - 0.99, 1e-8, 0, 0.9, OPT.centered | OPT.momentum);
        rmspropRef(ref, g, s, { lr: 0.01, centered: true, momentum: 0.9 });
      }
      expect(maxErr(read(w, pp, n), ref, 5e-6), `n = ${n}`).toBeLessThanOrEqual(1);
    }
  });

  it('scale_inplace_f32 and clamp_inplace_f32 at odd sizes', async () => {
    const w = await loadRaw(build);
    for (const n of SIZES) {
      w.reset();
      const x = gradValues(n, 2).map(Math.fround);
      const a = put(w, x), b = put(w, x);
      w.exports.scale_inplace_f32(a, n, 0.25);
      w.exports.clamp_inplace_f32(b, n, -0.5, 0.75);
      expect(Array.from(read(w, a, n))).toEqual(Array.from(x, (v) => Math.fround(v * 0.25)));
      expect(Array.from(read(w, b, n))).toEqual(Array.from(x, (v) => Math.min(0.75, Math.max(-0.5, v))));
    }
  });
});
