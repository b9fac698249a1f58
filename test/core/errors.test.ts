// Bad input gets an error naming the op, what it received and what it expected; never a wasm trap.
import { describe, expect, it, vi } from 'vitest';
import * as ag from '../../src/index';

const i32 = (d: ag.NestedArray) => ag.tensor(d, { dtype: 'int32' });

describe('errors', () => {
  it('non-broadcastable shapes name both shapes', () => ag.tidy(() => {
    expect(() => ag.ones([2, 3]).add(ag.ones([4]))).toThrow(/asgrad\.add: shapes \[2, 3\] and \[4\] cannot be broadcast/);
    expect(() => ag.ones([2, 3]).lt(ag.ones([3, 2]))).toThrow(/asgrad\.lt: shapes \[2, 3\] and \[3, 2\]/);
    expect(() => ag.where(ag.ones([5]).gt(0), ag.ones([2, 3]), 0)).toThrow(/asgrad\.where: shapes/);
    expect(() => ag.ones([2, 3]).expand(4, 3)).toThrow(/asgrad\.expand: cannot expand shape \[2, 3\] to \[4, 3\]/);
  }));

  it('matmul: inner-dim mismatch and dtypes', () => ag.tidy(() => {
    expect(() => ag.ones([2, 3]).matmul(ag.ones([4, 5]))).toThrow(/asgrad\.matmul: shapes \[2, 3\] and \[4, 5\] cannot be multiplied \(3 != 4\)/);
    expect(() => ag.ones([2, 3, 4]).matmul(ag.ones([3, 4, 5]))).toThrow(/asgrad\.matmul: shapes \[2\] and \[3\] cannot be broadcast/);
    expect(() => i32([[1]]).matmul(i32([[1]]))).toThrow(/asgrad\.matmul: expected float32 operands, got int32 and int32/);
    expect(() => ag.tensor(1).matmul(ag.ones([1]))).toThrow(/asgrad\.matmul: both operands need at least 1 dim/);
  }));

  it('matmul shapes', () => ag.tidy(() => {
    const s = (a: number[], b: number[]) => ag.ones(a).matmul(ag.ones(b)).shape;
    expect(s([3], [3])).toEqual([]);
    expect(s([2, 3], [3])).toEqual([2]);
    expect(s([3], [3, 4])).toEqual([4]);
    expect(s([5, 1, 2, 3], [4, 3, 6])).toEqual([5, 4, 2, 6]);
    expect(s([2, 3], [3, 0])).toEqual([2, 0]);
    expect(ag.ones([2, 0]).matmul(ag.ones([0, 3])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  }));

  it('wrong dtypes', () => ag.tidy(() => {
    expect(() => i32([1, 2]).mean()).toThrow(/asgrad\.mean: .*int32/);
    expect(() => i32([1, 2]).softmax()).toThrow(/asgrad\.softmax: expected float32, got int32/);
    expect(() => ag.ones([2]).indexSelect(0, ag.tensor([0, 1]))).toThrow(/asgrad\.indexSelect: index must be int32, got float32/);
    expect(() => ag.tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(/only float32 tensors can require gradients/);
    expect(() => ag.tensor([1], { dtype: 'float64' as never })).toThrow(/asgrad\.tensor: unknown dtype 'float64'/);
  }));

  it('out-of-range dims', () => ag.tidy(() => {
    const x = ag.ones([2, 3]);
    expect(() => x.sum(2)).toThrow(/asgrad\.sum: dim 2 is out of range for a tensor of rank 2/);
    expect(() => x.softmax(-3)).toThrow(/asgrad\.softmax: dim -3 is out of range/);
    expect(() => x.transpose(0, 5)).toThrow(/asgrad\.transpose: dim 5/);
    expect(() => x.permute(0, 0)).toThrow(/asgrad\.permute: dims \[0, 0\] repeat a dim/);
    expect(() => x.argmax(3)).toThrow(/asgrad\.argmax: dim 3/);
    expect(() => x.reshape(4, 2)).toThrow(/asgrad\.reshape: shape \[4, 2\] is invalid for input of size 6/);
    expect(() => x.T.view(6)).toThrow(/asgrad\.view: view needs a contiguous tensor/);
    expect(() => ag.cat([x, ag.ones([3, 3])], 1)).toThrow(/asgrad\.cat: sizes must match except in dim 1/);
  }));

  it('ragged arrays, bad sizes', () => {
    expect(() => ag.tensor([[1, 2], [3]])).toThrow(/asgrad\.tensor: ragged nested array: expected length 2 at \[1\]/);
    expect(() => ag.tensor([[1, 2], 3] as never)).toThrow(/asgrad\.tensor: ragged nested array/);
    expect(() => ag.tensor([1, 'a'] as never)).toThrow(/asgrad\.tensor: expected numbers or booleans, got string/);
    expect(() => ag.zeros([2, -1])).toThrow(/asgrad\.zeros: sizes must be non-negative integers, got \[2, -1\]/);
    expect(() => ag.ones([NaN])).toThrow(/asgrad\.ones: sizes must be non-negative integers/);
    expect(() => ag.full([Infinity], 1)).toThrow(/asgrad\.full: sizes must be non-negative integers/);
    expect(() => ag.zeros([2.5])).toThrow(/asgrad\.zeros: sizes/);
    expect(() => ag.arange(0, Infinity)).toThrow(/asgrad\.arange: start, end and step must be finite/);
    expect(() => ag.linspace(0, 1, -1)).toThrow(/asgrad\.linspace: steps must be a non-negative integer/);
    expect(() => ag.randint(3, 3, [2])).toThrow(/asgrad\.randint: expected integers low < high/);
    expect(() => ag.tensor([1, 2, 3], { shape: [2, 2] })).toThrow(/asgrad\.tensor: 3 values cannot fill shape \[2, 2\]/);
    expect(() => ag.tensor([NaN], { dtype: 'int32' })).toThrow(/asgrad\.tensor: dtype int32 needs finite values/);
  });

  it('index out of range', () => ag.tidy(() => {
    const x = ag.ones([3, 4]);
    expect(() => x.indexSelect(0, i32([0, 3]))).toThrow(/asgrad\.indexSelect: index out of range: values span \[0, 3\] for a dim of size 3/);
    expect(() => x.indexSelect(1, i32([-5]))).toThrow(/asgrad\.indexSelect: index out of range/);
    expect(() => x.gather(1, i32([[0], [4], [1]]))).toThrow(/asgrad\.gather: index out of range/);
    expect(() => x.gather(1, i32([[0, 1]]))).toThrow(/asgrad\.gather: index must have the shape of x \[3, 4\] except in dim 1/);
    expect(() => ag.oneHot(i32([0, 5]), 5)).toThrow(/asgrad\.oneHot: labels span \[0, 5\]/);
    expect(() => x.narrow(0, 2, 2)).toThrow(/asgrad\.narrow: start 2 \+ length 2 is out of range/);
    expect(() => x.item()).toThrow(/asgrad\.item: a tensor with 12 elements/);
    expect(() => x.max(0).argmax(null).item()).not.toThrow();
    expect(() => ag.zeros([0]).max()).toThrow(/asgrad\.max: cannot reduce an empty dim/);
  }));

  it('an op before ready() asks to await ready()', async () => {
    vi.resetModules();
    const fresh = await import('../../src/index');
    expect(fresh.isReady()).toBe(false);
    expect(() => fresh.tensor([1, 2])).toThrow(/`await ready\(\)` before creating tensors or running ops/);
    expect(() => fresh.zeros([2])).toThrow(/await ready\(\)/);
    expect(() => fresh.memory()).toThrow(/await ready\(\)/);
  });
});
