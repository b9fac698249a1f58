// layers.layerNormalization with TensorFlow.js semantics: each sample normalized over the last
// axis, y = (x - mean) / sqrt(var + epsilon) * gamma + beta (biased variance, epsilon 1e-3).
// Weights: gamma (scale) and beta (center), of the last dim's size.
import { ones, zeros } from '../../creation';
import type { Tensor } from '../../tensor';
import { check } from '../../util/errors';
import { layerNorm } from '../../nn/functional';
import { Layer, type LayerArgs, type Shape } from './layer';

export interface LayerNormArgs extends LayerArgs {
  axis?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
}

export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  private readonly epsilon: number;
  private readonly center: boolean;
  private readonly scale: boolean;
  gamma: Tensor | null = null;
  beta: Tensor | null = null;
  /** The normalized (last) dim's size, from build. */
  private size = 0;

  constructor(args: LayerNormArgs = {}) {
    super(args, 'layer_normalization');
    check(args.axis === undefined || args.axis === -1, 'layers.layerNormalization', () => `only axis -1 (the last) is supported, got ${args.axis}`);
    this.epsilon = args.epsilon ?? 1e-3;
    check(this.epsilon > 0, 'layers.layerNormalization', () => `epsilon must be positive, got ${this.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
  }

  build(inputShape: Shape): void {
    const c = inputShape[inputShape.length - 1];
    check(typeof c === 'number' && c > 0, this.layerName, () => `needs a known last dim, got input shape [${inputShape.join(', ')}]`);
    this.size = c;
    if (this.scale) this.gamma = this.registerParameter('gamma', ones([c]));
    if (this.center) this.beta = this.registerParameter('beta', zeros([c]));
    super.build(inputShape);
  }

  computeOutputShape(s: Shape): Shape { return s; }

  forward(x: Tensor): Tensor {
    this.ensureBuilt(x);
    const c = this.size;
    check(x.ndim >= 2 && x.shape[x.ndim - 1] === c, this.layerName, () => `expected inputs [batch, ..., ${c}], got shape [${x.shape.join(', ')}]`);
    return layerNorm(x, [c], this.gamma, this.beta, this.epsilon);
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: -1, epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}
