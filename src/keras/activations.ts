// Activation functions by their TensorFlow.js names, for `layers.dense({ activation })` and
// `layers.activation({ activation })`.
import type { Tensor } from '../tensor';
import { check } from '../util/errors';
import { hardSigmoidTf, mish, relu6, selu, silu, softsign } from '../ops/activations';

export type ActivationName = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'softmax' | 'elu' | 'softplus' | 'gelu' | 'selu'
  | 'swish' | 'mish' | 'softsign' | 'hardSigmoid' | 'logSoftmax';

const table: Record<ActivationName, ((x: Tensor) => Tensor) | null> = {
  linear: null,
  relu: (x) => x.relu(),
  relu6,
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => x.tanh(),
  softmax: (x) => x.softmax(-1),
  logSoftmax: (x) => x.logSoftmax(-1),
  elu: (x) => x.elu(1),
  softplus: (x) => x.softplus(),
  gelu: (x) => x.gelu(),
  selu,
  swish: silu,
  mish,
  softsign,
  hardSigmoid: hardSigmoidTf,
};

export function isActivation(name: unknown): name is ActivationName {
  return typeof name === 'string' && name in table;
}

/** The activation function for a name; null for 'linear' (identity). */
export function getActivation(name: string | undefined | null): ((x: Tensor) => Tensor) | null {
  if (name === undefined || name === null) return null;
  check(isActivation(name), 'activation', () => `unknown activation '${name}' (expected one of ${Object.keys(table).join(', ')})`);
  return table[name];
}
