// Running one layer on the same inputs in tfjs-layers 4.22 (cpu backend) and in asgrad, for the
// layer comparison tests: seeded input arrays, each side's output as flat float32 values + shape.
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { tensor, tidy, type Tensor } from '../../src/index';
import type { Layer } from '../../src/keras/layers';
import { rng } from './reference';

export { tf, tfl };

export interface Arr { shape: number[]; values: Float32Array }
export interface Out { shape: number[]; values: Float32Array }

/** Seeded uniform values in [lo, hi). */
export function arr(seed: number, shape: number[], lo = -2, hi = 2): Arr {
  const r = rng(seed), n = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Float32Array.from({ length: n }, () => lo + (hi - lo) * r()) };
}

/** tfjs's layer.apply on tensors made from xs (an array for multi-input layers). */
export function theirs(layer: tfl.layers.Layer, xs: Arr | Arr[]): Out {
  return tf.tidy(() => {
    const ins = Array.isArray(xs) ? xs.map((a) => tf.tensor(a.values, a.shape)) : tf.tensor(xs.values, xs.shape);
    const y = layer.apply(ins) as tf.Tensor;
    return { shape: y.shape, values: y.dataSync() as Float32Array };
  });
}

/** Our layer.call on tensors made from xs; nothing stays alive. */
export function ours(layer: Layer, xs: Arr | Arr[]): Out {
  return tidy(() => {
    const mk = (a: Arr) => tensor(a.values, { shape: a.shape });
    const y: Tensor = Array.isArray(xs) ? (layer as unknown as { call(x: Tensor[]): Tensor }).call(xs.map(mk)) : layer.call(mk(xs));
    return { shape: [...y.shape], values: y.data() as Float32Array };
  });
}

/** Same shape and every |a - b| <= tol. */
export function expectSame(got: Out, want: Out, tol = 1e-6, label = ''): void {
  expect(got.shape, `${label} shape`).toEqual(want.shape);
  let worst = 0, at = -1;
  for (let i = 0; i < want.values.length; i++) {
    const d = Math.abs(got.values[i] - want.values[i]);
    if (!(d <= worst)) { worst = d; at = i; }
  }
  expect(worst, `${label} worst |diff| at ${at}: ${got.values[at]} vs ${want.values[at]}`).toBeLessThanOrEqual(tol);
}
