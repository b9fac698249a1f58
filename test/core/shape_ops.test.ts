// Reductions (dim lists, negative dims, keepdim), movement ops (views sharing storage) and
// indexing, against hand-computed values.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';

const x3 = () => ag.arange(24).float().reshape(2, 3, 4);

describe('reductions', () => {
  it('sum/mean/max/min/prod with dims, negative dims and keepdim', () => ag.tidy(() => {
    const x = x3();
    expect(x.sum().item()).toBe(276);
    expect(x.sum(-1).toArray()).toEqual([[6, 22, 38], [54, 70, 86]]);
    expect(x.sum([0, 2]).toArray()).toEqual([60, 92, 124]);
    expect(x.sum([-1, 0], true).shape).toEqual([1, 3, 1]);
    expect(x.mean(1).toArray()).toEqual([[4, 5, 6, 7], [16, 17, 18, 19]]);
    expect(x.max(1).toArray()).toEqual([[8, 9, 10, 11], [20, 21, 22, 23]]);
    expect(x.min([0, 1], true).toArray()).toEqual([[[0, 1, 2, 3]]]);
    expect(x.T.sum(0).toArray()).toEqual(x.sum(-1).T.toArray());
    expect(ag.tensor([[1, 2], [3, 4]]).prod(1).toArray()).toEqual([2, 12]);
    expect(ag.tensor([1, 2, 3, 4]).var().item()).toBeCloseTo(5 / 3, 5);
    expect(ag.tensor([1, 2, 3, 4]).std(0, { correction: 0 }).item()).toBeCloseTo(Math.sqrt(1.25), 5);
    expect(ag.tensor([[1, 2], [3, 4]]).logsumexp(1).toArray()).toEqual([Math.log(Math.E + Math.E ** 2), Math.log(Math.E ** 3 + Math.E ** 4)].map((v) => expect.closeTo(v, 5)));
    expect(ag.tensor([-Infinity, -Infinity]).logsumexp().item()).toBe(-Infinity);
    expect(ag.tensor([true, true, false]).sum().toArray()).toBe(2);
    expect(ag.tensor([1, 2], { dtype: 'int32' }).sum().dtype).toBe('int32');
    expect(ag.zeros([0, 3]).sum(0).toArray()).toEqual([0, 0, 0]);
  }));

  it('max/min of int32 stay int32 (as torch.amax/amin); other reductions keep their dtype rules', () => ag.tidy(() => {
    const t = ag.tensor([[1, 5, 3], [7, -2, 9]], { dtype: 'int32' });
    expect(t.max().dtype).toBe('int32');
    expect(t.max().item()).toBe(9);
    expect(t.min(1).toArray()).toEqual([1, -2]);
    expect(t.max(0, true).toArray()).toEqual([[7, 5, 9]]);
    expect(t.T.min(1).toArray()).toEqual([1, -2, 3]); // a strided view
    const big = ag.tensor([2 ** 31 - 1, -(2 ** 31), 0], { dtype: 'int32' });
    expect([big.max().item(), big.min().item()]).toEqual([2 ** 31 - 1, -(2 ** 31)]); // exact: no float32 rounding
    expect(t.sum().dtype).toBe('int32');
    expect(() => ag.zeros([2, 0], { dtype: 'int32' }).max(1)).toThrow(/asgrad\.max: cannot reduce an empty dim 1/);
    expect(() => ag.tensor([true, false]).max()).toThrow(/asgrad\.max: expected a float32 or int32 tensor, got bool/);
    expect(() => t.mean()).toThrow(/mean needs a float32 tensor/);
  }));

  it('argmax/argmin', () => ag.tidy(() => {
    const x = ag.tensor([[1, 5, 5], [7, 0, 7]]);
    expect(x.argmax().item()).toBe(3);
    expect(x.argmax(1).toArray()).toEqual([1, 0]);
    expect(x.argmin(0, true).toArray()).toEqual([[0, 1, 0]]);
    expect(x.T.argmax(0).toArray()).toEqual([1, 0]);
  }));
});

describe('movement', () => {
  it('views share storage; contiguous/clone copy', () => ag.tidy(() => {
    const x = x3();
    for (const v of [x.reshape(6, 4), x.permute(2, 0, 1), x.transpose(0, 1), x.slice(2, 1, 4, 2), x.flip(1), x.unsqueeze(0), x.narrow(1, 1, 2), x.squeeze(), x.expand(5, 2, 3, 4), x.T, x.detach()]) {
      expect(v._storage).toBe(x._storage);
    }
    expect(x.T.contiguous()._storage).not.toBe(x._storage);
    expect(x.contiguous()._storage).toBe(x._storage);
    expect(x.clone()._storage).not.toBe(x._storage);
    expect(x.permute(2, 0, 1).shape).toEqual([4, 2, 3]);
    expect(x.permute(2, 0, 1).toArray()).toEqual([0, 1, 2, 3].map((k) => [0, 1].map((i) => [0, 1, 2].map((j) => i * 12 + j * 4 + k))));
    expect(x.slice(2, -2).toArray()).toEqual([[[2, 3], [6, 7], [10, 11]], [[14, 15], [18, 19], [22, 23]]]);
    expect(x.slice(1, 5, 9).shape).toEqual([2, 0, 4]);
    expect(x.flip([0, 2]).reshape(-1).slice(0, 0, 4).toArray()).toEqual([15, 14, 13, 12]);
    expect(x.T.reshape(4, 6).slice(0, 0, 1).toArray()).toEqual([[0, 12, 4, 16, 8, 20]]);
    expect(x.flatten(1).shape).toEqual([2, 12]);
    expect(x.split(2, 2).map((t) => t.shape)).toEqual([[2, 3, 2], [2, 3, 2]]);
    expect(x.chunk(2, 1).map((t) => t.shape)).toEqual([[2, 2, 4], [2, 1, 4]]);
    expect(ag.stack([ag.tensor([1, 2]), ag.tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(ag.cat([ag.tensor([[1]]), ag.tensor([[2, 3]])], 1).toArray()).toEqual([[1, 2, 3]]);
    expect(ag.tensor([[1, 2], [3, 4]]).expand(2, 2, 2).sum(0).toArray()).toEqual([[2, 4], [6, 8]]);
  }));

  it("t() transposes up to 2 dims as PyTorch's does: a view, 0-D and 1-D as they are, an error above", () => ag.tidy(() => {
    const m = ag.arange(6).reshape(2, 3), v = ag.arange(3), s = ag.tensor(7);
    expect(m.t().toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    for (const [x, tx] of [[m, m.t()], [v, v.t()], [s, s.t()]]) expect(tx._storage).toBe(x._storage);
    expect(v.t().toArray()).toEqual([0, 1, 2]);
    expect(s.t().item()).toBe(7);
    expect(() => x3().t()).toThrow(/asgrad\.t: expects a tensor with at most 2 dims \(use transpose\(dim0, dim1\) or permute\), got shape \[2, 3, 4\]/);
  }));

  it('matmul on non-contiguous operands (transposed, negative strides, expanded, stepped)', () => ag.tidy(() => {
    const a = ag.tensor([[1, 2, 3], [4, 5, 6]]), b = ag.tensor([[1, 0], [0, 1], [1, 1]]);
    const ref = (A: number[][], B: number[][]) => A.map((r) => B[0].map((_, j) => r.reduce((s, v, k) => s + v * B[k][j], 0)));
    const A = a.toArray() as number[][], Bv = b.toArray() as number[][];
    expect(a.matmul(b).toArray()).toEqual(ref(A, Bv));
    expect(a.flip(1).matmul(b.flip(0)).toArray()).toEqual(ref(A.map((r) => [...r].reverse()), [...Bv].reverse()));
    expect(a.flip([0, 1]).matmul(b).toArray()).toEqual(ref([...A].reverse().map((r) => [...r].reverse()), Bv));
    expect(b.T.matmul(a.T).toArray()).toEqual(ref(Bv[0].map((_, j) => Bv.map((r) => r[j])), A[0].map((_, j) => A.map((r) => r[j]))));
    expect(ag.tensor([[1, 2, 3]]).expand(2, 3).matmul(b).toArray()).toEqual([[4, 5], [4, 5]]);
    const wide = ag.arange(12).float().reshape(2, 6);
    expect(wide.slice(1, 0, 6, 2).matmul(b).toArray()).toEqual(ref([[0, 2, 4], [6, 8, 10]], Bv));
  }));
});

describe('shape and strides arrays', () => {
  it('each tensor owns its arrays: the caller\'s array and other views can change without affecting it', () => ag.tidy(() => {
    const s = [2, 3];
    const t = ag.zeros(s);
    s[0] = 5;
    expect(t.shape).toEqual([2, 3]);
    expect(t.strides).toEqual([3, 1]);
    const [a, b] = ag.arange(6).float().reshape(2, 3).split([1, 2], 1); // split builds its views from one reused array
    expect(a.shape).toEqual([2, 1]);
    expect(b.shape).toEqual([2, 2]);
    expect(b.toArray()).toEqual([[1, 2], [4, 5]]);
    expect(t.reshape(3, 2).shape).not.toBe(t.shape);
  }));
});

describe('indexing', () => {
  it('indexSelect, gather, oneHot', () => ag.tidy(() => {
    const x = ag.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.indexSelect(1, ag.tensor([2, 0, -1], { dtype: 'int32' })).toArray()).toEqual([[3, 1, 3], [6, 4, 6]]);
    expect(x.T.indexSelect(0, ag.tensor([1], { dtype: 'int32' })).toArray()).toEqual([[2, 5]]);
    expect(x.gather(1, ag.tensor([[2], [0]], { dtype: 'int32' })).toArray()).toEqual([[3], [4]]);
    expect(ag.oneHot(ag.tensor([2, 0], { dtype: 'int32' }), 3).toArray()).toEqual([[0, 0, 1], [1, 0, 0]]);
    expect(ag.tensor([[1, 2], [3, 4]], { dtype: 'int32' }).indexSelect(0, ag.tensor([1], { dtype: 'int32' })).toArray()).toEqual([[3, 4]]);
  }));
});
