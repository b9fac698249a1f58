// The Keras-style API (TensorFlow.js-layers' names): sequential, the functional builder (input,
// layer.apply, model; models nest as layers), layers, callbacks, save/load, and loadLayersModel for
// models saved by TensorFlow.js or converted from Keras (Sequential or functional).
// Known differences from TensorFlow.js: Keras' default names (dense, dense_1; tfjs: dense_Dense1);
// fit takes a tensor or, for functional models, a list per input and output (one loss per output, lossWeights;
// no fitDataset, sampleWeight, classWeight); masks (an embedding's maskZero) in Sequential models, honoured by
// recurrent layers, not weighting the loss; save writes
// model.json + weights.safetensors to a Node directory, indexeddb:// or downloads:// (no weights.bin, no optimizer state;
// Sequential and functional models, which loadModel rebuilds); layers take a subset of tfjs options
// (batchNormalization and layerNormalization axis -1 only, no dropout noiseShape); layer.apply(fn) with a
// function is PyTorch's Module.apply, with SymbolicTensors or tensors tfjs's apply.
export { Sequential, sequential, type CompileArgs } from './sequential';
export type { OptimizerConfig } from './compile';
export * as layers from './layers';
export { registerLayerClass } from './layers';
export { History, EarlyStopping, earlyStopping, ProgressBar, type Callback, type Logs } from './callbacks';
export { saveModel, loadModel, listModels, removeModel } from './model_io';
export type { StoredModelInfo } from './storage';
export type { FitArgs } from './training';
export * as metrics from './metrics';
export * as losses from './losses';
export { loadLayersModel } from './load_layers_model';
export { Functional } from './tfjs/functional';
export type { LayersModelArtifacts } from './tfjs/load';
export { input, SymbolicTensor, type InputArgs } from './symbolic';
export { model, type ModelArgs } from './model_builder';
