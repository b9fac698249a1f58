// The Keras-style API (TensorFlow.js-layers' names): sequential, layers, callbacks, save/load.
export { Sequential, sequential, type CompileArgs } from './sequential';
export * as layers from './layers';
export { registerLayerClass } from './layers';
export { History, EarlyStopping, earlyStopping, type Callback, type Logs } from './callbacks';
export { saveModel, loadModel } from './save';
export type { FitArgs } from './training';
export * as metrics from './metrics';
export * as losses from './losses';
