// model.save(url) / loadModel(url) with TensorFlow.js's URL schemes. A saved model is two artifacts:
// `model.json` (topology and training config, the TensorFlow.js layout with our own weights file)
// and safetensors weights (the format PyTorch reads). Node directories (optionally `file://`) are
// handled here; indexeddb://, downloads:// and fetch over http(s) or page-relative URLs in storage.ts.
import type { Tensor } from '../tensor';
import type { Layer } from './layers';
import type { Functional } from './tfjs/functional';
import type { TrainingConfig } from './compile';
import { check, decodeSafetensors, deserializeLayer, dispose, encodeSafetensors, optimizerFromConfig, parseModelJson, Sequential } from './model_io_deps';
import { listIndexedDb, loadFromIndexedDb, loadFromUrl, removeFromIndexedDb, saveToIndexedDb, triggerDownloads, type ModelArtifacts, type StoredModelInfo } from './storage';

export const MODEL_FORMAT = 'asgrad-layers-model';
const WEIGHTS_FILE = 'weights.safetensors';

interface ModelJson {
  format: string;
  generatedBy: string;
  modelTopology: ReturnType<Sequential['toJSON']> | ReturnType<Functional['toJSON']>;
  trainingConfig: TrainingConfig | null;
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
}

/** The scheme ('indexeddb', 'downloads', 'http', ...) and the rest, or null for a plain path. */
function splitScheme(op: string, path: string): [string | null, string] {
  check(typeof path === 'string' && path.length > 0, op, () => `expected a directory path or URL, got ${String(path)}`);
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(path);
  return m ? [m[1].toLowerCase(), m[2]] : [null, path];
}

function notSupported(op: string, path: string, hint: string): never {
  throw new Error(`asgrad.${op}: the scheme of '${path}' is not supported ${hint}`);
}

const isNode = () => typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

async function nodeFs() {
  const fs = await import(/* @vite-ignore */ 'node:fs/promises' as string);
  const pathMod = await import(/* @vite-ignore */ 'node:path' as string);
  return { fs, join: pathMod.join as (...p: string[]) => string };
}

/** model.json (naming `weightsFile`) and the safetensors bytes of the model's state dict. */
export function modelToArtifacts(model: Sequential | Functional, weightsFile = WEIGHTS_FILE): ModelArtifacts {
  const sd = model.stateDict();
  const json: ModelJson = {
    format: MODEL_FORMAT,
    generatedBy: 'asgrad',
    modelTopology: model.toJSON(),
    trainingConfig: model.compiled ? model.compiled.config : null,
    weightsManifest: [{ paths: [weightsFile], weights: Object.entries(sd).map(([name, t]) => ({ name, shape: [...t.shape], dtype: t.dtype })) }],
  };
  return { modelJson: json as unknown as ModelArtifacts['modelJson'], weightsBytes: encodeSafetensors(sd, { format: 'pt', producer: 'asgrad' }) };
}

/** saveModel's implementation (model_io.ts documents it). */
export async function saveModel(model: Sequential | Functional, path: string): Promise<{ modelJson: string; weights: string }> {
  const [scheme, rest] = splitScheme('save', path);
  if (scheme === 'indexeddb') {
    check(rest.length > 0, 'save', () => `'${path}' names no model (expected indexeddb://name)`);
    await saveToIndexedDb(rest, modelToArtifacts(model));
    return { modelJson: path, weights: path };
  }
  if (scheme === 'downloads') {
    const name = rest || 'model';
    return triggerDownloads(name, modelToArtifacts(model, `${name}.weights.safetensors`), `${name}.weights.safetensors`);
  }
  if (scheme !== null && scheme !== 'file') notSupported('save', path, 'by save (use a directory path in Node, indexeddb:// or downloads://)');
  const dir = scheme === 'file' ? rest : path;
  const { fs, join } = await nodeFs();
  const { modelJson: json, weightsBytes } = modelToArtifacts(model);
  await fs.mkdir(dir, { recursive: true });
  const modelJson = join(dir, 'model.json'), weights = join(dir, WEIGHTS_FILE);
  await fs.writeFile(weights, weightsBytes);
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

async function readNodeDir(dir: string): Promise<ModelArtifacts & { jsonWhere: string; weightsWhere: string }> {
  const { fs, join } = await nodeFs();
  const jsonPath = dir.endsWith('.json') ? dir : join(dir, 'model.json');
  const base = dir.endsWith('.json') ? dir.slice(0, dir.lastIndexOf('/') + 1) || '.' : dir;
  const text = await readOr('the model file', jsonPath, () => fs.readFile(jsonPath, 'utf8') as Promise<string>);
  const modelJson = parseModelJson(text, jsonPath);
  const weightsPath = join(base, modelJson?.weightsManifest?.[0]?.paths?.[0] ?? WEIGHTS_FILE);
  const weightsBytes = new Uint8Array(await readOr('the weights file', weightsPath, () => fs.readFile(weightsPath) as Promise<Uint8Array>));
  return { modelJson, weightsBytes, jsonWhere: jsonPath, weightsWhere: weightsPath };
}

/**
 * Rebuilds a model from its artifacts: same layers, names and weights (bit for bit), compiled again
 * when it was saved compiled with a named loss (the optimizer starts fresh: its moment estimates are
 * not saved, as TensorFlow.js's default). `jsonWhere` / `weightsWhere` name the sources in errors.
 */
export function modelFromArtifacts(artifacts: ModelArtifacts, jsonWhere: string, weightsWhere: string): Sequential | Functional {
  const json = artifacts.modelJson as unknown as ModelJson;
  const topo = json?.modelTopology, layerSpecs = topo?.config?.layers;
  const functional = topo?.className === 'Functional';
  check(json?.format === MODEL_FORMAT && (functional || topo?.className === 'Sequential') && Array.isArray(layerSpecs), 'loadModel', () =>
    `${jsonWhere} is not an ${MODEL_FORMAT} file with a Sequential or Functional topology (format ${JSON.stringify(json?.format)}, class ${JSON.stringify(topo?.className)})`);
  let tensors: Record<string, Tensor>;
  try {
    tensors = decodeSafetensors(artifacts.weightsBytes).tensors as Record<string, Tensor>;
  } catch (e) {
    throw new Error(`asgrad.loadModel: ${weightsWhere} is not a valid weights file: ${(e as Error).message}`);
  }
  let model: Sequential | Functional | null = null;
  const layers: Layer[] = [];
  try {
    if (functional) model = deserializeLayer(topo) as unknown as Functional; // model_builder.ts registers 'Functional'
    else {
      for (const spec of layerSpecs) layers.push(deserializeLayer(spec));
      model = new Sequential({ name: topo.config.name, layers });
    }
    model.loadStateDict(tensors, { strict: true });
    const tc = json.trainingConfig;
    if (tc && tc.optimizer && tc.loss) {
      model.compile({ optimizer: optimizerFromConfig(tc.optimizer), loss: tc.loss, metrics: tc.metrics, ...(tc.lossWeights ? { lossWeights: tc.lossWeights } : {}) });
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

/** loadModel's implementation (model_io.ts documents it). */
export async function loadModel(path: string): Promise<Sequential | Functional> {
  const [scheme, rest] = splitScheme('loadModel', path);
  if (scheme === 'indexeddb') return modelFromArtifacts(await loadFromIndexedDb(rest), path, path);
  if (scheme === 'http' || scheme === 'https' || (scheme === null && !isNode())) {
    const a = await loadFromUrl(path);
    return modelFromArtifacts(a, a.jsonUrl, a.weightsUrl);
  }
  if (scheme !== null && scheme !== 'file') notSupported('loadModel', path, 'by loadModel (use a directory path in Node, indexeddb:// or an http(s) URL)');
  const a = await readNodeDir(scheme === 'file' ? rest : path);
  return modelFromArtifacts(a, a.jsonWhere, a.weightsWhere);
}

/** listModels' implementation (model_io.ts documents it). */
export async function listModels(): Promise<Record<string, StoredModelInfo>> {
  const byName = await listIndexedDb();
  return Object.fromEntries(Object.entries(byName).map(([name, i]) => [`indexeddb://${name}`, i]));
}

/** removeModel's implementation (model_io.ts documents it). */
export async function removeModel(url: string): Promise<StoredModelInfo> {
  const [scheme, rest] = splitScheme('removeModel', url);
  check(scheme === 'indexeddb' && rest.length > 0, 'removeModel', () => `expected a URL indexeddb://name, got '${url}' (directories in Node are removed with the file system)`);
  return removeFromIndexedDb(rest);
}
