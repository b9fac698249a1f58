// `layers.*` factories with TensorFlow.js-layers' names and options, and the class table that
// rebuilds layers from saved configs.
import { Dense, type DenseArgs } from './dense';
import { Activation, Dropout, Flatten } from './simple';
import { BatchNormalization, type BatchNormArgs } from './batch_norm';
import { LayerNormalization, type LayerNormArgs } from './layer_norm';
import type { Layer, LayerArgs } from './layer';
import type { ActivationName } from '../activations';
import { check } from '../../util/errors';

export { Layer, type LayerArgs, type Shape } from './layer';
export { Dense, Activation, Dropout, Flatten, BatchNormalization, LayerNormalization };

export const dense = (args: DenseArgs): Dense => new Dense(args);
export const dropout = (args: LayerArgs & { rate: number }): Dropout => new Dropout(args);
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
export const activation = (args: LayerArgs & { activation: ActivationName }): Activation => new Activation(args);
export const batchNormalization = (args: BatchNormArgs = {}): BatchNormalization => new BatchNormalization(args);
export const layerNormalization = (args: LayerNormArgs = {}): LayerNormalization => new LayerNormalization(args);

type LayerCtor = new (config: never) => Layer;
const classes = new Map<string, LayerCtor>([
  ['Dense', Dense as LayerCtor], ['Dropout', Dropout as LayerCtor], ['Flatten', Flatten as LayerCtor],
  ['Activation', Activation as LayerCtor], ['BatchNormalization', BatchNormalization as LayerCtor],
  ['LayerNormalization', LayerNormalization as LayerCtor],
]);

/** Registers a layer class so saved models that use it can be loaded. */
export function registerLayerClass(className: string, ctor: LayerCtor): void {
  classes.set(className, ctor);
}

/** Rebuilds a layer from `{ className, config }` as written by model.save. */
export function deserializeLayer(spec: { className: string; config: Record<string, unknown> }): Layer {
  const ctor = classes.get(spec?.className);
  check(ctor !== undefined, 'loadModel', () => `unknown layer class '${spec?.className}' (known: ${[...classes.keys()].join(', ')}); register it with registerLayerClass`);
  return new ctor(spec.config as never);
}

// Sequence layers (recurrent.ts, embedding.ts).
import { SimpleRNN, LSTM, GRU, type RNNLayerArgs, type LSTMLayerArgs, type GRULayerArgs } from './recurrent';
import { Embedding, type EmbeddingLayerArgs } from './embedding';
export { SimpleRNN, LSTM, GRU, Embedding, type RNNLayerArgs, type LSTMLayerArgs, type GRULayerArgs, type EmbeddingLayerArgs };
export const simpleRNN = (args: RNNLayerArgs): SimpleRNN => new SimpleRNN(args);
export const lstm = (args: LSTMLayerArgs): LSTM => new LSTM(args);
export const gru = (args: GRULayerArgs): GRU => new GRU(args);
export const embedding = (args: EmbeddingLayerArgs): Embedding => new Embedding(args);
for (const [n, c] of [['SimpleRNN', SimpleRNN], ['LSTM', LSTM], ['GRU', GRU], ['Embedding', Embedding]] as const) classes.set(n, c as LayerCtor);

// Convolution, pooling and padding layers (conv.ts, pooling.ts).
import { Conv2D, DepthwiseConv2D, type Conv2DArgs, type DepthwiseConv2DArgs } from './conv';
import { AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D, ZeroPadding2D, type Pooling2DArgs, type ZeroPadding2DArgs } from './pooling';
import type { DataFormat } from './conv';

export { Conv2D, DepthwiseConv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, ZeroPadding2D };
export type { Conv2DArgs, DepthwiseConv2DArgs, Pooling2DArgs, ZeroPadding2DArgs };
export const conv2d = (args: Conv2DArgs): Conv2D => new Conv2D(args);
export const depthwiseConv2d = (args: DepthwiseConv2DArgs): DepthwiseConv2D => new DepthwiseConv2D(args);
export const maxPooling2d = (args: Pooling2DArgs = {}): MaxPooling2D => new MaxPooling2D(args);
export const averagePooling2d = (args: Pooling2DArgs = {}): AveragePooling2D => new AveragePooling2D(args);
export const globalAveragePooling2d = (args: LayerArgs & { dataFormat?: DataFormat } = {}): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
export const zeroPadding2d = (args: ZeroPadding2DArgs = {}): ZeroPadding2D => new ZeroPadding2D(args);
for (const [name, ctor] of [['Conv2D', Conv2D], ['DepthwiseConv2D', DepthwiseConv2D], ['MaxPooling2D', MaxPooling2D],
  ['AveragePooling2D', AveragePooling2D], ['GlobalAveragePooling2D', GlobalAveragePooling2D], ['ZeroPadding2D', ZeroPadding2D]] as const) {
  registerLayerClass(name, ctor as unknown as LayerCtor);
}
