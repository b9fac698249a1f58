// Gradient-check cases for cumsum (a registered op) and for sort / topk values (a gather of x by
// the sorted positions): inputs spread apart so a finite-difference step never reorders them.
import * as ag from '../../../src/index';
import type { Tensor } from '../../../src/index';
import type { GradCases, Gen } from '../../helpers/gradcheck';
import { gradSquared } from '../../helpers/second_order';

const any = (g: Gen, s: number[]) => g.u(s, -2, 2);
/** Distinct values 0.1 apart, shuffled: the check's steps never reorder them. */
const spread = (g: Gen, s: number[]) => g.distinct(s, 0.1);

export const gradCases: GradCases = {
  cumsum: [
    { label: 'cumsum dim 1 of [3, 7], weighted', inputs: (g) => [any(g, [3, 7])], fn: (x: Tensor) => x.cumsum(1).mul(ag.arange(7).float()) },
    { label: 'cumsum dim 0 of a transposed view', inputs: (g) => [any(g, [5, 3])], fn: (x: Tensor) => x.T.cumsum(0).square() },
    {
      label: 'cumsum backward with createGraph (second order)',
      inputs: (g) => [any(g, [4])],
      fn: (v: Tensor) => gradSquared([2, 4], (x) => x.cumsum(1).mul(v).square().sum()),
    },
  ],
  gather: [
    { label: 'sort values (descending) of [4, 5] along dim 1', inputs: (g) => [spread(g, [4, 5])], fn: (x: Tensor) => x.sort(1, true)[0].mul(ag.arange(5).float()) },
    { label: 'topk 2 values along dim 0 of [5, 3]', inputs: (g) => [spread(g, [5, 3])], fn: (x: Tensor) => x.topk(2, 0)[0].exp() },
  ],
};
