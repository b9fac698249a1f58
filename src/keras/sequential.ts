// The Keras-style Sequential model: a stack of layers with compile / fit / evaluate / predict /
// summary / save, as TensorFlow.js-layers spells them. Training itself lives in training.ts.
import { Module, type AnyModule } from '../nn/module';
import { copyInto } from '../backend/kernels';
import { tidy } from '../memory';
import type { Tensor } from '../tensor';
import { check } from '../util/errors';
import type { CallbackModel, History } from './callbacks';
import { trainableParams, uniqueName, type Layer, type Shape } from './layers/layer';
import { applyLayer, type LayerLike, type SymbolicTensor } from './symbolic';
import { resolveCompile, type CompileArgs, type Compiled } from './compile';
import { evaluateLoop, fitLoop, predictLoop, trainOnBatchLoop, type FitArgs } from './training';
import { formatSummary } from './summary';
import { saveModel } from './model_io';
import { restoreWeights, weightsCopy } from './weight_snapshot';

export type { CompileArgs, Compiled } from './compile';

export class Sequential extends Module implements CallbackModel {
  /** The layers; a model added as a layer (tfjs models are layers) stays one entry. */
  readonly layers: Layer[] = [];
  readonly className = 'Sequential';
  /** As a layer in another model: when false, that model's training leaves these weights. */
  trainable = true;
  readonly modelName: string;
  stopTraining = false;
  compiled: Compiled | null = null;

  constructor(args: { layers?: LayerLike[]; name?: string } = {}) {
    super();
    this.modelName = args.name ?? uniqueName('sequential');
    for (const l of args.layers ?? []) this.add(l);
  }

  /** Appends a layer; builds it at once when the input shape is known. */
  add(l: LayerLike): void {
    const layer = l as Layer;
    check(layer && typeof layer.forward === 'function' && 'className' in layer, 'Sequential.add', () => `expected a layer, got ${typeof layer}`);
    check(this.layers.length > 0 || layer.inputShape !== null, 'Sequential.add', () =>
      `the first layer needs an inputShape (e.g. layers.dense({ units: 10, inputShape: [784] }))`);
    check(!this.layers.some((l) => l.layerName === layer.layerName), 'Sequential.add', () => `the model already has a layer named '${layer.layerName}'`);
    this.layers.push(layer);
    this.registerModule(layer.layerName, layer);
    if (this.layers[0].built || this.layers.length === 1) this.build();
    // The optimizer does not know the new weights: the model must be compiled again.
    if (this.compiled) { this.disposeOptimizer(); this.compiled = null; }
  }

  /** A layer by name or by index, as TensorFlow.js's getLayer. */
  getLayer(nameOrIndex: string | number): Layer {
    const l = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((x) => x.layerName === nameOrIndex);
    check(l !== undefined, 'getLayer', () => `no layer ${JSON.stringify(nameOrIndex)} (layers: ${this.layers.map((x) => x.layerName).join(', ')})`);
    return l!;
  }

  /** Number of weights (trainable and not), as summary's "Total params". */
  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Builds every layer from the first layer's inputShape. */
  build(): void {
    check(this.layers.length > 0, 'Sequential', () => 'the model has no layers; add some with model.add(layer) or sequential({ layers })');
    let shape: Shape = this.layers[0].inputShape!;
    for (const l of this.layers) {
      if (!l.built) l.build(shape);
      shape = l.computeOutputShape(shape);
    }
  }

  /** The model's name (sequential, sequential_1, ...), as TensorFlow.js's `model.name`. */
  get name(): string { return this.modelName; }

  /** As a layer in another model: its name, build state, output shape, config and apply. */
  get layerName(): string { return this.modelName; }
  get built(): boolean { return this.layers.length > 0 && this.layers.every((l) => l.built); }
  computeOutputShape(s: Shape): Shape {
    check(s.length === this.inputShape.length && s.every((d, i) => d === this.inputShape[i]), this.modelName, () => `expected input shape [null, ${this.inputShape.join(', ')}], got [null, ${s.join(', ')}]`);
    return this.outputShape;
  }
  getConfig(): Record<string, unknown> { return this.toJSON().config; }
  apply(fn: (m: AnyModule) => void): this;
  apply(x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor;
  apply(x: Tensor | Tensor[]): Tensor;
  apply(x: unknown): unknown { return applyLayer(this, x, (fn) => super.apply(fn)); }

  get inputShape(): Shape { return this.layers[0]?.inputShape ?? []; }

  get outputShape(): Shape {
    let s = this.inputShape;
    for (const l of this.layers) s = l.computeOutputShape(s);
    return s;
  }

  forward(x: Tensor): Tensor {
    check(this.layers.length > 0, 'Sequential', () => 'the model has no layers');
    const want = this.inputShape;
    check(x.ndim === want.length + 1 && want.every((d, i) => d === x.shape[i + 1]), 'Sequential', () =>
      `expected input shape [null, ${want.join(', ')}], got [${x.shape.join(', ')}]`);
    // As Keras, non-float inputs (int32 pixels, bool masks) are cast to the layers' float32.
    let h = x.dtype === 'float32' ? x : x.float();
    // Keras masking: an embedding with maskZero starts a mask, which layers that support masking pass on.
    let mask: Tensor | null = null;
    const masks: Tensor[] = [];
    try {
      for (const l of this.layers) {
        const after = maskAfter(l, h, mask);
        if (after && after !== mask) masks.push(after); // a mask this layer made (an embedding's)
        const recurrent = mask && typeof (l as unknown as { callWithState?: unknown }).callWithState === 'function';
        const next = recurrent ? (l as unknown as { forward(x: Tensor, m: Tensor): Tensor }).forward(h, mask!) : l.forward(h);
        mask = after;
        // A layer may return its input itself (dropout at inference): keep it then.
        if (h !== x && next !== h) h.dispose();
        h = next;
      }
    } finally {
      for (const m of masks) m.dispose();
    }
    return h === x ? x.clone() : h;
  }

  /**
   * Sets the optimizer, loss and metrics. Only the weights of layers with `trainable` true at this
   * moment are trained (change `layer.trainable`, then compile again, as in TensorFlow.js).
   */
  compile(args: CompileArgs): void {
    this.build();
    const params = [...new Set(this.layers.flatMap(trainableParams))];
    const out = this.outputShape;
    const compiled = resolveCompile(args, params, out[out.length - 1] ?? 1);
    this.disposeOptimizer();
    this.compiled = compiled;
  }

  private disposeOptimizer(): void {
    if (this.compiled?.ownsOptimizer) this.compiled.optimizer.dispose();
  }

  /** Frees the weights, and the optimizer's state when compile created the optimizer from a name. */
  dispose(): void {
    this.disposeOptimizer();
    this.compiled = null;
    super.dispose();
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

  async fit(x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
    check(this.compiled !== null, 'fit', () => 'call model.compile({ optimizer, loss }) before fit');
    return fitLoop(this, this.compiled!, x, y, args);
  }

  /** One optimizer step on exactly this batch: the loss, or [loss, ...metrics] (TensorFlow.js's trainOnBatch). */
  async trainOnBatch(x: Tensor, y: Tensor): Promise<number | number[]> {
    check(this.compiled !== null, 'trainOnBatch', () => 'call model.compile({ optimizer, loss }) before trainOnBatch');
    const logs = trainOnBatchLoop(this, this.compiled!, x, y);
    return this.compiled!.metrics.length === 0 ? logs.loss : [logs.loss, ...this.compiled!.metrics.map(([k]) => logs[k])];
  }

  /** Loss (and metrics) over x, y: a scalar tensor, or [loss, ...metrics] with metrics. */
  evaluate(x: Tensor, y: Tensor, args: { batchSize?: number } = {}): Tensor | Tensor[] {
    check(this.compiled !== null, 'evaluate', () => 'call model.compile({ optimizer, loss }) before evaluate');
    return evaluateLoop(this, this.compiled!, x, y, args.batchSize ?? 32);
  }

  /** Outputs for x in inference mode (dropout off, moving statistics), in batches. */
  predict(x: Tensor, args: { batchSize?: number } = {}): Tensor {
    return predictLoop(this, x, args.batchSize ?? 32);
  }

  summary(lineLength?: number, positions?: number[], printFn: (line: string) => void = console.log): void {
    for (const line of formatSummary(this, lineLength, positions)) printFn(line);
  }

  getWeightsCopy(): Map<string, Tensor> { return weightsCopy(this as unknown as Module<never[], unknown>); }

  setWeightsFrom(w: Map<string, Tensor>): void { restoreWeights(this as unknown as Module<never[], unknown>, w); }

  /**
   * The live weight tensors in TensorFlow.js order: the trainable weights of every layer, then the
   * non-trainable ones (batchNormalization's moving statistics, frozen layers). Do not dispose them.
   */
  getWeights(): Tensor[] {
    const trainable = [...new Set(this.layers.flatMap(trainableParams))];
    const fixed = this.layers.flatMap((l) => [...l.parameters().filter((p) => !trainable.includes(p)), ...l.buffers()]);
    return [...trainable, ...fixed];
  }

  /** Copies values into the weights, in getWeights() order; shapes must match. */
  setWeights(ws: Tensor[]): void {
    const cur = this.getWeights();
    check(Array.isArray(ws) && ws.length === cur.length, 'setWeights', () => `expected ${cur.length} tensors, got ${Array.isArray(ws) ? ws.length : typeof ws}`);
    cur.forEach((t, i) => {
      check(ws[i]?._isTensor && t.shape.join() === ws[i].shape.join(), 'setWeights', () =>
        `weight ${i} (${t.name ?? ''}) has shape [${t.shape.join(', ')}], got ${ws[i]?._isTensor ? `[${ws[i].shape.join(', ')}]` : typeof ws[i]}`);
    });
    tidy(() => cur.forEach((t, i) => copyInto(t, ws[i].dtype === 'float32' ? ws[i] : ws[i].float())));
  }

  /** Writes model.json + weights.safetensors: a Node directory, `indexeddb://name` or `downloads://name`. */
  async save(path: string): Promise<{ modelJson: string; weights: string }> {
    return saveModel(this, path);
  }

  toJSON(): { className: string; config: { name: string; layers: { className: string; config: Record<string, unknown> }[] } } {
    return { className: 'Sequential', config: { name: this.modelName, layers: this.layers.map((l) => ({ className: l.className, config: l.getConfig() })) } };
  }
}

/** sequential({ layers }) as in TensorFlow.js. */
export const sequential = (args: { layers?: LayerLike[]; name?: string } = {}): Sequential => new Sequential(args);

/** Layers that pass a mask on unchanged (tfjs's supportsMasking); recurrent layers and embeddings compute theirs. */
const PASSES_MASK = new Set(['Dense', 'Dropout', 'Activation', 'BatchNormalization', 'LayerNormalization']);

/** The mask after layer `l` given its input and the mask it received (Keras' computeMask). */
function maskAfter(l: Layer, input: Tensor, mask: Tensor | null): Tensor | null {
  const own = (l as unknown as { computeMask?(m: Tensor | null, x?: Tensor): Tensor | null }).computeMask;
  if (own) return own.call(l, mask, input);
  check(!mask || PASSES_MASK.has(l.className), l.layerName, () =>
    `layer '${l.layerName}' (${l.className}) does not support masking; the mask comes from an embedding with maskZero (layers that take one: recurrent layers, ${[...PASSES_MASK].join(', ')})`);
  return mask;
}
