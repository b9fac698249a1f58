// Functional: a Keras functional model (class 'Model' / 'Functional') as an asgrad nn Module: the
// layers, the call graph (several inputs/outputs; a layer called at several nodes shares its
// weights; models nest as layers), forward/call/predict, getLayer, summary, and compile/fit/evaluate
// (one input, one output) through the Sequential model's training loop. Built from the Keras JSON
// (loadLayersModel) or from SymbolicTensors (model()).
import { Module, type AnyModule } from '../../nn/module';
import { noGrad } from '../../autograd';
import { tidy } from '../../memory';
import { cat } from '../../ops/movement';
import type { Tensor } from '../../tensor';
import { check, fmtShape } from '../../util/errors';
import { trainableParams, type Layer, type Shape } from '../layers/layer';
import type { CallbackModel, History } from '../callbacks';
import { resolveCompile, type CompileArgs, type Compiled } from '../compile';
import type { Sequential } from '../sequential';
import { evaluateLoop, fitLoop, type Data, type FitArgs } from '../training';
import { formatFunctionalSummary, type SummaryRow } from './functional_summary';
import { restoreWeights, weightsCopy } from '../weight_snapshot';
import { saveModel } from '../model_io';
import { applyLayer, callShapes, type SymbolicTensor } from '../symbolic';
import { executionOrder, refKey, type FunctionalGraph, type GraphNode, type InputSpec, type TensorRef } from './graph';

export type { InputSpec };

/** A functional model as model.json holds it (Functional.getConfig). */
export interface FunctionalSaved {
  [key: string]: unknown;
  name: string;
  layers: { className: string; config: Record<string, unknown> }[];
  inputs: InputSpec[];
  nodes: GraphNode[];
  outputs: TensorRef[];
}

const OP = 'loadLayersModel';

type Value = Tensor | Tensor[];
const pick = (v: Value, r: TensorRef): Tensor => {
  const t = Array.isArray(v) ? v[r.tensor] : r.tensor === 0 ? v : undefined;
  check(t !== undefined, OP, () => `layer '${r.layer}' call ${r.node} has no output ${r.tensor}`);
  return t!;
};
const isMultiInput = (l: Layer) => (l as { multiInput?: boolean }).multiInput === true;
type Recurrent = Layer & { callWithState(x: Tensor, s?: Tensor[]): Tensor[]; units: number };
const isRecurrent = (l: Layer): l is Recurrent => typeof (l as unknown as Partial<Recurrent>).callWithState === 'function';
const returnsState = (l: Layer) => isRecurrent(l) && (l.getConfig().returnState as boolean) === true;
const fmt = (s: readonly (number | null)[]) => `[null, ${s.map((d) => d ?? 'null').join(', ')}]`;

/**
 * A functional model: from loadLayersModel, or from model({ inputs, outputs }) over layers applied to
 * input() placeholders.
 * @example
 * const x = input({ shape: [4] });
 * const m = model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(layers.dense({ units: 8, activation: 'relu' }).apply(x)) });
 * const y = m.predict(tensor([[1, 2, 3, 4]]));
 */
export class Functional extends Module<Tensor[], Tensor | Tensor[]> implements CallbackModel {
  readonly className = 'Functional';
  stopTraining = false;
  compiled: Compiled | null = null;
  /** As a layer in another model: always built; when false, that model's training leaves its weights. */
  readonly built = true;
  trainable = true;
  readonly modelName: string;
  /** The model's layers in config order (input layers excluded: inputs are the model's arguments). */
  readonly layers: Layer[] = [];
  readonly inputs: InputSpec[];
  readonly outputRefs: TensorRef[];
  private readonly byName = new Map<string, Layer>();
  private readonly order: GraphNode[];
  /** Uses of each output ref `layer#node#tensor` by later calls and by the model's outputs. */
  private readonly uses = new Map<string, number>();
  /** Output shapes (batch excluded) of every call, by refKey. */
  private readonly shapes = new Map<string, (Shape | null)[]>();

  /** Over a graph of layers: `owned`, new layers converted from a Keras config by loadLayersModel
   *  (disposed with the model if building fails; graph_config.ts), else existing ones (model()). */
  constructor(g: FunctionalGraph, owned = false) {
    super();
    this.modelName = g.name;
    const masked = (g.layers as Layer[]).find((l) => l.className === 'Embedding' && l.getConfig().maskZero);
    check(!masked, OP, () => `layer '${masked!.layerName}' has maskZero: masks are supported in Sequential models, not yet in functional ones`);
    try {
      for (const layer of g.layers as Layer[]) {
        const name = layer.layerName, key = name.replace(/\./g, '_');
        this.layers.push(layer);
        this.byName.set(name, layer);
        check(!this.namedChildren().some(([k]) => k === key), OP, () => `layer names '${name}' and '${this.layers.find((l) => l !== layer && l.layerName.replace(/\./g, '_') === key)?.layerName}' collide as module names`);
        this.registerModule(key, layer);
      }
      this.inputs = g.inputs;
      this.outputRefs = g.outputRefs;
      this.order = executionOrder(g.nodes, new Set(this.inputs.map((s) => s.name)), this.outputRefs);
      const count = (r: TensorRef) => { const k = `${refKey(r)}#${r.tensor}`; this.uses.set(k, (this.uses.get(k) ?? 0) + 1); };
      for (const n of this.order) n.inputs.forEach(count);
      this.outputRefs.forEach(count);
      // Shapes through the graph; each layer is built (and its shape-dependent keys checked) at its first call.
      for (const s of this.inputs) this.shapes.set(refKey({ layer: s.name, node: 0 }), [s.shape as Shape]);
      for (const n of this.order) {
        const layer = this.byName.get(n.layer)!;
        const inShapes = n.inputs.map((r) => {
          const s = this.shapes.get(refKey(r))?.[r.tensor];
          check(s, OP, () => `layer '${n.layer}' node ${n.node} uses output ${r.tensor} of layer '${r.layer}', which has no such output`);
          return s!;
        });
        if (!layer.built && !isMultiInput(layer)) g.checkInput?.get(n.layer)?.(inShapes[0]);
        this.shapes.set(refKey(n), callShapes(layer, inShapes, owned ? OP : 'model'));
      }
      for (const l of this.layers) check(l.built, OP, () => `layer '${l.layerName}' is not connected to the model's outputs`);
    } catch (e) {
      // Layers given by model() belong to the caller.
      if (owned) this.dispose();
      throw e;
    }
  }

  /** The model's name, as TensorFlow.js's `model.name`. */
  get name(): string { return this.modelName; }
  /** Its name as a layer in another model. */
  get layerName(): string { return this.modelName; }
  /** The first input's shape (batch excluded), as a layer's inputShape. */
  get inputShape(): Shape { return this.inputs[0]?.shape as Shape; }

  /** As a layer: checks one shape per input against the inputs' and returns the output shapes. */
  outputShapesFor(shapes: Shape[]): Shape[] {
    check(shapes.length === this.inputs.length && this.inputs.every((s, i) => s.shape.length === shapes[i].length && s.shape.every((d, j) => d === null || d === shapes[i][j])), this.modelName, () =>
      `the model takes inputs of shape ${this.inputs.map((s) => fmt(s.shape)).join(', ')}, got ${shapes.map(fmt).join(', ')}`);
    return this.outputShapes as Shape[];
  }

  /** As a layer in a Sequential (one input, one output). */
  computeOutputShape(s: Shape): Shape {
    check(this.outputRefs.length === 1, this.modelName, () => `a model used as a Sequential layer needs one output, '${this.modelName}' has ${this.outputRefs.length}`);
    return this.outputShapesFor([s])[0];
  }
  build(): void {}

  /** The graph as save writes it: each layer's { className, config }, the inputs, the calls in execution order and the outputs. */
  getConfig(): FunctionalSaved {
    return { name: this.modelName, layers: this.layers.map((l) => ({ className: l.className, config: l.getConfig() })), inputs: this.inputs, nodes: this.order, outputs: this.outputRefs };
  }
  toJSON(): { className: 'Functional'; config: FunctionalSaved } { return { className: 'Functional', config: this.getConfig() }; }
  /** As Sequential's save: model.json (this graph) and weights.safetensors; loadModel rebuilds it. */
  async save(path: string): Promise<{ modelJson: string; weights: string }> { return saveModel(this, path); }

  /** TensorFlow.js's apply: on SymbolicTensor(s) records a call (nesting), on tensors runs the model; a function: Module.apply. */
  apply(fn: (m: AnyModule) => void): this;
  apply(x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor | SymbolicTensor[];
  apply(x: Tensor | Tensor[]): Tensor | Tensor[];
  apply(x: unknown): unknown { return applyLayer(this, x, (fn) => super.apply(fn)); }

  /** Output shapes (batch excluded; null: any), one per output. */
  get outputShapes(): (Shape | null)[] { return this.outputRefs.map((r) => this.shapes.get(refKey(r))?.[r.tensor] ?? null); }

  /** A layer by name or by index in `layers`, as TensorFlow.js's getLayer. */
  getLayer(nameOrIndex: string | number): Layer {
    const l = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.byName.get(nameOrIndex);
    check(l !== undefined, 'getLayer', () => `no layer ${JSON.stringify(nameOrIndex)} (layers: ${this.layers.map((x) => x.layerName).join(', ')})`);
    return l!;
  }

  /**
   * Runs the graph on one tensor per input (in input_layers order): the output tensor, or an array
   * for several outputs. Intermediates are freed as soon as their last consumer ran.
   */
  forward(...xs: Tensor[]): Tensor | Tensor[] {
    check(xs.length === this.inputs.length && xs.every((x) => x?._isTensor), this.modelName, () =>
      `expected ${this.inputs.length} input tensor(s) (${this.inputs.map((s) => `'${s.name}' [null, ${s.shape.join(', ')}]`).join(', ')}), got ${xs.length === 1 && Array.isArray(xs[0]) ? 'one array (spread it: model.forward(...xs))' : `${xs.length} argument(s)`}`);
    const values = new Map<string, Value>();
    const hold = new Map<Tensor, number>();
    const given = new Set(xs);
    const produced = (key: string, t: Tensor) => {
      const n = this.uses.get(key) ?? 0;
      if (n > 0) hold.set(t, (hold.get(t) ?? 0) + n);
      else if (!hold.has(t) && !given.has(t)) t.dispose();
    };
    const release = (t: Tensor) => {
      const n = (hold.get(t) ?? 1) - 1;
      if (n > 0) { hold.set(t, n); return; }
      hold.delete(t);
      if (!given.has(t)) t.dispose();
    };
    this.inputs.forEach((s, i) => {
      const x = xs[i];
      check(x.ndim === s.shape.length + 1 && s.shape.every((d, j) => d === null || d === x.shape[j + 1]), this.modelName, () =>
        `input '${s.name}' expects shape [null, ${s.shape.join(', ')}], got ${fmtShape(x.shape)}`);
      // As Keras: inputs are cast to the input layer's dtype (float32 unless declared int32).
      const v = x.dtype === 'float32' || (x.dtype === 'int32' && s.dtype === 'int32') ? x : x.float();
      const key = refKey({ layer: s.name, node: 0 });
      values.set(key, v);
      produced(`${key}#0`, v);
    });
    for (const n of this.order) {
      const layer = this.byName.get(n.layer)!;
      const ins = n.inputs.map((r) => pick(values.get(refKey(r))!, r));
      let out: Value;
      if (isMultiInput(layer)) out = (layer.forward as unknown as (x: Tensor[]) => Tensor)(ins);
      else if (ins.length > 1 && isRecurrent(layer)) {
        const r = layer.callWithState(ins[0], ins.slice(1));
        if (returnsState(layer)) out = r; else { r.slice(1).forEach((t) => t !== r[0] && t.dispose()); out = r[0]; }
      } else out = ins.length > 1 && layer instanceof Functional ? layer.forward(...ins) : layer.forward(ins[0]) as Value;
      const key = refKey(n);
      values.set(key, out);
      (Array.isArray(out) ? out : [out]).forEach((t, i) => produced(`${key}#${i}`, t));
      n.inputs.forEach((r) => release(pick(values.get(refKey(r))!, r)));
    }
    const outs = this.outputRefs.map((r) => {
      const t = pick(values.get(refKey(r))!, r);
      return given.has(t) ? t.clone() : t;
    });
    return outs.length === 1 ? outs[0] : outs;
  }

  /**
   * Outputs for `x` (one tensor, or one per input) in inference mode (dropout off, moving
   * statistics), without gradients, `batchSize` rows at a time (default 32): a tensor, or an array
   * of tensors for a model with several outputs (as TensorFlow.js's predict).
   */
  predict(x: Tensor | Tensor[], args: { batchSize?: number } = {}): Tensor | Tensor[] {
    const xs = Array.isArray(x) ? x : [x];
    const bs = args.batchSize ?? 32;
    check(Number.isInteger(bs) && bs > 0, 'predict', () => `batchSize must be a positive integer, got ${bs}`);
    check(xs.length > 0 && xs.every((t) => t?._isTensor && t.ndim >= 1 && t.shape[0] === xs[0].shape[0]), 'predict', () =>
      `expected tensors with one batch size, got ${xs.map((t) => (t?._isTensor ? fmtShape(t.shape) : typeof t)).join(', ')}`);
    const modules = this._all();
    const modes = modules.map((m) => m.training);
    modules.forEach((m) => { m.training = false; });
    try {
      return tidy(() => noGrad(() => {
        const n = xs[0].shape[0];
        if (n <= bs) return this.forward(...xs);
        const parts: Tensor[][] = [];
        for (let at = 0; at < n; at += bs) {
          const y = this.forward(...xs.map((t) => t.narrow(0, at, Math.min(bs, n - at))));
          (Array.isArray(y) ? y : [y]).forEach((t, i) => (parts[i] ??= []).push(t));
        }
        const outs = parts.map((p) => cat(p, 0));
        return outs.length === 1 ? outs[0] : outs;
      }));
    } finally {
      modules.forEach((m, i) => { m.training = modes[i]; });
    }
  }

  /** Sum of every layer's weight penalties, or null when there are none. */
  regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const r of this.layers.map((l) => l.regularizationLoss())) {
      if (r && total) { const s: Tensor = total.add(r); total.dispose(); r.dispose(); total = s; } else total ??= r;
    }
    return total;
  }

  countParams(): number { return this.layers.reduce((n, l) => n + l.countParams(), 0); }

  /**
   * Sets the optimizer, loss and metrics for fit / evaluate, over the weights of layers with
   * `trainable` true now (frozen layers of a converted model stay). With several outputs, `loss`
   * is one for all or a list with one per output (weighted by `lossWeights`), and the logs name
   * each output by its layer: <layer>_loss, <layer>_<metric>.
   */
  compile(args: CompileArgs): void {
    const params = [...new Set(this.layers.flatMap(trainableParams))];
    const dim = (s: (number | null)[] | null) => ((s ?? [])[(s ?? []).length - 1] as number | null) ?? 1;
    const names = this.outputRefs.map((r) => r.layer);
    const outputs = this.outputRefs.map((r, i) => ({ name: names.indexOf(r.layer) === i ? r.layer : `${r.layer}_${i}`, dim: dim(this.outputShapes[i]) }));
    const compiled = resolveCompile(args, params, outputs[0].dim, outputs);
    this.disposeOptimizer();
    this.compiled = compiled;
  }

  /** Keras' fit, with the Sequential model's loop (training.ts): batches, callbacks, validation.
   *  x: one tensor per input (a list when several), y: one per output. */
  async fit(x: Data, y: Data, args: FitArgs = {}): Promise<History> {
    this.checkCompiled('fit');
    // The loop only uses forward, regularizationLoss, zeroGrad, train modes and the callback hooks.
    return fitLoop(this as unknown as Sequential, this.compiled!, x, y, args);
  }

  /** Loss (and metrics) over x, y: a scalar tensor, or [loss, ...metrics]. */
  evaluate(x: Data, y: Data, args: { batchSize?: number } = {}): Tensor | Tensor[] {
    this.checkCompiled('evaluate');
    return evaluateLoop(this as unknown as Sequential, this.compiled!, x, y, args.batchSize ?? 32);
  }

  private checkCompiled(op: string): void {
    check(this.compiled !== null, op, () => `call model.compile({ optimizer, loss }) before ${op}`);
  }

  private disposeOptimizer(): void {
    if (this.compiled?.ownsOptimizer) this.compiled.optimizer.dispose();
  }

  /** Frees the weights, and the optimizer's state when compile created it from a name. */
  dispose(): void {
    this.disposeOptimizer();
    this.compiled = null;
    super.dispose();
  }

  /** For callbacks (EarlyStopping's restoreBestWeights): copies of the weights, owned by the caller. */
  getWeightsCopy(): Map<string, Tensor> { return weightsCopy(this as unknown as Module<never[], unknown>); }
  setWeightsFrom(w: Map<string, Tensor>): void { restoreWeights(this as unknown as Module<never[], unknown>, w); }

  /** One line per layer call: name (class), output shape, parameters, inputs; then the totals. */
  summary(printFn: (line: string) => void = console.log): void {
    const rows: SummaryRow[] = this.inputs.map((s) => ({ name: s.name, className: 'InputLayer', shapes: [s.shape as Shape], params: 0, inputs: [] }));
    for (const n of this.order) {
      const l = this.byName.get(n.layer)!;
      rows.push({ name: n.layer, className: l.className, shapes: (this.shapes.get(refKey(n)) ?? []) as Shape[], params: l.countParams(), inputs: n.inputs, layer: l });
    }
    const trainable = [...new Set(this.layers.flatMap(trainableParams))].reduce((a, p) => a + p.size, 0);
    for (const line of formatFunctionalSummary(this.modelName, rows, this.countParams(), trainable)) printFn(line);
  }
}
