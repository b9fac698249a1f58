// nn.Embedding: lookup values and shapes, N(0, 1) init, paddingIdx (zero row, no gradient),
// gradient accumulation over repeated indices, errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn } from '../../src/index';

const i32 = (d: number[] | number[][]) => ag.tensor(d, { dtype: 'int32' });

describe('nn.Embedding', () => {
  it('looks up rows for indices of any shape: [..., dim]', () => {
    const e = new nn.Embedding(5, 3);
    ag.tidy(() => {
      nn.assign(e.weight, ag.arange(15).reshape([5, 3]).float());
      const y = e.forward(i32([[4, 0], [2, 2]]));
      expect(y.shape).toEqual([2, 2, 3]);
      expect(y.toArray()).toEqual([[[12, 13, 14], [0, 1, 2]], [[6, 7, 8], [6, 7, 8]]]);
      expect(e.forward(i32([1])).toArray()).toEqual([[3, 4, 5]]);
      expect(e.forward(i32([-1])).toArray()).toEqual([[12, 13, 14]]);
    });
    expect(String(e)).toBe('Embedding(5, 3)');
    e.dispose();
  });

  it('initializes N(0, 1)', () => {
    ag.manualSeed(3);
    const e = new nn.Embedding(200, 50);
    const v = Array.from(e.weight.data());
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
    e.dispose();
  });

  it('gradient: repeated indices accumulate, unused rows get zero', () => {
    const e = new nn.Embedding(4, 2);
    ag.tidy(() => {
      e.forward(i32([[1, 3, 1]])).mul(ag.tensor([[[1, 2], [3, 4], [5, 6]]])).sum().backward();
    });
    expect(e.weight.grad!.toArray()).toEqual([[0, 0], [6, 8], [0, 0], [3, 4]]);
    e.dispose();
  });

  it('paddingIdx: the row starts at zero, is returned as is, and never receives a gradient', () => {
    ag.manualSeed(4);
    const e = new nn.Embedding(4, 3, { paddingIdx: 2 });
    ag.tidy(() => {
      expect(Array.from(e.weight.narrow(0, 2, 1).data())).toEqual([0, 0, 0]);
      expect(Array.from(e.weight.narrow(0, 1, 1).data()).some((v) => v !== 0)).toBe(true);
    });
    ag.tidy(() => {
      nn.assign(e.weight.narrow(0, 2, 1), 7); // a loaded non-zero padding row is still looked up
      const y = e.forward(i32([2, 0, 2, 3]));
      expect(y.toArray()[0]).toEqual([7, 7, 7]);
      y.mul(ag.arange(12).reshape([4, 3]).float()).sum().backward();
    });
    expect(e.weight.grad!.toArray()).toEqual([[3, 4, 5], [0, 0, 0], [0, 0, 0], [9, 10, 11]]);
    expect(String(e)).toBe('Embedding(4, 3, padding_idx=2)');
    e.dispose();
    const n = new nn.Embedding(4, 3, { paddingIdx: -1 });
    expect(n.paddingIdx).toBe(3);
    n.dispose();
  });

  it('rejects bad arguments with clear errors', () => {
    const e = new nn.Embedding(4, 3);
    ag.tidy(() => {
      expect(() => e.forward(ag.tensor([1, 2]))).toThrow(/Embedding.*int32/);
      expect(() => e.forward(i32([4]))).toThrow(/out of range/);
    });
    expect(() => new nn.Embedding(4, 3, { paddingIdx: 4 })).toThrow(/paddingIdx must be within numEmbeddings/);
    expect(() => new nn.Embedding(0, 3)).toThrow(/numEmbeddings/);
    expect(() => new nn.Embedding(4, 3, { maxNorm: 1 } as never)).toThrow(/asgrad\.Embedding: unknown option 'maxNorm' \(expected paddingIdx; maxNorm, normType, scaleGradByFreq and sparse are not supported\)/);
    e.dispose();
  });
});
