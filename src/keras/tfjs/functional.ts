// Functional: a Keras functional model (class 'Model' / 'Functional') as an asgrad nn Module: the
// layers, the call graph from inbound_nodes (several inputs/outputs; a layer called at several
// nodes shares its weights), forward/call/predict, getLayer, summary, and compile/fit/evaluate
// (one input, one output) through the Sequential model's training loop. Built from the Keras JSON.
import { Module } from '../../nn/module';
import { noGrad } from '../../autograd';
import { tidy } from '../../memory';
import { cat } from '../../ops/movement';
import type { Tensor } from '../../tensor';
import { check, fmtShape } from '../../util/errors';
import type { Layer, Shape } from '../layers/layer';
import { layerFromKeras, type KerasLayerJson } from './config';
import type { CallbackModel, History } from '../callbacks';
import { resolveCompile, type CompileArgs, type Compiled } from '../compile';
import type { Sequential } from '../sequential';
import { evaluateLoop, fitLoop, type FitArgs } from '../training';
import { formatFunctionalSummary } from './functional_summary';
import { restoreWeights, weightsCopy } from '../weight_snapshot';
import { executionOrder, inputLayerShape, parseInbound, parseRefs, refKey, type GraphNode, type TensorRef } from './graph';

const OP = 'loadLayersModel';

export interface FunctionalConfig {
  name?: string;
  layers: (KerasLayerJson & { name: string })[];
  input_layers: unknown;
  output_layers: unknown;
}

/** An input layer's declared shape (batch excluded; null = any) and dtype. */
export interface InputSpec { name: string; shape: (number | null)[]; dtype: string }

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

export class Functional extends Module<Tensor[], Tensor | Tensor[]> implements CallbackModel {
  readonly className = 'Functional';
  stopTraining = false;
  compiled: Compiled | null = null;
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

  /** Builds the layers and their weights (initialized; the loader assigns the saved ones). */
  constructor(config: FunctionalConfig) {
    super();
    check(config && Array.isArray(config.layers), OP, () => `a functional model config needs a 'layers' list, got ${JSON.stringify(config)?.slice(0, 200)}`);
    this.modelName = config.name ?? 'model';
    try {
      const nodes = new Map<string, GraphNode>();
      const inputSpecs = new Map<string, InputSpec>();
      const converted = new Map<string, ReturnType<typeof layerFromKeras>>();
      for (const j of config.layers) {
        const name = j?.name ?? (j?.config?.name as string);
        check(typeof name === 'string' && !this.byName.has(name) && !inputSpecs.has(name), OP, () => `layer names must be unique strings, got ${JSON.stringify(name)}`);
        if (j.class_name === 'InputLayer') {
          const cfg = j.config ?? {};
          inputSpecs.set(name, { name, shape: inputLayerShape(`input layer '${name}'`, cfg), dtype: typeof cfg.dtype === 'string' ? cfg.dtype : 'float32' });
          continue;
        }
        const c = layerFromKeras({ ...j, name });
        converted.set(name, c);
        this.layers.push(c.layer);
        this.byName.set(name, c.layer);
        const key = name.replace(/\./g, '_');
        check(!this.namedChildren().some(([k]) => k === key), OP, () => `layer names '${name}' and '${this.layers.find((l) => l.layerName.replace(/\./g, '_') === key)?.layerName}' collide as module names`);
        this.registerModule(key, c.layer);
        for (const n of parseInbound({ ...j, name })) nodes.set(refKey(n), n);
      }
      const ins = parseRefs('input_layers', config.input_layers);
      this.outputRefs = parseRefs('output_layers', config.output_layers);
      this.inputs = ins.map((r) => {
        const s = inputSpecs.get(r.layer);
        check(s !== undefined, OP, () => `input_layers names '${r.layer}', which is not an InputLayer of the config`);
        return s!;
      });
      this.order = executionOrder(nodes, new Set(this.inputs.map((s) => s.name)), this.outputRefs);
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
        const multi = isMultiInput(layer);
        const first = inShapes[0];
        check(multi || inShapes.length === 1 || isRecurrent(layer), OP, () => `layer '${n.layer}' (${layer.className}) takes one input, but node ${n.node} gives it ${inShapes.length}`);
        if (!layer.built) {
          if (!multi) converted.get(n.layer)!.checkInput?.(first);
          layer.build(multi ? inShapes : first);
        }
        const out = layer.computeOutputShape(multi ? inShapes : first);
        const rnn = returnsState(layer) ? (layer as Recurrent) : null;
        this.shapes.set(refKey(n), rnn ? [out, ...Array.from({ length: layer.className === 'LSTM' ? 2 : 1 }, () => [rnn.units])] : [out]);
      }
      for (const l of this.layers) check(l.built, OP, () => `layer '${l.layerName}' is not connected to the model's outputs`);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** The model's name, as TensorFlow.js's `model.name`. */
  get name(): string { return this.modelName; }

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
      } else out = layer.forward(ins[0]) as Value;
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
    for (const l of this.layers) {
      const r = l.regularizationLoss();
      if (!r) continue;
      if (total) { const s: Tensor = total.add(r); total.dispose(); r.dispose(); total = s; } else total = r;
    }
    return total;
  }

  countParams(): number { return this.layers.reduce((n, l) => n + l.countParams(), 0); }

  /**
   * Sets the optimizer, loss and metrics for fit / evaluate (single-input, single-output models),
   * over the weights of layers with `trainable` true now (frozen layers of a converted model stay).
   */
  compile(args: CompileArgs): void {
    this.checkSingle('compile');
    const params = this.layers.filter((l) => l.trainable).flatMap((l) => l.parameters());
    const out = this.outputShapes[0] ?? [];
    const compiled = resolveCompile(args, params, (out[out.length - 1] as number | null) ?? 1);
    this.disposeOptimizer();
    this.compiled = compiled;
  }

  /** Keras' fit, with the Sequential model's loop (training.ts): batches, callbacks, validation. */
  async fit(x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
    this.checkSingle('fit');
    check(this.compiled !== null, 'fit', () => 'call model.compile({ optimizer, loss }) before fit');
    // The loop only uses forward, regularizationLoss, zeroGrad, train modes and the callback hooks.
    return fitLoop(this as unknown as Sequential, this.compiled!, x, y, args);
  }

  /** Loss (and metrics) over x, y: a scalar tensor, or [loss, ...metrics]. */
  evaluate(x: Tensor, y: Tensor, args: { batchSize?: number } = {}): Tensor | Tensor[] {
    this.checkSingle('evaluate');
    check(this.compiled !== null, 'evaluate', () => 'call model.compile({ optimizer, loss }) before evaluate');
    return evaluateLoop(this as unknown as Sequential, this.compiled!, x, y, args.batchSize ?? 32);
  }

  private checkSingle(op: string): void {
    check(this.inputs.length === 1 && this.outputRefs.length === 1, op, () =>
      `${op} supports models with one input and one output; '${this.modelName}' has ${this.inputs.length} and ${this.outputRefs.length}: train it with a PyTorch-style loop (optim.Adam(model.parameters()), model.forward(...xs), loss.backward(), opt.step())`);
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
    const rows = this.inputs.map((s) => ({ name: s.name, className: 'InputLayer', shapes: [s.shape as Shape], params: 0, inputs: [] as TensorRef[] }));
    for (const n of this.order) {
      const l = this.byName.get(n.layer)!;
      rows.push({ name: n.layer, className: l.className, shapes: (this.shapes.get(refKey(n)) ?? []) as Shape[], params: n.node === 0 ? l.countParams() : 0, inputs: n.inputs });
    }
    const trainable = this.layers.reduce((a, l) => a + (l.trainable ? l.parameters().reduce((b, p) => b + p.size, 0) : 0), 0);
    for (const line of formatFunctionalSummary(this.modelName, rows, this.countParams(), trainable)) printFn(line);
  }
}
