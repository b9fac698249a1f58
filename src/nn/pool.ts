// Pooling modules (PyTorch nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d) over [N, C, H, W].
import { knownOptions } from '../util/errors';
import type { Tensor } from '../tensor';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from '../ops/pool';
import { pair, type Pair } from '../ops/conv';
import { Module } from './module';
import { pyBool } from './repr';

/** Python repr of an int-or-tuple argument as the user gave it. */
const arg = (v: Pair | readonly (number | null)[]): string =>
  (typeof v === 'number' ? String(v) : `(${v.map((e) => (e === null ? 'None' : String(e))).join(', ')})`);

export interface MaxPool2dOptions { stride?: Pair | null; padding?: Pair; dilation?: Pair; ceilMode?: boolean }

/**
 * @example
 * new MaxPool2d(2).call(x); // [N, C, 24, 24] -> [N, C, 12, 12]
 */
export class MaxPool2d extends Module {
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly ceilMode: boolean;

  constructor(readonly kernelSize: Pair, opts: MaxPool2dOptions = {}) {
    knownOptions('MaxPool2d', opts, 'stride padding dilation ceilMode');
    const { stride = null, padding = 0, dilation = 1, ceilMode = false } = opts;
    super();
    pair('MaxPool2d', 'kernelSize', kernelSize);
    this.stride = stride ?? kernelSize; this.padding = padding; this.dilation = dilation; this.ceilMode = ceilMode;
    pair('MaxPool2d', 'stride', this.stride); pair('MaxPool2d', 'padding', padding, 0); pair('MaxPool2d', 'dilation', dilation);
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }

  extraRepr(): string {
    return `kernel_size=${arg(this.kernelSize)}, stride=${arg(this.stride)}, padding=${arg(this.padding)}, dilation=${arg(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

export interface AvgPool2dOptions { stride?: Pair | null; padding?: Pair; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number | null }

export class AvgPool2d extends Module {
  readonly stride: Pair;
  readonly padding: Pair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(readonly kernelSize: Pair, opts: AvgPool2dOptions = {}) {
    knownOptions('AvgPool2d', opts, 'stride padding ceilMode countIncludePad divisorOverride');
    const { stride = null, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null } = opts;
    super();
    pair('AvgPool2d', 'kernelSize', kernelSize);
    this.stride = stride ?? kernelSize; this.padding = padding; this.ceilMode = ceilMode;
    this.countIncludePad = countIncludePad; this.divisorOverride = divisorOverride;
    pair('AvgPool2d', 'stride', this.stride); pair('AvgPool2d', 'padding', padding, 0);
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride });
  }

  extraRepr(): string { return `kernel_size=${arg(this.kernelSize)}, stride=${arg(this.stride)}, padding=${arg(this.padding)}`; }
}

export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | readonly [number | null, number | null]) { super(); }

  forward(x: Tensor): Tensor { return adaptiveAvgPool2d(x, this.outputSize); }

  extraRepr(): string { return `output_size=${arg(this.outputSize as Pair)}`; }
}
