// tril / triu, repeat, roll, outer, lerp, isnan / isfinite, any / all against hand-computed values and torch's
// semantics (diagonal offsets, batched matrices, extra leading repeat dims, zero repeats, int and
// bool inputs), their gradients through the ops they compose, and clear errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';

describe('tril and triu', () => {
  it('keep the triangles of the last two dims, with diagonal offsets, batched', () => ag.tidy(() => {
    const x = ag.arange(12).float().reshape(3, 4);
    expect(x.tril().toArray()).toEqual([[0, 0, 0, 0], [4, 5, 0, 0], [8, 9, 10, 0]]);
    expect(x.triu(1).toArray()).toEqual([[0, 1, 2, 3], [0, 0, 6, 7], [0, 0, 0, 11]]);
    expect(x.tril(-1).toArray()).toEqual([[0, 0, 0, 0], [4, 0, 0, 0], [8, 9, 0, 0]]);
    expect(x.triu(-1).toArray()).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [0, 9, 10, 11]]);
    const b = ag.ones([2, 3, 3], { dtype: 'int32' }).tril();
    expect(b.dtype).toBe('int32');
    expect(b.sum().item()).toBe(12);
    // a causal mask for attention: -inf above the diagonal
    const m = ag.full([3, 3], -Infinity).triu(1);
    expect(m.toArray()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
    const w = ag.ones([2, 2], { requiresGrad: true });
    w.tril().mul(ag.tensor([[1, 2], [3, 4]])).sum().backward();
    expect(w.grad!.toArray()).toEqual([[1, 0], [3, 4]]);
    expect(() => ag.tensor([1, 2]).tril()).toThrow(/asgrad\.tril: expected a tensor with at least 2 dims, got shape \[2\]/);
    expect(() => x.triu(0.5)).toThrow(/asgrad\.triu: diagonal must be an integer, got 0\.5/);
  }));
});

describe('repeat', () => {
  it('tiles each dim, adds leading dims, takes sizes as arguments or one list; gradients sum the copies', () => ag.tidy(() => {
    const x = ag.tensor([[1, 2], [3, 4]]);
    expect(x.repeat(2, 3).toArray()).toEqual([[1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4], [1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4]]);
    expect(ag.tensor([1, 2]).repeat([2, 1, 2]).toArray()).toEqual([[[1, 2, 1, 2]], [[1, 2, 1, 2]]]);
    expect(x.repeat(0, 1).shape).toEqual([0, 2]);
    expect(x.T.repeat(1, 2).toArray()).toEqual([[1, 3, 1, 3], [2, 4, 2, 4]]); // a strided view
    const w = ag.tensor([1, 2, 3], { requiresGrad: true });
    w.repeat(2, 2).mul(ag.arange(12).float().reshape(2, 6)).sum().backward();
    expect(w.grad!.toArray()).toEqual([0 + 3 + 6 + 9, 1 + 4 + 7 + 10, 2 + 5 + 8 + 11]);
    expect(() => x.repeat(2)).toThrow(/asgrad\.repeat: sizes must list a non-negative integer for each of the 2 dims/);
  }));
});

describe('roll, outer, lerp', () => {
  it('roll shifts circularly along dims (or the flattened tensor), negative and large shifts; gradients roll back', () => ag.tidy(() => {
    const x = ag.arange(6).float().reshape(2, 3);
    expect(ag.tensor([1, 2, 3, 4]).roll(1).toArray()).toEqual([4, 1, 2, 3]);
    expect(x.roll(1).toArray()).toEqual([[5, 0, 1], [2, 3, 4]]); // flattened
    expect(x.roll(-1, 1).toArray()).toEqual([[1, 2, 0], [4, 5, 3]]);
    expect(x.roll([1, 4], [0, 1]).toArray()).toEqual([[5, 3, 4], [2, 0, 1]]);
    expect(x.roll(3, 1).toArray()).toEqual(x.toArray());
    const w = ag.tensor([1, 2, 3], { requiresGrad: true });
    w.roll(1).mul(ag.tensor([10, 20, 30])).sum().backward();
    expect(w.grad!.toArray()).toEqual([20, 30, 10]);
    expect(() => x.roll([1, 2], [0])).toThrow(/asgrad\.roll: shifts and dims must have the same length/);
  }));

  it('outer of two vectors; lerp with a number or a tensor weight', () => ag.tidy(() => {
    expect(ag.outer(ag.tensor([1, 2]), ag.tensor([3, 4, 5])).toArray()).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(() => ag.outer(ag.tensor([[1]]), ag.tensor([1]))).toThrow(/asgrad\.outer: expected two 1-D tensors, got shapes \[1, 1\] and \[1\]/);
    const a = ag.tensor([0, 10]), b = ag.tensor([10, 20]);
    expect(a.lerp(b, 0.25).toArray()).toEqual([2.5, 12.5]);
    expect(ag.lerp(a, b, ag.tensor([0, 1])).toArray()).toEqual([0, 20]);
  }));
});

describe('isnan, isfinite, any, all', () => {
  it('flag NaN and infinities; reduce truth over dims into bool tensors', () => ag.tidy(() => {
    const x = ag.tensor([1, NaN, Infinity, -Infinity, 0]);
    expect(x.isnan().toArray()).toEqual([false, true, false, false, false]);
    expect(x.isfinite().toArray()).toEqual([true, false, false, false, true]);
    expect(ag.tensor([1, 2], { dtype: 'int32' }).isfinite().toArray()).toEqual([true, true]);
    const m = ag.tensor([[0, 0, 1], [2, 3, 4]]);
    expect(m.any().item()).toBe(true);
    expect(m.all().item()).toBe(false);
    expect(m.any(1).toArray()).toEqual([true, true]);
    expect(m.all(1).toArray()).toEqual([false, true]);
    expect(m.all(0, true).toArray()).toEqual([[false, false, true]]);
    expect(ag.tensor([true, false]).any().dtype).toBe('bool');
    expect(ag.zeros([0]).all().item()).toBe(true); // vacuous truth, as torch
    expect(ag.zeros([0]).any().item()).toBe(false);
  }));
});
