// The tape: accumulation, retainGraph, noGrad, detach, explicit gradients, deep chains, and
// saved tensors released after backward.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';

describe('autograd', () => {
  it('accumulates into .grad across two backward calls', () => ag.tidy(() => {
    const x = ag.tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).sum().backward();
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([5, 7, 9]);
    x.dispose();
  }));

  it('leaf grads own contiguous storage (no broadcast views, no sharing between inputs)', () => ag.tidy(() => {
    const a = ag.tensor([1, 2], { requiresGrad: true }), b = ag.tensor([3, 4], { requiresGrad: true });
    a.add(b).sum().backward();
    expect(a.grad!.isContiguous() && b.grad!._storage !== a.grad!._storage).toBe(true);
    expect([a.grad!.toArray(), b.grad!.toArray()]).toEqual([[1, 1], [1, 1]]);
    a.dispose(); b.dispose();
  }));

  it('retainGraph allows a second backward; without it the error is clear', () => ag.tidy(() => {
    const x = ag.tensor([2], { requiresGrad: true });
    const y = x.exp().mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.item()).toBeCloseTo(2 * 3 * Math.exp(2), 3);
    expect(() => y.backward()).toThrow(/backward through the graph a second time.*retainGraph/);
    x.dispose();
  }));

  it('noGrad, enableGrad and detach', () => ag.tidy(() => {
    const x = ag.tensor([1, 2], { requiresGrad: true });
    const y = ag.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(ag.noGrad(() => ag.enableGrad(() => x.mul(2))).requiresGrad).toBe(true);
    const d = x.detach();
    expect([d.requiresGrad, d.toArray()]).toEqual([false, [1, 2]]);
    expect(() => y.sum().backward()).toThrow(/does not require grad/);
    const z = x.mul(x.detach()).sum(); // d/dx x * c = c
    z.backward();
    expect(x.grad!.toArray()).toEqual([1, 2]);
    x.dispose();
  }));

  it('backward with an explicit gradient on a non-scalar', () => ag.tidy(() => {
    const x = ag.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const y = x.mul(x);
    expect(() => y.backward()).toThrow(/only for scalar outputs/);
    expect(() => y.backward(ag.ones([3]))).toThrow(/does not match/);
    y.backward(ag.tensor([[1, 0], [0.5, 2]]));
    expect(x.grad!.toArray()).toEqual([[2, 0], [3, 16]]);
    x.dispose();
  }));

  it('differentiates a 10,000-op chain without stack overflow, and disposes it', () => {
    const before = ag.memory().numTensors;
    ag.tidy(() => {
      const x = ag.tensor([1.5], { requiresGrad: true });
      let y = x;
      for (let i = 0; i < 10000; i++) y = y.mul(1.0001).add(-0.0001);
      y.sum().backward();
      expect(x.grad!.item()).toBeCloseTo(1.0001 ** 10000, 2);
      x.dispose();
    });
    expect(ag.memory().numTensors).toBe(before);
    // Without tidy: disposing only the end of the chain frees every saved tensor.
    const x = ag.tensor([1.5], { requiresGrad: true });
    const ys = [x];
    for (let i = 0; i < 10000; i++) {
      const sq = ys[ys.length - 1].mul(ys[ys.length - 1]);
      ys.push(sq, sq.mul(0.5));
    }
    for (const t of ys.slice(1)) t.dispose(); // the last dispose frees the whole chain's saved tensors
    x.dispose();
    expect(ag.memory().numTensors).toBe(before);
  });

  it('releases saved tensors after backward', () => ag.tidy(() => {
    const w = ag.randn([8, 8], { requiresGrad: true });
    const x = ag.randn([4, 8]);
    const m0 = ag.memory().numDataBuffers;
    const loss = x.matmul(w).tanh().exp().sum();
    const m1 = ag.memory().numDataBuffers;
    loss.backward();
    const m2 = ag.memory().numDataBuffers;
    expect(m1).toBeGreaterThan(m0);
    // Only loss, its grad-free intermediates and w.grad remain; saved copies of them are gone.
    expect(m2).toBeLessThanOrEqual(m1 + 1);
    w.dispose();
  }));

  it('disposing a graph without backward frees its saved tensors', () => {
    const m0 = ag.memory();
    const w = ag.randn([3, 3], { requiresGrad: true });
    ag.tidy(() => { w.matmul(w).exp().sigmoid().sum(); });
    w.dispose();
    const m1 = ag.memory();
    expect([m1.numTensors, m1.numDataBuffers, m1.numBytes]).toEqual([m0.numTensors, m0.numDataBuffers, m0.numBytes]);
  });

  it('gradients flow through views to the base', () => ag.tidy(() => {
    const x = ag.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const y = x.T.slice(0, 0, 3, 2).flip(1).reshape(-1).mul(ag.tensor([1, 2, 3, 4])).sum();
    y.backward();
    // x.T = [[1,4],[2,5],[3,6]]; rows 0 and 2 -> [[1,4],[3,6]]; flip -> [[4,1],[6,3]] * [1,2,3,4]
    expect(x.grad!.toArray()).toEqual([[2, 0, 4], [1, 0, 3]]);
    x.dispose();
  }));
});
