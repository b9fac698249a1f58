// split / chunk / unbind as one multi-output autograd node: views in forward, gradients equal to the
// narrow-based composition, outputs left unused (zeros in their sections), outputs used several
// times and through each other, retainGraph and createGraph (second order), roots that are split
// outputs, long chains, and graphs freed without backward.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import type { Tensor } from '../../src/index';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `element ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol);
};

/** x.grad after loss(pieces(x)).backward() for a fresh leaf with x0's values; disposes the leaf. */
function gradOf(x0: Tensor, pieces: (x: Tensor) => Tensor[], loss: (ps: Tensor[]) => Tensor): Float32Array {
  return ag.tidy(() => {
    const x = x0.clone().requiresGrad_();
    loss(pieces(x)).backward();
    const g = x.grad!.data() as Float32Array;
    x.dispose();
    return g;
  });
}

/** sum_j sum(p_j * w_j) with fixed random weights, over the pieces given (others unused). */
const weighted = (seed: number, use = (_j: number) => true) => (ps: Tensor[]): Tensor => {
  ag.manualSeed(seed);
  let s = ag.zeros([]);
  ps.forEach((p, j) => { const w = ag.randn([...p.shape]); if (use(j)) s = s.add(p.mul(w).sum()); });
  return s;
};

/** The same sections cut with narrow (one slice node each: the composition split replaces). */
const narrowed = (dim: number, sizes: number[]) => (x: Tensor): Tensor[] => {
  let at = 0;
  return sizes.map((n) => { const t = x.narrow(dim, at, n); at += n; return t; });
};

describe('split / chunk / unbind', () => {
  it('forward: views of the sections, PyTorch sizes and edge cases', () => ag.tidy(() => {
    const x = ag.arange(24).reshape(2, 3, 4);
    const [a, b] = x.split([1, 3], 2);
    expect(a.toArray()).toEqual([[[0], [4], [8]], [[12], [16], [20]]]);
    expect(b.shape).toEqual([2, 3, 3]);
    expect(b._storage).toBe(x._storage); // a view
    expect(x.split(2, 1).map((t) => t.shape)).toEqual([[2, 2, 4], [2, 1, 4]]);
    expect(x.chunk(3, 2).map((t) => t.shape)).toEqual([[2, 3, 2], [2, 3, 2]]); // fewer pieces than asked, as torch
    const u = x.unbind(1);
    expect(u.map((t) => t.shape)).toEqual([[2, 4], [2, 4], [2, 4]]);
    expect(u[2].toArray()).toEqual([[8, 9, 10, 11], [20, 21, 22, 23]]);
    expect(ag.tensor([[1, 2], [3, 4]]).T.unbind(0).map((t) => t.toArray())).toEqual([[1, 3], [2, 4]]); // strided view
    expect(x.split([0, 2, 0], 0).map((t) => t.shape)).toEqual([[0, 3, 4], [2, 3, 4], [0, 3, 4]]);
    const e = ag.zeros([0, 3]);
    expect(e.split(2).map((t) => t.shape)).toEqual([[0, 3]]);
    expect(e.chunk(2).map((t) => t.shape)).toEqual([[0, 3], [0, 3]]);
    expect(e.unbind(0)).toEqual([]);
    expect(ag.tensor([1, 2, 3], { dtype: 'int32' }).unbind().map((t) => t.item())).toEqual([1, 2, 3]);
    expect(ag.noGrad(() => ag.ones([4], { requiresGrad: true }).split(2))[0].requiresGrad).toBe(false);
    expect(ag.ones([4]).split(2)[0].requiresGrad).toBe(false);
  }));

  it('rejects bad arguments with clear errors', () => ag.tidy(() => {
    const x = ag.zeros([4, 3]);
    expect(() => x.split([2, 1], 0)).toThrow(/split: sizes \[2, 1\] must sum to the size 4 of dim 0/);
    expect(() => x.split([5, -1], 0)).toThrow(/split: sizes must be non-negative integers/);
    expect(() => x.split(0)).toThrow(/split: split size must be a positive integer, got 0/);
    expect(() => x.split(2, 2)).toThrow(/split: dim 2 is out of range/);
    expect(() => x.chunk(0)).toThrow(/chunk: chunks must be a positive integer/);
    expect(() => ag.tensor(3).unbind()).toThrow(/unbind: expected a tensor with at least 1 dim/);
  }));

  it('gradients equal the narrow-based composition (split, chunk, unbind; strided input)', () => ag.tidy(() => {
    ag.manualSeed(3);
    const x0 = ag.randn([5, 7, 3]);
    const sizes = [2, 0, 4, 1];
    close(gradOf(x0, (x) => x.split(sizes, 1), weighted(1)), gradOf(x0, narrowed(1, sizes), weighted(1)));
    close(gradOf(x0, (x) => x.chunk(3, 0), weighted(2)), gradOf(x0, narrowed(0, [2, 2, 1]), weighted(2)));
    close(gradOf(x0, (x) => x.unbind(2), weighted(3)), gradOf(x0, (x) => narrowed(2, [1, 1, 1])(x).map((t) => t.squeeze(2)), weighted(3)));
    // a permuted (non-contiguous) input, unbound along its middle dim
    close(gradOf(x0, (x) => x.permute(2, 0, 1).unbind(1), weighted(4)),
      gradOf(x0, (x) => narrowed(1, [1, 1, 1, 1, 1])(x.permute(2, 0, 1)).map((t) => t.squeeze(1)), weighted(4)));
  }));

  it('outputs without a gradient get zeros in their sections; unused outputs may be disposed at once', () => ag.tidy(() => {
    ag.manualSeed(5);
    const x0 = ag.randn([6, 4]);
    const onlyMiddle = weighted(6, (j) => j === 1);
    const g = gradOf(x0, (x) => x.split([1, 3, 2], 0), onlyMiddle);
    close(g, gradOf(x0, narrowed(0, [1, 3, 2]), onlyMiddle));
    expect(Array.from(g.slice(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(g.slice(16))).toEqual(new Array(8).fill(0));
    // The node outlives the handles disposed first: mul's saved inputs are still there for backward.
    const x = ag.full([6, 4], 3, { requiresGrad: true });
    const sq = x.mul(x);
    const ps = sq.unbind(0);
    sq.dispose(); ps[0].dispose(); ps[2].dispose();
    ps[3].mul(2).sum().backward();
    const z = [0, 0, 0, 0];
    expect(x.grad!.toArray()).toEqual([z, z, z, [12, 12, 12, 12], z, z]);
    x.dispose();
  }));

  it('outputs used several times, through each other, and through a nested split', () => ag.tidy(() => {
    ag.manualSeed(7);
    const x0 = ag.randn([4, 6]);
    // b feeds a's consumer too, and c is split again: one node must run after all of them.
    const f = (ps: Tensor[]) => {
      const [a, b, c] = ps;
      const [c0, c1] = c.chunk(2, 1);
      return a.mul(b).add(b.exp()).sum().add(c0.mul(c1).mul(a.sum(1, true)).sum()).add(b.square().sum());
    };
    close(gradOf(x0, (x) => x.split([1, 2, 1], 0), f), gradOf(x0, narrowed(0, [1, 2, 1]), f), 1e-4);
  }));

  it('a split output as the root, with an explicit gradient', () => ag.tidy(() => {
    const x = ag.tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    const [, b] = x.split([1, 2], 0);
    b.backward(ag.tensor([[1, 2], [3, 4]]));
    expect(x.grad!.toArray()).toEqual([[0, 0], [1, 2], [3, 4]]);
    x.dispose();
  }));

  it('retainGraph: a second backward through the split; without it the error is clear', () => ag.tidy(() => {
    const x = ag.tensor([1, 2, 3, 4], { requiresGrad: true });
    const [a, b] = x.chunk(2);
    const y = a.mul(b).sum(); // a = [1, 2], b = [3, 4]: dy/dx = [3, 4, 1, 2]
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.toArray()).toEqual([6, 8, 2, 4]);
    expect(() => y.backward()).toThrow(/backward through the graph a second time/);
    x.dispose();
  }));

  it('second order through split and unbind (createGraph)', () => ag.tidy(() => {
    // f(x) = sum_j sum(p_j^3) * (j + 1) over the unbound rows: d2f/dx2 = 6 x (j + 1), rows j.
    const x = ag.tensor([[0.5, -1], [1.5, 2], [-0.25, 1]], { requiresGrad: true });
    const ps = x.unbind(0);
    ps.map((p, j) => p.pow(3).mul(j + 1).sum()).reduce((s, t) => s.add(t)).backward(undefined, { createGraph: true });
    const g1 = x.grad!;
    x.grad = null;
    expect(g1.requiresGrad).toBe(true);
    close(g1.data(), [0.75, 3, 13.5, 24, 0.5625, 9]);
    g1.sum().backward();
    close(x.grad!.data(), [3, -6, 18, 24, -4.5, 18]);
    g1.dispose();
    // d/dv of |d/dx sum(x_a * v)|^2 with x_a a section of a split: the gradient's own graph is a cat.
    const v = ag.tensor([1, -2, 3], { requiresGrad: true });
    const z = ag.zeros([5], { requiresGrad: true });
    const [, za] = z.split([2, 3]);
    za.mul(v).sum().backward(undefined, { createGraph: true });
    const gz = z.grad!;
    z.grad = null;
    gz.square().sum().backward();
    expect(v.grad!.toArray()).toEqual([2, -4, 6]);
    gz.dispose();
    ag.dispose([x, v, z]);
  }));

  it('a 2,000-step recurrence over unbind rows: no stack overflow, the right gradient, nothing left', () => {
    const before = ag.memory();
    ag.tidy(() => {
      const x = ag.full([2000, 2], 0.5, { requiresGrad: true });
      let h = ag.zeros([2]);
      for (const r of x.unbind(0)) h = h.mul(0.999).add(r);
      h.sum().backward();
      // d h_T / d x_t = 0.999^(T-1-t)
      const g = x.grad!.data();
      expect(g[0]).toBeCloseTo(0.999 ** 1999, 5);
      expect(g[3998]).toBeCloseTo(1, 6);
      x.dispose();
    });
    const after = ag.memory();
    expect([after.numTensors, after.numDataBuffers, after.numBytes]).toEqual([before.numTensors, before.numDataBuffers, before.numBytes]);
  });

  it('disposing a graph through a split without backward frees its saved tensors', () => {
    const m0 = ag.memory();
    const w = ag.randn([4, 3], { requiresGrad: true });
    ag.tidy(() => { const [a, b] = w.exp().split([1, 3]); a.sigmoid().sum().add(b.tanh().sum()); });
    // handles outside tidy: each output holds the node; the last dispose frees it
    const e = w.exp();
    const ps = e.unbind(1);
    const y = ps[0].exp();
    e.dispose();
    for (const p of ps) p.dispose();
    y.dispose();
    w.dispose();
    const m1 = ag.memory();
    expect([m1.numTensors, m1.numDataBuffers, m1.numBytes]).toEqual([m0.numTensors, m0.numDataBuffers, m0.numBytes]);
  });
});
