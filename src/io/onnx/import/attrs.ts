// A node's attributes, read with defaults and checked types, and the context an op converter
// runs in. Every error names the node and its op type, as onnxruntime's do.
import type { Tensor } from '../../../tensor';
import type { AttrProto, GraphProto, NodeProto } from './model_proto';
import { dataToTensor } from './tensor_proto';

/** Where a converter runs: the model's opset and, for errors, the node. */
export interface OpContext {
  /** The default domain's opset version of the model. */
  readonly opset: number;
  readonly node: NodeProto;
  /** Runs a subgraph (If's branches) with this graph's values in scope; returns its outputs. */
  runGraph(g: GraphProto): Tensor[];
  /**
   * The ONNX element type (TensorProto.DataType) the model declares for input `i` of the node
   * (a graph input or initializer), 0 when unknown: asgrad's dtypes merge FLOAT with BFLOAT16 and
   * the int widths, which CastLike must tell apart.
   */
  inputType?(i: number): number;
}

/**
 * One ONNX op: its inputs in order (undefined where a trailing or '' optional input is absent),
 * attributes and context; returns its outputs in order (fewer than the node names is fine when
 * the rest are unused). Converters must not dispose or mutate their inputs.
 */
export type OnnxOp = (inputs: (Tensor | undefined)[], attrs: Attrs, ctx: OpContext) => Tensor | Tensor[];

export const ATTR_TYPES = ['UNDEFINED', 'FLOAT', 'INT', 'STRING', 'TENSOR', 'GRAPH', 'FLOATS', 'INTS', 'STRINGS'];

/** Throws `asgrad.importOnnx: node 'name' (Op): message`. */
export function nodeError(node: NodeProto, message: string): never {
  throw new Error(`asgrad.importOnnx: node '${node.name || node.outputs[0] || '?'}' (${node.opType}): ${message}`);
}

export class Attrs {
  constructor(readonly node: NodeProto) {}

  has(name: string): boolean { return this.node.attrs.has(name); }

  private get(name: string, type: number): AttrProto | undefined {
    const a = this.node.attrs.get(name);
    if (a && a.type !== type) nodeError(this.node, `attribute '${name}' is ${ATTR_TYPES[a.type] ?? a.type}, expected ${ATTR_TYPES[type]}`);
    return a;
  }

  int(name: string, def?: number): number {
    const v = this.get(name, 2)?.i ?? def;
    if (v === undefined) nodeError(this.node, `needs the attribute '${name}'`);
    return v;
  }

  float(name: string, def?: number): number {
    const v = this.get(name, 1)?.f ?? def;
    if (v === undefined) nodeError(this.node, `needs the attribute '${name}'`);
    return v;
  }

  string(name: string, def?: string): string {
    const v = this.get(name, 3)?.s ?? def;
    if (v === undefined) nodeError(this.node, `needs the attribute '${name}'`);
    return v;
  }

  ints(name: string, def?: number[]): number[] {
    const a = this.get(name, 7);
    const v = a ? a.ints : def;
    if (v === undefined) nodeError(this.node, `needs the attribute '${name}'`);
    return v;
  }

  floats(name: string, def?: number[]): number[] {
    const a = this.get(name, 6);
    const v = a ? a.floats : def;
    if (v === undefined) nodeError(this.node, `needs the attribute '${name}'`);
    return v;
  }

  strings(name: string, def?: string[]): string[] {
    const a = this.get(name, 8);
    const v = a ? a.strings : def;
    if (v === undefined) nodeError(this.node, `needs the attribute '${name}'`);
    return v;
  }

  /** A TENSOR attribute as a new Tensor (the caller owns it). */
  tensor(name: string): Tensor {
    const t = this.get(name, 4)?.t;
    if (!t) nodeError(this.node, `needs the attribute '${name}'`);
    return dataToTensor(t);
  }

  graph(name: string): GraphProto {
    const g = this.get(name, 5)?.g;
    if (!g) nodeError(this.node, `needs the attribute '${name}'`);
    return g;
  }

  /** Throws naming any attribute outside `known`: an attribute this importer ignored would give a silent wrong answer. */
  only(...known: string[]): this {
    for (const name of this.node.attrs.keys()) {
      if (!known.includes(name)) nodeError(this.node, `the attribute '${name}' is not supported (supported: ${known.join(', ') || 'none'})`);
    }
    return this;
  }
}
