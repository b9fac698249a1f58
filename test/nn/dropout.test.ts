import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import * as nn from '../../src/nn';

describe('Dropout', () => {
  it('zeroes about p of the elements and scales the rest by 1/(1-p)', () => {
    ag.manualSeed(42);
    const d = new nn.Dropout(0.25);
    ag.tidy(() => {
      const y = Array.from(d.call(ag.ones([20000])).data());
      const zeros = y.filter((v) => v === 0).length;
      expect(y.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
      expect(Math.abs(zeros / 20000 - 0.25)).toBeLessThan(0.015);
      expect(Math.abs(y.reduce((s, v) => s + v, 0) / 20000 - 1)).toBeLessThan(0.02);
    });
  });

  it('is the identity in eval mode and for p = 0; p = 1 gives zeros', () => {
    ag.tidy(() => {
      const x = ag.tensor([1, 2, 3]);
      const d = new nn.Dropout(0.5).eval();
      expect(d.call(x)).toBe(x);
      expect(nn.F.dropout(x, 0)).toBe(x);
      expect(nn.F.dropout(x, 0.9, false)).toBe(x);
      expect(Array.from(nn.F.dropout(x, 1).data())).toEqual([0, 0, 0]);
      expect(() => new nn.Dropout(1.5)).toThrow(/between 0 and 1, but got 1.5/);
      expect(() => nn.F.dropout(x, -0.1)).toThrow(/asgrad.dropout/);
    });
  });

  it('repeats masks under manualSeed and backpropagates through the mask', () => {
    ag.tidy(() => {
      ag.manualSeed(7);
      const a = Array.from(nn.F.dropout(ag.ones([64]), 0.5).data());
      ag.manualSeed(7);
      const b = Array.from(nn.F.dropout(ag.ones([64]), 0.5).data());
      expect(b).toEqual(a);
      const c = Array.from(nn.F.dropout(ag.ones([64]), 0.5).data());
      expect(c).not.toEqual(a);
      const x = ag.tensor([1, 2, 3, 4, 5, 6, 7, 8], { requiresGrad: true });
      const y = nn.F.dropout(x, 0.5);
      y.sum().backward();
      const yv = Array.from(y.data()), g = Array.from(x.grad!.data());
      g.forEach((v, i) => expect(v).toBe(yv[i] === 0 ? 0 : 2));
    });
  });
});
