// Gradient-check cases for the ops of src/ops/math_extra.ts: fmod / remainder (operands kept away
// from the jumps at integer quotients), cumprod (with exact zeros: it is multilinear, so central
// differences stay exact there), erf / erfc and atan2 (away from the origin).
import * as ag from '../../../src/index';
import type { Tensor } from '../../../src/index';
import type { GradCases, Gen, InputSpec } from '../../helpers/gradcheck';

/** [a, b] with a / b = k + f, k an integer in [-3, 3] and f in [0.25, 0.75]: no jump within eps. */
function modPair(g: Gen, n: number): InputSpec[] {
  const b = Array.from({ length: n }, () => (g.next() < 0.5 ? -1 : 1) * (1 + g.next()));
  const a = b.map((v) => v * (Math.floor(g.next() * 7) - 3 + 0.25 + 0.5 * g.next()));
  return [{ shape: [n], values: a }, { shape: [n], values: b }];
}

const withZeros = (g: Gen): InputSpec => {
  const s = g.u([4, 5], -1.5, 1.5);
  for (const i of [1, 5, 8, 12, 16, 19]) s.values[i] = 0; // rows with one, two and no zeros; a zero first and last
  return s;
};

export const gradCases: GradCases = {
  fmod: [
    { label: 'fmod of 7 mixed-sign pairs', inputs: (g) => modPair(g, 7), fn: (a: Tensor, b: Tensor) => ag.fmod(a, b) },
    { label: 'fmod broadcast [3, 1] by a scalar', inputs: (g) => [g.u([3, 1], 0.3, 0.7)], fn: (a: Tensor) => a.fmod(0.25).add(a.fmod(-1)).mul(a) },
  ],
  remainder: [
    { label: 'remainder of 7 mixed-sign pairs', inputs: (g) => modPair(g, 7), fn: (a: Tensor, b: Tensor) => ag.remainder(a, b) },
  ],
  cumprod: [
    { label: 'cumprod dim 1 of [4, 5] holding zeros', inputs: (g) => [withZeros(g)], fn: (x: Tensor) => x.cumprod(1) },
    { label: 'cumprod dim 0 of [4, 5] holding zeros', inputs: (g) => [withZeros(g)], fn: (x: Tensor) => x.cumprod(0) },
    { label: 'cumprod dim 1 of a transposed view, no zeros', inputs: (g) => [g.away([5, 3], 0.5, 1)], fn: (x: Tensor) => x.T.cumprod(1) },
  ],
  erf: [{ label: 'erf on [-3, 3]', inputs: (g) => [g.u([13], -3, 3)], fn: (x: Tensor) => x.erf() }],
  erfc: [{ label: 'erfc on [-3, 3]', inputs: (g) => [g.u([13], -3, 3)], fn: (x: Tensor) => x.erfc() }],
  atan2: [
    { label: 'atan2 of [3, 5] by [5] (broadcast), away from the origin and the branch cut', inputs: (g) => [g.away([3, 5], 0.3, 2), g.u([5], 0.3, 2)], fn: (a: Tensor, b: Tensor) => a.atan2(b) },
  ],
};
