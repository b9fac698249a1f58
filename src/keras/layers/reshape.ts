// Keras shape layers with TensorFlow.js-layers' options: reshape (targetShape, one unknown dim),
// permute (1-based dims, batch dim fixed), repeatVector ([N, F] -> [N, n, F]). Views where possible.
import type { Tensor } from '../../tensor';
import { check } from '../../util/errors';
import { Layer, type LayerArgs, type Shape } from './layer';

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const fmt = (s: readonly (number | null)[]) => `[${s.map((d) => d ?? 'null').join(', ')}]`;

export interface ReshapeArgs extends LayerArgs {
  /** The shape after the batch dim; one entry may be -1 or null (inferred). */
  targetShape: (number | null)[];
}

/** Reshapes each example to targetShape (tfjs stores an unknown dim as null). */
export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: (number | null)[];
  constructor(args: ReshapeArgs) {
    super(args, 'reshape');
    const t = args?.targetShape;
    check(Array.isArray(t) && t.every((d) => d === null || d === -1 || (Number.isInteger(d) && d >= 0)), 'layers.reshape', () =>
      `targetShape must be an array of non-negative integers with at most one -1 or null, got ${JSON.stringify(t)}`);
    this.targetShape = t.map((d) => (d === null || d < 0 ? null : d));
    check(this.targetShape.filter((d) => d === null).length <= 1, 'layers.reshape', () => `targetShape may have only one unknown dim, got ${JSON.stringify(t)}`);
  }

  /** targetShape with its unknown dim filled for examples of `inputShape` (batch dim excluded). */
  private resolve(inputShape: Shape): Shape {
    const n = prod(inputShape), known = prod(this.targetShape.filter((d): d is number => d !== null));
    const unknown = this.targetShape.indexOf(null);
    const ok = unknown >= 0 ? known > 0 && n % known === 0 : n === known;
    check(ok, this.layerName, () =>
      `Reshape cannot reshape inputs of shape ${fmt([null, ...inputShape])} (${n} values per example) to ${fmt([null, ...this.targetShape])}: the total size must be unchanged`);
    return this.targetShape.map((d) => d ?? n / known);
  }

  computeOutputShape(s: Shape): Shape { return this.resolve(s); }

  forward(x: Tensor): Tensor {
    check(x.ndim >= 1, this.layerName, () => 'expected an input with a batch dim, got a 0-d tensor');
    return x.reshape([x.shape[0], ...this.resolve(x.shape.slice(1))]);
  }

  getConfig(): Record<string, unknown> { return { ...super.getConfig(), targetShape: this.targetShape }; }
}

/** Permutes the dims after the batch dim: dims is a permutation of 1..rank (Keras counts from 1). */
export class Permute extends Layer {
  readonly className = 'Permute';
  readonly dims: number[];
  constructor(args: LayerArgs & { dims: number[] }) {
    super(args, 'permute');
    const d = args?.dims;
    check(Array.isArray(d) && [...d].sort((a, b) => a - b).every((v, i) => v === i + 1), 'layers.permute', () =>
      `dims must be a permutation of 1..${Array.isArray(d) ? d.length : 'rank'} (consecutive integers from 1; the batch dim stays first), got ${JSON.stringify(d)}`);
    this.dims = [...d];
  }

  computeOutputShape(s: Shape): Shape {
    check(s.length === this.dims.length, this.layerName, () => `dims ${JSON.stringify(this.dims)} need inputs of rank ${this.dims.length + 1}, got shape ${fmt([null, ...s])}`);
    return this.dims.map((d) => s[d - 1]);
  }

  forward(x: Tensor): Tensor {
    check(x.ndim === this.dims.length + 1, this.layerName, () => `dims ${JSON.stringify(this.dims)} need inputs of rank ${this.dims.length + 1}, got shape [${x.shape.join(', ')}]`);
    return x.permute([0, ...this.dims]);
  }

  getConfig(): Record<string, unknown> { return { ...super.getConfig(), dims: this.dims }; }
}

/** Repeats a [N, F] input n times: [N, n, F]. */
export class RepeatVector extends Layer {
  readonly className = 'RepeatVector';
  readonly n: number;
  constructor(args: LayerArgs & { n: number }) {
    super(args, 'repeat_vector');
    check(Number.isInteger(args?.n) && args.n >= 1, 'layers.repeatVector', () => `n must be a positive integer, got ${JSON.stringify(args?.n)}`);
    this.n = args.n;
  }

  computeOutputShape(s: Shape): Shape {
    check(s.length === 1, this.layerName, () => `expected 2-D inputs [null, features], got shape ${fmt([null, ...s])}`);
    return [this.n, s[0]];
  }

  forward(x: Tensor): Tensor {
    check(x.ndim === 2, this.layerName, () => `expected a 2-D input [batch, features], got shape [${x.shape.join(', ')}]`);
    const u = x.unsqueeze(1), y = u.expand([x.shape[0], this.n, x.shape[1]]);
    u.dispose();
    return y;
  }

  getConfig(): Record<string, unknown> { return { ...super.getConfig(), n: this.n }; }
}
