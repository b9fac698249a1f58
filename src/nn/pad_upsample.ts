// ZeroPad2d and Upsample (PyTorch nn.ZeroPad2d, nn.Upsample with mode 'nearest').
import type { Tensor } from '../tensor';
import { check } from '../util/errors';
import { pad, upsample } from '../ops/pad';
import { Module } from './module';
import { pyFloat } from './repr';

/**
 * Zero padding of the last two dims: one int for all sides or [left, right, top, bottom].
 * @example
 * new ZeroPad2d([1, 1, 2, 0]).call(x); // [N, C, H, W] -> [N, C, H + 2, W + 2]
 */
export class ZeroPad2d extends Module {
  readonly padding: [number, number, number, number];

  constructor(padding: number | readonly [number, number, number, number]) {
    super();
    const p = typeof padding === 'number' ? [padding, padding, padding, padding] : [...(padding ?? [])];
    check(p.length === 4 && p.every(Number.isInteger), 'ZeroPad2d', () => `padding must be an int or [left, right, top, bottom], got ${JSON.stringify(padding)}`);
    this.padding = p as [number, number, number, number];
  }

  forward(x: Tensor): Tensor { return pad(x, this.padding); }

  extraRepr(): string { return `(${this.padding.join(', ')})`; }
}

export interface UpsampleOptions {
  size?: number | readonly [number, number];
  scaleFactor?: number | readonly [number, number];
  mode?: 'nearest';
}

/**
 * @example
 * new Upsample({ scaleFactor: 2 }).call(x); // [N, C, H, W] -> [N, C, 2H, 2W]
 */
export class Upsample extends Module {
  readonly size: number | readonly [number, number] | null;
  readonly scaleFactor: number | readonly [number, number] | null;
  readonly mode: 'nearest';

  constructor({ size, scaleFactor, mode = 'nearest' }: UpsampleOptions = {}) {
    super();
    check((size === undefined) !== (scaleFactor === undefined), 'Upsample', () => 'exactly one of size and scaleFactor must be given');
    check(mode === 'nearest', 'Upsample', () => `only mode 'nearest' is supported, got '${mode}'`);
    this.size = size ?? null; this.scaleFactor = scaleFactor ?? null; this.mode = mode;
  }

  forward(x: Tensor): Tensor {
    return upsample(x, { size: this.size ?? undefined, scaleFactor: this.scaleFactor ?? undefined, mode: this.mode });
  }

  extraRepr(): string {
    const f = this.scaleFactor;
    const s = f !== null ? `scale_factor=${typeof f === 'number' ? pyFloat(f) : `(${f.map(pyFloat).join(', ')})`}`
      : `size=${typeof this.size === 'number' ? this.size : `(${this.size!.join(', ')})`}`;
    return `${s}, mode='${this.mode}'`;
  }
}
