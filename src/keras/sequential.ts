// The Keras-style Sequential model: a stack of layers with compile / fit / evaluate / predict /
// summary / save, as TensorFlow.js-layers spells them. Training itself lives in training.ts.
import { Module } from '../nn/module';
import { getOptimizer } from '../optim';
import type { Optimizer } from '../optim/optimizer';
import { copyInto } from '../backend/kernels';
import { noGrad } from '../autograd';
import { tidy } from '../memory';
import type { Tensor } from '../tensor';
import { check } from '../util/errors';
import type { Callback, CallbackModel, History } from './callbacks';
import type { Layer, Shape } from './layers/layer';
import { resolveLoss, type LossFn } from './losses';
import { resolveMetric, type MetricFn } from './metrics';
import { evaluateLoop, fitLoop, predictLoop, type FitArgs } from './training';
import { formatSummary } from './summary';
import { saveModel } from './save';

export interface CompileArgs {
  optimizer: string | Optimizer;
  loss: string | LossFn;
  metrics?: (string | MetricFn)[];
}

export interface Compiled {
  optimizer: Optimizer;
  lossName: string;
  loss: LossFn;
  metrics: [string, MetricFn][];
  /** What compile was given, for save(). */
  config: { optimizer: string | null; loss: string | null; metrics: string[] };
}

export class Sequential extends Module implements CallbackModel {
  readonly layers: Layer[] = [];
  readonly modelName: string;
  stopTraining = false;
  compiled: Compiled | null = null;

  constructor(args: { layers?: Layer[]; name?: string } = {}) {
    super();
    this.modelName = args.name ?? 'sequential';
    for (const l of args.layers ?? []) this.add(l);
  }

  /** Appends a layer; builds it at once when the input shape is known. */
  add(layer: Layer): void {
    check(layer && typeof layer.forward === 'function' && 'className' in layer, 'Sequential.add', () => `expected a layer, got ${typeof layer}`);
    check(this.layers.length > 0 || layer.inputShape !== null, 'Sequential.add', () =>
      `the first layer needs an inputShape (e.g. layers.dense({ units: 10, inputShape: [784] }))`);
    this.layers.push(layer);
    this.registerModule(layer.layerName, layer);
    if (this.layers[0].built || this.layers.length === 1) this.build();
  }

  /** Builds every layer from the first layer's inputShape. */
  build(): void {
    let shape: Shape = this.layers[0].inputShape!;
    for (const l of this.layers) {
      if (!l.built) l.build(shape);
      shape = l.computeOutputShape(shape);
    }
  }

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
    let h = x;
    for (const l of this.layers) {
      const next = l.forward(h);
      if (h !== x) h.dispose();
      h = next;
    }
    return h;
  }

  compile(args: CompileArgs): void {
    check(args && args.optimizer !== undefined && args.loss !== undefined, 'compile', () => 'expected { optimizer, loss, metrics? }');
    const [lossName, loss] = resolveLoss(args.loss);
    const metrics = (args.metrics ?? []).map((m) => resolveMetric(m, lossName));
    this.build();
    const optimizer = getOptimizer(args.optimizer, this.parameters());
    this.compiled = {
      optimizer, lossName, loss, metrics,
      config: {
        optimizer: typeof args.optimizer === 'string' ? args.optimizer : null,
        loss: typeof args.loss === 'string' ? args.loss : null,
        metrics: (args.metrics ?? []).filter((m): m is string => typeof m === 'string'),
      },
    };
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

  getWeightsCopy(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    noGrad(() => { for (const [k, t] of Object.entries(this.stateDict())) out.set(k, t.clone()); });
    for (const t of out.values()) t._kept = true;
    return out;
  }

  setWeightsFrom(w: Map<string, Tensor>): void {
    const sd = this.stateDict();
    tidy(() => { for (const [k, t] of w) if (sd[k]) copyInto(sd[k], t); });
  }

  /** The weight tensors in layer order (the live tensors, as TensorFlow.js returns them). */
  getWeights(): Tensor[] {
    return Object.values(this.stateDict());
  }

  /** Overwrites the weights in getWeights() order with values of the same shapes. */
  setWeights(ws: Tensor[]): void {
    const cur = this.getWeights();
    check(ws.length === cur.length, 'setWeights', () => `expected ${cur.length} tensors, got ${ws.length}`);
    cur.forEach((t, i) => {
      check(t.shape.join() === ws[i].shape.join(), 'setWeights', () => `weight ${i} has shape [${t.shape.join(', ')}], got [${ws[i].shape.join(', ')}]`);
      copyInto(t, ws[i]);
    });
  }

  /** Writes model.json + weights.safetensors into a directory (Node). */
  async save(path: string): Promise<{ modelJson: string; weights: string }> {
    return saveModel(this, path);
  }

  toJSON(): { className: string; config: { name: string; layers: { className: string; config: Record<string, unknown> }[] } } {
    return { className: 'Sequential', config: { name: this.modelName, layers: this.layers.map((l) => ({ className: l.className, config: l.getConfig() })) } };
  }
}

/** sequential({ layers }) as in TensorFlow.js. */
export const sequential = (args: { layers?: Layer[]; name?: string } = {}): Sequential => new Sequential(args);
