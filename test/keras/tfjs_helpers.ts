// Shared by the tfjs_load tests: tfjs-layers 4.22 on the cpu backend as the reference, artifacts
// captured with withSaveHandler, deterministic inputs given to both sides, and output comparison.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { tensor, type Tensor } from '../../src/index';
import type { LayersModelArtifacts } from '../../src/keras/tfjs/load';

export { tf, tfl };

export async function tfReady(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** The artifacts model.save writes, captured in memory. */
export async function artifactsOf(model: tfl.LayersModel): Promise<LayersModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved! as unknown as LayersModelArtifacts;
}

/** Deterministic pseudo-random floats in [lo, hi) (a 32-bit LCG). */
export function lcg(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (hi - lo) * (s / 2 ** 32);
  });
}

/**
 * Replaces every weight of a tfjs model with seeded random values (moving variances positive), so
 * batch-norm statistics and biases are not their trivial initial values.
 */
export function randomizeWeights(model: tfl.LayersModel, seed = 1): void {
  const ws = model.weights;
  const vals = ws.map((w, i) => {
    const n = (w.shape as number[]).reduce((a, b) => a * b, 1);
    const v = /variance/.test(w.originalName) ? lcg(n, seed + i, 0.5, 1.5) : lcg(n, seed + i, -0.6, 0.6);
    return tf.tensor(v, w.shape as number[]);
  });
  model.setWeights(vals);
  tf.dispose(vals);
}

/** The same data as a tfjs tensor and an asgrad tensor. */
export function both(shape: number[], seed: number, { lo = -1, hi = 1, int = false } = {}): [tf.Tensor, Tensor] {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = lcg(n, seed, lo, hi);
  if (int) {
    const iv = Int32Array.from(v, (x) => Math.floor(x));
    return [tf.tensor(iv, shape, 'int32'), tensor(iv, { shape, dtype: 'int32' })];
  }
  return [tf.tensor(v, shape), tensor(v, { shape })];
}

/** Asserts |ours - ref| <= 1e-5 * |ref| + 1e-6 elementwise, with equal shapes. */
export function expectClose(ours: Tensor, ref: tf.Tensor, rtol = 1e-5): void {
  expect(ours.shape).toEqual(ref.shape);
  const a = ours.data(), b = ref.dataSync();
  let worst = 0, at = -1;
  for (let i = 0; i < b.length; i++) {
    const err = Math.abs(a[i] - b[i]) - rtol * Math.abs(b[i]);
    if (!(err <= 1e-6) && (at < 0 || err > worst)) { worst = err; at = i; }
  }
  expect(at, at < 0 ? '' : `element ${at}: ours ${a[at]}, tfjs ${b[at]}`).toBe(-1);
}

/** Predicts with tfjs (disposing its tensors) and returns the output(s). */
export function tfPredict(model: tfl.LayersModel, xs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  const y = model.predict(xs) as tf.Tensor | tf.Tensor[];
  return Array.isArray(y) ? y : [y];
}

/** float32 -> IEEE half bits, round to nearest even (for float16-quantized test artifacts). */
export function toHalf(f: number): number {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, f);
  const x = b.getUint32(0);
  const sign = (x >>> 16) & 0x8000, exp = (x >>> 23) & 0xff, man = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = (man | 0x800000) >>> 0, shift = 14 - e;
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1), half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (man >>> 13);
  const rem = man & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++;
  return sign | h;
}

/**
 * The artifacts with every float32 weight quantized as tensorflowjs_converter does (uint8 /
 * uint16: v = round((w - min) / scale), scale = (max - min) / (2^bits - 1); float16: half bits).
 */
export function quantize(a: LayersModelArtifacts, dtype: 'uint8' | 'uint16' | 'float16'): LayersModelArtifacts {
  const src = new Float32Array(a.weightData as ArrayBuffer);
  let at = 0;
  const parts: Uint8Array[] = [];
  const specs = a.weightSpecs!.map((s) => {
    const n = s.shape.reduce((x, y) => x * y, 1);
    const v = src.subarray(at, at + n);
    at += n;
    if (dtype === 'float16') {
      parts.push(new Uint8Array(Uint16Array.from(v, toHalf).buffer));
      return { ...s, quantization: { dtype } };
    }
    const min = Math.min(...v), max = Math.max(...v);
    const levels = dtype === 'uint8' ? 255 : 65535;
    const scale = max > min ? (max - min) / levels : 1;
    const q = Array.from(v, (w) => Math.round((w - min) / scale));
    parts.push(new Uint8Array((dtype === 'uint8' ? Uint8Array.from(q) : Uint16Array.from(q)).buffer));
    return { ...s, quantization: { dtype, scale, min } };
  });
  const total = parts.reduce((x, p) => x + p.byteLength, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const p of parts) { data.set(p, off); off += p.byteLength; }
  return { ...a, weightSpecs: specs as LayersModelArtifacts['weightSpecs'], weightData: data.buffer };
}
