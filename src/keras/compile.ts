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
  loss: string | LossFn;
  /** ['accuracy', 'mse', fn, ...]; a single name or function is accepted too (as tfjs). */
  metrics?: string | MetricFn | (string | MetricFn)[];
}

/** The JSON form of an optimizer: its name, or an instance's class name and default hyperparameters. */
export type OptimizerConfig = string | { className: string; config: Record<string, unknown> };

export interface TrainingConfig { optimizer: OptimizerConfig; loss: string | null; metrics: string[] }

export interface Compiled {
  optimizer: Optimizer;
  /** True when compile created the optimizer from a name (model.dispose() then frees its state). */
  ownsOptimizer: boolean;
  lossName: string;
  loss: LossFn;
  metrics: [string, MetricFn][];
  config: TrainingConfig;
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
export function resolveCompile(args: CompileArgs, params: Tensor[], outputDim: number): Compiled {
  check(args !== null && typeof args === 'object' && args.optimizer !== undefined && args.loss !== undefined, 'compile', () =>
    `expected { optimizer, loss, metrics? }, got ${args === null || typeof args !== 'object' ? String(args) : `keys ${Object.keys(args).join(', ') || '(none)'}`}`);
  const list = args.metrics === undefined ? [] : Array.isArray(args.metrics) ? args.metrics : [args.metrics];
  check(list.every((m) => typeof m === 'string' || typeof m === 'function'), 'compile', () =>
    `metrics must be names or functions, such as ['accuracy'], got ${JSON.stringify(args.metrics)}`);
  const [lossName, loss] = resolveLoss(args.loss);
  const metrics = list.map((m) => resolveMetric(m, lossName, outputDim));
  const optimizer = getOptimizer(args.optimizer, params);
  return {
    optimizer, ownsOptimizer: typeof args.optimizer === 'string', lossName, loss, metrics,
    config: {
      optimizer: optimizerConfig(args.optimizer),
      loss: typeof args.loss === 'string' ? args.loss : null,
      metrics: list.filter((m): m is string => typeof m === 'string'),
    },
  };
}
