// A dense layer's forward, act(x·W + b), for keras Dense (kernel [in, units]) and nn.Linear
// (weight [out, in], read transposed through strides). When nothing will be recorded it is two
// kernel calls and one allocation: the GEMM, then bias and activation in place (for 2-D x bitwise
// equal to the separate ops, which for >2-D x run one GEMM per leading index instead of one over
// all rows); otherwise it composes matmul, add and the activation op, the same graph as before.
import { isGradEnabled } from '../autograd';
import { L, linearK } from '../backend/kernels';
import { Tensor } from '../tensor';
import { check, fmtShape } from '../util/errors';
import { add } from './binary';
import { matmul } from './matmul';
import { transpose } from './movement';
import { softmax } from './softmax';
import { relu, sigmoid, tanh } from './unary';

/** Activations the kernel applies itself (softmax over the last dim). */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';

const ACT: Record<FusedActivation, number> = { linear: L.none, relu: L.relu, sigmoid: L.sigmoid, tanh: L.tanh, softmax: L.softmax };
const APPLY: Record<FusedActivation, ((x: Tensor) => Tensor) | null> = {
  linear: null, relu, sigmoid, tanh, softmax: (x) => softmax(x, -1),
};

export function isFusedActivation(name: unknown): name is FusedActivation {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ACT, name);
}

export interface LinearOptions {
  /** Activation applied after the bias (default 'linear': none). */
  activation?: FusedActivation;
  /** The weight is stored [out, in] (PyTorch) instead of [in, out] (Keras). */
  transposed?: boolean;
  /** Op name for errors (the caller's: 'dense_1', 'linear'). */
  op?: string;
}

/**
 * act(x · W + bias) over the last dim of x. x [..., in] float32; weight [in, out], or [out, in]
 * with `transposed`; bias [out] or null. Returns [..., out] (a 1-D x gives [out]).
 * @example
 * const h = linear(x, kernel, bias, { activation: 'relu' }); // x [B, 784], kernel [784, 128]
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null, { activation = 'linear', transposed = false, op = 'linear' }: LinearOptions = {}): Tensor {
  check(x?._isTensor && weight?._isTensor, op, () => `expected tensors for the input and the weight, got ${typeof x} and ${typeof weight}`);
  x._assertLive(op); weight._assertLive(op);
  check(weight.ndim === 2, op, () => `the weight must be 2-D, got shape ${fmtShape(weight.shape)}`);
  const K = weight.shape[transposed ? 1 : 0], N = weight.shape[transposed ? 0 : 1];
  check(x.ndim >= 1 && x.shape[x.ndim - 1] === K, op, () =>
    `expected inputs with last dim ${K}, got shape ${fmtShape(x.shape)} (weight ${fmtShape(weight.shape)})`);
  if (bias !== null) {
    check(bias?._isTensor, op, () => `the bias must be a tensor or null, got ${typeof bias}`);
    bias._assertLive(op);
    check(bias.ndim === 1 && bias.shape[0] === N, op, () => `the bias must have shape [${N}], got ${fmtShape(bias.shape)}`);
  }
  check(isFusedActivation(activation), op, () => `unknown activation '${activation}' (expected one of ${Object.keys(ACT).join(', ')})`);
  const recording = isGradEnabled() && (x.requiresGrad || weight.requiresGrad || (bias !== null && bias.requiresGrad));
  // The kernel path: float32 operands, rows of x one stride apart (x 1-D, 2-D or contiguous), a contiguous bias.
  if (!recording && x.dtype === 'float32' && weight.dtype === 'float32' && (bias === null || (bias.dtype === 'float32' && bias.isContiguous()))
    && (x.ndim <= 2 || x.isContiguous())) {
    let M = 1;
    for (let i = 0; i < x.ndim - 1; i++) M *= x.shape[i];
    const xRow = x.ndim === 2 ? x.strides[0] : K, xCol = x.ndim <= 2 ? x.strides[x.ndim - 1] : 1;
    const wRow = weight.strides[transposed ? 1 : 0], wCol = weight.strides[transposed ? 0 : 1];
    const outShape: number[] = [];
    for (let i = 0; i < x.ndim - 1; i++) outShape.push(x.shape[i]);
    outShape.push(N);
    return linearK(x, M, K, xRow, xCol, weight, N, wRow, wCol, bias, ACT[activation], outShape);
  }
  return composed(x, weight, bias, activation, transposed);
}

/** The same result through the differentiable ops (recorded when grad is on). */
function composed(x: Tensor, weight: Tensor, bias: Tensor | null, activation: FusedActivation, transposed: boolean): Tensor {
  const w = transposed ? transpose(weight, 0, 1) : weight;
  let y = matmul(x, w);
  if (w !== weight) w.dispose();
  if (bias !== null) { const z = add(y, bias); y.dispose(); y = z; }
  const act = APPLY[activation];
  if (act !== null) { const z = act(y); y.dispose(); y = z; }
  return y;
}
