// What the TensorFlow.js model loader (load.ts, graph_config.ts, config.ts, rules.ts, assign.ts,
// weights.ts) takes from the rest of asgrad, as one module. The bundle builds the loader as a
// separate file that loadLayersModel imports on its first call (scripts/bundle.mjs): there this
// module becomes the main bundle's `_loaderDeps` export, so the loader uses the same classes and
// heap as the rest of the library instead of copies. Values only; types are imported directly.
export { check, fmtShape } from '../../util/errors';
export { tensor } from '../../creation';
export { assign } from '../../nn/param';
export { l1l2 } from '../../nn/regularizers';
export { isActivation } from '../activations';
export { Sequential } from '../sequential';
export { parseModelJson } from '../model_json';
export { Functional } from './functional';
export { fail, refKey, show } from './graph';
export { Dense } from '../layers/dense';
export { Activation, Dropout, Flatten } from '../layers/simple';
export { BatchNormalization } from '../layers/batch_norm';
export { LayerNormalization } from '../layers/layer_norm';
export { Conv2D, DepthwiseConv2D } from '../layers/conv';
export { AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D, UpSampling2D, ZeroPadding2D } from '../layers/pooling';
export { Embedding } from '../layers/embedding';
export { GRU, LSTM, SimpleRNN } from '../layers/recurrent';
export { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract } from '../layers/merge';
export { ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU } from '../layers/advanced_activations';
export { Permute, RepeatVector, Reshape } from '../layers/reshape';
