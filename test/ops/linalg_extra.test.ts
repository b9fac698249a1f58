// bmm / addmm / baddbmm, tile and torch.einsum: values against hand-computed ones, edge cases
// (empty batches, 0-d, beta = 0 ignoring NaN), and errors naming the op. PyTorch parity lives in
// test/parity (cases einsum, bmm_addmm_baddbmm, tile), gradients in test/ops/gradcases/linalg_extra.ts.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';

const { tensor, tidy } = ag;

describe('bmm, addmm, baddbmm', () => {
  it('bmm multiplies each batch; empty batches and empty inner dims work', () => tidy(() => {
    const a = tensor([[[1, 2]], [[3, 4]]]), b = tensor([[[1], [1]], [[2], [0]]]);
    expect(ag.bmm(a, b).toArray()).toEqual([[[3]], [[6]]]);
    expect(ag.bmm(ag.zeros([0, 2, 3]), ag.zeros([0, 3, 4])).shape).toEqual([0, 2, 4]);
    expect(a.bmm(ag.zeros([2, 2, 0])).shape).toEqual([2, 1, 0]);
    expect(ag.bmm(ag.zeros([2, 3, 0]), ag.zeros([2, 0, 2])).toArray()).toEqual([[[0, 0], [0, 0], [0, 0]], [[0, 0], [0, 0], [0, 0]]]);
  }));

  it('addmm = beta·input + alpha·(a @ b), input broadcast; beta = 0 ignores NaN input, as torch', () => tidy(() => {
    const a = tensor([[1, 2], [3, 4]]), b = tensor([[1, 0], [0, 1]]);
    expect(ag.addmm(tensor([10, 20]), a, b, { beta: 0.5, alpha: 2 }).toArray()).toEqual([[7, 14], [11, 18]]);
    expect(tensor([NaN, Infinity]).addmm(a, b, { beta: 0 }).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(ag.baddbmm(tensor(1), a.unsqueeze(0), b.unsqueeze(0), { alpha: -1 }).toArray()).toEqual([[[0, -1], [-2, -3]]]);
  }));

  it('errors name the op, the shapes and what was expected', () => tidy(() => {
    const m = ag.zeros([2, 3]), t = ag.zeros([2, 3, 4]);
    expect(() => ag.bmm(m, m)).toThrow('asgrad.bmm: expected 3-D tensors with the same batch size, got [2, 3] and [2, 3]');
    expect(() => ag.bmm(t, ag.zeros([3, 4, 2]))).toThrow('asgrad.bmm: expected 3-D tensors with the same batch size, got [2, 3, 4] and [3, 4, 2]');
    expect(() => ag.bmm(t, ag.zeros([2, 3, 2]))).toThrow(/asgrad\.matmul: shapes \[2, 3, 4\] and \[2, 3, 2\] cannot be multiplied/);
    expect(() => ag.bmm(t.int(), t)).toThrow('asgrad.bmm: expected float32, got int32 (cast with .float())');
    expect(() => ag.addmm(m, t, m)).toThrow('asgrad.addmm: expected 2-D tensors, got [2, 3, 4] and [2, 3]');
    expect(() => ag.addmm(m, m, m.T, { Beta: 2 } as never)).toThrow("asgrad.addmm: unknown option 'Beta' (expected beta, alpha)");
    expect(() => ag.baddbmm(null as never, t, t)).toThrow('asgrad.baddbmm: expected a tensor, got null');
  }));
});

describe('tile', () => {
  it('pads dims with leading 1s (fewer dims than x) or adds leading dims (more)', () => tidy(() => {
    const x = tensor([[1, 2]]);
    expect(ag.tile(x, [2]).toArray()).toEqual([[1, 2, 1, 2]]);
    expect(x.tile(2).toArray()).toEqual([[1, 2, 1, 2]]);
    expect(ag.tile(x, [2, 1, 1]).shape).toEqual([2, 1, 2]);
    expect(ag.tile(tensor(5), [2, 3]).toArray()).toEqual([[5, 5, 5], [5, 5, 5]]);
    expect(ag.tile(x, [1, 0]).shape).toEqual([1, 0]);
    expect(ag.tile(tensor([1, 0], { dtype: 'int32' }), [3]).toArray()).toEqual([1, 0, 1, 0, 1, 0]);
  }));

  it('rejects negative or fractional dims', () => tidy(() => {
    expect(() => ag.tile(tensor([1]), [-1])).toThrow('asgrad.tile: dims must be non-negative integers, got [-1]');
    expect(() => ag.tile(tensor([1]), 1.5)).toThrow('asgrad.tile: dims must be non-negative integers, got 1.5');
  }));
});

describe('einsum', () => {
  it('contractions, diagonals, implicit outputs and the list form', () => tidy(() => {
    const a = tensor([[1, 2], [3, 4]]), v = tensor([1, -1]);
    expect(ag.einsum('ij,jk->ik', a, a).toArray()).toEqual([[7, 10], [15, 22]]);
    expect(ag.einsum('ii', a).item()).toBe(5);
    expect(ag.einsum('ii->i', a).toArray()).toEqual([1, 4]);
    expect(ag.einsum('ij,j', [a, v]).toArray()).toEqual([-1, -1]);
    expect(ag.einsum('i,j->ij', v, v).toArray()).toEqual([[1, -1], [-1, 1]]);
    expect(ag.einsum('...j->...', a).toArray()).toEqual([3, 7]);
  }));

  it('errors name einsum', () => tidy(() => {
    const a = ag.zeros([2, 3]);
    expect(() => ag.einsum('ij,jk->ik', a)).toThrow("asgrad.einsum: equation 'ij,jk->ik' names 2 operand(s), got 1 input(s)");
    expect(() => ag.einsum('ij,jk->ik', a, a)).toThrow("asgrad.einsum: equation 'ij,jk->ik': label 'j' has sizes 3 and 2");
    expect(() => ag.einsum('ij->ik', a)).toThrow("asgrad.einsum: equation 'ij->ik': output label 'k' is in no input");
    expect(() => ag.einsum('ij', a.int())).toThrow('asgrad.einsum: expected float32, got int32 (cast with .float())');
    expect(() => ag.einsum('i', 3 as never)).toThrow('asgrad.einsum: expected a tensor, got number');
  }));
});
