// nn.Dropout1d / Dropout2d and F.dropout1d / dropout2d: whole channels dropped together and the
// rest scaled by 1/(1-p), the gradient is that mask, eval and p = 0 return the input, repr, errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn } from '../../src/index';

/** For each channel (block of `inner` values): 'drop' if all zero, 'keep' if all x / (1 - p); fails otherwise. */
function channelPattern(x: number[], y: number[], inner: number, p: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < x.length / inner; k++) {
    const xs = x.slice(k * inner, (k + 1) * inner), ys = y.slice(k * inner, (k + 1) * inner);
    if (ys.every((v) => v === 0)) out.push('drop');
    else { ys.forEach((v, i) => expect(v).toBeCloseTo(xs[i] / (1 - p), 5)); out.push('keep'); }
  }
  return out;
}

describe('Dropout1d / Dropout2d', () => {
  it('drop whole channels with probability p and scale the rest; the gradient is the same mask', () => ag.tidy(() => {
    ag.manualSeed(11);
    for (const [m, shape, inner] of [
      [new nn.Dropout2d(0.4), [10, 20, 3, 2], 6],
      [new nn.Dropout2d(0.4), [10, 20, 5], 5], // 3-D: taken as [N, C, L], as PyTorch today
      [new nn.Dropout1d(0.4), [10, 20, 5], 5],
      [new nn.Dropout1d(0.4), [200, 5], 5],
    ] as [nn.Module, number[], number][]) {
      const x = ag.rand(shape).add(0.5).requiresGrad_();
      const y = m.call(x);
      const pat = channelPattern(Array.from(x.data()), Array.from(y.data()), inner, 0.4);
      const dropped = pat.filter((s) => s === 'drop').length / pat.length;
      expect(dropped).toBeGreaterThan(0.3); // 200 channels, p = 0.4
      expect(dropped).toBeLessThan(0.5);
      y.sum().backward();
      const g = Array.from(x.grad!.data());
      expect(channelPattern(g.map(() => 1), g, inner, 0.4)).toEqual(pat);
      m.eval();
      expect(m.call(x)).toBe(x);
    }
    const x = ag.rand([2, 3, 4]);
    expect(ag.nn.F.dropout1d(x, 0)).toBe(x);
    expect(Array.from(ag.nn.F.dropout2d(ag.rand([2, 3, 2, 2]), 1).data()).every((v) => v === 0)).toBe(true);
  }));

  it('prints as PyTorch; errors', () => ag.tidy(() => {
    expect(new nn.Dropout2d().toString()).toBe('Dropout2d(p=0.5, inplace=False)');
    expect(new nn.Dropout1d(0.1).toString()).toBe('Dropout1d(p=0.1, inplace=False)');
    expect(() => ag.nn.F.dropout2d(ag.zeros([2, 3]), 0.5)).toThrow(/dropout2d: expected a 3-D or 4-D input, got shape \[2, 3\]/);
    expect(() => ag.nn.F.dropout1d(ag.zeros([2, 3, 4, 5]), 0.5)).toThrow(/dropout1d: expected a 2-D or 3-D input, got shape \[2, 3, 4, 5\]/);
    expect(() => ag.nn.F.dropout1d(ag.zeros([2, 3]), 1.5)).toThrow(/dropout1d: dropout probability has to be between 0 and 1, but got 1.5/);
  }));
});
