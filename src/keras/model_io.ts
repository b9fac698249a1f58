// saveModel, loadModel, listModels and removeModel as the main bundle holds them: save.ts and
// storage.ts (model files in Node, IndexedDB, downloads, URLs; ~2 KB gzip) are a separate file of
// the bundle (dist/model-io.js, scripts/bundle.mjs), imported on the first call.
import type { Sequential } from './sequential';
import type { Functional } from './tfjs/functional';
import type { StoredModelInfo } from './storage';

const io = () => import('./save');

/**
 * Writes the model to `path`: a Node directory (created if missing) holding model.json and
 * weights.safetensors; `indexeddb://name` (browser or worker); `downloads://name` (a page:
 * name.json and name.weights.safetensors). Returns where the two artifacts went.
 */
export async function saveModel(model: Sequential | Functional, path: string): Promise<{ modelJson: string; weights: string }> {
  return (await io()).saveModel(model, path);
}

/**
 * Loads a model saved by saveModel from a Node directory (or its model.json), `indexeddb://name`,
 * or a URL read with fetch: http(s)://..., or in a page or worker a relative URL such as
 * '/models/mnist-mlp/model.json' (the weights file is resolved relative to model.json).
 */
export async function loadModel(path: string): Promise<Sequential | Functional> {
  return (await io()).loadModel(path);
}

/** The models saved in IndexedDB (browser or worker), keyed by URL: { 'indexeddb://name': info }
 *  (TensorFlow.js's tf.io.listModels for the indexeddb:// scheme). */
export async function listModels(): Promise<Record<string, StoredModelInfo>> {
  return (await io()).listModels();
}

/** Deletes a model saved at `indexeddb://name`; returns what it was (tf.io.removeModel). */
export async function removeModel(url: string): Promise<StoredModelInfo> {
  return (await io()).removeModel(url);
}
