// More of torch.nn.functional's activations, composed from differentiable ops: logsigmoid,
// softmin, glu, celu, prelu, threshold and the shrinkage functions, as PyTorch defines them.
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { check, fmtShape } from '../util/errors';
import { where } from './binary';
import { softmax } from './softmax';

/** log(sigmoid(x)) = -softplus(-x), stable for any x. */
export const logsigmoid = (x: Tensor): Tensor => tidy(() => x.neg().softplus().neg());

/** softmax(-x) along dim. */
export const softmin = (x: Tensor, dim = -1): Tensor => tidy(() => softmax(x.neg(), dim));

/** a · sigmoid(b), where a and b are the two halves of x along dim (its size must be even). */
export function glu(x: Tensor, dim = -1): Tensor {
  const d = dim < 0 ? dim + x.ndim : dim, n = x.shape[d];
  check(n % 2 === 0, 'glu', () => `the size of dim ${dim} must be even, got shape ${fmtShape(x.shape)}`);
  return tidy(() => x.narrow(d, 0, n / 2).mul(x.narrow(d, n / 2, n / 2).sigmoid()));
}

/** x - tanh(x). */
export const tanhshrink = (x: Tensor): Tensor => tidy(() => x.sub(x.tanh()));

/** x - lambd above lambd, x + lambd below -lambd, 0 between. */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  check(lambd >= 0, 'softshrink', () => `lambd must be non-negative, got ${lambd}`);
  return tidy(() => where(x.gt(lambd), x.sub(lambd), where(x.lt(-lambd), x.add(lambd), 0)));
}

/** x where |x| > lambd, else 0. */
export const hardshrink = (x: Tensor, lambd = 0.5): Tensor => tidy(() => where(x.abs().gt(lambd), x, 0));

/** max(0, x) + min(0, alpha (e^(x / alpha) - 1)). */
export function celu(x: Tensor, alpha = 1): Tensor {
  check(alpha !== 0, 'celu', () => 'alpha must not be 0');
  return tidy(() => x.div(alpha).elu().mul(alpha));
}

/** x where x > threshold, else value. */
export const threshold = (x: Tensor, thresholdValue: number, value: number): Tensor => tidy(() => where(x.gt(thresholdValue), x, value));

/** x where x >= 0, else weight · x; weight has 1 element or one per channel (dim 1 of x). */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  const C = x.ndim >= 2 ? x.shape[1] : 1;
  check(weight?._isTensor && weight.ndim <= 1 && (weight.size === 1 || weight.size === C), 'prelu', () =>
    `weight must have 1 element or one per channel (${C} for input ${fmtShape(x.shape)}), got ${weight?._isTensor ? fmtShape(weight.shape) : typeof weight}`);
  return tidy(() => {
    const w = weight.size === 1 ? weight.reshape([]) : weight.reshape([C, ...x.shape.slice(2).map(() => 1)]);
    return where(x.ge(0), x, w.mul(x));
  });
}
