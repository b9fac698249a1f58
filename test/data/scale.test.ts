// StandardScaler / MinMaxScaler / standardize / minMaxScale against hand-computed values.
import { describe, expect, it } from 'vitest';
import { tensor, tidy } from '../../src/index';
import { MinMaxScaler, StandardScaler, minMaxScale, standardize } from '../../src/data';

const close = (a: ArrayLike<number>, b: number[], tol = 1e-6) => {
  expect(a.length).toBe(b.length);
  b.forEach((v, i) => expect(Math.abs(a[i] - v)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(v))));
};

describe('StandardScaler', () => {
  it('uses population std, constant features get scale 1', () => tidy(() => {
    // column 0: 1, 2, 3, 6 -> mean 3, var (4+1+0+9)/4 = 3.5; column 1 constant 0.1
    const x = tensor([[1, 0.1], [2, 0.1], [3, 0.1], [6, 0.1]]);
    const s = new StandardScaler().fit(x);
    close(s.mean!, [3, 0.1]);
    close(s.var!, [3.5, 0]);
    close(s.scale!, [Math.sqrt(3.5), 1]);
    const z = s.transform(x);
    const r = Math.sqrt(3.5);
    close(z.data(), [-2 / r, 0, -1 / r, 0, 0, 0, 3 / r, 0]);
    close(s.inverseTransform(z).data(), [1, 0.1, 2, 0.1, 3, 0.1, 6, 0.1]);
    close(standardize(x).data(), z.data() as unknown as number[]);
    close(new StandardScaler({ withMean: false }).fitTransform(x).data(), [1 / r, 0.1, 2 / r, 0.1, 3 / r, 0.1, 6 / r, 0.1]);
  }));

  it('accepts int32 input and checks feature shapes', () => tidy(() => {
    const s = new StandardScaler();
    expect(() => s.transform(tensor([[1, 2]]))).toThrow(/not fitted/);
    s.fit(tensor([[1, 2], [3, 4]], { dtype: 'int32' }));
    close(s.mean!, [2, 3]);
    expect(() => s.transform(tensor([[1, 2, 3]]))).toThrow(/features of shape \[3\].*fitted on \[2\]/);
  }));
});

describe('MinMaxScaler', () => {
  it('maps each feature to the range', () => tidy(() => {
    const x = tensor([[0, 10, 5], [5, 20, 5], [10, 40, 5]]);
    const z = minMaxScale(x);
    close(z.data(), [0, 0, 0, 0.5, 1 / 3, 0, 1, 1, 0]);
    const s = new MinMaxScaler([-1, 1]).fit(x);
    close(s.dataMin!, [0, 10, 5]);
    close(s.dataMax!, [10, 40, 5]);
    const y = s.transform(tensor([[20, 25, 5]]));
    close(y.data(), [3, 0, -1]);
    close(s.inverseTransform(y).data(), [20, 25, 5]);
    expect(() => new MinMaxScaler([1, 0])).toThrow(/lo < hi/);
  }));
});
