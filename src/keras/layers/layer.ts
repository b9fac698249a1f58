// The Keras-style layer: an nn.Module that builds its weights lazily from the first input
// shape, knows its output shape, serializes its config, and reports regularization penalties.
import { Module, type AnyModule } from '../../nn/module';
import type { Regularizer } from '../../nn/regularizers';
import type { Tensor } from '../../tensor';
import { applyLayer, type SymbolicTensor } from '../symbolic';

/** Shapes without the batch dim, as Keras' inputShape. */
export type Shape = number[];

export interface LayerArgs {
  name?: string;
  inputShape?: Shape;
  batchInputShape?: (number | null)[];
  trainable?: boolean;
}

/** True for a list of shapes (a multi-input layer's input), false for one shape. */
export const isShapeList = (s: Shape | Shape[]): s is Shape[] => Array.isArray(s) && s.length > 0 && Array.isArray(s[0]);

const counters = new Map<string, number>();

/** tfjs-style unique names: dense, dense_1, dense_2, ... per class. */
export function uniqueName(base: string): string {
  const n = counters.get(base) ?? 0;
  counters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Σ reg.apply(weight) over the [regularizer, weight] pairs where both are set, added in order
 *  (intermediates disposed), or null when there are none: a layer's regularizationLoss. */
export function penaltySum(pairs: [Regularizer | null, Tensor | null][]): Tensor | null {
  let sum: Tensor | null = null;
  for (const [reg, w] of pairs) {
    if (!reg || !w) continue;
    const t = reg.apply(w);
    if (sum) { const n: Tensor = sum.add(t); sum.dispose(); t.dispose(); sum = n; } else sum = t;
  }
  return sum;
}

/** The weights training updates: a layer's parameters unless frozen; a nested model's trainable layers'. */
export function trainableParams(l: Layer): Tensor[] {
  const sub = (l as { layers?: Layer[] }).layers;
  return !l.trainable ? [] : Array.isArray(sub) ? sub.flatMap(trainableParams) : l.parameters();
}

export abstract class Layer extends Module {
  abstract readonly className: string;
  readonly layerName: string;
  inputShape: Shape | null;
  built = false;
  trainable: boolean;

  constructor(args: LayerArgs, base: string) {
    super();
    this.layerName = args.name ?? uniqueName(base);
    this.inputShape = args.inputShape ?? (args.batchInputShape ? (args.batchInputShape.slice(1) as number[]) : null);
    this.trainable = args.trainable ?? true;
  }

  /** The layer's name, as TensorFlow.js's `layer.name` (dense, dense_1, ...: Keras' naming; tfjs says dense_Dense1). */
  get name(): string { return this.layerName; }

  /**
   * TensorFlow.js's apply: on SymbolicTensor(s) records a call for model() (building the layer from
   * their shapes; a recurrent layer with returnState gives an array), on tensors runs call(x);
   * given a function it is PyTorch's Module.apply (fn on every submodule).
   */
  apply(fn: (m: AnyModule) => void): this;
  apply(x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor;
  apply(x: Tensor | Tensor[]): Tensor;
  apply(x: unknown): unknown { return applyLayer(this, x, (fn) => super.apply(fn)); }

  /** Creates weights for inputs of this shape (batch dim excluded); multi-input layers (merge.ts)
   *  get one shape per input. */
  build(inputShape: Shape | Shape[]): void {
    if (!isShapeList(inputShape)) this.inputShape ??= inputShape;
    this.built = true;
  }

  /** Builds from x's shape (batch dim dropped) on first use outside a model, as tfjs's apply. */
  protected ensureBuilt(x: Tensor): void {
    if (!this.built) this.build(x.shape.slice(1));
  }

  /** The output shape (batch dim excluded) for this input shape, or one shape per input for a
   *  multi-input layer (Add, Concatenate, ...: their forward and call take an array of tensors). */
  abstract computeOutputShape(inputShape: Shape | Shape[]): Shape;

  /** Constructor arguments that rebuild this layer (JSON-safe). */
  getConfig(): Record<string, unknown> {
    return { name: this.layerName, ...(this.inputShape ? { inputShape: this.inputShape } : {}), trainable: this.trainable };
  }

  /** Sum of the layer's weight penalties (kernelRegularizer ...), or null. */
  regularizationLoss(): Tensor | null {
    return null;
  }

  countParams(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0) + this.buffers().reduce((n, b) => n + (b.dtype === 'float32' ? b.size : 0), 0);
  }
}
