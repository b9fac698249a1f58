// Weightless Keras-style layers: flatten, activation, dropout.
import { Dropout as NnDropout } from '../../nn/dropout';
import type { Tensor } from '../../tensor';
import { check } from '../../util/errors';
import { getActivation, type ActivationName } from '../activations';
import { Layer, type LayerArgs, type Shape } from './layer';

/** Flattens every dim after the batch dim. */
export class Flatten extends Layer {
  readonly className = 'Flatten';
  constructor(args: LayerArgs = {}) { super(args, 'flatten'); }
  computeOutputShape(s: Shape): Shape { return [s.reduce((a, b) => a * b, 1)]; }
  forward(x: Tensor): Tensor { return x.reshape([x.shape[0], -1]); }
}

export class Activation extends Layer {
  readonly className = 'Activation';
  private readonly activation: ActivationName;
  private readonly fn: ((x: Tensor) => Tensor) | null;
  constructor(args: LayerArgs & { activation: ActivationName }) {
    super(args, 'activation');
    check(args?.activation !== undefined, 'layers.activation', () => 'expected { activation }');
    this.activation = args.activation;
    this.fn = getActivation(args.activation);
  }
  computeOutputShape(s: Shape): Shape { return s; }
  forward(x: Tensor): Tensor { return this.fn ? this.fn(x) : x.clone(); }
  getConfig(): Record<string, unknown> { return { ...super.getConfig(), activation: this.activation }; }
}

/** Inverted dropout with Keras' `rate`; identity at inference. */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly rate: number;
  private readonly inner: NnDropout;
  constructor(args: LayerArgs & { rate: number }) {
    super(args, 'dropout');
    check(typeof args?.rate === 'number' && args.rate >= 0 && args.rate < 1, 'layers.dropout', () => `rate must be in [0, 1), got ${args?.rate}`);
    this.rate = args.rate;
    this.inner = new NnDropout(args.rate);
    this.registerModule('dropout', this.inner);
  }
  computeOutputShape(s: Shape): Shape { return s; }
  forward(x: Tensor): Tensor { return this.inner.forward(x); }
  getConfig(): Record<string, unknown> { return { ...super.getConfig(), rate: this.rate }; }
}
