// Conv2d, Conv1d and ConvTranspose2d (PyTorch's), NCHW: weight [out, in/groups, kh, kw]
// ([out, in/groups, k] for Conv1d; [in, out/groups, kh, kw] for ConvTranspose2d), bias [out].
import { Tensor } from '../tensor';
import { check, knownOptions } from '../util/errors';
import { pad } from '../ops/pad';
import { conv1d, conv2d, convGeom, pair, type Pair } from '../ops/conv';
import { convTranspose2d, type ConvTranspose2dOptions as ConvTranspose2dOpOptions } from '../ops/conv_transpose';
import { Module } from './module';
import * as init from './init';
import { pyBool } from './repr';

export interface Conv2dOptions {
  stride?: Pair;
  /** An int, [h, w], 'valid' (0) or 'same' (stride 1 only). */
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** How the input is padded: with zeros (default), or as F.pad's 'reflect', 'replicate' or 'circular' modes. */
  paddingMode?: PaddingMode;
}

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Python's repr of a tuple of ints: (3,) or (3, 3). */
export const pyTuple = (v: readonly number[]): string => (v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`);

/** Shared by Conv1d and Conv2d: checks, parameters, PyTorch's default init and repr. */
abstract class ConvNd extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly groups: number;
  /** ConvTranspose2d's extra rows and columns at the end of the output (zeros otherwise). */
  outputPadding: number[];
  readonly paddingMode: PaddingMode;

  constructor(op: string, readonly inChannels: number, readonly outChannels: number, kernel: number[], stride: number[],
    padding: number[] | 'same' | 'valid', dilation: number[], groups: number, bias: boolean, paddingMode: string, transposed = false) {
    super();
    for (const [n, v] of [['inChannels', inChannels], ['outChannels', outChannels], ['groups', groups]] as const) {
      check(Number.isInteger(v) && v > 0, op, () => `${n} must be a positive integer, got ${v}`);
    }
    check(inChannels % groups === 0, op, () => `inChannels must be divisible by groups (got inChannels=${inChannels}, groups=${groups})`);
    check(outChannels % groups === 0, op, () => `outChannels must be divisible by groups (got outChannels=${outChannels}, groups=${groups})`);
    check(['zeros', 'reflect', 'replicate', 'circular'].includes(paddingMode) && (paddingMode === 'zeros' || !transposed), op, () =>
      `paddingMode must be ${transposed ? "'zeros'" : "'zeros', 'reflect', 'replicate' or 'circular'"}, got '${paddingMode}'`);
    this.paddingMode = paddingMode as PaddingMode;
    this.kernelSize = kernel; this.stride = stride; this.padding = padding; this.dilation = dilation; this.groups = groups;
    this.outputPadding = kernel.map(() => 0);
    const wShape = transposed ? [inChannels, outChannels / groups, ...kernel] : [outChannels, inChannels / groups, ...kernel];
    this.weight = this.registerParameter('weight', Tensor._empty(wShape));
    this.bias = this.registerParameter('bias', bias ? Tensor._empty([outChannels]) : null);
    this.resetParameters();
  }

  /** kaiming_uniform(a = sqrt(5)) for the weight, i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)), and the same bound for the bias. */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const fanIn = init.calculateFanInAndFanOut(this.weight)[0];
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  extraRepr(): string {
    const zeros = this.kernelSize.map(() => 0), ones = this.kernelSize.map(() => 1);
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p, i) => p !== zeros[i])) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d, i) => d !== ones[i])) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += `, bias=${pyBool(false)}`;
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }

  /**
   * Conv2d/Conv1d's input and padding: with a paddingMode other than 'zeros', the input padded by
   * F.pad in that mode (PyTorch's order: last dim first; 'same' puts the odd element at the end)
   * and padding 0 for the convolution.
   */
  protected padded(x: Tensor): [Tensor, number[] | 'same' | 'valid'] {
    const p = this.padding;
    if (this.paddingMode === 'zeros' || p === 'valid') return [x, p];
    const sides = this.kernelSize.flatMap((k, i) => {
      const total = p === 'same' ? this.dilation[i] * (k - 1) : 2 * p[i];
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
    const order = sides.length === 4 ? [sides[2], sides[3], sides[0], sides[1]] : sides;
    return [pad(x, order, this.paddingMode), this.kernelSize.map(() => 0)];
  }
}

/**
 * 2-D convolution layer: x [N, in, H, W] -> [N, out, Ho, Wo].
 * @example
 * const conv = new Conv2d(1, 6, 5);          // Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))
 * const y = conv.call(x);                    // [64, 1, 28, 28] -> [64, 6, 24, 24]
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: Conv2dOptions = {}) {
    knownOptions('Conv2d', opts, 'stride padding dilation groups bias paddingMode');
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros' } = opts;
    const k = pair('Conv2d', 'kernelSize', kernelSize);
    const g = convGeom('Conv2d', k[0], k[1], { stride, padding, dilation, groups: 1 });
    super('Conv2d', inChannels, outChannels, k, [g.sh, g.sw], typeof padding === 'string' ? padding : [g.pt, g.pl],
      [g.dh, g.dw], groups, bias, paddingMode);
  }

  forward(input: Tensor): Tensor {
    const [x, p] = this.padded(input);
    try {
      return conv2d(x, this.weight, this.bias, {
        stride: this.stride as [number, number], padding: typeof p === 'string' ? p : (p as [number, number]),
        dilation: this.dilation as [number, number], groups: this.groups,
      });
    } finally {
      if (x !== input) x.dispose();
    }
  }
}

export interface Conv1dOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
  bias?: boolean;
  paddingMode?: PaddingMode;
}

/** 1-D convolution layer: x [N, in, L] -> [N, out, Lo]. */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: Conv1dOptions = {}) {
    knownOptions('Conv1d', opts, 'stride padding dilation groups bias paddingMode');
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros' } = opts;
    for (const [n, v, min] of [['kernelSize', kernelSize, 1], ['stride', stride, 1], ['dilation', dilation, 1]] as const) {
      check(Number.isInteger(v) && v >= min, 'Conv1d', () => `${n} must be a positive integer, got ${v}`);
    }
    check(padding === 'same' || padding === 'valid' || (Number.isInteger(padding) && padding >= 0), 'Conv1d', () =>
      `padding must be a non-negative integer, 'same' or 'valid', got ${JSON.stringify(padding)}`);
    check(padding !== 'same' || stride === 1, 'Conv1d', () => `padding='same' is not supported for strided convolutions (stride ${stride})`);
    super('Conv1d', inChannels, outChannels, [kernelSize], [stride], typeof padding === 'string' ? padding : [padding],
      [dilation], groups, bias, paddingMode);
  }

  forward(input: Tensor): Tensor {
    const [x, p] = this.padded(input);
    try {
      return conv1d(x, this.weight, this.bias, {
        stride: this.stride[0], padding: typeof p === 'string' ? p : p[0], dilation: this.dilation[0], groups: this.groups,
      });
    } finally {
      if (x !== input) x.dispose();
    }
  }
}

/** F.convTranspose2d's options, plus the layer's own. */
export interface ConvTranspose2dOptions extends ConvTranspose2dOpOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Only 'zeros' is supported. */
  paddingMode?: 'zeros';
}

/**
 * Transposed 2-D convolution layer (a learned upsampling): x [N, in, H, W] -> [N, out, Ho, Wo],
 * Ho = (H - 1)·stride - 2·padding + dilation·(k - 1) + outputPadding + 1; weight [in, out/groups, kh, kw].
 * @example
 * const up = new ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 }); // H -> 2H
 */
export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: ConvTranspose2dOptions = {}) {
    knownOptions('ConvTranspose2d', opts, 'stride padding outputPadding dilation groups bias paddingMode');
    const { stride = 1, padding = 0, outputPadding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros' } = opts;
    const k = pair('ConvTranspose2d', 'kernelSize', kernelSize);
    const g = convGeom('ConvTranspose2d', k[0], k[1], { stride, padding: pair('ConvTranspose2d', 'padding', padding, 0), dilation, groups: 1 });
    // checked before super() allocates the parameters
    const op = pair('ConvTranspose2d', 'outputPadding', outputPadding, 0);
    check(op[0] < Math.max(g.sh, g.dh) && op[1] < Math.max(g.sw, g.dw), 'ConvTranspose2d', () =>
      `outputPadding must be smaller than stride or dilation in each dim, got ${JSON.stringify(outputPadding)}`);
    super('ConvTranspose2d', inChannels, outChannels, k, [g.sh, g.sw], [g.pt, g.pl], [g.dh, g.dw], groups, bias, paddingMode, true);
    this.outputPadding = op;
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride as [number, number], padding: this.padding as [number, number],
      outputPadding: this.outputPadding as [number, number], dilation: this.dilation as [number, number], groups: this.groups,
    });
  }
}
