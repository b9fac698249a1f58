// Keras' advanced activation layers with TensorFlow.js-layers' names and options: reLU (with Keras'
// maxValue / negativeSlope / threshold), leakyReLU, pReLU (a learned slope), eLU, thresholdedReLU,
// softmax. Each composes differentiable ops, so gradients flow through them in fit.
import { zeros } from '../../creation';
import { getInitializer, type Initializer, type InitializerName } from '../../nn/initializers';
import type { Regularizer } from '../../nn/regularizers';
import { where } from '../../ops/binary';
import type { Tensor } from '../../tensor';
import { check } from '../../util/errors';
import { regConfig, toRegularizer, type RegularizerLike } from './dense';
import { Layer, penaltySum, type LayerArgs, type Shape } from './layer';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export interface ReLULayerArgs extends LayerArgs {
  /** Upper bound of the output; none by default. */
  maxValue?: number | null;
  /** Slope below the threshold (Keras); default 0. */
  negativeSlope?: number;
  /** Inputs at or below it are "negative" (Keras); default 0. */
  threshold?: number;
}

/**
 * Keras' ReLU: maxValue for x >= maxValue, x for threshold < x < maxValue, and
 * negativeSlope * (x - threshold) below (computed as Keras does: x * (x > threshold), clipped to
 * [0, maxValue], minus negativeSlope * relu(threshold - x)). tfjs takes only maxValue.
 */
export class ReLU extends Layer {
  readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;
  constructor(args: ReLULayerArgs = {}) {
    super(args, 're_lu');
    this.maxValue = args.maxValue ?? null;
    this.negativeSlope = args.negativeSlope ?? 0;
    this.threshold = args.threshold ?? 0;
    check(this.maxValue === null || (finite(this.maxValue) && this.maxValue >= 0), 'layers.reLU', () => `maxValue must be a non-negative number, got ${JSON.stringify(args.maxValue)}`);
    check(finite(this.negativeSlope) && this.negativeSlope >= 0, 'layers.reLU', () => `negativeSlope must be a non-negative number, got ${JSON.stringify(args.negativeSlope)}`);
    check(finite(this.threshold) && this.threshold >= 0, 'layers.reLU', () => `threshold must be a non-negative number, got ${JSON.stringify(args.threshold)}`);
  }
  computeOutputShape(s: Shape): Shape { return s; }
  forward(x: Tensor): Tensor {
    const t = this.threshold, m = this.maxValue, ns = this.negativeSlope;
    let y = t !== 0 ? where(x.gt(t), x, 0) : x.relu();
    if (m !== null) { const c = y.clamp(0, m); y.dispose(); y = c; }
    if (ns !== 0) {
      const below = t !== 0 ? x.neg().add(t).relu() : x.neg().relu();
      const r = y.sub(below.mul(ns));
      y.dispose(); below.dispose();
      y = r;
    }
    return y;
  }
  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}

/** x for x > 0, alpha * x below (tfjs's default alpha 0.3). Keras 3's `negativeSlope` is read too. */
export class LeakyReLU extends Layer {
  readonly className = 'LeakyReLU';
  readonly alpha: number;
  constructor(args: LayerArgs & { alpha?: number; negativeSlope?: number } = {}) {
    super(args, 'leaky_re_lu');
    this.alpha = args.alpha ?? args.negativeSlope ?? 0.3;
    check(finite(this.alpha), 'layers.leakyReLU', () => `alpha must be a number, got ${JSON.stringify(args.alpha)}`);
  }
  computeOutputShape(s: Shape): Shape { return s; }
  forward(x: Tensor): Tensor { return x.leakyRelu(this.alpha); }
  getConfig(): Record<string, unknown> { return { ...super.getConfig(), alpha: this.alpha }; }
}

/** x for x > 0, alpha * (exp(x) - 1) below. tfjs supports only alpha 1; Keras any alpha. */
export class ELU extends Layer {
  readonly className = 'ELU';
  readonly alpha: number;
  constructor(args: LayerArgs & { alpha?: number } = {}) {
    super(args, 'elu');
    this.alpha = args.alpha ?? 1;
    check(finite(this.alpha), 'layers.elu', () => `alpha must be a number, got ${JSON.stringify(args.alpha)}`);
  }
  computeOutputShape(s: Shape): Shape { return s; }
  forward(x: Tensor): Tensor { return x.elu(this.alpha); }
  getConfig(): Record<string, unknown> { return { ...super.getConfig(), alpha: this.alpha }; }
}

/** x for x > theta, else 0 (theta default 1). */
export class ThresholdedReLU extends Layer {
  readonly className = 'ThresholdedReLU';
  readonly theta: number;
  constructor(args: LayerArgs & { theta?: number } = {}) {
    super(args, 'thresholded_re_lu');
    this.theta = args.theta ?? 1;
    check(finite(this.theta), 'layers.thresholdedReLU', () => `theta must be a number, got ${JSON.stringify(args.theta)}`);
  }
  computeOutputShape(s: Shape): Shape { return s; }
  forward(x: Tensor): Tensor { return where(x.gt(this.theta), x, 0); }
  getConfig(): Record<string, unknown> { return { ...super.getConfig(), theta: this.theta }; }
}

/**
 * Softmax over `axis` (of the full tensor, batch dim 0; default -1 as Keras and tfjs's docs; tfjs's
 * code defaults to 1, the same axis for 2-D inputs). Several axes normalize over all of them jointly.
 */
export class Softmax extends Layer {
  readonly className = 'Softmax';
  readonly axis: number | number[];
  constructor(args: LayerArgs & { axis?: number | number[] } = {}) {
    super(args, 'softmax');
    this.axis = args.axis ?? -1;
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    check(axes.length > 0 && axes.every(Number.isInteger), 'layers.softmax', () => `axis must be an integer or a non-empty array of them, got ${JSON.stringify(args.axis)}`);
  }
  computeOutputShape(s: Shape): Shape { return s; }
  forward(x: Tensor): Tensor {
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    check(axes.every((a) => a >= -x.ndim && a < x.ndim), this.layerName, () => `axis ${JSON.stringify(this.axis)} is out of range for an input of shape [${x.shape.join(', ')}]`);
    if (axes.length === 1) return x.softmax(axes[0]);
    const lse = x.logsumexp(axes, true), d = x.sub(lse), y = d.exp();
    lse.dispose(); d.dispose();
    return y;
  }
  getConfig(): Record<string, unknown> { return { ...super.getConfig(), axis: this.axis }; }
}

export interface PReLULayerArgs extends LayerArgs {
  /** Initial alpha; default 'zeros'. */
  alphaInitializer?: InitializerName | Initializer;
  alphaRegularizer?: RegularizerLike;
  /** Axes (of the full tensor, 1-based after the batch dim) sharing one alpha, e.g. [1, 2] for per-channel. */
  sharedAxes?: number | number[] | null;
  /** Not supported: must be null / absent. */
  alphaConstraint?: null;
}

/** x for x > 0, alpha * x below, with alpha a weight of the input's shape (1 along sharedAxes). */
export class PReLU extends Layer {
  readonly className = 'PReLU';
  readonly sharedAxes: number[] | null;
  private readonly args: PReLULayerArgs;
  private readonly alphaRegularizer: Regularizer | null;
  alpha: Tensor | null = null;

  constructor(args: PReLULayerArgs = {}) {
    super(args, 'p_re_lu');
    const sa = args.sharedAxes;
    this.sharedAxes = sa === undefined || sa === null ? null : typeof sa === 'number' ? [sa] : sa;
    check(this.sharedAxes === null || (Array.isArray(this.sharedAxes) && this.sharedAxes.every((a) => Number.isInteger(a) && a >= 1)), 'layers.pReLU', () =>
      `sharedAxes must be a positive integer or an array of them (1 is the first axis after the batch), got ${JSON.stringify(sa)}`);
    check(args.alphaConstraint === undefined || args.alphaConstraint === null, 'layers.pReLU', () => `alphaConstraint is not supported, got ${JSON.stringify(args.alphaConstraint)}`);
    this.args = args;
    this.alphaRegularizer = toRegularizer(args.alphaRegularizer, 'layers.pReLU');
  }

  build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    check(this.sharedAxes === null || this.sharedAxes.every((a) => a <= s.length), this.layerName, () =>
      `sharedAxes ${JSON.stringify(this.sharedAxes)} do not fit inputs of shape [null, ${s.join(', ')}]`);
    const shape = s.map((d, i) => (this.sharedAxes?.includes(i + 1) ? 1 : d));
    const a = zeros(shape);
    getInitializer(this.args.alphaInitializer ?? 'zeros')(a);
    this.alpha = this.registerParameter('alpha', a);
    super.build(s);
  }

  computeOutputShape(s: Shape): Shape { return s; }

  forward(x: Tensor): Tensor {
    this.ensureBuilt(x);
    const w = this.alpha!.shape;
    check(x.ndim === w.length + 1 && w.every((d, i) => d === 1 || d === x.shape[i + 1]), this.layerName, () =>
      `expected inputs of shape [null, ${this.inputShape!.join(', ')}], got [${x.shape.join(', ')}]`);
    // relu(x) - alpha * relu(-x): alpha * x below 0.
    const pos = x.relu(), n = x.neg(), negPart = n.relu(), scaled = negPart.mul(this.alpha!), y = pos.sub(scaled);
    for (const t of [pos, n, negPart, scaled]) t.dispose();
    return y;
  }

  regularizationLoss(): Tensor | null { return penaltySum([[this.alphaRegularizer, this.alpha]]); }

  getConfig(): Record<string, unknown> {
    const init = this.args.alphaInitializer;
    return {
      ...super.getConfig(), sharedAxes: this.sharedAxes,
      ...(typeof init === 'string' ? { alphaInitializer: init } : {}),
      ...(this.alphaRegularizer ? { alphaRegularizer: regConfig(this.alphaRegularizer) } : {}),
    };
  }
}
