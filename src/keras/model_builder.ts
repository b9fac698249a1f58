// model({ inputs, outputs, name }): TensorFlow.js's functional-model builder. Walks the calls that
// layer.apply recorded on SymbolicTensors from the outputs back to the inputs, and builds a
// Functional over those very layers (a layer called twice shares its weights; models nest).
import { check } from '../util/errors';
import { uniqueName } from './layers/layer';
import { deserializeLayer, registerLayerClass } from './layers';
import { Sequential } from './sequential';
import { describe, isSymbolic, type LayerLike, type SymbolicTensor } from './symbolic';
import { Functional, type FunctionalSaved } from './tfjs/functional';
import { executionOrder, refKey, type GraphNode, type TensorRef } from './tfjs/graph';

export interface ModelArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

const OP = 'model';
const ref = (s: SymbolicTensor): TensorRef => ({ layer: s.layerName, node: s.nodeIndex, tensor: s.tensorIndex });
const names = (xs: SymbolicTensor[]) => xs.map((s) => `'${s.name}'`).join(', ');

function list(key: string, v: unknown): SymbolicTensor[] {
  const xs = Array.isArray(v) ? v : [v];
  check(xs.length > 0 && xs.every(isSymbolic), OP, () => `${key} must be SymbolicTensor(s) (from input() and layer.apply), got ${describe(v)}`);
  return xs;
}

/**
 * A functional model (tf.model) whose inputs are input() results and whose outputs were computed
 * from them with layer.apply. Several inputs and outputs; predict / fit / summary as Functional.
 * @example
 * const x = input({ shape: [784] });
 * const h = layers.dense({ units: 32, activation: 'relu' }).apply(x);
 * const m = model({ inputs: x, outputs: layers.dense({ units: 10, activation: 'softmax' }).apply(h) });
 */
export function model(args: ModelArgs): Functional {
  const ins = list('inputs', args?.inputs), outs = list('outputs', args.outputs);
  for (const s of ins) {
    check(s.sourceLayer === null, OP, () => `inputs must be results of input(); '${s.name}' is an output of layer '${s.layerName}' (${s.sourceLayer!.className})`);
  }
  check(new Set(ins.map((s) => s.name)).size === ins.length, OP, () => `the inputs must have distinct names, got ${names(ins)}`);
  const nodes = new Map<string, GraphNode>(), byName = new Map<string, LayerLike>();
  const visit = (s: SymbolicTensor, from: string): void => {
    if (s.sourceLayer === null) {
      check(ins.includes(s), OP, () => `Graph disconnected: ${from} needs input '${s.name}', which is not among the model's inputs (${names(ins)})`);
      return;
    }
    const l = s.sourceLayer, other = byName.get(l.layerName);
    check((!other || other === l) && !ins.some((i) => i.name === l.layerName), OP, () =>
      `the name '${l.layerName}' is used by two layers (or a layer and an input) of the model; names must be unique`);
    const key = refKey(ref(s));
    if (nodes.has(key)) return;
    byName.set(l.layerName, l);
    nodes.set(key, { layer: l.layerName, node: s.nodeIndex, inputs: s.inputs.map(ref) });
    for (const i of s.inputs) visit(i, `layer '${l.layerName}'`);
  };
  outs.forEach((s, i) => visit(s, `output ${i} ('${s.name}')`));
  // Layers in the order of their first call.
  const order = executionOrder(nodes, new Set(ins.map((s) => s.name)), outs.map(ref));
  const layers = [...new Set(order.map((n) => byName.get(n.layer)!))];
  return new Functional({
    name: args.name ?? uniqueName('model'), layers, nodes, outputRefs: outs.map(ref),
    inputs: ins.map((s) => ({ name: s.name, shape: s.shape.slice(1), dtype: s.dtype })),
  });
}

/** A saved functional model (Functional.getConfig) rebuilt: its layers from their configs, then the same graph over them. */
function functionalFromSaved(c: FunctionalSaved): Functional {
  check(c !== null && typeof c === 'object' && Array.isArray(c.layers) && Array.isArray(c.inputs) && Array.isArray(c.nodes) && Array.isArray(c.outputs), 'loadModel', () =>
    `a functional model's config needs layers, inputs, nodes and outputs lists, got keys ${c && typeof c === 'object' ? Object.keys(c).join(', ') : String(c)}`);
  const layers: LayerLike[] = [];
  try {
    for (const spec of c.layers) layers.push(deserializeLayer(spec));
    return new Functional({ name: c.name, layers, inputs: c.inputs, nodes: new Map(c.nodes.map((n) => [refKey(n), n])), outputRefs: c.outputs }, true);
  } catch (e) {
    for (const l of layers) l.dispose();
    throw e;
  }
}

registerLayerClass('Functional', class { constructor(c: FunctionalSaved) { return functionalFromSaved(c); } } as never);

// A Sequential nested in a saved Sequential is rebuilt by loadModel from its config { name, layers }.
registerLayerClass('Sequential', class {
  constructor(c: { name: string; layers: { className: string; config: Record<string, unknown> }[] }) {
    return new Sequential({ name: c.name, layers: c.layers.map(deserializeLayer) });
  }
} as never);
