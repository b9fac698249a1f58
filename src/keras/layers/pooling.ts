// Keras-style pooling, padding and resizing layers with TensorFlow.js options: maxPooling2d,
// averagePooling2d, globalAveragePooling2d, globalMaxPooling2d, zeroPadding2d, upSampling2d.
// 'same' pooling pads like TensorFlow (extra pad at the bottom/right; max ignores the pad, average
// divides by the valid count). channelsLast pools run the NHWC kernels (ops/pool_nhwc.ts);
// channelsFirst the NCHW ones.
import { tensor } from '../../creation';
import { indexSelect } from '../../ops/indexing';
import type { Tensor } from '../../tensor';
import { check } from '../../util/errors';
import { avgPoolGeom, maxPoolGeom, type PoolGeom } from '../../ops/pool';
import { avgPool2dNhwc, maxPool2dNhwc } from '../../ops/pool_nhwc';
import { pad } from '../../ops/pad';
import { Layer, type LayerArgs, type Shape } from './layer';
import { hwc, inNchw, pair2, tfPadding, type DataFormat, type PaddingMode } from './conv';

export interface Pooling2DArgs extends LayerArgs {
  /** Default [2, 2]. */
  poolSize?: number | number[];
  /** Default: poolSize. */
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: DataFormat;
}

abstract class Pooling2D extends Layer {
  protected readonly pool: [number, number];
  protected readonly strides: [number, number];
  protected readonly padding: PaddingMode;
  protected readonly dataFormat: DataFormat;

  constructor(args: Pooling2DArgs, base: string) {
    super(args, base);
    const op = `layers.${base}`;
    this.pool = pair2(op, 'poolSize', args.poolSize, 2);
    this.strides = args.strides === undefined ? this.pool : pair2(op, 'strides', args.strides, 1);
    this.padding = args.padding ?? 'valid';
    this.dataFormat = args.dataFormat ?? 'channelsLast';
    check(this.padding === 'valid' || this.padding === 'same', op, () => `padding must be 'valid' or 'same', got ${JSON.stringify(args.padding)}`);
    check(this.dataFormat === 'channelsLast' || this.dataFormat === 'channelsFirst', op, () => `dataFormat must be 'channelsLast' or 'channelsFirst', got ${JSON.stringify(args.dataFormat)}`);
  }

  protected geom(H: number, W: number): PoolGeom {
    const h = tfPadding(H, this.pool[0], this.strides[0], 1, this.padding), w = tfPadding(W, this.pool[1], this.strides[1], 1, this.padding);
    check(h.out > 0 && w.out > 0, this.layerName, () => `poolSize [${this.pool}] is larger than the input [${H}, ${W}]`);
    return { kh: this.pool[0], kw: this.pool[1], sh: this.strides[0], sw: this.strides[1], pt: h.pads[0], pb: h.pads[1],
      pl: w.pads[0], pr: w.pads[1], dh: 1, dw: 1, Ho: h.out, Wo: w.out };
  }

  computeOutputShape(s: Shape): Shape {
    const [H, W, C] = hwc(s, this.dataFormat);
    const h = tfPadding(H, this.pool[0], this.strides[0], 1, this.padding).out, w = tfPadding(W, this.pool[1], this.strides[1], 1, this.padding).out;
    return this.dataFormat === 'channelsLast' ? [h, w, C] : [C, h, w];
  }

  protected abstract poolNchw(x: Tensor, g: PoolGeom): Tensor;
  protected abstract poolNhwc(x: Tensor, g: PoolGeom): Tensor;

  forward(x: Tensor): Tensor {
    this.ensureBuilt(x);
    check(x.ndim === 4, this.layerName, () => `expected a 4-D input, got shape [${x.shape.join(', ')}]`);
    const [H, W] = hwc(x.shape.slice(1), this.dataFormat);
    const g = this.geom(H, W);
    if (this.dataFormat === 'channelsLast') return this.poolNhwc(x, g);
    return inNchw(x, this.dataFormat, (xc) => this.poolNchw(xc, g));
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: this.pool, strides: this.strides, padding: this.padding, dataFormat: this.dataFormat };
  }
}

export class MaxPooling2D extends Pooling2D {
  readonly className = 'MaxPooling2D';
  constructor(args: Pooling2DArgs = {}) { super(args, 'max_pooling2d'); }
  protected poolNchw(x: Tensor, g: PoolGeom): Tensor {
    const [y, idx] = maxPoolGeom(x, g);
    idx.dispose();
    return y;
  }
  protected poolNhwc(x: Tensor, g: PoolGeom): Tensor { return maxPool2dNhwc(x, g, this.layerName); }
}

export class AveragePooling2D extends Pooling2D {
  readonly className = 'AveragePooling2D';
  constructor(args: Pooling2DArgs = {}) { super(args, 'average_pooling2d'); }
  protected poolNchw(x: Tensor, g: PoolGeom): Tensor { return avgPoolGeom(x, g, false); }
  protected poolNhwc(x: Tensor, g: PoolGeom): Tensor { return avgPool2dNhwc(x, g, false, this.layerName); }
}

/** Global pooling over the spatial dims: [N, H, W, C] -> [N, C] (channelsLast) or [N, C, H, W] -> [N, C]. */
abstract class GlobalPooling2D extends Layer {
  protected readonly dataFormat: DataFormat;
  constructor(args: LayerArgs & { dataFormat?: DataFormat }, base: string) {
    super(args, base);
    this.dataFormat = args.dataFormat ?? 'channelsLast';
    check(this.dataFormat === 'channelsLast' || this.dataFormat === 'channelsFirst', `layers.${base}`, () => `dataFormat must be 'channelsLast' or 'channelsFirst', got ${JSON.stringify(args.dataFormat)}`);
  }
  computeOutputShape(s: Shape): Shape { return [hwc(s, this.dataFormat)[2]]; }
  forward(x: Tensor): Tensor {
    check(x.ndim === 4, this.layerName, () => `expected a 4-D input, got shape [${x.shape.join(', ')}]`);
    return this.reduce(x, this.dataFormat === 'channelsLast' ? [1, 2] : [2, 3]);
  }
  protected abstract reduce(x: Tensor, dims: number[]): Tensor;
  getConfig(): Record<string, unknown> { return { ...super.getConfig(), dataFormat: this.dataFormat }; }
}

/** Mean over the spatial dims. */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className = 'GlobalAveragePooling2D';
  constructor(args: LayerArgs & { dataFormat?: DataFormat } = {}) { super(args, 'global_average_pooling2d'); }
  protected reduce(x: Tensor, dims: number[]): Tensor { return x.mean(dims); }
}

/** Max over the spatial dims. */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  readonly className = 'GlobalMaxPooling2D';
  constructor(args: LayerArgs & { dataFormat?: DataFormat } = {}) { super(args, 'global_max_pooling2d'); }
  protected reduce(x: Tensor, dims: number[]): Tensor { return x.max(dims); }
}

export interface ZeroPadding2DArgs extends LayerArgs {
  /** n (all sides), [h, w] (symmetric), or [[top, bottom], [left, right]]. Default 1. */
  padding?: number | [number, number] | [[number, number], [number, number]];
  dataFormat?: DataFormat;
}

export class ZeroPadding2D extends Layer {
  readonly className = 'ZeroPadding2D';
  /** [[top, bottom], [left, right]]. */
  readonly padding: [[number, number], [number, number]];
  private readonly dataFormat: DataFormat;
  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, 'zero_padding2d');
    const p = args.padding ?? 1;
    const full = typeof p === 'number' ? [[p, p], [p, p]] : typeof p[0] === 'number' ? [[p[0], p[0]], [p[1], p[1]]] : p;
    check(Array.isArray(full) && full.length === 2 && (full as unknown[]).every((q) => Array.isArray(q) && q.length === 2 && q.every((v) => Number.isInteger(v) && v >= 0)),
      'layers.zeroPadding2d', () => `padding must be n, [h, w] or [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(args.padding)}`);
    this.padding = full as [[number, number], [number, number]];
    this.dataFormat = args.dataFormat ?? 'channelsLast';
  }
  computeOutputShape(s: Shape): Shape {
    const [H, W, C] = hwc(s, this.dataFormat);
    const h = H + this.padding[0][0] + this.padding[0][1], w = W + this.padding[1][0] + this.padding[1][1];
    return this.dataFormat === 'channelsLast' ? [h, w, C] : [C, h, w];
  }
  forward(x: Tensor): Tensor {
    check(x.ndim === 4, this.layerName, () => `expected a 4-D input, got shape [${x.shape.join(', ')}]`);
    const [[t, b], [l, r]] = this.padding;
    return pad(x, this.dataFormat === 'channelsLast' ? [0, 0, l, r, t, b] : [l, r, t, b]);
  }
  getConfig(): Record<string, unknown> { return { ...super.getConfig(), padding: this.padding, dataFormat: this.dataFormat }; }
}

export interface UpSampling2DArgs extends LayerArgs {
  /** Integer factors [rows, cols] (or one for both); default [2, 2]. */
  size?: number | number[];
  dataFormat?: DataFormat;
  /** 'nearest' (default) repeats pixels; 'bilinear' is tfjs's resizeBilinear (no align corners,
   *  no half-pixel centers: source = destination / size). */
  interpolation?: 'nearest' | 'bilinear';
}

/** Resizes [N, H, W, C] (or [N, C, H, W]) by integer factors: [N, H * size[0], W * size[1], C]. */
export class UpSampling2D extends Layer {
  readonly className = 'UpSampling2D';
  readonly size: [number, number];
  private readonly dataFormat: DataFormat;
  private readonly interpolation: 'nearest' | 'bilinear';
  constructor(args: UpSampling2DArgs = {}) {
    super(args, 'up_sampling2d');
    this.size = pair2('layers.upSampling2d', 'size', args.size, 2);
    this.dataFormat = args.dataFormat ?? 'channelsLast';
    this.interpolation = args.interpolation ?? 'nearest';
    check(this.dataFormat === 'channelsLast' || this.dataFormat === 'channelsFirst', 'layers.upSampling2d', () => `dataFormat must be 'channelsLast' or 'channelsFirst', got ${JSON.stringify(args.dataFormat)}`);
    check(this.interpolation === 'nearest' || this.interpolation === 'bilinear', 'layers.upSampling2d', () => `interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(args.interpolation)}`);
  }
  computeOutputShape(s: Shape): Shape {
    const [H, W, C] = hwc(s, this.dataFormat), h = H * this.size[0], w = W * this.size[1];
    return this.dataFormat === 'channelsLast' ? [h, w, C] : [C, h, w];
  }
  forward(x: Tensor): Tensor {
    check(x.ndim === 4, this.layerName, () => `expected a 4-D input, got shape [${x.shape.join(', ')}]`);
    const hDim = this.dataFormat === 'channelsLast' ? 1 : 2;
    if (this.interpolation === 'bilinear') {
      // Along W, then along H, with tfjs's arithmetic: a + (b - a) * frac.
      const cols = lerpAlong(x, hDim + 1, this.size[1]);
      const y = lerpAlong(cols, hDim, this.size[0]);
      cols.dispose();
      return y;
    }
    // Nearest with an integer factor repeats each pixel: [.., H, 1, W, 1, ..] expanded, merged.
    const s = x.shape, [sh, sw] = this.size;
    const six = [...s.slice(0, hDim), s[hDim], 1, s[hDim + 1], 1, ...s.slice(hDim + 2)];
    const big = [...s.slice(0, hDim), s[hDim], sh, s[hDim + 1], sw, ...s.slice(hDim + 2)];
    const out = this.computeOutputShape(s.slice(1));
    const a = x.reshape(six), b = a.expand(big), y = b.reshape([s[0], ...out]);
    a.dispose(); b.dispose();
    return y;
  }
  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size, dataFormat: this.dataFormat, interpolation: this.interpolation };
  }
}

/** x resized by `factor` along `dim`: out[i] = a + (b - a) * f for source i / factor = floor + f. */
function lerpAlong(x: Tensor, dim: number, factor: number): Tensor {
  const n = x.shape[dim], m = n * factor;
  const lo: number[] = [], hi: number[] = [], fr: number[] = [];
  for (let i = 0; i < m; i++) {
    const src = (n / m) * i, f = Math.floor(src);
    lo.push(f); hi.push(Math.min(n - 1, Math.ceil(src))); fr.push(src - f);
  }
  const shape = x.shape.map((d, i) => (i === dim ? m : 1));
  const iLo = tensor(lo, { dtype: 'int32' }), iHi = tensor(hi, { dtype: 'int32' }), frac = tensor(fr, { shape });
  const a = indexSelect(x, dim, iLo), b = indexSelect(x, dim, iHi), d = b.sub(a), t = d.mul(frac), y = a.add(t);
  for (const u of [iLo, iHi, frac, a, b, d, t]) u.dispose();
  return y;
}
