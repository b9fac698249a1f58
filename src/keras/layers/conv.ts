// layers.conv2d and layers.depthwiseConv2d with TensorFlow.js options. Kernels use Keras' layout
// ([kh, kw, in, out]; depthwise [kh, kw, in, multiplier]) so weights exchange with tfjs/Keras.
// conv2d on channelsLast inputs runs the native NHWC op (ops/conv_nhwc.ts: the kernel as stored,
// bias and a fused activation in one epilogue at inference). channelsFirst, and depthwise on either
// format, run the NCHW ops; channelsLast inputs reach them as permuted views (no copy).
import { getInitializer, type Initializer, type InitializerName } from '../../nn/initializers';
import { getRegularizer, type Regularizer } from '../../nn/regularizers';
import { zeros } from '../../creation';
import type { Tensor } from '../../tensor';
import { check } from '../../util/errors';
import { conv2dPadded, type ConvGeom } from '../../ops/conv';
import { conv2dNhwc } from '../../ops/conv_nhwc';
import { isFusedActivation } from '../../ops/linear';
import { getActivation, type ActivationName } from '../activations';
import { Layer, penaltySum, type LayerArgs, type Shape } from './layer';

export type DataFormat = 'channelsLast' | 'channelsFirst';
export type PaddingMode = 'valid' | 'same';
type InitializerLike = InitializerName | Initializer;

/** [a, b] from a number or a 1- or 2-element array (tfjs accepts all three). */
export function pair2(op: string, name: string, v: number | number[] | undefined, dflt: number): [number, number] {
  const p = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : v.length === 1 ? [v[0], v[0]] : [v[0], v[1]];
  check((typeof v !== 'object' || v.length === 1 || v.length === 2) && p.every((e) => Number.isInteger(e) && e >= 1), op, () =>
    `${name} must be a positive integer or a pair of them, got ${JSON.stringify(v)}`);
  return p as [number, number];
}

/** TensorFlow's output size and [before, after] padding of one spatial dim. */
export function tfPadding(n: number, k: number, s: number, d: number, padding: PaddingMode): { out: number; pads: [number, number] } {
  const dk = d * (k - 1) + 1;
  if (padding === 'valid') return { out: Math.max(0, Math.ceil((n - dk + 1) / s)), pads: [0, 0] };
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + dk - n, 0);
  return { out, pads: [Math.floor(total / 2), total - Math.floor(total / 2)] };
}

/** [H, W, C] of an input shape (batch excluded) in the layer's data format. */
export function hwc(shape: Shape, format: DataFormat): [number, number, number] {
  return format === 'channelsLast' ? [shape[0], shape[1], shape[2]] : [shape[1], shape[2], shape[0]];
}

/** Runs f on the NCHW view of x and returns the result in x's format (a view either way). */
export function inNchw(x: Tensor, format: DataFormat, f: (nchw: Tensor) => Tensor): Tensor {
  if (format === 'channelsFirst') return f(x);
  const xc = x.permute([0, 3, 1, 2]);
  const y = f(xc);
  const r = y.permute([0, 2, 3, 1]);
  xc.dispose(); y.dispose();
  return r;
}

export interface BaseConvArgs extends LayerArgs {
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: DataFormat;
  dilationRate?: number | number[];
  activation?: ActivationName;
  useBias?: boolean;
  biasInitializer?: InitializerLike;
  biasRegularizer?: Regularizer | 'l1' | 'l2' | 'l1l2';
}

abstract class BaseConv extends Layer {
  protected readonly kernel2: [number, number];
  protected readonly strides: [number, number];
  protected readonly dilation: [number, number];
  protected readonly padding: PaddingMode;
  protected readonly dataFormat: DataFormat;
  protected readonly act: ((x: Tensor) => Tensor) | null;
  protected readonly regs: [Regularizer | null, Regularizer | null];
  bias: Tensor | null = null;

  /** `base`: the naming prefix (conv2d, conv2d_1, ...); `op`: the factory named in errors. */
  constructor(protected readonly args: BaseConvArgs, base: string, protected readonly op: string, kernelReg: BaseConvArgs['biasRegularizer']) {
    super(args, base);
    this.kernel2 = pair2(op, 'kernelSize', args?.kernelSize, NaN);
    this.strides = pair2(op, 'strides', args.strides, 1);
    this.dilation = pair2(op, 'dilationRate', args.dilationRate, 1);
    this.padding = args.padding ?? 'valid';
    this.dataFormat = args.dataFormat ?? 'channelsLast';
    check(this.padding === 'valid' || this.padding === 'same', op, () => `padding must be 'valid' or 'same', got ${JSON.stringify(args.padding)}`);
    check(this.dataFormat === 'channelsLast' || this.dataFormat === 'channelsFirst', op, () => `dataFormat must be 'channelsLast' or 'channelsFirst', got ${JSON.stringify(args.dataFormat)}`);
    check(!(this.strides.some((s) => s > 1) && this.dilation.some((d) => d > 1)), op, () =>
      `strides > 1 together with dilationRate > 1 is not supported (as in TensorFlow), got strides [${this.strides}] and dilationRate [${this.dilation}]`);
    this.act = getActivation(args.activation ?? 'linear');
    this.regs = [kernelReg ? getRegularizer(kernelReg) : null, args.biasRegularizer ? getRegularizer(args.biasRegularizer) : null];
  }

  /** A new weight of this shape filled by the initializer (init ?? dflt). */
  protected newWeight(shape: number[], init: InitializerLike | undefined, dflt: InitializerLike): Tensor {
    const w = zeros(shape);
    getInitializer(init ?? dflt)(w);
    return w;
  }

  build(inputShape: Shape): void {
    const c = hwc(inputShape, this.dataFormat)[2];
    check(Number.isInteger(c) && c > 0, this.op, () => `needs a known channel dim, got input shape [${inputShape.join(', ')}]`);
    this.buildKernel(c);
    if (this.args.useBias ?? true) this.bias = this.registerParameter('bias', this.newWeight([this.outChannels(c)], this.args.biasInitializer, 'zeros'));
    super.build(inputShape);
  }

  /** Creates and registers the kernel for an input with `c` channels. */
  protected abstract buildKernel(c: number): void;
  /** Output channels for an input with `c` channels. */
  protected abstract outChannels(c: number): number;
  /** The kernel as a PyTorch weight [out, in/groups, kh, kw] view, and the groups. */
  protected abstract torchWeight(c: number): [Tensor, number];
  protected abstract get kernelParam(): Tensor | null;
  /** The kernel when the layer runs as a plain NHWC convolution ([kh, kw, in, out]), else null. */
  protected nhwcKernel(): Tensor | null { return null; }

  computeOutputShape(s: Shape): Shape {
    const [H, W, C] = hwc(s, this.dataFormat);
    const h = tfPadding(H, this.kernel2[0], this.strides[0], this.dilation[0], this.padding).out;
    const w = tfPadding(W, this.kernel2[1], this.strides[1], this.dilation[1], this.padding).out;
    const co = this.outChannels(C);
    return this.dataFormat === 'channelsLast' ? [h, w, co] : [co, h, w];
  }

  forward(x: Tensor): Tensor {
    this.ensureBuilt(x);
    check(x.ndim === 4, this.layerName, () => `expected a 4-D input, got shape [${x.shape.join(', ')}]`);
    const [H, W, C] = hwc(x.shape.slice(1), this.dataFormat);
    const want = this.inputShape ? hwc(this.inputShape, this.dataFormat)[2] : C;
    check(C === want, this.layerName, () => `expected ${want} input channels (${this.dataFormat}), got input shape [${x.shape.join(', ')}]`);
    const ph = tfPadding(H, this.kernel2[0], this.strides[0], this.dilation[0], this.padding);
    const pw = tfPadding(W, this.kernel2[1], this.strides[1], this.dilation[1], this.padding);
    check(ph.out > 0 && pw.out > 0, this.layerName, () => `kernel [${this.kernel2}] (dilation [${this.dilation}]) is larger than the input [${H}, ${W}]`);
    const geom = { sh: this.strides[0], sw: this.strides[1], pt: ph.pads[0], pb: ph.pads[1], pl: pw.pads[0], pr: pw.pads[1],
      dh: this.dilation[0], dw: this.dilation[1] };
    const kernel = this.dataFormat === 'channelsLast' ? this.nhwcKernel() : null;
    if (kernel) {
      const name = this.args.activation ?? 'linear';
      const fused = isFusedActivation(name);
      const y = conv2dNhwc(x, kernel, this.bias, geom, { activation: fused ? name : 'linear', op: this.layerName });
      if (fused || !this.act) return y;
      const a = this.act(y);
      y.dispose();
      return a;
    }
    const [w, groups] = this.torchWeight(C);
    const g: ConvGeom = { ...geom, groups };
    const y = inNchw(x, this.dataFormat, (xc) => {
      const z = conv2dPadded(this.layerName, xc, w, this.bias, g);
      if (!this.act) return z;
      const a = this.act(z);
      z.dispose();
      return a;
    });
    w.dispose();
    return y;
  }

  regularizationLoss(): Tensor | null {
    return penaltySum([[this.regs[0], this.kernelParam], [this.regs[1], this.bias]]);
  }

  getConfig(): Record<string, unknown> {
    const a = this.args;
    return {
      ...super.getConfig(), kernelSize: this.kernel2, strides: this.strides, padding: this.padding, dataFormat: this.dataFormat,
      dilationRate: this.dilation, activation: a.activation ?? 'linear', useBias: a.useBias ?? true,
      ...(typeof a.biasInitializer === 'string' ? { biasInitializer: a.biasInitializer } : {}),
    };
  }
}

export interface Conv2DArgs extends BaseConvArgs {
  filters: number;
  kernelInitializer?: InitializerLike;
  kernelRegularizer?: Regularizer | 'l1' | 'l2' | 'l1l2';
}

/**
 * 2-D convolution, y = activation(conv(x, kernel) + bias), kernel [kh, kw, in, filters].
 * @example
 * layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] });
 */
export class Conv2D extends BaseConv {
  readonly className = 'Conv2D';
  readonly filters: number;
  kernel: Tensor | null = null;

  constructor(args: Conv2DArgs) {
    super(args, 'conv2d', 'layers.conv2d', args?.kernelRegularizer);
    check(Number.isInteger(args.filters) && args.filters > 0, this.op, () => `filters must be a positive integer, got ${args.filters}`);
    this.filters = args.filters;
  }

  protected buildKernel(c: number): void {
    const init = (this.args as Conv2DArgs).kernelInitializer;
    this.kernel = this.registerParameter('kernel', this.newWeight([...this.kernel2, c, this.filters], init, 'glorotUniform'));
  }

  protected outChannels(): number { return this.filters; }
  protected torchWeight(): [Tensor, number] { return [this.kernel!.permute([3, 2, 0, 1]), 1]; }
  protected get kernelParam(): Tensor | null { return this.kernel; }
  protected nhwcKernel(): Tensor | null { return this.kernel; }

  getConfig(): Record<string, unknown> {
    const ki = (this.args as Conv2DArgs).kernelInitializer;
    return { ...super.getConfig(), filters: this.filters, ...(typeof ki === 'string' ? { kernelInitializer: ki } : {}) };
  }
}

export interface DepthwiseConv2DArgs extends BaseConvArgs {
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerLike;
  depthwiseRegularizer?: Regularizer | 'l1' | 'l2' | 'l1l2';
}

/**
 * Depthwise 2-D convolution: each input channel convolved with its own depthMultiplier filters;
 * output channel c * depthMultiplier + m. depthwiseKernel [kh, kw, in, depthMultiplier].
 */
export class DepthwiseConv2D extends BaseConv {
  readonly className = 'DepthwiseConv2D';
  readonly depthMultiplier: number;
  depthwiseKernel: Tensor | null = null;

  constructor(args: DepthwiseConv2DArgs) {
    super(args, 'depthwise_conv2d', 'layers.depthwiseConv2d', args?.depthwiseRegularizer);
    this.depthMultiplier = args.depthMultiplier ?? 1;
    check(Number.isInteger(this.depthMultiplier) && this.depthMultiplier > 0, this.op, () => `depthMultiplier must be a positive integer, got ${args.depthMultiplier}`);
  }

  protected buildKernel(c: number): void {
    const init = (this.args as DepthwiseConv2DArgs).depthwiseInitializer;
    this.depthwiseKernel = this.registerParameter('depthwiseKernel', this.newWeight([...this.kernel2, c, this.depthMultiplier], init, 'glorotUniform'));
  }

  protected outChannels(c: number): number { return c * this.depthMultiplier; }
  protected torchWeight(c: number): [Tensor, number] {
    // [kh, kw, c, m] -> [c * m, 1, kh, kw]: out channel c*m + j uses input channel c (groups = c).
    const [kh, kw] = this.kernel2;
    const r = this.depthwiseKernel!.reshape([kh, kw, c * this.depthMultiplier]);
    const p = r.permute([2, 0, 1]);
    const w = p.reshape([c * this.depthMultiplier, 1, kh, kw]);
    r.dispose(); p.dispose();
    return [w, c];
  }
  protected get kernelParam(): Tensor | null { return this.depthwiseKernel; }

  getConfig(): Record<string, unknown> {
    const di = (this.args as DepthwiseConv2DArgs).depthwiseInitializer;
    return { ...super.getConfig(), depthMultiplier: this.depthMultiplier, ...(typeof di === 'string' ? { depthwiseInitializer: di } : {}) };
  }
}
