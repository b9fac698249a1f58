// Gradient-check cases for src/ops/math_js.ts (each function inside its domain, away from
// singularities), src/ops/order_stats.ts (distinct values, so the chosen elements do not change
// within eps), scatterAdd and src/ops/activations_extra.ts (away from the kinks).
import * as ag from '../../../src/index';
import type { Tensor } from '../../../src/index';
import type { GradCases } from '../../helpers/gradcheck';

const F = ag.nn.functional;
const one = (name: string, lo: number, hi: number, f: (x: Tensor) => Tensor) =>
  [{ label: `${name} on [${lo}, ${hi}]`, inputs: (g: { u(s: number[], lo: number, hi: number): { shape: number[]; values: number[] } }) => [g.u([9], lo, hi)], fn: f }];

export const gradCases: GradCases = {
  expm1: one('expm1', -2, 2, (x) => x.expm1()),
  log2: one('log2', 0.2, 3, (x) => x.log2()),
  log10: one('log10', 0.2, 3, (x) => x.log10()),
  tan: one('tan', -1.2, 1.2, (x) => x.tan()),
  atan: one('atan', -3, 3, (x) => x.atan()),
  asin: one('asin', -0.9, 0.9, (x) => x.asin()),
  acos: one('acos', -0.9, 0.9, (x) => x.acos()),
  sinh: one('sinh', -2, 2, (x) => x.sinh()),
  cosh: one('cosh', -2, 2, (x) => x.cosh()),
  asinh: one('asinh', -3, 3, (x) => x.asinh()),
  acosh: one('acosh', 1.2, 3, (x) => x.acosh()),
  atanh: one('atanh', -0.9, 0.9, (x) => x.atanh()),
  logit: one('logit', 0.1, 0.9, (x) => x.logit()),
  frac: one('frac', 0.1, 0.3, (x) => x.mul(3).add(0.05).frac()), // 3x + 0.05 stays in (0, 1): no jump
  hypot: [{ label: 'hypot of [3, 4] by [4] (broadcast), away from the origin', inputs: (g) => [g.away([3, 4], 0.3, 2), g.away([4], 0.3, 2)], fn: (a: Tensor, b: Tensor) => ag.hypot(a, b) }],
  logaddexp: [{ label: 'logaddexp of [3, 4] and [3, 4]', inputs: (g) => [g.u([3, 4], -3, 3), g.u([3, 4], -3, 3)], fn: (a: Tensor, b: Tensor) => ag.logaddexp(a, b) }],
  median: [
    { label: 'median of all elements', inputs: (g) => [g.u([3, 5], -2, 2)], fn: (x: Tensor) => x.median() },
    { label: 'median along dim 1', inputs: (g) => [g.u([3, 6], -2, 2)], fn: (x: Tensor) => x.median(1)[0] },
  ],
  kthvalue: [{ label: 'kthvalue 2 along dim 0', inputs: (g) => [g.u([5, 3], -2, 2)], fn: (x: Tensor) => x.kthvalue(2, 0)[0] }],
  quantile: [{ label: 'quantiles 0.3 and 0.8 along dim 1', inputs: (g) => [g.u([3, 6], -2, 2)], fn: (x: Tensor) => ag.quantile(x, [0.3, 0.8], 1) }],
  scatterAdd: [{
    label: 'scatterAdd along dim 1 with repeated indices',
    inputs: (g) => [g.u([3, 5]), g.u([3, 4])],
    fn: (x: Tensor, s: Tensor) => ag.tidy(() => x.scatterAdd(1, ag.tensor([[0, 0, 4, 2], [1, 3, 3, 3], [4, 2, 0, 1]], { dtype: 'int32' }), s)),
  }],
  activationsExtra: [
    { label: 'logsigmoid, softmin, glu, tanhshrink, celu', inputs: (g) => [g.u([2, 6], -3, 3)], fn: (x: Tensor) => F.logsigmoid(x).add(F.softmin(x, 1)).add(F.tanhshrink(x)).add(F.celu(x, 0.7)).sum(1).add(F.glu(x, 1).sum(1)) },
    { label: 'softshrink, hardshrink, threshold away from their kinks', inputs: (g) => [g.away([8], 0.6, 1)], fn: (x: Tensor) => F.softshrink(x, 0.4).add(F.hardshrink(x, 0.4)).add(F.threshold(x, 0.1, -2)) },
    { label: 'prelu with a per-channel weight', inputs: (g) => [g.away([2, 3, 4], 0.2, 1), g.u([3], 0.1, 0.5)], fn: (x: Tensor, w: Tensor) => F.prelu(x, w) },
  ],
};
