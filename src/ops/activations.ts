// Activations composed from the elementwise ops (so they differentiate through them, to any
// order): SiLU / swish, ReLU6 and hardtanh, SELU, Mish, hardswish, hardsigmoid, softsign, as
// PyTorch defines them (torch.nn.functional.*), plus TensorFlow.js's hardSigmoid (slope 0.2).
import { Tensor } from '../tensor';
import { check } from '../util/errors';
import { add, clamp, div, mul } from './binary';
import { abs, elu, sigmoid, softplus, tanh } from './unary';

/** g(t), disposing t (an intermediate). */
function then(t: Tensor, g: (t: Tensor) => Tensor): Tensor {
  const r = g(t);
  t.dispose();
  return r;
}

/** x · sigmoid(x) (torch's silu, Keras' swish). */
export function silu(x: Tensor): Tensor {
  return then(sigmoid(x), (s) => mul(x, s));
}

/** min(max(x, minVal), maxVal). */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  check(minVal <= maxVal, 'hardtanh', () => `minVal ${minVal} is greater than maxVal ${maxVal}`);
  return clamp(x, minVal, maxVal);
}

/** min(max(x, 0), 6). */
export const relu6 = (x: Tensor): Tensor => clamp(x, 0, 6);

const SELU_ALPHA = 1.6732632423543772, SELU_SCALE = 1.0507009873554805;

/** scale · elu(x, alpha) with SELU's self-normalizing constants. */
export function selu(x: Tensor): Tensor {
  return then(elu(x, SELU_ALPHA), (e) => mul(e, SELU_SCALE));
}

/** x · tanh(softplus(x)). */
export function mish(x: Tensor): Tensor {
  return then(softplus(x), (s) => then(tanh(s), (t) => mul(x, t)));
}

/** relu6(x + 3) / 6 (torch's hardsigmoid). */
export function hardsigmoid(x: Tensor): Tensor {
  return then(add(x, 3), (s) => then(relu6(s), (r) => div(r, 6)));
}

/** x · relu6(x + 3) / 6. */
export function hardswish(x: Tensor): Tensor {
  return then(hardsigmoid(x), (h) => mul(x, h));
}

/** x / (1 + |x|). */
export function softsign(x: Tensor): Tensor {
  return then(abs(x), (a) => then(add(a, 1), (d) => div(x, d)));
}

/** TensorFlow.js's hardSigmoid: clip(0.2 x + 0.5, 0, 1) (not torch's hardsigmoid). */
export function hardSigmoidTf(x: Tensor): Tensor {
  return then(mul(x, 0.2), (s) => then(add(s, 0.5), (t) => clamp(t, 0, 1)));
}
