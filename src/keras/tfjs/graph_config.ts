// The graph of a Keras functional model config (loadLayersModel's side): inbound nodes in both
// formats (Keras 2 / tfjs lists [[layer, node, tensor, kwargs], ...]; Keras 3 { args, kwargs } with
// __keras_tensor__ entries), input/output refs and InputLayer shapes, the layers converted.
import type { Layer, Shape } from '../layers/layer';
import type { FunctionalConfig, FunctionalGraph, GraphNode, InputSpec, TensorRef } from './graph';
import { fail, refKey, show } from './loader_deps';
import { layerFromKeras, type KerasLayerJson } from './config';

/** The batch shape of an InputLayer config (Keras 2 batch_input_shape, Keras 3 batch_shape), batch dim dropped. */
export function inputLayerShape(where: string, cfg: Record<string, unknown>): (number | null)[] {
  const s = (cfg.batch_input_shape ?? cfg.batch_shape) as (number | null)[] | undefined;
  if (!Array.isArray(s) || s.length < 1) fail(`${where} has no batch_input_shape / batch_shape (got config keys ${Object.keys(cfg).join(', ')})`);
  return s.slice(1);
}

function asRef(where: string, v: unknown): TensorRef {
  const a = v as unknown[];
  if (!Array.isArray(a) || typeof a[0] !== 'string' || (a.length > 1 && !Number.isInteger(a[1])) || (a.length > 2 && !Number.isInteger(a[2]))) {
    fail(`${where}: expected [layerName, nodeIndex, tensorIndex], got ${show(v)}`);
  }
  return { layer: a[0] as string, node: (a[1] as number) ?? 0, tensor: (a[2] as number) ?? 0 };
}

/** input_layers / output_layers: a list of refs, or one ref (Keras 3 with one input). */
export function parseRefs(where: string, v: unknown): TensorRef[] {
  if (!Array.isArray(v) || v.length === 0) fail(`${where} must be a non-empty list of [layerName, nodeIndex, tensorIndex], got ${show(v)}`);
  return typeof v[0] === 'string' ? [asRef(where, v)] : v.map((r) => asRef(where, r));
}

/** kwargs that do not change a call's result here: empty, nulls, and `training`. */
function checkKwargs(where: string, kw: unknown): void {
  if (kw === undefined || kw === null) return;
  if (typeof kw !== 'object' || Array.isArray(kw)) fail(`${where}: call arguments ${show(kw)} are not supported`);
  for (const [k, v] of Object.entries(kw as Record<string, unknown>)) {
    if (k === 'training' || v === null || v === false) continue;
    fail(`${where}: call argument '${k}' = ${show(v)} is not supported`);
  }
}

/** The __keras_tensor__ refs in a Keras 3 args value, in order. */
function kerasTensors(where: string, v: unknown, out: TensorRef[]): void {
  if (Array.isArray(v)) { for (const x of v) kerasTensors(where, x, out); return; }
  const o = v as { class_name?: string; config?: { keras_history?: unknown } };
  if (o?.class_name === '__keras_tensor__') { out.push(asRef(where, o.config?.keras_history)); return; }
  fail(`${where}: call argument ${show(v)} is not supported (only tensors)`);
}

/** The calls of one layer from its inbound_nodes. */
export function parseInbound(layer: KerasLayerJson & { name: string }): GraphNode[] {
  const nodes = layer.inbound_nodes ?? [];
  if (!Array.isArray(nodes)) fail(`layer '${layer.name}': inbound_nodes must be a list, got ${show(nodes)}`);
  return nodes.map((n, i) => {
    const where = `layer '${layer.name}' node ${i}`;
    const inputs: TensorRef[] = [];
    if (Array.isArray(n)) {
      for (const e of n) { inputs.push(asRef(where, e)); checkKwargs(where, (e as unknown[])[3]); }
    } else if (n && typeof n === 'object' && 'args' in n) {
      const { args, kwargs } = n as { args: unknown[]; kwargs?: Record<string, unknown> };
      kerasTensors(where, args, inputs);
      checkKwargs(where, kwargs);
    } else fail(`${where}: unrecognized inbound node ${show(n)}`);
    if (inputs.length === 0) fail(`${where}: the call has no input tensors`);
    return { layer: layer.name, node: i, inputs };
  });
}

/** The graph of a Keras functional config, its layers converted (and disposed again on error). */
export function graphFromConfig(config: FunctionalConfig): FunctionalGraph {
  if (!config || !Array.isArray(config.layers)) fail(`a functional model config needs a 'layers' list, got ${show(config)}`);
  const layers: Layer[] = [], nodes = new Map<string, GraphNode>(), specs = new Map<string, InputSpec>();
  const names = new Set<string>(), checkInput = new Map<string, (s: Shape) => void>();
  try {
    for (const j of config.layers) {
      const name = j?.name ?? (j?.config?.name as string);
      if (typeof name !== 'string' || names.has(name)) fail(`layer names must be unique strings, got ${show(name)}`);
      names.add(name);
      if (j.class_name === 'InputLayer') {
        const cfg = j.config ?? {};
        specs.set(name, { name, shape: inputLayerShape(`input layer '${name}'`, cfg), dtype: typeof cfg.dtype === 'string' ? cfg.dtype : 'float32' });
        continue;
      }
      const c = layerFromKeras({ ...j, name });
      layers.push(c.layer);
      if (c.checkInput) checkInput.set(name, c.checkInput);
      for (const n of parseInbound({ ...j, name })) nodes.set(refKey(n), n);
    }
    const inputs = parseRefs('input_layers', config.input_layers).map((r) => specs.get(r.layer) ?? fail(`input_layers names '${r.layer}', which is not an InputLayer of the config`));
    return { name: config.name ?? 'model', layers, inputs, nodes, outputRefs: parseRefs('output_layers', config.output_layers), checkInput };
  } catch (e) {
    for (const l of layers) l.dispose();
    throw e;
  }
}
