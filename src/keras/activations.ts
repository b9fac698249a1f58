// Activation functions by their TensorFlow.js names, for `layers.dense({ activation })` and
// `layers.activation({ activation })`.
import type { Tensor } from '../tensor';
import { check } from '../util/errors';

export type ActivationName = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'softmax' | 'elu' | 'softplus' | 'gelu' | 'selu' | 'swish' | 'logSoftmax';

const SELU_ALPHA = 1.6732632423543772, SELU_SCALE = 1.0507009873554805;

const table: Record<ActivationName, ((x: Tensor) => Tensor) | null> = {
  linear: null,
  relu: (x) => x.relu(),
  relu6: (x) => x.clamp(0, 6),
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => x.tanh(),
  softmax: (x) => x.softmax(-1),
  logSoftmax: (x) => x.logSoftmax(-1),
  elu: (x) => x.elu(1),
  softplus: (x) => x.softplus(),
  gelu: (x) => x.gelu(),
  selu: (x) => { const e = x.elu(SELU_ALPHA); const r = e.mul(SELU_SCALE); e.dispose(); return r; },
  swish: (x) => { const s = x.sigmoid(); const r = x.mul(s); s.dispose(); return r; },
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
