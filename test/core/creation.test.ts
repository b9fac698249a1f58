// Creating tensors: tensor() from nested/flat/typed data, every factory, seeded random factories,
// and reading values back (toArray, data, item).
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';

const t = ag.tidy;

describe('tensor()', () => {
  it('infers shape and dtype', () => t(() => {
    const a = ag.tensor([[1, 2, 3], [4, 5, 6]]);
    expect([a.shape, a.dtype, a.size, a.ndim]).toEqual([[2, 3], 'float32', 6, 2]);
    expect(a.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const b = ag.tensor([true, false]);
    expect([b.dtype, b.toArray()]).toEqual(['bool', [true, false]]);
    expect(b.data()).toEqual(new Uint8Array([1, 0]));
    const c = ag.tensor(new Int32Array([1, 2, 3, 4]), { shape: [2, 2] });
    expect([c.dtype, c.toArray()]).toEqual(['int32', [[1, 2], [3, 4]]]);
    const d = ag.tensor(3.5);
    expect([d.shape, d.item(), d.toArray()]).toEqual([[], 3.5, 3.5]);
    const e = ag.tensor([1.7, -2.2], { dtype: 'int32' });
    expect(e.toArray()).toEqual([1, -2]);
    const f = ag.tensor([]);
    expect([f.shape, f.size, f.toArray()]).toEqual([[0], 0, []]);
    expect(ag.tensor([1, 2, 3, 4, 5, 6], [3, 2]).shape).toEqual([3, 2]);
    expect(ag.tensor(new Float32Array([1, 2])).data()).toEqual(new Float32Array([1, 2]));
  }));

  it('data() is a copy', () => t(() => {
    const a = ag.tensor([1, 2]);
    const d = a.data();
    d[0] = 99;
    expect(a.toArray()).toEqual([1, 2]);
  }));
});

describe('factories', () => {
  it('zeros ones full zerosLike onesLike', () => t(() => {
    expect(ag.zeros([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(ag.zeros(2, 1).toArray()).toEqual([[0], [0]]);
    expect(ag.ones([2], { dtype: 'int32' }).toArray()).toEqual([1, 1]);
    expect(ag.ones(3).dtype).toBe('float32');
    expect(ag.full([2, 2], 7.5).toArray()).toEqual([[7.5, 7.5], [7.5, 7.5]]);
    const x = ag.tensor([[1, 2]], { dtype: 'int32' });
    const z = ag.zerosLike(x), o = ag.onesLike(x);
    expect([z.dtype, z.toArray(), o.toArray()]).toEqual(['int32', [[0, 0]], [[1, 1]]]);
    expect(ag.zeros([0, 3]).shape).toEqual([0, 3]);
    expect(ag.ones([2], { requiresGrad: true }).requiresGrad).toBe(true);
  }));

  it('arange', () => t(() => {
    expect(ag.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(ag.arange(5).dtype).toBe('int32');
    expect(ag.arange(2, 11, 3).toArray()).toEqual([2, 5, 8]);
    expect(ag.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    const f = ag.arange(0, 1, 0.25);
    expect([f.dtype, f.toArray()]).toEqual(['float32', [0, 0.25, 0.5, 0.75]]);
    expect(ag.arange(3, { dtype: 'float32' }).toArray()).toEqual([0, 1, 2]);
    expect(ag.arange(3, { dtype: 'float32' }).dtype).toBe('float32');
    expect(ag.arange(0, 3, 1, { dtype: 'float32' }).dtype).toBe('float32');
    expect(ag.arange(0).size).toBe(0);
  }));

  it('linspace and eye', () => t(() => {
    expect(ag.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ag.linspace(2, 2, 1).toArray()).toEqual([2]);
    expect(ag.linspace(0, 1, 0).size).toBe(0);
    expect(ag.eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(ag.eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(ag.eye(2, { dtype: 'int32' }).dtype).toBe('int32');
  }));

  it('rand, randn, randint are reproducible through manualSeed', () => t(() => {
    ag.manualSeed(42);
    const a = [ag.rand([5]).data(), ag.randn([7]).data(), ag.randint(0, 10, [9]).data()];
    ag.manualSeed(42);
    const b = [ag.rand(5).data(), ag.randn(7).data(), ag.randint(0, 10, [9]).data()];
    expect(b).toEqual(a);
    ag.manualSeed(43);
    expect(ag.rand([5]).data()).not.toEqual(a[0]);
  }));

  it('distributions look right', () => t(() => {
    ag.manualSeed(7);
    const u = ag.rand([20000]);
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
    expect(u.mean().item()).toBeCloseTo(0.5, 1);
    const n = ag.randn([20000]);
    expect(n.mean().item()).toBeCloseTo(0, 1);
    expect(n.std().item()).toBeCloseTo(1, 1);
    const r = ag.randint(-2, 3, [5000]);
    expect(r.dtype).toBe('int32');
    const v = Array.from(r.data());
    expect(new Set(v)).toEqual(new Set([-2, -1, 0, 1, 2]));
  }));
});

describe('reading values', () => {
  it('toArray, data and item on views', () => t(() => {
    const x = ag.arange(6).reshape(2, 3);
    expect(x.T.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(x.T.data()).toEqual(new Int32Array([0, 3, 1, 4, 2, 5]));
    expect(x.flip(1).toArray()).toEqual([[2, 1, 0], [5, 4, 3]]);
    expect(x.slice(1, 0, 3, 2).toArray()).toEqual([[0, 2], [3, 5]]);
    expect(ag.tensor([[4]]).item()).toBe(4);
    expect(ag.tensor(true).item()).toBe(true);
    expect(x.float().toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(ag.tensor([0, 2, -1]).bool().toArray()).toEqual([false, true, true]);
    expect(ag.tensor([1.9, -1.9]).int().toArray()).toEqual([1, -1]);
  }));
});
