// SymbolicTensor and input(): the placeholders of TensorFlow.js's functional API; layer.apply's
// dispatch (SymbolicTensors: record a call for model(), building the layer from their shapes;
// tensors: call(x); a function: Module.apply) and the shape propagation of one layer call.
import type { DType } from '../dtype';
import type { AnyModule } from '../nn/module';
import type { Tensor } from '../tensor';
import { check } from '../util/errors';
import { uniqueName, type Layer, type Shape } from './layers/layer';
import type { Sequential } from './sequential';
import type { Functional } from './tfjs/functional';

type Dim = number | null;

/** A layer, or a model used as a layer (tfjs models are layers). */
export type LayerLike = Layer | Sequential | Functional;

/** What a call needs beyond Layer's members, when the layer (or model) has it. */
interface Extra {
  multiInput?: boolean;
  callWithState?: unknown;
  units?: number;
  dataFormat?: string;
  outputShapesFor?(shapes: Shape[]): Shape[];
  inputs?: unknown[];
}

/**
 * A placeholder for a tensor of a functional model being built (TensorFlow.js's SymbolicTensor):
 * its shape (batch dim first, null = any), dtype, and the call that produces it.
 * @example
 * const x = input({ shape: [784] });
 * const y = layers.dense({ units: 10 }).apply(x); // SymbolicTensor, shape [null, 10]
 */
export class SymbolicTensor {
  readonly _isSymbolic = true;
  constructor(
    readonly shape: Dim[],
    readonly dtype: DType,
    readonly name: string,
    /** The layer (or model) whose call produced it; null for an input(). */
    readonly sourceLayer: LayerLike | null,
    /** The producing layer's name (the input's own name for an input()). */
    readonly layerName: string,
    /** Which call of sourceLayer (0 for its first), and which of that call's outputs. */
    readonly nodeIndex: number,
    readonly tensorIndex: number,
    /** The inputs of the producing call ([] for an input()). */
    readonly inputs: SymbolicTensor[],
  ) {}

  get rank(): number { return this.shape.length; }
}

export const isSymbolic = (x: unknown): x is SymbolicTensor => x instanceof SymbolicTensor;
const fmt = (s: readonly Dim[]) => `[${s.map((d) => d ?? 'null').join(', ')}]`;
const okDim = (d: unknown) => d === null || (Number.isInteger(d) && (d as number) > 0);

export interface InputArgs {
  /** Shape without the batch dim (null = any size). Give this or batchShape. */
  shape?: Dim[];
  /** Shape with the batch dim first. */
  batchShape?: Dim[];
  name?: string;
  dtype?: 'float32' | 'int32';
}

/** A model input for the functional API (tf.input): a SymbolicTensor of shape [null, ...shape]. */
export function input(args: InputArgs): SymbolicTensor {
  const { shape, batchShape, name, dtype = 'float32' } = args ?? {};
  const full = batchShape ?? (Array.isArray(shape) ? [null, ...shape] : shape);
  check((shape === undefined) !== (batchShape === undefined) && Array.isArray(full) && full.length > 0 && full.every(okDim) &&
    (dtype === 'float32' || dtype === 'int32') && (name === undefined || (typeof name === 'string' && name !== '')), 'input', () =>
    `expected { shape } (without the batch dim) or { batchShape }, of positive integers or null, and optional name and dtype ('float32' or 'int32'); got ${JSON.stringify(args)}`);
  const n = name ?? uniqueName('input');
  return new SymbolicTensor([...full], dtype, n, null, n, 0, 0, []);
}

/** The first input shape each layer was built with here (compatibility of later calls). */
const builtWith = new WeakMap<object, Shape>();
/** Symbolic calls so far, per layer. */
const nodeCounts = new WeakMap<object, number>();

/** A call on a layer already built: the weights fix the feature dim (channels) and the rank. */
function checkBuilt(l: LayerLike & Extra, s: Shape, op: string, where: string): void {
  const ref = builtWith.get(l) ?? l.inputShape;
  if (!ref || l.parameters().length === 0 || l.className === 'Embedding') return;
  const ax = l.dataFormat === 'channelsFirst' ? 0 : -1;
  const pick = (x: Shape) => x[ax < 0 ? x.length - 1 : 0];
  check((l.className === 'Dense' || s.length === ref.length) && pick(s) === pick(ref), op, () =>
    `${where} was built for inputs of shape ${fmt([null, ...ref])} and cannot take shape ${fmt([null, ...s])}`);
}

/**
 * The output shapes (batch dim excluded) of one call of `layer` on inputs of these shapes, building
 * the layer at its first call; errors name the layer and the shapes.
 */
export function callShapes(layer: LayerLike, shapes: Shape[], op: string): Shape[] {
  const l = layer as LayerLike & Extra;
  const where = `layer '${l.layerName}' (${l.className})`;
  const shown = shapes.map((s) => fmt([null, ...s])).join(', ');
  const multi = l.multiInput === true, rnn = l.callWithState !== undefined;
  check(multi || l.outputShapesFor || shapes.length === 1 || rnn, op, () => `${where} takes one input, got ${shapes.length} (${shown})`);
  let out: Shape[];
  try {
    if (l.outputShapesFor) out = l.outputShapesFor(shapes);
    else {
      const arg = multi ? shapes : shapes[0];
      if (!l.built) { (l as Layer).build(arg); if (!multi) builtWith.set(l, shapes[0]); } else if (!multi) checkBuilt(l, shapes[0], op, where);
      const o = (l as Layer).computeOutputShape(arg);
      const state = rnn && l.getConfig().returnState === true;
      out = state ? [o, ...Array.from({ length: l.className === 'LSTM' ? 2 : 1 }, () => [l.units!])] : [o];
    }
  } catch (e) {
    const m = (e as Error).message;
    throw new Error(m.includes(where) || m.includes(`'${l.layerName}'`) ? m : `asgrad.${op}: ${where} on input shape ${shown}: ${m.replace(/^asgrad\./, '')}`);
  }
  check(out.every((s) => Array.isArray(s) && s.every(okDim)), op, () => `${where} cannot take input shape ${shown} (its output shape would be ${out.map(fmt).join(', ')})`);
  return out;
}

/** What x is, for errors. */
export const describe = (x: unknown): string => Array.isArray(x) ? `[${x.map(describe).join(', ')}]` : isSymbolic(x) ? `SymbolicTensor ${fmt(x.shape)}`
  : (x as Tensor)?._isTensor ? `Tensor [${(x as Tensor).shape.join(', ')}]` : x && typeof x === 'object' ? 'an object' : `${typeof x} ${String(x).slice(0, 40)}`;

/** Records one call of `layer` on SymbolicTensors: its outputs (one, or several for multi-output calls). */
function symbolicCall(layer: LayerLike, xs: SymbolicTensor[]): SymbolicTensor | SymbolicTensor[] {
  const shapes = callShapes(layer, xs.map((s) => s.shape.slice(1) as Shape), `${layer.layerName}.apply`);
  const node = nodeCounts.get(layer) ?? 0;
  nodeCounts.set(layer, node + 1);
  const outs = shapes.map((s, i) => new SymbolicTensor([xs[0].shape[0], ...s], 'float32',
    `${layer.layerName}${node || i ? `_${node}_${i}` : ''}`, layer, layer.layerName, node, i, xs));
  return outs.length === 1 ? outs[0] : outs;
}

/**
 * tfjs's layer.apply: on SymbolicTensor(s) records a call (model() builds the graph from them), on
 * tensors runs the layer (call), on a function is PyTorch's Module.apply (`moduleApply`).
 */
export function applyLayer(layer: LayerLike, x: unknown, moduleApply: (fn: (m: AnyModule) => void) => unknown): unknown {
  if (typeof x === 'function') return moduleApply(x as (m: AnyModule) => void);
  const list: unknown[] = Array.isArray(x) ? x : [x];
  const l = layer as LayerLike & Extra;
  if (list.length > 0 && list.every(isSymbolic)) return symbolicCall(layer, list);
  if (list.length > 0 && list.every((t) => (t as Tensor)?._isTensor === true)) {
    const call = layer.call.bind(layer) as (...a: unknown[]) => unknown;
    if (!Array.isArray(x) || l.multiInput) return call(x);
    const n = l.inputs?.length ?? 1;
    check(list.length === n, `${layer.layerName}.apply`, () => `takes ${n} input tensor(s), got ${list.length}`);
    return call(...list);
  }
  throw new Error(`asgrad.${layer.layerName}.apply: expected SymbolicTensor(s) (from input() or layer.apply), tensor(s) or a function (Module.apply); got ${describe(x)}`);
}
