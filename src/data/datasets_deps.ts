// What the data set loaders (datasets_load.ts) take from the rest of asgrad, as one module. The
// bundle builds the loaders as a separate file (scripts/bundle.mjs): there this module becomes the
// main bundle's `_datasetDeps` export, so they make tensors on the same heap. Values only.
export { dispose } from '../memory';
export { fromFlat } from '../creation';
export { readIdx } from './idx';
export { u8ToFloat32, u8ToInt32 } from './convert';
export { FASHION_MNIST_CLASSES } from './datasets';
