// loadLayersModel: a TensorFlow.js layers model (model.json: Keras JSON topology + weightsManifest
// shards, as tfjs-layers' model.save and tensorflowjs_converter write) from a Node path, an
// http(s) or page-relative URL, or in-memory artifacts, as an asgrad Sequential or Functional.
import { check, Functional, parseModelJson, Sequential } from './loader_deps';
import type { Layer, Shape } from '../layers/layer';
import { layerFromKeras, type Converted, type KerasLayerJson } from './config';
import type { FunctionalConfig } from './graph';
import { graphFromConfig, inputLayerShape } from './graph_config';
import { assignWeights } from './assign';
import { decodeWeights, manifestSpecs, type WeightSpec, type WeightsGroup } from './weights';


const OP = 'loadLayersModel';

/** What tf.io.fromMemory / withSaveHandler carry: the topology, the specs and the weight bytes. */
export interface LayersModelArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer | ArrayBufferView | (ArrayBuffer | ArrayBufferView)[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: unknown;
}

interface ModelJson { modelTopology?: Record<string, unknown>; weightsManifest?: WeightsGroup[]; format?: string }

const isNode = () => typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

function fail(msg: string): never {
  throw new Error(`asgrad.${OP}: ${msg}`);
}

async function readOr<T>(what: string, where: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    return fail(`cannot read ${what} ${where}: ${(e as Error).message}`);
  }
}

/** model.json and its shards (every group's paths, in order) from a Node file or directory. */
async function readNode(path: string): Promise<LayersModelArtifacts> {
  const fs = await import(/* @vite-ignore */ 'node:fs/promises' as string);
  const p = await import(/* @vite-ignore */ 'node:path' as string);
  const stat: { isDirectory(): boolean } = await readOr('the model', path, () => fs.stat(path));
  const jsonPath: string = stat.isDirectory() ? p.join(path, 'model.json') : path;
  const json = parseModelJson(await readOr('the model file', jsonPath, () => fs.readFile(jsonPath, 'utf8')), jsonPath) as ModelJson;
  const dir = p.dirname(jsonPath);
  return withShards(json, jsonPath, async (file) => {
    const f = p.join(dir, file);
    const b: Uint8Array = await readOr('the weights shard', f, () => fs.readFile(f));
    return b;
  });
}

/** model.json and its shards with fetch; shard paths resolve against model.json's URL (and keep its query). */
async function readUrl(url: string): Promise<LayersModelArtifacts> {
  if (typeof fetch !== 'function') fail(`'${url}' needs fetch, which this runtime does not have`);
  const base = (globalThis as { location?: { href: string } }).location?.href;
  let jsonUrl: URL;
  try {
    jsonUrl = new URL(url, base);
  } catch {
    return fail(`'${url}' is not a valid URL${base ? '' : ' (relative URLs need a page or worker location)'}`);
  }
  if (jsonUrl.pathname.endsWith('/')) jsonUrl = new URL('model.json', jsonUrl);
  const get = async (what: string, u: URL): Promise<Response> => {
    const res = await readOr(what, String(u), () => fetch(u));
    if (!res.ok) fail(`cannot fetch ${what} ${u}: HTTP ${res.status} ${res.statusText}`);
    return res;
  };
  const json = parseModelJson(await (await get('the model file', jsonUrl)).text(), String(jsonUrl)) as ModelJson;
  return withShards(json, String(jsonUrl), async (file) => {
    const u = new URL(file, jsonUrl);
    if (!u.search && jsonUrl.search) u.search = jsonUrl.search;
    return new Uint8Array(await (await get('the weights shard', u)).arrayBuffer());
  });
}

async function withShards(json: ModelJson, where: string, read: (file: string) => Promise<Uint8Array>): Promise<LayersModelArtifacts> {
  check(json && typeof json.modelTopology === 'object' && json.modelTopology !== null, OP, () =>
    `${where} has no modelTopology: not a TensorFlow.js layers model${json?.format === 'graph-model' ? ' (it is a graph model, which loadLayersModel does not read)' : ''}`);
  const manifest = json.weightsManifest ?? [];
  const specs = manifestSpecs(manifest);
  const shards = await Promise.all(manifest.flatMap((g) => g.paths.map(read)));
  return { modelTopology: json.modelTopology!, weightSpecs: specs, weightData: shards, format: json.format };
}

/** The Keras JSON of the model: modelTopology, or its model_config (Keras' own model.json layout). */
function topologyOf(a: LayersModelArtifacts): { class_name: string; config: unknown } {
  const t = a?.modelTopology as Record<string, unknown> | undefined;
  check(t !== null && typeof t === 'object', OP, () => `expected artifacts with a modelTopology object, got ${t === null ? 'null' : typeof t}`);
  const topo = (t!.model_config ?? t) as { class_name: string; config: unknown };
  return topo;
}

/** A Sequential topology (Keras 2.2: config is the layer list) -> asgrad's Sequential, or a Functional
 *  chain when the input has unknown dims (Sequential needs a fixed input shape). */
function buildSequential(config: unknown): Sequential | Functional {
  const cfg = (Array.isArray(config) ? { layers: config } : config) as { name?: string; layers?: KerasLayerJson[]; build_input_shape?: (number | null)[] };
  check(Array.isArray(cfg?.layers) && cfg.layers.length > 0, OP, () => `a Sequential config needs a non-empty 'layers' list`);
  let list = cfg.layers!;
  let batchShape: (number | null)[] | undefined;
  if (list[0].class_name === 'InputLayer') {
    batchShape = [null, ...inputLayerShape(`input layer '${list[0].config?.name}'`, list[0].config ?? {})];
    list = list.slice(1);
  } else {
    const c = list[0].config ?? {};
    batchShape = (c.batch_input_shape ?? c.batch_shape ?? cfg.build_input_shape) as (number | null)[] | undefined;
  }
  check(Array.isArray(batchShape) && batchShape.length >= 1, OP, () => `the first layer of the Sequential model declares no input shape (batch_input_shape)`);
  const inShape = batchShape!.slice(1);
  if (inShape.some((d) => d === null)) return new Functional(graphFromConfig(chainConfig(cfg.name, list, batchShape!)), true);
  const converted: Converted[] = [];
  try {
    list.forEach((j, i) => converted.push(layerFromKeras(j, i === 0 ? (inShape as Shape) : undefined)));
    const model = new Sequential({ name: cfg.name, layers: converted.map((c) => c.layer) });
    let s = inShape as Shape;
    for (const c of converted) { c.checkInput?.(s); s = c.layer.computeOutputShape(s); }
    return model;
  } catch (e) {
    for (const c of converted) c.layer.dispose();
    throw e;
  }
}

/** A Sequential layer list as a functional config: input -> layer 0 -> layer 1 -> ... */
function chainConfig(name: string | undefined, layers: KerasLayerJson[], batchShape: (number | null)[]): FunctionalConfig {
  const input = 'input';
  const named = layers.map((j) => ({ ...j, name: (j.config?.name as string) ?? j.class_name }));
  return {
    name,
    layers: [{ class_name: 'InputLayer', name: input, config: { batch_input_shape: batchShape, name: input } },
      ...named.map((j, i) => ({ ...j, inbound_nodes: [[[i === 0 ? input : named[i - 1].name, 0, 0, {}]]] }))],
    input_layers: [[input, 0, 0]],
    output_layers: [[named[named.length - 1].name, 0, 0]],
  };
}

/** Builds the model described by in-memory artifacts and loads its weights (synchronous). */
export function modelFromArtifacts(a: LayersModelArtifacts): Sequential | Functional {
  const topo = topologyOf(a);
  const cls = topo?.class_name;
  check(cls === 'Sequential' || cls === 'Model' || cls === 'Functional', OP, () =>
    `unsupported model class ${JSON.stringify(cls)} (expected 'Sequential', 'Model' or 'Functional')`);
  const decoded = a.weightSpecs ? decodeWeights(a.weightData ?? [], a.weightSpecs) : [];
  const model = cls === 'Sequential' ? buildSequential(topo.config) : new Functional(graphFromConfig(topo.config as FunctionalConfig), true);
  try {
    assignWeights(model.layers as Layer[], decoded);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** loadLayersModel's implementation (../load_layers_model.ts documents it). */
export async function loadLayersModel(source: string | LayersModelArtifacts | { load(): Promise<LayersModelArtifacts> }): Promise<Sequential | Functional> {
  if (typeof source === 'object' && source !== null) {
    // A tf.io IOHandler (tf.io.fromMemory, browserFiles, ...) gives the artifacts through load().
    return modelFromArtifacts('load' in source && typeof source.load === 'function' ? await source.load() : source as LayersModelArtifacts);
  }
  check(typeof source === 'string' && source.length > 0, OP, () => `expected a path, a URL or model artifacts, got ${source === null ? 'null' : typeof source}`);
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(source);
  const scheme = m?.[1].toLowerCase() ?? null;
  if (scheme === 'http' || scheme === 'https' || (scheme === null && !isNode())) return modelFromArtifacts(await readUrl(source));
  if (scheme === 'file') return modelFromArtifacts(await readNode(decodeURIComponent(source.slice('file://'.length))));
  if (scheme !== null) fail(`the scheme of '${source}' is not supported (use a path in Node, an http(s) URL or in-memory artifacts)`);
  return modelFromArtifacts(await readNode(source));
}
