// layers.dense: y = activation(x · kernel + bias), kernel [inputDim, units] as in Keras
// (so weights exchange with Keras/TensorFlow.js without transposes). Acts on the last dim.
import { getInitializer, type Initializer, type InitializerName } from '../../nn/initializers';

type InitializerLike = InitializerName | Initializer;
import type { Regularizer } from '../../nn/regularizers';
import { zeros } from '../../creation';
import type { Tensor } from '../../tensor';
import { check } from '../../util/errors';
import { getActivation, type ActivationName } from '../activations';
import { Layer, type LayerArgs, type Shape } from './layer';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerLike;
  biasInitializer?: InitializerLike;
  kernelRegularizer?: Regularizer;
  biasRegularizer?: Regularizer;
}

export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  private readonly args: DenseArgs;
  private readonly act: ((x: Tensor) => Tensor) | null;
  kernel: Tensor | null = null;
  bias: Tensor | null = null;

  constructor(args: DenseArgs) {
    super(args, 'dense');
    check(Number.isInteger(args?.units) && args.units > 0, 'layers.dense', () => `units must be a positive integer, got ${args?.units}`);
    this.units = args.units;
    this.args = args;
    this.act = getActivation(args.activation ?? 'linear');
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
    check(x.shape[x.ndim - 1] === this.kernel!.shape[0], this.layerName, () =>
      `expected inputs with last dim ${this.kernel!.shape[0]}, got shape [${x.shape.join(', ')}]`);
    let y = x.matmul(this.kernel!);
    if (this.bias) { const z = y.add(this.bias); y.dispose(); y = z; }
    if (this.act) { const z = this.act(y); y.dispose(); y = z; }
    return y;
  }

  regularizationLoss(): Tensor | null {
    const terms: Tensor[] = [];
    if (this.args.kernelRegularizer && this.kernel) terms.push(this.args.kernelRegularizer.apply(this.kernel));
    if (this.args.biasRegularizer && this.bias) terms.push(this.args.biasRegularizer.apply(this.bias));
    if (terms.length === 0) return null;
    let s = terms[0];
    for (const t of terms.slice(1)) { const n = s.add(t); s.dispose(); t.dispose(); s = n; }
    return s;
  }

  getConfig(): Record<string, unknown> {
    const a = this.args;
    return {
      ...super.getConfig(), units: this.units, activation: a.activation ?? 'linear', useBias: a.useBias ?? true,
      ...(typeof a.kernelInitializer === 'string' ? { kernelInitializer: a.kernelInitializer } : {}),
      ...(typeof a.biasInitializer === 'string' ? { biasInitializer: a.biasInitializer } : {}),
      ...(a.kernelRegularizer?.getConfig ? { kernelRegularizer: a.kernelRegularizer.getConfig() } : {}),
      ...(a.biasRegularizer?.getConfig ? { biasRegularizer: a.biasRegularizer.getConfig() } : {}),
    };
  }
}
