import { describe, expect, it } from 'vitest';
import * as ag from '../src/index';

describe('smoke', () => {
  it('adds and backprops', () => {
    ag.tidy(() => {
      const x = ag.tensor([[1, 2], [3, 4]], { requiresGrad: true });
      const y = x.mul(x).sum();
      y.backward();
      expect(y.item()).toBe(30);
      expect(x.grad!.toArray()).toEqual([[2, 4], [6, 8]]);
      console.log(x.toString(), y.toString());
      const w = ag.randn([3, 4]);
      const v = ag.randn([4, 5]);
      console.log(w.matmul(v).toString());
      x.dispose();
    });
  });
});
