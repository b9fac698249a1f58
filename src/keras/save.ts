// model.save(dir) / loadModel(dir) in Node: `model.json` (topology and training config, the
// TensorFlow.js layout with our own weights file) plus `weights.safetensors` (the format PyTorch
// reads). A `file://` prefix is accepted. Browser schemes (indexeddb://, downloads://) are not
// handled here.
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors';
import { dispose } from '../memory';
import type { Tensor } from '../tensor';
import { check } from '../util/errors';
import { deserializeLayer, type Layer } from './layers';
import { Sequential } from './sequential';
import { optimizerFromConfig, type TrainingConfig } from './compile';

export const MODEL_FORMAT = 'asgrad-layers-model';
const WEIGHTS_FILE = 'weights.safetensors';

interface ModelJson {
  format: string;
  generatedBy: string;
  modelTopology: ReturnType<Sequential['toJSON']>;
  trainingConfig: TrainingConfig | null;
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
}

function dirOf(path: string): string {
  check(typeof path === 'string' && path.length > 0, 'save', () => `expected a directory path, got ${String(path)}`);
  check(!/^(indexeddb|localstorage|downloads|https?):\/\//.test(path), 'save', () =>
    `the scheme of '${path}' is not supported by this build in this runtime; use a directory path in Node`);
  return path.startsWith('file://') ? path.slice('file://'.length) : path;
}

async function nodeFs() {
  const fs = await import(/* @vite-ignore */ 'node:fs/promises' as string);
  const pathMod = await import(/* @vite-ignore */ 'node:path' as string);
  return { fs, join: pathMod.join as (...p: string[]) => string };
}

/** Writes model.json and weights.safetensors into `path` (created if missing). */
export async function saveModel(model: Sequential, path: string): Promise<{ modelJson: string; weights: string }> {
  const dir = dirOf(path);
  const { fs, join } = await nodeFs();
  const sd = model.stateDict();
  const json: ModelJson = {
    format: MODEL_FORMAT,
    generatedBy: 'asgrad',
    modelTopology: model.toJSON(),
    trainingConfig: model.compiled ? model.compiled.config : null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: Object.entries(sd).map(([name, t]) => ({ name, shape: [...t.shape], dtype: t.dtype })) }],
  };
  await fs.mkdir(dir, { recursive: true });
  const modelJson = join(dir, 'model.json'), weights = join(dir, WEIGHTS_FILE);
  await fs.writeFile(weights, encodeSafetensors(sd, { format: 'pt', producer: 'asgrad' }));
  await fs.writeFile(modelJson, JSON.stringify(json, null, 1));
  return { modelJson, weights };
}

async function readOr<T>(what: string, path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw new Error(`asgrad.loadModel: cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/**
 * Rebuilds a model saved by saveModel: same layers, names and weights (bit for bit), compiled
 * again when it was saved compiled with a named loss (the optimizer starts fresh: its moment
 * estimates are not saved, as TensorFlow.js's default).
 */
export async function loadModel(path: string): Promise<Sequential> {
  const dir = dirOf(path);
  const { fs, join } = await nodeFs();
  const jsonPath = dir.endsWith('.json') ? dir : join(dir, 'model.json');
  const base = dir.endsWith('.json') ? dir.slice(0, dir.lastIndexOf('/') + 1) || '.' : dir;
  const text = await readOr('the model file', jsonPath, () => fs.readFile(jsonPath, 'utf8') as Promise<string>);
  let json: ModelJson;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`asgrad.loadModel: ${jsonPath} is not valid JSON (truncated or corrupted?): ${(e as Error).message}`);
  }
  const layerSpecs = json?.modelTopology?.config?.layers;
  check(json?.format === MODEL_FORMAT && json.modelTopology?.className === 'Sequential' && Array.isArray(layerSpecs), 'loadModel', () =>
    `${jsonPath} is not an ${MODEL_FORMAT} file with a Sequential topology (format ${JSON.stringify(json?.format)}, class ${JSON.stringify(json?.modelTopology?.className)})`);
  const file = json.weightsManifest?.[0]?.paths?.[0] ?? WEIGHTS_FILE;
  const weightsPath = join(base, file);
  const bytes = new Uint8Array(await readOr('the weights file', weightsPath, () => fs.readFile(weightsPath) as Promise<Uint8Array>));
  let tensors: Record<string, Tensor>;
  try {
    tensors = decodeSafetensors(bytes).tensors as Record<string, Tensor>;
  } catch (e) {
    throw new Error(`asgrad.loadModel: ${weightsPath} is not a valid weights file: ${(e as Error).message}`);
  }
  let model: Sequential | null = null;
  const layers: Layer[] = [];
  try {
    for (const spec of layerSpecs) layers.push(deserializeLayer(spec));
    model = new Sequential({ name: json.modelTopology.config.name, layers });
    model.loadStateDict(tensors, { strict: true });
    const tc = json.trainingConfig;
    if (tc && tc.optimizer && tc.loss) {
      model.compile({ optimizer: optimizerFromConfig(tc.optimizer), loss: tc.loss, metrics: tc.metrics });
      model.compiled!.ownsOptimizer = true;
    }
  } catch (e) {
    if (model) model.dispose(); else for (const l of layers) l.dispose();
    throw e;
  } finally {
    dispose(Object.values(tensors));
  }
  return model;
}
