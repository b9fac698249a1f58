import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import * as nn from '../../src/nn';
import { close, flat } from '../helpers/close';

describe('Linear', () => {
  it('computes x W^T + b with hand-computed values and gradients', () => {
    const fc = new nn.Linear(3, 2);
    ag.tidy(() => {
      nn.assign(fc.weight, ag.tensor([[1, 2, 3], [-1, 0, 1]]));
      nn.assign(fc.bias!, ag.tensor([0.5, -0.5]));
      const x = ag.tensor([[1, 1, 1], [2, 0, -1]]);
      const y = fc.call(x);
      // row 0: [1+2+3+0.5, -1+0+1-0.5]; row 1: [2-3+0.5, -2-1-0.5]
      expect(y.toArray()).toEqual([[6.5, -0.5], [-0.5, -3.5]]);
      // L = sum(y * R): dW = R^T x, db = sum_rows R
      const R = ag.tensor([[1, 2], [3, -1]]);
      y.mul(R).sum().backward();
      expect(fc.weight.grad!.toArray()).toEqual([[1 + 6, 1, 1 - 3], [2 - 2, 2, 2 + 1]]);
      expect(fc.bias!.grad!.toArray()).toEqual([4, 1]);
    });
    fc.dispose();
  });

  it('handles batched [B, T, in] input and no bias', () => {
    const fc = new nn.Linear(2, 1, { bias: false });
    expect(fc.bias).toBeNull();
    expect(fc.parameters().length).toBe(1);
    ag.tidy(() => {
      nn.assign(fc.weight, ag.tensor([[2, -1]]));
      const y = fc.call(ag.tensor([[[1, 2], [3, 4]], [[0, 1], [1, 0]]]));
      expect(y.toArray()).toEqual([[[0], [2]], [[-1], [2]]]);
      expect(() => fc.call(ag.ones([2, 3]))).toThrow(/in_features=2, got input shape \[2, 3\]/);
    });
    fc.dispose();
  });

  it("uses PyTorch's default init: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias", () => {
    ag.manualSeed(0);
    const fc = new nn.Linear(400, 300);
    const bound = 1 / Math.sqrt(400);
    const w = flat(fc.weight), b = flat(fc.bias!);
    expect(Math.max(...w.map(Math.abs), ...b.map(Math.abs))).toBeLessThanOrEqual(bound);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(Math.abs(std - bound / Math.sqrt(3))).toBeLessThan(0.002); // U(-a, a) has std a / sqrt(3)
    expect(w.reduce((m, v) => Math.max(m, v), 0)).toBeGreaterThan(0.99 * bound);
    fc.dispose();
  });
});

describe('Sequential', () => {
  it('chains, indexes, appends and iterates', () => {
    const s = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
    s.add(new nn.Identity());
    expect(s.length).toBe(3);
    expect(s.get(-1)).toBeInstanceOf(nn.Identity);
    expect(s.at(1)).toBeInstanceOf(nn.ReLU);
    expect([...s].map((m) => m.constructor.name)).toEqual(['Linear', 'ReLU', 'Identity']);
    expect(s.namedChildren().map(([n]) => n)).toEqual(['0', '1', '2']);
    expect(() => s.get(3)).toThrow(/index 3 is out of range for 3 layers/);
    ag.tidy(() => {
      const fc = s.get<nn.Linear>(0);
      nn.assign(fc.weight, ag.tensor([[1, 0], [0, -1]]));
      nn.assign(fc.bias!, 0);
      expect(s.call(ag.tensor([[3, 4]])).toArray()).toEqual([[3, 0]]);
    });
    s.dispose();
    const named = new nn.Sequential({ enc: new nn.Linear(1, 1), act: new nn.Tanh() });
    expect(named.namedParameters().map(([n]) => n)).toEqual(['enc.weight', 'enc.bias']);
    named.dispose();
  });
});

describe('Flatten and Identity', () => {
  it('flattens dims startDim..endDim', () => {
    ag.tidy(() => {
      const x = ag.zeros([2, 3, 4, 5]);
      expect(new nn.Flatten().call(x).shape).toEqual([2, 60]);
      expect(new nn.Flatten(0, 1).call(x).shape).toEqual([6, 4, 5]);
      expect(new nn.Flatten(1, 2).call(x).shape).toEqual([2, 12, 5]);
      expect(new nn.Identity().call(x)).toBe(x);
    });
  });
});

describe('activations', () => {
  it('match the closed forms', () => {
    ag.tidy(() => {
      const xs = [-2, -0.5, 0.5, 3];
      const x = ag.tensor(xs);
      const erf = (z: number) => { // Abramowitz-Stegun 7.1.26 is too coarse; use a series
        let s = 0, term = z;
        for (let n = 0; n < 60; n++) { s += term / (2 * n + 1); term *= -z * z / (n + 1); }
        return (2 / Math.sqrt(Math.PI)) * s;
      };
      const cases: [nn.Module, (v: number) => number][] = [
        [new nn.ReLU(), (v) => Math.max(v, 0)],
        [new nn.LeakyReLU(0.1), (v) => (v > 0 ? v : 0.1 * v)],
        [new nn.Sigmoid(), (v) => 1 / (1 + Math.exp(-v))],
        [new nn.Tanh(), Math.tanh],
        [new nn.ELU(0.5), (v) => (v > 0 ? v : 0.5 * (Math.exp(v) - 1))],
        [new nn.Softplus(2), (v) => Math.log1p(Math.exp(2 * v)) / 2],
        [new nn.GELU(), (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
      ];
      for (const [m, f] of cases) close(flat(m.call(x)), xs.map(f), 1e-5);
      // the activations composed from other ops, over every piece of the clamping ones
      const wide = [-4, -2, -0.5, 0.5, 3, 7], xw = ag.tensor(wide);
      const composed: [nn.Module, (v: number) => number][] = [
        [new nn.SiLU(), (v) => v / (1 + Math.exp(-v))],
        [new nn.Hardtanh(-0.7, 2), (v) => Math.min(Math.max(v, -0.7), 2)],
        [new nn.ReLU6(), (v) => Math.min(Math.max(v, 0), 6)],
        [new nn.SELU(), (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1))],
        [new nn.Mish(), (v) => v * Math.tanh(Math.log1p(Math.exp(v)))],
        [new nn.Hardsigmoid(), (v) => Math.min(Math.max(v + 3, 0), 6) / 6],
        [new nn.Hardswish(), (v) => v * Math.min(Math.max(v + 3, 0), 6) / 6],
        [new nn.Softsign(), (v) => v / (1 + Math.abs(v))],
      ];
      for (const [m, f] of composed) close(flat(m.call(xw)), wide.map(f), 1e-5);
      const z = ag.tensor([[1, 2, 3], [0, 0, 0]]);
      const e = [Math.exp(1), Math.exp(2), Math.exp(3)], se = e[0] + e[1] + e[2];
      close(flat(new nn.Softmax(1).call(z)), [...e.map((v) => v / se), 1 / 3, 1 / 3, 1 / 3]);
      close(flat(new nn.LogSoftmax().call(z)), [...e.map((v) => Math.log(v / se)), ...[0, 0, 0].map(() => -Math.log(3))]);
      close(flat(new nn.Softmax(0).call(z)), [1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(-3)), 1 / (1 + Math.exp(1)), 1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(3))]);
    });
  });

  it('propagate gradients (tanh and sigmoid derivatives)', () => {
    ag.tidy(() => {
      const x = ag.tensor([-1, 0.5, 2], { requiresGrad: true });
      new nn.Tanh().call(x).sum().backward();
      close(flat(x.grad!), [-1, 0.5, 2].map((v) => 1 - Math.tanh(v) ** 2));
      x.grad!.dispose(); x.grad = null;
      new nn.Sigmoid().call(x).sum().backward();
      close(flat(x.grad!), [-1, 0.5, 2].map((v) => { const s = 1 / (1 + Math.exp(-v)); return s * (1 - s); }));
    });
  });
});
