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

// Merge (multi-input: layer.call([a, b])), advanced activation and shape layers (merge.ts,
// advanced_activations.ts, reshape.ts; globalMaxPooling2d and upSampling2d in pooling.ts).
import { Merge, Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, type ConcatenateArgs } from './merge';
import { ReLU, LeakyReLU, PReLU, ELU, ThresholdedReLU, Softmax, type ReLULayerArgs, type PReLULayerArgs } from './advanced_activations';
import { Reshape, Permute, RepeatVector, type ReshapeArgs } from './reshape';
import { GlobalMaxPooling2D, UpSampling2D, type UpSampling2DArgs } from './pooling';
export { Merge, Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, ReLU, LeakyReLU, PReLU, ELU, ThresholdedReLU, Softmax, Reshape, Permute, RepeatVector, GlobalMaxPooling2D, UpSampling2D };
export type { ConcatenateArgs, ReLULayerArgs, PReLULayerArgs, ReshapeArgs, UpSampling2DArgs };
export const add = (args: LayerArgs = {}): Add => new Add(args);
export const subtract = (args: LayerArgs = {}): Subtract => new Subtract(args);
export const multiply = (args: LayerArgs = {}): Multiply => new Multiply(args);
export const average = (args: LayerArgs = {}): Average => new Average(args);
export const maximum = (args: LayerArgs = {}): Maximum => new Maximum(args);
export const minimum = (args: LayerArgs = {}): Minimum => new Minimum(args);
export const concatenate = (args: ConcatenateArgs = {}): Concatenate => new Concatenate(args);
export const reLU = (args: ReLULayerArgs = {}): ReLU => new ReLU(args);
export const leakyReLU = (args: LayerArgs & { alpha?: number } = {}): LeakyReLU => new LeakyReLU(args);
export const prelu = (args: PReLULayerArgs = {}): PReLU => new PReLU(args);
export const elu = (args: LayerArgs & { alpha?: number } = {}): ELU => new ELU(args);
export const thresholdedReLU = (args: LayerArgs & { theta?: number } = {}): ThresholdedReLU => new ThresholdedReLU(args);
export const softmax = (args: LayerArgs & { axis?: number | number[] } = {}): Softmax => new Softmax(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
export const permute = (args: LayerArgs & { dims: number[] }): Permute => new Permute(args);
export const repeatVector = (args: LayerArgs & { n: number }): RepeatVector => new RepeatVector(args);
export const globalMaxPooling2d = (args: LayerArgs & { dataFormat?: DataFormat } = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
export const upSampling2d = (args: UpSampling2DArgs = {}): UpSampling2D => new UpSampling2D(args);
for (const [name, ctor] of [['Add', Add], ['Subtract', Subtract], ['Multiply', Multiply], ['Average', Average], ['Maximum', Maximum],
  ['Minimum', Minimum], ['Concatenate', Concatenate], ['ReLU', ReLU], ['LeakyReLU', LeakyReLU], ['PReLU', PReLU], ['ELU', ELU],
  ['ThresholdedReLU', ThresholdedReLU], ['Softmax', Softmax], ['Reshape', Reshape], ['Permute', Permute], ['RepeatVector', RepeatVector],
  ['GlobalMaxPooling2D', GlobalMaxPooling2D], ['UpSampling2D', UpSampling2D]] as const) {
  registerLayerClass(name, ctor as unknown as LayerCtor);
}
