// loadLayersModel's entry in the main bundle. The loader itself (tfjs/load.ts and the files only it
// uses: Keras config conversion, weight decoding and assignment, ~4.5 KB gzip) is a separate file of
// the bundle (dist/tfjs-loader.js, scripts/bundle.mjs), imported on the first call, so a page that
// never loads a TensorFlow.js model does not download it.
import type { Sequential } from './sequential';
import type { Functional } from './tfjs/functional';
import type { LayersModelArtifacts } from './tfjs/load';

/**
 * Loads a TensorFlow.js layers model (tf.loadLayersModel): `source` is a Node path to model.json or
 * its directory (optionally file://), an http(s) URL or, in a page or worker, a relative URL (shards
 * are fetched relative to model.json), or in-memory artifacts `{ modelTopology, weightSpecs,
 * weightData }`. Sequential topologies become asgrad Sequentials; functional ones (class 'Model' /
 * 'Functional') a Functional module. The weights are dequantized (uint8, uint16, float16) as tfjs.
 * A tf.io IOHandler (an object with load()) is accepted too.
 */
export async function loadLayersModel(source: string | LayersModelArtifacts | { load(): Promise<LayersModelArtifacts> }): Promise<Sequential | Functional> {
  return (await import('./tfjs/load')).loadLayersModel(source);
}
