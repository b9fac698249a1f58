// model.compile's argument resolution: loss, metrics and optimizer from TensorFlow.js names or
// objects, and the JSON form of the compile arguments that model.save writes and loadModel reads.
import { getOptimizer } from '../optim';
import { Optimizer } from '../optim/optimizer';
import { SGD } from '../optim/sgd';
import { Adam } from '../optim/adam';
import { AdamW } from '../optim/adamw';
import { Adagrad } from '../optim/adagrad';
import { RMSprop } from '../optim/rmsprop';
import type { Tensor } from '../tensor';
import { check } from '../util/errors';
import { resolveLoss, type LossFn } from './losses';
import { resolveMetric, type MetricFn } from './metrics';

export interface CompileArgs {
  /** 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad' (TensorFlow.js defaults) or an Optimizer instance. */
  optimizer: string | Optimizer;
  /** One loss, or (a model with several outputs) one per output, in the order of the outputs. */
  loss: string | LossFn | (string | LossFn)[];
  /** ['accuracy', 'mse', fn, ...]; a single name or function is accepted too (as tfjs). With
   *  several outputs each metric is computed on every output. */
  metrics?: string | MetricFn | (string | MetricFn)[];
  /** Several outputs: the weight of each output's loss in the total (default 1 each). */
  lossWeights?: number[];
}

/** The JSON form of an optimizer: its name, or an instance's class name and default hyperparameters. */
export type OptimizerConfig = string | { className: string; config: Record<string, unknown> };

export interface TrainingConfig { optimizer: OptimizerConfig; loss: string | string[] | null; metrics: string[]; lossWeights?: number[] }

/** One output of a model with several: its name (the layer's, prefixing its logs), loss, weight and metrics. */
export interface CompiledOutput { name: string; loss: LossFn; weight: number; metrics: [string, MetricFn][] }

export interface Compiled {
  optimizer: Optimizer;
  /** True when compile created the optimizer from a name (model.dispose() then frees its state). */
  ownsOptimizer: boolean;
  lossName: string;
  loss: LossFn;
  metrics: [string, MetricFn][];
  config: TrainingConfig;
  /** Models with several outputs: one entry per output (loss, lossName and metrics above are unused). */
  outputs?: CompiledOutput[];
}

const classes: Record<string, new (params: undefined, options: never) => Optimizer> = {
  SGD: SGD as never, Adam: Adam as never, AdamW: AdamW as never, Adagrad: Adagrad as never, RMSprop: RMSprop as never,
};

function optimizerConfig(o: string | Optimizer): OptimizerConfig {
  if (typeof o === 'string') return o;
  // Only the defaults are saved; per-group overrides and the moment estimates are not (as
  // TensorFlow.js without includeOptimizer).
  return { className: o.name, config: JSON.parse(JSON.stringify(o.defaults)) };
}

/** An optimizer from its saved JSON form. */
export function optimizerFromConfig(c: OptimizerConfig): string | Optimizer {
  if (typeof c === 'string') return c;
  const ctor = classes[c?.className];
  check(ctor !== undefined, 'loadModel', () => `unknown optimizer class '${c?.className}' in the training config (known: ${Object.keys(classes).join(', ')})`);
  return new ctor(undefined, c.config as never);
}

/**
 * Resolves compile's arguments for a model whose output has `outputDim` units on its last axis and
 * whose trainable weights are `params`. 'accuracy' picks binary, sparse or categorical accuracy as
 * TensorFlow.js does (binary when the output has 1 unit or the loss is binaryCrossentropy).
 */
export function resolveCompile(args: CompileArgs, params: Tensor[], outputDim: number, outputs?: { name: string; dim: number }[]): Compiled {
  check(args !== null && typeof args === 'object' && args.optimizer !== undefined && args.loss !== undefined, 'compile', () =>
    `expected { optimizer, loss, metrics? }, got ${args === null || typeof args !== 'object' ? String(args) : `keys ${Object.keys(args).join(', ') || '(none)'}`}`);
  const list = args.metrics === undefined ? [] : Array.isArray(args.metrics) ? args.metrics : [args.metrics];
  check(list.every((m) => typeof m === 'string' || typeof m === 'function'), 'compile', () =>
    `metrics must be names or functions, such as ['accuracy'], got ${JSON.stringify(args.metrics)}`);
  const several = outputs !== undefined && outputs.length > 1;
  const losses = Array.isArray(args.loss) ? args.loss : several ? outputs.map(() => args.loss as string | LossFn) : [args.loss];
  check(losses.length === (several ? outputs.length : 1), 'compile', () =>
    `expected ${several ? `one loss, or one per output (${outputs.length})` : 'one loss'}, got ${losses.length}`);
  const weights = args.lossWeights ?? losses.map(() => 1);
  check(Array.isArray(weights) && weights.length === losses.length && weights.every((w) => typeof w === 'number' && Number.isFinite(w)), 'compile', () =>
    `lossWeights must be one finite number per output (${losses.length}), got ${JSON.stringify(args.lossWeights)}`);
  const [lossName, loss] = resolveLoss(losses[0]);
  const metrics = list.map((m) => resolveMetric(m, lossName, outputDim));
  const perOutput = several ? outputs.map((o, i): CompiledOutput => {
    const [name, fn] = resolveLoss(losses[i]);
    return { name: o.name, loss: fn, weight: weights[i], metrics: list.map((m) => resolveMetric(m, name, o.dim)) };
  }) : undefined;
  const optimizer = getOptimizer(args.optimizer, params);
  const named = losses.every((l) => typeof l === 'string');
  return {
    optimizer, ownsOptimizer: typeof args.optimizer === 'string', lossName, loss, metrics, outputs: perOutput,
    config: {
      optimizer: optimizerConfig(args.optimizer),
      loss: !named ? null : Array.isArray(args.loss) ? losses as string[] : args.loss as string,
      metrics: list.filter((m): m is string => typeof m === 'string'),
      ...(args.lossWeights ? { lossWeights: weights } : {}),
    },
  };
}
