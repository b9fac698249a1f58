// The ops added after the PyTorch parity sweep (math_js.ts, order_stats.ts, scatterAdd,
// activations_extra.ts): their errors name the op and what it expected; values are checked
// against PyTorch in test/parity and their gradients in gradcheck.test.ts.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';

const F = ag.nn.functional;

describe('errors', () => {
  it('order statistics', () => ag.tidy(() => {
    const x = ag.randn([3, 4]);
    expect(() => x.kthvalue(5, 1)).toThrow('asgrad.kthvalue: k must be an integer from 1 to 4 (dim 1 of shape [3, 4]), got 5');
    expect(() => ag.quantile(x, 1.5)).toThrow('asgrad.quantile: q must be a number in [0, 1] or a non-empty list of them, got 1.5');
    expect(() => ag.median(ag.zeros([0]))).toThrow('asgrad.median: cannot take the median of an empty dim (shape [0])');
    expect(() => ag.median(ag.tensor([1, 2], { dtype: 'int32' }))).toThrow('asgrad.median: expected a float32 tensor, got int32 (cast with .float())');
  }));

  it('scatterAdd and the activations', () => ag.tidy(() => {
    const x = ag.zeros([3, 5]), i = ag.tensor([[0, 1]], { dtype: 'int32' });
    expect(() => x.scatterAdd(1, i, ag.ones([1, 2]))).toThrow('asgrad.scatterAdd: index and src must have one shape, equal to x [3, 5] outside dim 1; got index [1, 2] and src [1, 2]');
    expect(() => x.scatterAdd(1, ag.full([3, 2], 5, { dtype: 'int32' }), ag.ones([3, 2]))).toThrow('asgrad.scatterAdd: index out of range: values span [5, 5] for a dim of size 5');
    expect(() => F.glu(ag.zeros([2, 3]), 1)).toThrow('asgrad.glu: the size of dim 1 must be even, got shape [2, 3]');
    expect(() => F.prelu(ag.zeros([2, 3, 4]), ag.ones([2]))).toThrow('asgrad.prelu: weight must have 1 element or one per channel (3 for input [2, 3, 4]), got [2]');
    expect(() => F.softshrink(x, -1)).toThrow('asgrad.softshrink: lambd must be non-negative, got -1');
  }));
});

describe('values', () => {
  it('int inputs compute in float32; PReLU learns one slope per channel', () => ag.tidy(() => {
    expect(Array.from(ag.log2(ag.tensor([1, 8], { dtype: 'int32' })).data())).toEqual([0, 3]);
    const m = new ag.nn.PReLU(2);
    expect(String(m)).toBe('PReLU(num_parameters=2)');
    expect(m.forward(ag.tensor([[-4, 4], [2, -2]])).toArray()).toEqual([[-1, 4], [2, -0.5]]);
    m.dispose();
  }));
});
