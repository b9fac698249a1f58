// Feature scaling over dim 0 (samples), as sklearn.preprocessing: StandardScaler, MinMaxScaler and
// the one-shot standardize / minMaxScale. Statistics are computed with tensor ops and kept as
// small host arrays, so a fitted scaler holds no tensors and needs no dispose.
import { Tensor } from '../tensor';
import { tidy } from '../memory';
import { fromFlat } from '../creation';
import { readFlat } from '../read';
import { check, fmtShape } from '../util/errors';

/** Validates x [n, ...features] and returns it as float32 (a cast copy for int32 input). */
function asFloat(op: string, x: Tensor): Tensor {
  check(x?._isTensor, op, () => `expected a tensor, got ${typeof x}`);
  x._assertLive(op);
  check(x.ndim >= 1 && x.shape[0] > 0, op, () => `expected a tensor [samples, ...features] with at least one sample, got shape ${fmtShape(x.shape)}`);
  check(x.dtype !== 'bool', op, () => 'expected a float32 or int32 tensor, got bool');
  return x.dtype === 'float32' ? x : x.float();
}

/** Column statistics over dim 0: mean, population variance, min, max (each of x.shape[1:]). */
function columnStats(op: string, x: Tensor): { mean: Float32Array; var: Float32Array; min: Float32Array; max: Float32Array } {
  return tidy(() => {
    const xf = asFloat(op, x);
    return {
      mean: readFlat(xf.mean(0)) as Float32Array,
      var: readFlat(xf.var(0, { correction: 0 })) as Float32Array,
      min: readFlat(xf.min(0)) as Float32Array,
      max: readFlat(xf.max(0)) as Float32Array,
    };
  });
}

abstract class Scaler {
  /** Shape of one sample's features (x.shape.slice(1)) seen by fit. */
  featureShape: number[] | null = null;
  protected abstract readonly name: string;

  protected checkFitted(x: Tensor): void {
    check(this.featureShape !== null, `${this.name}.transform`, () => 'the scaler is not fitted; call fit(x) first');
    const fs = x.shape.slice(1);
    check(fs.length === this.featureShape!.length && fs.every((d, i) => d === this.featureShape![i]), `${this.name}.transform`, () =>
      `x has features of shape ${fmtShape(fs)} (x ${fmtShape(x.shape)}), but the scaler was fitted on ${fmtShape(this.featureShape!)}`);
  }

  protected const(v: Float32Array): Tensor { return fromFlat(v, this.featureShape!, 'float32'); }

  abstract fit(x: Tensor): this;
  abstract transform(x: Tensor): Tensor;
  abstract inverseTransform(x: Tensor): Tensor;

  /** fit(x) then transform(x). */
  fitTransform(x: Tensor): Tensor { return this.fit(x).transform(x); }
}

export interface StandardScalerOptions { withMean?: boolean; withStd?: boolean }

/**
 * (x - mean) / std per feature, with the population std (ddof 0) as sklearn; constant features
 * get scale 1. transform returns a new float32 tensor.
 * @example
 * const s = new StandardScaler().fit(xTrain); const z = s.transform(xTest);
 */
export class StandardScaler extends Scaler {
  protected readonly name = 'StandardScaler';
  mean: Float32Array | null = null;
  var: Float32Array | null = null;
  /** Per-feature divisor: std, or 1 where the feature is constant. */
  scale: Float32Array | null = null;
  readonly withMean: boolean;
  readonly withStd: boolean;

  constructor(opts: StandardScalerOptions = {}) {
    super();
    this.withMean = opts.withMean ?? true;
    this.withStd = opts.withStd ?? true;
  }

  fit(x: Tensor): this {
    const s = columnStats('StandardScaler.fit', x);
    this.featureShape = x.shape.slice(1);
    this.mean = s.mean;
    this.var = s.var;
    this.scale = s.var.map((v, i) => (s.max[i] === s.min[i] || v === 0 ? 1 : Math.sqrt(v)));
    return this;
  }

  transform(x: Tensor): Tensor {
    this.checkFitted(x);
    return tidy(() => {
      let y = asFloat('StandardScaler.transform', x);
      if (this.withMean) y = y.sub(this.const(this.mean!));
      if (this.withStd) y = y.div(this.const(this.scale!));
      return y === x ? x.clone() : y;
    });
  }

  inverseTransform(x: Tensor): Tensor {
    this.checkFitted(x);
    return tidy(() => {
      let y = asFloat('StandardScaler.inverseTransform', x);
      if (this.withStd) y = y.mul(this.const(this.scale!));
      if (this.withMean) y = y.add(this.const(this.mean!));
      return y === x ? x.clone() : y;
    });
  }
}

/**
 * Scales each feature to featureRange (default [0, 1]) from the min and max seen by fit, as
 * sklearn: x * scale + min, scale = (hi - lo) / (dataMax - dataMin) (range 0 counts as 1).
 */
export class MinMaxScaler extends Scaler {
  protected readonly name = 'MinMaxScaler';
  readonly featureRange: [number, number];
  dataMin: Float32Array | null = null;
  dataMax: Float32Array | null = null;
  scale: Float32Array | null = null;
  /** Per-feature offset: lo - dataMin * scale. */
  min: Float32Array | null = null;

  constructor(featureRange: [number, number] = [0, 1]) {
    super();
    check(Array.isArray(featureRange) && featureRange.length === 2 && featureRange[0] < featureRange[1], 'MinMaxScaler', () =>
      `featureRange must be [lo, hi] with lo < hi, got ${JSON.stringify(featureRange)}`);
    this.featureRange = [featureRange[0], featureRange[1]];
  }

  fit(x: Tensor): this {
    const s = columnStats('MinMaxScaler.fit', x);
    const [lo, hi] = this.featureRange;
    this.featureShape = x.shape.slice(1);
    this.dataMin = s.min;
    this.dataMax = s.max;
    this.scale = s.min.map((m, i) => (hi - lo) / (s.max[i] - m === 0 ? 1 : s.max[i] - m));
    this.min = s.min.map((m, i) => lo - m * this.scale![i]);
    return this;
  }

  transform(x: Tensor): Tensor {
    this.checkFitted(x);
    return tidy(() => asFloat('MinMaxScaler.transform', x).mul(this.const(this.scale!)).add(this.const(this.min!)));
  }

  inverseTransform(x: Tensor): Tensor {
    this.checkFitted(x);
    return tidy(() => asFloat('MinMaxScaler.inverseTransform', x).sub(this.const(this.min!)).div(this.const(this.scale!)));
  }
}

/** (x - mean) / std over dim 0, population std, constant features divided by 1. A new tensor. */
export function standardize(x: Tensor): Tensor {
  return new StandardScaler().fitTransform(x);
}

/** Each feature (over dim 0) scaled to [lo, hi] (default [0, 1]). A new tensor. */
export function minMaxScale(x: Tensor, featureRange: [number, number] = [0, 1]): Tensor {
  return new MinMaxScaler(featureRange).fitTransform(x);
}
