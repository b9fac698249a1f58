// `layers.*` factories with TensorFlow.js-layers' names and options, and the class table that
// rebuilds layers from saved configs.
import { Dense, type DenseArgs } from './dense';
import { Activation, Dropout, Flatten } from './simple';
import { BatchNormalization, type BatchNormArgs } from './batch_norm';
import type { Layer, LayerArgs } from './layer';
import type { ActivationName } from '../activations';
import { check } from '../../util/errors';

export { Layer, type LayerArgs, type Shape } from './layer';
export { Dense, Activation, Dropout, Flatten, BatchNormalization };

export const dense = (args: DenseArgs): Dense => new Dense(args);
export const dropout = (args: LayerArgs & { rate: number }): Dropout => new Dropout(args);
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
export const activation = (args: LayerArgs & { activation: ActivationName }): Activation => new Activation(args);
export const batchNormalization = (args: BatchNormArgs = {}): BatchNormalization => new BatchNormalization(args);

type LayerCtor = new (config: never) => Layer;
const classes = new Map<string, LayerCtor>([
  ['Dense', Dense as LayerCtor], ['Dropout', Dropout as LayerCtor], ['Flatten', Flatten as LayerCtor],
  ['Activation', Activation as LayerCtor], ['BatchNormalization', BatchNormalization as LayerCtor],
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
