// What model saving and loading (save.ts, storage.ts) take from the rest of asgrad, as one module.
// The bundle builds those two as a separate file that saveModel / loadModel / listModels /
// removeModel import on their first call (scripts/bundle.mjs, as keras/tfjs/loader_deps.ts): there
// this module becomes the main bundle's `_modelIoDeps` export. Values only; types are imported directly.
export { decodeSafetensors, encodeSafetensors } from '../io/safetensors';
export { dispose } from '../memory';
export { check } from '../util/errors';
export { deserializeLayer } from './layers';
export { Sequential } from './sequential';
export { optimizerFromConfig } from './compile';
export { parseModelJson } from './model_json';
