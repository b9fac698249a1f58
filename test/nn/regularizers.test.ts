import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import * as nn from '../../src/nn';

const R = nn.regularizers;

describe('regularizers', () => {
  it('l1 / l2 / l1l2 penalties as functions and as Keras objects', () => {
    ag.tidy(() => {
      const w = ag.tensor([[1, -2], [3, 0]]);
      expect(R.l1(w, 0.5).item()).toBeCloseTo(3, 6);
      expect(R.l1(w).item()).toBeCloseTo(0.06, 6);
      expect(R.l2(w, 0.1).item()).toBeCloseTo(1.4, 6); // Keras: factor * sum(w^2), no 1/2
      expect(R.l1l2(w, 0.5, 0.1).item()).toBeCloseTo(4.4, 6);
      const reg = R.l1l2({ l1: 0.5, l2: 0.1 });
      expect(reg.apply(w).item()).toBeCloseTo(4.4, 6);
      expect(reg.getConfig()).toEqual({ l1: 0.5, l2: 0.1 });
      expect(R.l2({ l2: 0.1 }).apply(w).item()).toBeCloseTo(1.4, 6);
      expect(R.l1({}).l1).toBe(0.01);
      expect(R.l1l2({})).toMatchObject({ l1: 0.01, l2: 0.01 });
      expect(R.getRegularizer('l2').l2).toBe(0.01);
      expect(R.getRegularizer(reg)).toBe(reg);
      expect(() => R.getRegularizer('l3')).toThrow(/unknown regularizer "l3"/);
      expect(() => R.l1({ l1: -1 })).toThrow(/non-negative/);
    });
  });

  it('penalty gradients: l1 -> factor sign(w), l2 -> 2 factor w', () => {
    ag.tidy(() => {
      const w = ag.tensor([1, -2, 3], { requiresGrad: true });
      R.l1(w, 0.5).add(R.l2(w, 0.1)).backward();
      const g = Array.from(w.grad!.data());
      [0.5 + 0.2, -0.5 - 0.4, 0.5 + 0.6].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 6));
    });
  });
});
