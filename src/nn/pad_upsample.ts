// ZeroPad2d, ReflectionPad2d, ReplicationPad2d and Upsample (PyTorch's, Upsample with mode 'nearest').
import type { Tensor } from '../tensor';
import { check, knownOptions } from '../util/errors';
import { pad, upsample, type PadMode, type UpsampleOptions } from '../ops/pad';
import { Module } from './module';
import { pyFloat } from './repr';

/** Padding of the last two dims with one of F.pad's modes: one int for all sides or
 *  [left, right, top, bottom]. The base of ZeroPad2d, ReflectionPad2d and ReplicationPad2d. */
abstract class Pad2d extends Module {
  readonly padding: [number, number, number, number];

  constructor(private readonly mode: PadMode, padding: number | readonly [number, number, number, number]) {
    super();
    const p = typeof padding === 'number' ? [padding, padding, padding, padding] : [...(padding ?? [])];
    check(p.length === 4 && p.every(Number.isInteger), this.typeName(), () => `padding must be an int or [left, right, top, bottom], got ${JSON.stringify(padding)}`);
    this.padding = p as [number, number, number, number];
  }

  forward(x: Tensor): Tensor { return pad(x, this.padding, this.mode); }

  extraRepr(): string { return `(${this.padding.join(', ')})`; }
}

/**
 * Zero padding of the last two dims (negative amounts crop).
 * @example
 * new ZeroPad2d([1, 1, 2, 0]).call(x); // [N, C, H, W] -> [N, C, H + 2, W + 2]
 */
export class ZeroPad2d extends Pad2d {
  constructor(padding: number | readonly [number, number, number, number]) { super('constant', padding); }
}

/**
 * Mirror padding of the last two dims, without repeating the edge (each amount below the dim).
 * @example
 * new ReflectionPad2d(1).call(x); // rows [a, b, c] -> [b, a, b, c, b]
 */
export class ReflectionPad2d extends Pad2d {
  constructor(padding: number | readonly [number, number, number, number]) { super('reflect', padding); }
}

/**
 * Padding of the last two dims with copies of the edge values.
 * @example
 * new ReplicationPad2d([2, 0, 0, 0]).call(x); // rows [a, b, c] -> [a, a, a, b, c]
 */
export class ReplicationPad2d extends Pad2d {
  constructor(padding: number | readonly [number, number, number, number]) { super('replicate', padding); }
}

export type { UpsampleOptions };

/**
 * @example
 * new Upsample({ scaleFactor: 2 }).call(x); // [N, C, H, W] -> [N, C, 2H, 2W]
 */
export class Upsample extends Module {
  readonly size: number | readonly [number, number] | null;
  readonly scaleFactor: number | readonly [number, number] | null;
  readonly mode: 'nearest' | 'bilinear';
  readonly alignCorners: boolean | null;

  constructor(opts: UpsampleOptions = {}) {
    super();
    knownOptions('Upsample', opts, 'size scaleFactor mode alignCorners');
    const { size, scaleFactor, mode = 'nearest', alignCorners } = opts;
    check((size === undefined) !== (scaleFactor === undefined), 'Upsample', () => 'exactly one of size and scaleFactor must be given');
    check(mode === 'nearest' || mode === 'bilinear', 'Upsample', () => `mode must be 'nearest' or 'bilinear', got '${mode}'`);
    check(alignCorners === undefined || mode === 'bilinear', 'Upsample', () => `alignCorners only applies to mode 'bilinear', got mode '${mode}'`);
    this.size = size ?? null; this.scaleFactor = scaleFactor ?? null; this.mode = mode; this.alignCorners = alignCorners ?? null;
  }

  forward(x: Tensor): Tensor {
    return upsample(x, { size: this.size ?? undefined, scaleFactor: this.scaleFactor ?? undefined, mode: this.mode, alignCorners: this.alignCorners ?? undefined });
  }

  extraRepr(): string {
    const f = this.scaleFactor;
    const s = f !== null ? `scale_factor=${typeof f === 'number' ? pyFloat(f) : `(${f.map(pyFloat).join(', ')})`}`
      : `size=${typeof this.size === 'number' ? this.size : `(${this.size!.join(', ')})`}`;
    return `${s}, mode='${this.mode}'`;
  }
}
