// layers.embedding (TensorFlow.js names): integer indices [batch, ...] -> [batch, ..., outputDim],
// weight `embeddings` [inputDim, outputDim] initialized U(-0.05, 0.05) as Keras.
import { zeros } from '../../creation';
import type { Tensor } from '../../tensor';
import { tidy } from '../../memory';
import { getInitializer, type Initializer, type InitializerName } from '../../nn/initializers';
import { check, fmtShape } from '../../util/errors';
import { Layer, type LayerArgs, type Shape } from './layer';

export interface EmbeddingLayerArgs extends LayerArgs {
  /** Vocabulary size: indices are in [0, inputDim). */
  inputDim: number;
  outputDim: number;
  /** Length of input sequences, when constant (sets the input shape [inputLength]). */
  inputLength?: number;
  embeddingsInitializer?: InitializerName | Initializer;
  /** Index 0 is padding: the layer's output carries a mask (false there) that a following recurrent
   *  layer of a Sequential model honours (Keras' mask_zero). */
  maskZero?: boolean;
}

export class Embedding extends Layer {
  readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  private readonly args: EmbeddingLayerArgs;
  embeddings: Tensor | null = null;

  constructor(args: EmbeddingLayerArgs) {
    super({ ...args, inputShape: args?.inputShape ?? (args?.inputLength !== undefined ? [args.inputLength] : undefined) }, 'embedding');
    for (const k of ['inputDim', 'outputDim'] as const) {
      check(Number.isInteger(args?.[k]) && args[k] > 0, 'layers.embedding', () => `${k} must be a positive integer, got ${args?.[k]}`);
    }
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.args = args;
  }

  build(inputShape: Shape): void {
    const w = zeros([this.inputDim, this.outputDim]);
    getInitializer(this.args.embeddingsInitializer ?? 'randomUniform')(w);
    this.embeddings = this.registerParameter('embeddings', w);
    super.build(inputShape);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }

  /** Indices (int32, or float32 holding integers, as tfjs casts them) of any shape -> [..., outputDim]. */
  forward(x: Tensor): Tensor {
    this.ensureBuilt(x);
    check(x?._isTensor && (x.dtype === 'int32' || x.dtype === 'float32'), this.layerName, () =>
      `expected int32 (or integer-valued float32) indices, got ${x?._isTensor ? `${x.dtype} ${fmtShape(x.shape)}` : typeof x}`);
    return tidy(() => {
      const idx = x.dtype === 'int32' ? x : x.int();
      return this.embeddings!.indexSelect(0, idx.flatten()).reshape([...x.shape, this.outputDim]);
    });
  }

  /** With maskZero, the mask of the output: indices != 0 (bool, the indices' shape). */
  computeMask(_mask: Tensor | null, x?: Tensor): Tensor | null { return this.args.maskZero && x ? x.ne(0) : null; }

  getConfig(): Record<string, unknown> {
    const a = this.args;
    return {
      ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim, ...(a.maskZero ? { maskZero: true } : {}),
      ...(a.inputLength !== undefined ? { inputLength: a.inputLength } : {}),
      ...(typeof a.embeddingsInitializer === 'string' ? { embeddingsInitializer: a.embeddingsInitializer } : {}),
    };
  }
}
