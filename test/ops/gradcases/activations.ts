// Gradient-check cases for the activations composed from elementwise ops (src/ops/activations.ts)
// and for F.layerNorm, filed under an op each one runs; inputs avoid the kinks of the clamping ones.
import * as F from '../../../src/nn/functional';
import { hardSigmoidTf } from '../../../src/ops/activations';
import type { GradCases, Gen } from '../../helpers/gradcheck';

const any = (g: Gen) => g.u([3, 5], -4, 4);
/** Away from the kinks at -3, 0, 3 and 6 (hardswish, relu6, hardtanh's ±1, hardSigmoid's ±2.5). */
const smooth = (g: Gen) => g.u([3, 5], -0.9, 0.9);

export const gradCases: GradCases = {
  mul: [
    { label: 'silu', inputs: (g) => [any(g)], fn: F.silu },
    { label: 'mish', inputs: (g) => [any(g)], fn: F.mish },
    { label: 'hardswish', inputs: (g) => [smooth(g)], fn: F.hardswish },
  ],
  div: [
    { label: 'softsign', inputs: (g) => [g.away([3, 5], 0.2, 3)], fn: F.softsign },
    { label: 'hardsigmoid', inputs: (g) => [smooth(g)], fn: F.hardsigmoid },
  ],
  elu: [{ label: 'selu', inputs: (g) => [g.away([3, 5], 0.2, 3)], fn: F.selu }],
  clamp: [
    { label: 'hardtanh(-0.5, 0.5) inside and outside the band', inputs: (g) => [g.away([3, 5], 0.6, 2)], fn: (x) => F.hardtanh(x.mul(0.5), -0.5, 0.5).mul(x) },
    { label: 'relu6 and Keras hardSigmoid', inputs: (g) => [smooth(g)], fn: (x) => F.relu6(x.mul(4).add(1)).add(hardSigmoidTf(x)) },
  ],
  // layerNorm: mean, sub, square, rsqrt, mul, add
  rsqrt: [
    { label: 'layerNorm over the last dim with weight and bias', inputs: (g) => [g.u([3, 5], -2, 2), g.u([5], 0.5, 1.5), g.u([5], -1, 1)], fn: (x, w, b) => F.layerNorm(x, [5], w, b) },
    { label: 'layerNorm over the last two dims of a transposed view', inputs: (g) => [g.u([2, 4, 3], -2, 2)], fn: (x) => F.layerNorm(x.transpose(1, 2), [3, 4]).mul(x.transpose(1, 2)) },
  ],
};
