// The Keras-style API (TensorFlow.js-layers' names): sequential, layers, callbacks, save/load, and
// loadLayersModel for models saved by TensorFlow.js or converted from Keras (Sequential or functional).
// Known differences from TensorFlow.js: Keras' default names (dense, dense_1; tfjs: dense_Dense1);
// fit takes one tensor in, one out (no multi-input fit, fitDataset, sampleWeight, classWeight); no
// functional-model builder (tf.model/tf.input): functional models come from loadLayersModel; save writes
// model.json + weights.safetensors to a Node directory, indexeddb:// or downloads:// (no weights.bin, no optimizer state);
// layers take a subset of tfjs options (batchNormalization and layerNormalization axis -1 only, no dropout noiseShape);
// Module.apply is PyTorch's, so run a layer with layer.call(x), not layer.apply(x).
export { Sequential, sequential, type CompileArgs } from './sequential';
export type { OptimizerConfig } from './compile';
export * as layers from './layers';
export { registerLayerClass } from './layers';
export { History, EarlyStopping, earlyStopping, ProgressBar, type Callback, type Logs } from './callbacks';
export { saveModel, loadModel, listModels, removeModel } from './save';
export type { StoredModelInfo } from './storage';
export type { FitArgs } from './training';
export * as metrics from './metrics';
export * as losses from './losses';
export { loadLayersModel, Functional, type LayersModelArtifacts } from './tfjs/load';
