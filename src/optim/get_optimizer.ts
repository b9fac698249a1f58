// Keras-style optimizer names for the layers API ('sgd', 'adam', ...), with TensorFlow.js's
// default hyperparameters, mapped onto this package's PyTorch-math optimizers.
import type { Tensor } from '../tensor';
import { check } from '../util/errors';
import { Optimizer, type ParamsInput } from './optimizer';
import { SGD } from './sgd';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { Adagrad } from './adagrad';
import { RMSprop } from './rmsprop';

export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

const makers: Record<OptimizerName, (params?: Iterable<Tensor>) => Optimizer> = {
  // tf.train.sgd(0.01)
  sgd: (p) => new SGD(p, { lr: 0.01 }),
  // tf.train.adam(): learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7
  adam: (p) => new Adam(p, { lr: 0.001, betas: [0.9, 0.999], eps: 1e-7 }),
  // not in tfjs; Keras's AdamW defaults: learning_rate 0.001, weight_decay 0.004, epsilon 1e-7
  adamw: (p) => new AdamW(p, { lr: 0.001, betas: [0.9, 0.999], eps: 1e-7, weightDecay: 0.004 }),
  // tf.train.rmsprop(0.001): decay (rho) 0.9, momentum 0, epsilon 1e-7, centered false
  rmsprop: (p) => new RMSprop(p, { lr: 0.001, alpha: 0.9, eps: 1e-7 }),
  // tf.train.adagrad(0.01): initialAccumulatorValue 0.1, epsilon 1e-7
  adagrad: (p) => new Adagrad(p, { lr: 0.01, initialAccumulatorValue: 0.1, eps: 1e-7 }),
};

/**
 * An optimizer from a Keras/TensorFlow.js name (case-insensitive) or an Optimizer instance.
 * Names get TensorFlow.js's default hyperparameters (see the table above; 'adamw', absent from
 * tfjs, gets Keras's). The update math is PyTorch's: tfjs puts eps inside the square root for
 * RMSprop and Adagrad, here it is added after it, which only matters when gradients are ~eps.
 * `params` may be omitted and added later with `setParams` (a model knows its weights after build);
 * an instance with no parameters yet receives `params` when given.
 */
export function getOptimizer(nameOrOptimizer: string | Optimizer, params?: ParamsInput<never> | Iterable<Tensor>): Optimizer {
  if (nameOrOptimizer instanceof Optimizer) {
    if (params !== undefined && nameOrOptimizer.paramGroups.length === 0) nameOrOptimizer.setParams(params as Iterable<Tensor>);
    return nameOrOptimizer;
  }
  const key = typeof nameOrOptimizer === 'string' ? nameOrOptimizer.toLowerCase() : '';
  check(key in makers, 'optim.getOptimizer', () => `unknown optimizer ${JSON.stringify(nameOrOptimizer)}; expected one of ${Object.keys(makers).map((k) => `'${k}'`).join(', ')} or an Optimizer instance`);
  return makers[key as OptimizerName](params as Iterable<Tensor> | undefined);
}
