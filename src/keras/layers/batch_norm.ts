// layers.batchNormalization with Keras semantics: normalizes over every dim but the last
// (channels last); moving = moving * momentum + batch * (1 - momentum) with the biased batch
// variance, as TensorFlow.js and Keras 3 (PyTorch and TF2's fused kernel use the unbiased one).
// Weights: gamma, beta, movingMean, movingVariance (the last two are non-trainable buffers).
import { ones, zeros } from '../../creation';
import { noGrad } from '../../autograd';
import { tidy } from '../../memory';
import { copyInto } from '../../backend/kernels';
import type { Tensor } from '../../tensor';
import { check } from '../../util/errors';
import { Layer, type LayerArgs, type Shape } from './layer';

export interface BatchNormArgs extends LayerArgs {
  axis?: number;
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
}

export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  private readonly momentum: number;
  private readonly epsilon: number;
  private readonly center: boolean;
  private readonly scale: boolean;
  gamma: Tensor | null = null;
  beta: Tensor | null = null;
  movingMean: Tensor | null = null;
  movingVariance: Tensor | null = null;

  constructor(args: BatchNormArgs = {}) {
    super(args, 'batch_normalization');
    check(args.axis === undefined || args.axis === -1, 'layers.batchNormalization', () => `only axis -1 (channels last) is supported, got ${args.axis}`);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
  }

  build(inputShape: Shape): void {
    const c = inputShape[inputShape.length - 1];
    if (this.scale) this.gamma = this.registerParameter('gamma', ones([c]));
    if (this.center) this.beta = this.registerParameter('beta', zeros([c]));
    this.movingMean = this.registerBuffer('movingMean', zeros([c]));
    this.movingVariance = this.registerBuffer('movingVariance', ones([c]));
    super.build(inputShape);
  }

  computeOutputShape(s: Shape): Shape { return s; }

  forward(x: Tensor): Tensor {
    this.ensureBuilt(x);
    const c = this.movingMean!.shape[0];
    check(x.ndim >= 2 && x.shape[x.ndim - 1] === c, this.layerName, () => `expected inputs [batch, ..., ${c}], got shape [${x.shape.join(', ')}]`);
    const dims = x.shape.slice(0, -1).map((_, i) => i);
    let mean: Tensor, variance: Tensor;
    if (this.training) {
      mean = x.mean(dims);
      variance = x.var(dims, { correction: 0 });
      noGrad(() => tidy(() => {
        const m = this.momentum;
        const nm = this.movingMean!.mul(m).add(mean.mul(1 - m));
        const nv = this.movingVariance!.mul(m).add(variance.mul(1 - m));
        copyInto(this.movingMean!, nm);
        copyInto(this.movingVariance!, nv);
      }));
    } else {
      mean = this.movingMean!;
      variance = this.movingVariance!;
    }
    const centered = x.sub(mean);
    const ve = variance.add(this.epsilon);
    const std = ve.rsqrt();
    ve.dispose();
    let y = centered.mul(std);
    if (this.gamma) { const z = y.mul(this.gamma); y.dispose(); y = z; }
    if (this.beta) { const z = y.add(this.beta); y.dispose(); y = z; }
    centered.dispose(); std.dispose();
    if (this.training) { mean.dispose(); variance.dispose(); }
    return y;
  }

  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}
