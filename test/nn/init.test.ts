import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import * as nn from '../../src/nn';

const init = nn.init;
function moments(t: ag.Tensor) {
  const v = Array.from(t.data());
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
  let lo = Infinity, hi = -Infinity;
  for (const x of v) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  return { mean, std, lo, hi };
}
/** mean and std within 5 standard errors of the targets; bounds checked by the caller. */
function expectStd(t: ag.Tensor, std: number, mean = 0) {
  const m = moments(t);
  expect(Math.abs(m.mean - mean)).toBeLessThan((5 * std) / Math.sqrt(t.size) + 1e-6);
  expect(Math.abs(m.std / std - 1)).toBeLessThan(Math.max(0.01, 5 / Math.sqrt(2 * t.size)));
  return m;
}

describe('torch-style init', () => {
  it('constant, zeros, ones, eye', () => {
    ag.tidy(() => {
      const t = ag.zeros([2, 3]);
      expect(init.ones_(t)).toBe(t);
      expect(Array.from(t.data())).toEqual([1, 1, 1, 1, 1, 1]);
      init.constant_(t, 2.5);
      expect(Array.from(t.data())).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
      init.eye_(t);
      expect(t.toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
      init.zeros_(t);
      expect(Array.from(t.data())).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });

  it('uniform_ and normal_', () => {
    ag.manualSeed(3);
    ag.tidy(() => {
      const t = ag.zeros([200, 300]);
      const m = expectStd(init.uniform_(t, -1, 3), 4 / Math.sqrt(12), 1);
      expect(m.lo).toBeGreaterThanOrEqual(-1);
      expect(m.hi).toBeLessThanOrEqual(3);
      expectStd(init.normal_(t, 2, 0.5), 0.5, 2);
    });
  });

  it('gain table and fans follow PyTorch', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 1e-4)), 12);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('swish' as never)).toThrow(/unsupported nonlinearity 'swish'/);
    expect(init.calculateFanInAndFanOut([200, 300])).toEqual([300, 200]);
    expect(init.calculateFanInAndFanOut([8, 4, 3, 3])).toEqual([36, 72]);
    ag.tidy(() => { expect(() => init.xavierUniform_(ag.zeros([5]))).toThrow(/fewer than 2 dimensions/); });
  });

  it('xavier and kaiming statistics and bounds', () => {
    ag.manualSeed(5);
    ag.tidy(() => {
      const t = ag.zeros([200, 300]); // fanIn 300, fanOut 200
      let b = 2 * Math.sqrt(6 / 500);
      let m = expectStd(init.xavierUniform_(t, 2), b / Math.sqrt(3));
      expect(Math.max(-m.lo, m.hi)).toBeLessThanOrEqual(b);
      expectStd(init.xavierNormal_(t), Math.sqrt(2 / 500));
      b = Math.SQRT2 * Math.sqrt(3 / 300);
      m = expectStd(init.kaimingUniform_(t, { nonlinearity: 'relu' }), b / Math.sqrt(3));
      expect(Math.max(-m.lo, m.hi)).toBeLessThanOrEqual(b);
      expectStd(init.kaimingNormal_(t, { mode: 'fanOut', nonlinearity: 'relu' }), Math.SQRT2 / Math.sqrt(200));
      // PyTorch Linear's a = sqrt(5): bound 1 / sqrt(fanIn)
      m = moments(init.kaimingUniform_(t, { a: Math.sqrt(5) }));
      expect(Math.max(-m.lo, m.hi)).toBeLessThanOrEqual(1 / Math.sqrt(300));
      const conv = ag.zeros([16, 8, 5, 5]);
      expectStd(init.kaimingNormal_(conv), Math.sqrt(2 / (1 + 1e-4)) / Math.sqrt(200));
    });
  });

  it('truncNormal_ respects its bounds', () => {
    ag.manualSeed(9);
    ag.tidy(() => {
      const m = moments(init.truncNormal_(ag.zeros([100, 100]), 0, 1, -1, 0.5));
      expect(m.lo).toBeGreaterThanOrEqual(-1);
      expect(m.hi).toBeLessThanOrEqual(0.5);
    });
  });

  it('orthogonal_ gives orthonormal rows (wide) or columns (tall), times gain', () => {
    ag.tidy(() => {
      for (const [shape, gain] of [[[3, 5], 1], [[6, 4], 2], [[4, 2, 3], 1]] as [number[], number][]) {
        const t = init.orthogonal_(ag.zeros(shape), gain);
        const w = t.reshape([shape[0], -1]);
        const g = shape[0] <= w.shape[1] ? w.matmul(w.T) : w.T.matmul(w);
        const n = g.shape[0];
        const v = Array.from(g.data());
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(v[i * n + j]).toBeCloseTo(i === j ? gain * gain : 0, 5);
      }
    });
  });

  it('draws repeat under manualSeed', () => {
    ag.tidy(() => {
      ag.manualSeed(11);
      const a = Array.from(init.xavierNormal_(ag.zeros([4, 4])).data());
      ag.manualSeed(11);
      expect(Array.from(init.xavierNormal_(ag.zeros([4, 4])).data())).toEqual(a);
    });
  });
});

describe('Keras-style initializers', () => {
  it('use Keras fans for a dense kernel [in, out]', () => {
    ag.manualSeed(13);
    ag.tidy(() => {
      const k = ag.zeros([300, 200]); // in 300, out 200
      const get = nn.getInitializer;
      let lim = Math.sqrt(6 / 500);
      let m = expectStd(get('glorotUniform')(k), lim / Math.sqrt(3));
      expect(Math.max(-m.lo, m.hi)).toBeLessThanOrEqual(lim);
      let std = Math.sqrt(2 / 500);
      m = expectStd(get('glorotNormal')(k), std); // truncated at 2 sigma, rescaled to the target std
      expect(Math.max(-m.lo, m.hi)).toBeLessThanOrEqual((2 * std) / 0.87962566103423978 + 1e-6);
      lim = Math.sqrt(6 / 300);
      m = expectStd(get('heUniform')(k), lim / Math.sqrt(3));
      expect(Math.max(-m.lo, m.hi)).toBeLessThanOrEqual(lim);
      std = Math.sqrt(2 / 300);
      expectStd(get('he_normal')(k), std);
      expectStd(get('leCunNormal')(k), Math.sqrt(1 / 300));
      expectStd(get('randomNormal')(k), 0.05);
      m = moments(get('RandomUniform')(k));
      expect(m.lo).toBeGreaterThanOrEqual(-0.05);
      expect(m.hi).toBeLessThanOrEqual(0.05);
      m = moments(get('truncatedNormal')(k));
      expect(Math.max(-m.lo, m.hi)).toBeLessThanOrEqual(0.1 + 1e-6);
      expect(Array.from(get('ones')(ag.zeros([3])).data())).toEqual([1, 1, 1]);
      expect(Array.from(get('zeros')(ag.ones([3])).data())).toEqual([0, 0, 0]);
      // torch layout: the same [300, 200] tensor read as [out, in] has fanIn 200
      expectStd(get('heNormal', { layout: 'torch' })(k), Math.sqrt(2 / 200));
      const custom = (t: ag.Tensor) => nn.init.constant_(t, 7);
      expect(get(custom)).toBe(custom);
      expect(() => get('glorotMagic')).toThrow(/unknown initializer 'glorotMagic'/);
    });
  });

  it('orthogonal and identity initializers', () => {
    ag.tidy(() => {
      const k = nn.getInitializer('orthogonal')(ag.zeros([5, 3]));
      const g = Array.from(k.T.matmul(k).data());
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(g[i * 3 + j]).toBeCloseTo(i === j ? 1 : 0, 5);
      expect(nn.initializers.identity({ gain: 2 })(ag.zeros([2, 2])).toArray()).toEqual([[2, 0], [0, 2]]);
    });
  });
});
