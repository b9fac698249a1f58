// The layer graph of a functional model as Functional takes it: calls (nodes) by refKey, input and
// output refs, and the execution order (each node after its inputs). graph_config.ts reads one
// from a Keras JSON config.
import type { Layer, Shape } from '../layers/layer';
import type { LayerLike } from '../symbolic';
import type { KerasLayerJson } from './config';

const OP = 'loadLayersModel';

/** Output `tensor` of call `node` of layer `layer`. */
export interface TensorRef { layer: string; node: number; tensor: number }

/** One call of a layer: its input tensors, in order. */
export interface GraphNode { layer: string; node: number; inputs: TensorRef[] }

/** An input layer's declared shape (batch excluded; null = any) and dtype. */
export interface InputSpec { name: string; shape: (number | null)[]; dtype: string }

export interface FunctionalConfig {
  name?: string;
  layers: (KerasLayerJson & { name: string })[];
  input_layers: unknown;
  output_layers: unknown;
}

/** A functional model's graph: its layers (input layers excluded), inputs, calls by refKey and outputs;
 *  checkInput: per layer name, a check of its first input shape (converted configs). */
export interface FunctionalGraph {
  name: string;
  layers: LayerLike[];
  inputs: InputSpec[];
  nodes: Map<string, GraphNode>;
  outputRefs: TensorRef[];
  checkInput?: Map<string, (s: Shape) => void>;
}

export function fail(msg: string): never {
  throw new Error(`asgrad.${OP}: ${msg}`);
}

export const show = (v: unknown) => JSON.stringify(v)?.slice(0, 200) ?? String(v);

export const refKey = (r: { layer: string; node: number }): string => `${r.layer}#${r.node}`;

/**
 * The calls needed for `outputs`, each after the calls that feed it (depth first from the outputs).
 * `inputs` names the InputLayers, whose node 0 is given. Throws on cycles and unknown refs.
 */
export function executionOrder(nodes: Map<string, GraphNode>, inputs: Set<string>, outputs: TensorRef[]): GraphNode[] {
  const order: GraphNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (r: TensorRef, from: string): void => {
    if (inputs.has(r.layer)) {
      if (r.node !== 0 || r.tensor !== 0) fail(`${from} uses output ${r.tensor} of call ${r.node} of input layer '${r.layer}', which has one`);
      return;
    }
    const k = refKey(r);
    const s = state.get(k);
    if (s === 'done') return;
    if (s === 'visiting') fail(`the layer graph has a cycle through layer '${r.layer}'`);
    const n = nodes.get(k);
    if (!n) fail(`${from} uses call ${r.node} of layer '${r.layer}', which the config does not define`);
    state.set(k, 'visiting');
    for (const i of n.inputs) visit(i, `layer '${n.layer}' node ${n.node}`);
    state.set(k, 'done');
    order.push(n);
  };
  for (const o of outputs) visit(o, 'output_layers');
  return order;
}
