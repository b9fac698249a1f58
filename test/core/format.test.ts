// toString in PyTorch's format.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';

describe('toString', () => {
  it('matches PyTorch for known cases', () => ag.tidy(() => {
    expect(ag.tensor([[1.5, -2.25], [3, 4]]).toString()).toBe('tensor([[ 1.5000, -2.2500],\n        [ 3.0000,  4.0000]])');
    expect(ag.tensor([1, 2, 3]).toString()).toBe('tensor([1., 2., 3.])');
    expect(ag.tensor(2).toString()).toBe('tensor(2.)');
    expect(ag.tensor([1, -20, 3], { dtype: 'int32' }).toString()).toBe('tensor([  1, -20,   3], dtype=int32)');
    expect(ag.tensor([true, false]).toString()).toBe('tensor([ True, False])');
    expect(ag.tensor([1, 2], { requiresGrad: true }).toString()).toBe('tensor([1., 2.], requires_grad=True)');
    expect(ag.tensor([1e-5, 1]).toString()).toBe('tensor([1.0000e-05, 1.0000e+00])');
    expect(ag.zeros([2, 0]).toString()).toBe('tensor([], size=(2, 0))');
    expect(ag.tensor([]).toString()).toBe('tensor([])');
    const x = ag.tensor([[1, 2]], { requiresGrad: true });
    expect(x.sum().toString()).toMatch(/^tensor\(3\., grad_fn=<\w+>\)$/);
    expect(ag.tensor([[[1, 2]], [[3, 4]]]).toString()).toBe('tensor([[[1., 2.]],\n\n        [[3., 4.]]])');
  }));

  it('summarizes big tensors as PyTorch does', () => ag.tidy(() => {
    expect(ag.arange(2000).float().toString()).toBe('tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03, 1.9990e+03])');
    const s = ag.arange(40 * 40).reshape(40, 40).toString();
    const lines = s.split('\n');
    expect(lines[0]).toBe('tensor([[   0,    1,    2,  ...,   37,   38,   39],');
    expect(lines[3]).toBe('        ...,');
    expect(lines[lines.length - 1]).toBe('        [1560, 1561, 1562,  ..., 1597, 1598, 1599]], dtype=int32)');
  }));
});

describe('toString of views and wide ranges', () => {
  it('prints views in logical order and chooses the format from printed values', () => ag.tidy(() => {
    expect(ag.tensor([[1, 2], [3, 4]]).T.toString()).toBe('tensor([[1., 3.],\n        [2., 4.]])');
    expect(ag.tensor([0.5, 123.25]).toString()).toBe('tensor([  0.5000, 123.2500])');
    expect(ag.tensor([NaN, Infinity, 1]).toString()).toBe('tensor([nan, inf, 1.])');
  }));
});
