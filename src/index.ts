// asgrad: tensors, autograd and neural networks for JavaScript runtimes, with WebAssembly SIMD
// kernels. `await ready()` once, then use the functions below or the Tensor methods.
import './methods';

export { ready, isReady, setNumThreads, getNumThreads, type ReadyOptions, type WasmSource } from './backend/load';
export { Tensor, type NestedArray, type TypedArray } from './tensor';
export type { DType } from './dtype';
export { tidy, keep, dispose, memory, type MemoryInfo } from './memory';
export { noGrad, enableGrad, isGradEnabled, type BackwardOptions } from './autograd';
export { manualSeed } from './util/rng';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, arange, linspace, eye, rand, randn, randint, type TensorOptions,
} from './creation';
export { add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge, where, maskedFill, clamp } from './ops/binary';
export { neg, abs, sqrt, rsqrt, exp, log, log1p, sin, cos, square, reciprocal, relu, sigmoid, tanh, leakyRelu, elu, gelu, softplus, step, sign, floor, ceil, round } from './ops/unary';
export { sum, mean, max, min, prod, variance as var, variance, std, logsumexp, argmax, argmin } from './ops/reduce';
export { matmul } from './ops/matmul';
export { softmax, logSoftmax } from './ops/softmax';
export { reshape, view, permute, transpose, expand, slice, narrow, flip, cat, contiguous, clone } from './ops/movement';
export { flatten, squeeze, unsqueeze, stack, split, chunk, unbind } from './ops/shaping';
export { gather, indexSelect, scatterAdd, oneHot } from './ops/indexing';
export { argsort, sort, topk, cumsum } from './ops/sort';
export { tril, triu, repeat, roll, outer, lerp, isnan, isfinite, any, all } from './ops/composite';
export { norm, fmod, remainder, cumprod, erf, erfc, atan2 } from './ops/math_extra';
export { expm1, log2, log10, tan, atan, asin, acos, sinh, cosh, asinh, acosh, atanh, trunc, frac, logit, hypot, logaddexp } from './ops/math_js';
export { kthvalue, median, quantile } from './ops/order_stats';
export { bmm, addmm, baddbmm, tile, type AddmmOptions } from './ops/linalg_extra';
export { repeatInterleave } from './ops/select_extra';
export { einsum } from './ops/einsum';
export { registry as _opRegistry } from './ops/registry';
export * as nn from './nn';
export * as init from './nn/init';
export * as optim from './optim';
export * as data from './data';
export * as datasets from './data/datasets';
export * from './io';
export { sequential, Sequential as LayersModel, layers, registerLayerClass, History, EarlyStopping, earlyStopping, loadModel, saveModel, listModels, removeModel, type StoredModelInfo, type Callback, type Logs, type FitArgs, type CompileArgs } from './keras';
export { loadLayersModel, Functional, type LayersModelArtifacts } from './keras';
export { input, model, SymbolicTensor, type InputArgs, type ModelArgs } from './keras';
export * as keras from './keras';
/** Internal: what the separately bundled TensorFlow.js model loader takes from this module (keras/tfjs/loader_deps.ts). */
export * as _loaderDeps from './keras/tfjs/loader_deps';
/** Internal: what the separately bundled model saving and loading takes from this module (keras/model_io_deps.ts). */
export * as _modelIoDeps from './keras/model_io_deps';
/** Internal: what the separately bundled data set loaders take from this module (data/datasets_deps.ts). */
export * as _datasetDeps from './data/datasets_deps';
export * as callbacks from './keras/callbacks';
export { regularizers } from './nn';
export * as io from './io';
export { conv1d, conv2d } from './ops/conv';
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d } from './ops/pool';
export { pad, upsample } from './ops/pad';
export { exportOnnx, type OnnxExportOptions } from './io/onnx';
export { importOnnx, OnnxModule } from './io/onnx/import';

import * as nnApi from './nn';
import * as kerasApi from './keras';
import * as optimApi from './optim';
import * as dataApi from './data';
import { Tensor as TensorClass } from './tensor';
import { OnnxModule as OnnxModuleClass } from './io/onnx/import';
import { nameClasses } from './util/class_names';
nameClasses({ nn: nnApi, keras: kerasApi, optim: optimApi, data: dataApi, Tensor: TensorClass, OnnxModule: OnnxModuleClass });
