// repeatInterleave: scalar and per-element repeats (numbers or int32 tensors), flattening without
// dim, negative dims, 0-d input, zero repeats, the counts-only form, gradients accumulating over
// repeats, and errors. PyTorch parity: test/parity case repeat_interleave.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';

const { tensor, tidy } = ag;
const ints = (v: number[]) => tensor(v, { dtype: 'int32' });

describe('repeatInterleave', () => {
  it('repeats elements (flattened without dim) or slices along dim', () => tidy(() => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(ag.repeatInterleave(x, 2).toArray()).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(x.repeatInterleave(ints([1, 2]), 0).toArray()).toEqual([[1, 2], [3, 4], [3, 4]]);
    expect(x.repeatInterleave(ints([0, 3]), -1).toArray()).toEqual([[2, 2, 2], [4, 4, 4]]);
    expect(x.repeatInterleave(tensor(2, { dtype: 'int32' }), 1).toArray()).toEqual([[1, 1, 2, 2], [3, 3, 4, 4]]);
    expect(x.repeatInterleave(ints([3]), 1).shape).toEqual([2, 6]);
    expect(x.repeatInterleave(0, 1).shape).toEqual([2, 0]);
    expect(ag.repeatInterleave(tensor(7), 3).toArray()).toEqual([7, 7, 7]);
    expect(ag.repeatInterleave(tensor(7), 2, 0).toArray()).toEqual([7, 7]);
    expect(ag.repeatInterleave(ints([5, 6]), 2).toArray()).toEqual([5, 5, 6, 6]);
    expect(ag.repeatInterleave(ag.zeros([0]), 2).shape).toEqual([0]);
  }));

  it('repeatInterleave(counts) gives the indices repeated by counts', () => tidy(() => {
    const r = ag.repeatInterleave(ints([2, 0, 1]));
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([0, 0, 2]);
  }));

  it('the gradient sums over the copies', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    tidy(() => x.repeatInterleave(ints([2, 0, 3])).mul(tensor([1, 10, 100, 1000, 10000])).sum().backward());
    expect(Array.from(x.grad!.data())).toEqual([11, 0, 11100]);
    x.grad!.dispose(); x.dispose();
  });

  it('rejects bad repeats and dims, naming the op', () => tidy(() => {
    const x = ag.zeros([2, 3]);
    expect(() => x.repeatInterleave(-1)).toThrow('asgrad.repeatInterleave: repeats must be a non-negative integer or an int32 tensor of 1 or 6 entries, got -1');
    expect(() => x.repeatInterleave(1.5, 0)).toThrow('of 1 or 2 entries, got 1.5');
    expect(() => x.repeatInterleave(ints([1, 2]), 1)).toThrow('an int32 tensor of 1 or 3 entries, got int32 of shape [2]');
    expect(() => x.repeatInterleave(tensor([1, 2]), 0)).toThrow('got float32 of shape [2]');
    expect(() => x.repeatInterleave(ints([1, -1]), 0)).toThrow('asgrad.repeatInterleave: repeats must be');
    expect(() => x.repeatInterleave(2, 2)).toThrow('asgrad.repeatInterleave: dim 2 is out of range for a tensor of rank 2');
    expect(() => ag.repeatInterleave(undefined as never, 2)).toThrow('asgrad.repeatInterleave: expected a tensor, got undefined');
    expect(() => x.repeatInterleave('2' as never)).toThrow('asgrad.repeatInterleave: expected a tensor, got string');
  }));
});
