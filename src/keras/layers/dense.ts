// layers.dense: y = activation(x · kernel + bias), kernel [inputDim, units] as in Keras
// (so weights exchange with Keras/TensorFlow.js without transposes). Acts on the last dim.
import { getInitializer, type Initializer, type InitializerName } from '../../nn/initializers';
import { getRegularizer, l1l2, type Regularizer } from '../../nn/regularizers';
import { zeros } from '../../creation';
import type { Tensor } from '../../tensor';
import { check } from '../../util/errors';
import { getActivation, type ActivationName } from '../activations';
import { isFusedActivation, linear } from '../../ops/linear';
import { Layer, penaltySum, type LayerArgs, type Shape } from './layer';

type InitializerLike = InitializerName | Initializer;
/** A regularizer object (regularizers.l2({ l2: 0.01 })), a name ('l1', 'l2', 'l1l2') or its saved form. */
export type RegularizerLike = Regularizer | 'l1' | 'l2' | 'l1l2' | { className: 'L1L2'; config: { l1?: number; l2?: number } };

export function toRegularizer(r: RegularizerLike | undefined, op = 'layers.dense'): Regularizer | null {
  if (r === undefined || r === null) return null;
  if (typeof r === 'object' && 'config' in r && !('apply' in r)) {
    check(r.className === 'L1L2', op, () => `unknown regularizer class ${JSON.stringify(r.className)} (expected 'L1L2')`);
    return l1l2({ l1: r.config?.l1 ?? 0, l2: r.config?.l2 ?? 0 });
  }
  return getRegularizer(r as Regularizer);
}

export const regConfig = (r: Regularizer | null) => (r ? { className: r.className, config: r.getConfig() } : undefined);

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  kernelRegularizer?: RegularizerLike;
  biasRegularizer?: RegularizerLike;
}

export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  private readonly args: DenseArgs;
  private readonly act: ((x: Tensor) => Tensor) | null;
  private readonly kernelRegularizer: Regularizer | null;
  private readonly biasRegularizer: Regularizer | null;
  kernel: Tensor | null = null;
  bias: Tensor | null = null;

  constructor(args: DenseArgs) {
    super(args, 'dense');
    check(Number.isInteger(args?.units) && args.units > 0, 'layers.dense', () => `units must be a positive integer, got ${args?.units}`);
    this.units = args.units;
    this.args = args;
    this.act = getActivation(args.activation ?? 'linear');
    this.kernelRegularizer = toRegularizer(args.kernelRegularizer);
    this.biasRegularizer = toRegularizer(args.biasRegularizer);
  }

  build(inputShape: Shape): void {
    const inputDim = inputShape[inputShape.length - 1];
    check(Number.isInteger(inputDim) && inputDim > 0, 'layers.dense', () => `needs a known last input dim, got input shape [${inputShape.join(', ')}]`);
    const k = zeros([inputDim, this.units]);
    getInitializer(this.args.kernelInitializer ?? 'glorotUniform')(k);
    this.kernel = this.registerParameter('kernel', k);
    if (this.args.useBias ?? true) {
      const b = zeros([this.units]);
      getInitializer(this.args.biasInitializer ?? 'zeros')(b);
      this.bias = this.registerParameter('bias', b);
    }
    super.build(inputShape);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  forward(x: Tensor): Tensor {
    this.ensureBuilt(x);
    check(x.shape[x.ndim - 1] === this.kernel!.shape[0], this.layerName, () =>
      `expected inputs with last dim ${this.kernel!.shape[0]}, got shape [${x.shape.join(', ')}]`);
    // GEMM + one epilogue call at inference; matmul, add and the activation op when grads are recorded.
    const name = this.args.activation ?? 'linear';
    const fused = isFusedActivation(name);
    let y = linear(x, this.kernel!, this.bias, { activation: fused ? name : 'linear', op: this.layerName });
    if (!fused && this.act) { const z = this.act(y); y.dispose(); y = z; }
    return y;
  }

  regularizationLoss(): Tensor | null {
    return penaltySum([[this.kernelRegularizer, this.kernel], [this.biasRegularizer, this.bias]]);
  }

  getConfig(): Record<string, unknown> {
    const a = this.args;
    return {
      ...super.getConfig(), units: this.units, activation: a.activation ?? 'linear', useBias: a.useBias ?? true,
      ...(typeof a.kernelInitializer === 'string' ? { kernelInitializer: a.kernelInitializer } : {}),
      ...(typeof a.biasInitializer === 'string' ? { biasInitializer: a.biasInitializer } : {}),
      ...(this.kernelRegularizer ? { kernelRegularizer: regConfig(this.kernelRegularizer) } : {}),
      ...(this.biasRegularizer ? { biasRegularizer: regConfig(this.biasRegularizer) } : {}),
    };
  }
}
