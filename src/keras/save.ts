// model.save(dir) / loadModel(dir) in Node: `model.json` (topology and training config, the
// TensorFlow.js layout with our own weights file) plus `weights.safetensors` (the format PyTorch
// reads). A `file://` prefix is accepted. Browser schemes (indexeddb://, downloads://) are not
// handled here.
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors';
import { dispose } from '../memory';
import type { Tensor } from '../tensor';
import { check } from '../util/errors';
import { deserializeLayer } from './layers';
import { Sequential } from './sequential';

export const MODEL_FORMAT = 'asgrad-layers-model';
const WEIGHTS_FILE = 'weights.safetensors';

interface ModelJson {
  format: string;
  generatedBy: string;
  modelTopology: ReturnType<Sequential['toJSON']>;
  trainingConfig: Sequential['compiled'] extends infer C ? (C extends { config: infer K } ? K : null) | null : null;
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

/** Rebuilds a model saved by saveModel; compiled again when it was saved compiled with named optimizer and loss. */
export async function loadModel(path: string): Promise<Sequential> {
  const dir = dirOf(path);
  const { fs, join } = await nodeFs();
  let json: ModelJson;
  const jsonPath = dir.endsWith('.json') ? dir : join(dir, 'model.json');
  const base = dir.endsWith('.json') ? dir.slice(0, dir.lastIndexOf('/') + 1) || '.' : dir;
  try {
    json = JSON.parse(await fs.readFile(jsonPath, 'utf8'));
  } catch (e) {
    throw new Error(`asgrad.loadModel: cannot read ${jsonPath}: ${(e as Error).message}`);
  }
  check(json?.format === MODEL_FORMAT && json.modelTopology?.className === 'Sequential', 'loadModel', () =>
    `${jsonPath} is not an ${MODEL_FORMAT} file with a Sequential topology`);
  const model = new Sequential({ name: json.modelTopology.config.name, layers: json.modelTopology.config.layers.map(deserializeLayer) });
  const file = json.weightsManifest?.[0]?.paths?.[0] ?? WEIGHTS_FILE;
  const bytes = new Uint8Array(await fs.readFile(join(base, file)));
  const { tensors } = decodeSafetensors(bytes);
  try {
    model.loadStateDict(tensors as Record<string, Tensor>, { strict: true });
  } finally {
    dispose(Object.values(tensors));
  }
  const tc = json.trainingConfig;
  if (tc && tc.optimizer && tc.loss) model.compile({ optimizer: tc.optimizer, loss: tc.loss, metrics: tc.metrics });
  return model;
}
