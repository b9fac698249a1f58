// Gradient-check cases for the composites of src/ops/linalg_extra.ts, select_extra.ts and
// einsum.ts (bmm, addmm, baddbmm, einsum, tile, repeatInterleave), filed under an op each runs.
import * as ag from '../../../src/index';
import type { Tensor } from '../../../src/index';
import type { GradCases, Gen } from '../../helpers/gradcheck';

const any = (g: Gen, s: number[]) => g.u(s, -1, 1);

export const gradCases: GradCases = {
  matmul: [
    { label: 'bmm [2, 3, 4] x [2, 4, 2]', inputs: (g) => [any(g, [2, 3, 4]), any(g, [2, 4, 2])], fn: (a: Tensor, b: Tensor) => ag.bmm(a, b) },
    { label: 'addmm with beta 0.5, alpha -2, broadcast input', inputs: (g) => [any(g, [3]), any(g, [2, 4]), any(g, [4, 3])], fn: (c: Tensor, a: Tensor, b: Tensor) => ag.addmm(c, a, b, { beta: 0.5, alpha: -2 }) },
    { label: 'baddbmm', inputs: (g) => [any(g, [2, 3, 2]), any(g, [2, 3, 4]), any(g, [2, 4, 2])], fn: (c: Tensor, a: Tensor, b: Tensor) => c.baddbmm(a, b, { alpha: 3 }) },
    { label: "einsum 'bij,jk->bki'", inputs: (g) => [any(g, [2, 3, 4]), any(g, [4, 2])], fn: (a: Tensor, b: Tensor) => ag.einsum('bij,jk->bki', a, b) },
  ],
  mul: [{ label: "einsum 'ii->i' and 'ij,ij->j'", inputs: (g) => [any(g, [3, 3]), any(g, [3, 3])], fn: (a: Tensor, b: Tensor) => ag.einsum('ii->i', a).add(ag.einsum('ij,ij->j', a, b)) }],
  expand: [{ label: 'tile [2, 3] by [2, 1, 2]', inputs: (g) => [any(g, [2, 3])], fn: (x: Tensor) => ag.tile(x, [2, 1, 2]) }],
  indexSelect: [{ label: 'repeatInterleave by an int32 tensor along dim 1', inputs: (g) => [any(g, [2, 3])], fn: (x: Tensor) => x.repeatInterleave(ag.tensor([2, 0, 3], { dtype: 'int32' }), 1) }],
};
