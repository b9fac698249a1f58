// Gradient-check cases for the multi-output split op (src/ops/split.ts; also chunk and unbind):
// sections of different sizes (one empty), outputs whose gradient is unused, a strided input,
// outputs combined with each other, and the recorded backward (a cat) through createGraph.
import * as ag from '../../../src/index';
import type { Tensor } from '../../../src/index';
import type { GradCases, Gen } from '../../helpers/gradcheck';
import { gradSquared } from '../../helpers/second_order';

const any = (g: Gen, s: number[]) => g.u(s, -2, 2);
const flat = (ts: Tensor[]) => ag.cat(ts.map((t) => t.reshape(-1)), 0);

export const gradCases: GradCases = {
  split: [
    { label: 'split + chunk', inputs: (g) => [any(g, [7, 2])], fn: (x) => { const [a, b] = x.split([3, 4]); const [c, d] = b.chunk(2); return a.sum(0).mul(c.sum(0)).add(d.square().sum(0)); } },
    { label: 'split sizes [2, 0, 3] along dim 1, every output in the loss', inputs: (g) => [any(g, [3, 5, 2])], fn: (x) => flat(x.split([2, 0, 3], 1).map((t) => t.exp())) },
    { label: 'split size 2 along dim -1, only the middle output used', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.split(2, -1)[1].square() },
    { label: 'chunk 3 of a transposed view, first and last used', inputs: (g) => [any(g, [5, 3])], fn: (x) => { const p = x.T.chunk(3, 1); return p[0].mul(p[2]); } },
    { label: 'unbind dim 1, outputs multiplied together', inputs: (g) => [any(g, [4, 3])], fn: (x) => { const [a, b, c] = x.unbind(1); return a.mul(b).add(c.exp()); } },
    { label: 'unbind dim 0, one output unused', inputs: (g) => [any(g, [3, 2, 2])], fn: (x) => { const [a, , c] = x.unbind(0); return a.matmul(c); } },
    {
      // The split's backward is recorded (a cat and zeros for the unused section) under createGraph.
      label: 'split backward with createGraph (second order)',
      inputs: (g) => [any(g, [2, 3])],
      fn: (v) => gradSquared([2, 7], (x) => {
        const [a, , c] = x.split([3, 1, 3], 1);
        return a.mul(v).add(c.mul(v.square())).sum();
      }),
    },
    {
      label: 'unbind backward with createGraph (second order)',
      inputs: (g) => [any(g, [3])],
      fn: (v) => gradSquared([3, 3], (x) => {
        const [a, b] = x.unbind(1);
        return a.mul(v).add(b.mul(v.exp())).sum();
      }),
    },
  ],
};
