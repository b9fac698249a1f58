// Registry-driven finite-difference gradient check: every op in the registry must have a case in
// test/ops/gradcases/*.ts (each file exports `gradCases`), and every case must match central
// differences. Also second-order gradients through createGraph.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { gradCheck, type GradCases } from '../helpers/gradcheck';

const modules = import.meta.glob<{ gradCases: GradCases }>('./gradcases/*.ts', { eager: true });
const cases: GradCases = {};
for (const m of Object.values(modules)) {
  for (const [name, list] of Object.entries(m.gradCases)) (cases[name] ??= []).push(...list);
}

describe('gradient check', () => {
  it('has a case for every registered op', () => {
    const missing = [...ag._opRegistry.keys()].filter((name) => !(cases[name]?.length > 0));
    expect(missing, 'registered ops without a gradient-check case').toEqual([]);
  });

  for (const [name, list] of Object.entries(cases)) {
    describe(name, () => {
      list.forEach((c, i) => {
        it(c.label, () => {
          const r = gradCheck(c, 1000 + i);
          expect(r.worst, `${c.label}\nanalytic ${JSON.stringify(r.analytic)}\nnumeric  ${JSON.stringify(r.numeric)}`).toBeNull();
        });
      });
    });
  }
});

describe('second order (createGraph)', () => {
  /** d2/dx2 of sum(f(x)) through a second backward of x.grad. */
  function secondDerivative(values: number[], f: (x: ag.Tensor) => ag.Tensor): [number[], number[]] {
    return ag.tidy(() => {
      const x = ag.tensor(values, { requiresGrad: true });
      f(x).sum().backward(undefined, { createGraph: true });
      const g1 = x.grad!;
      expect(g1.requiresGrad).toBe(true);
      x.grad = null;
      g1.sum().backward();
      const r: [number[], number[]] = [Array.from(g1.data()), Array.from(x.grad!.data())];
      g1.dispose();
      x.dispose();
      return r;
    });
  }

  it('x^3 via mul', () => {
    const [g1, g2] = secondDerivative([-1.5, 0.5, 2], (x) => x.mul(x).mul(x));
    expect(g1).toEqual([6.75, 0.75, 12].map((v) => expect.closeTo(v, 5)));
    expect(g2).toEqual([-9, 3, 12].map((v) => expect.closeTo(v, 5)));
  });

  it('x^3 via pow', () => {
    const [g1, g2] = secondDerivative([0.5, 1.5, 2], (x) => x.pow(3));
    expect(g1).toEqual([0.75, 6.75, 12].map((v) => expect.closeTo(v, 4)));
    expect(g2).toEqual([3, 9, 12].map((v) => expect.closeTo(v, 4)));
  });

  it('exp, whose backward uses its saved output', () => {
    const [g1, g2] = secondDerivative([-1, 0, 0.5], (x) => x.exp());
    const e = [-1, 0, 0.5].map(Math.exp);
    expect(g1).toEqual(e.map((v) => expect.closeTo(v, 5)));
    expect(g2).toEqual(e.map((v) => expect.closeTo(v, 5)));
  });

  it('tanh and sigmoid', () => {
    const xs = [-0.7, 0.2, 1.1];
    const [, t2] = secondDerivative(xs, (x) => x.tanh());
    expect(t2).toEqual(xs.map((v) => expect.closeTo(-2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2), 5)));
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const [, s2] = secondDerivative(xs, (x) => x.sigmoid());
    expect(s2).toEqual(xs.map((v) => expect.closeTo(s(v) * (1 - s(v)) * (1 - 2 * s(v)), 5)));
  });

  it('log-softmax + matmul (a Hessian-vector style product)', () => {
    ag.tidy(() => {
      const w = ag.tensor([[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]], { requiresGrad: true });
      const x = ag.tensor([[1, 2, -1], [0.5, -1, 2]]);
      const loss = x.matmul(w).logSoftmax(-1).mul(ag.tensor([[1, 0], [0, 1]])).sum().neg();
      loss.backward(undefined, { createGraph: true });
      const g = w.grad!;
      w.grad = null;
      g.square().sum().backward();
      const hv = Array.from(w.grad!.data());
      g.dispose();
      // Finite differences of |grad|^2 in float64 over the same loss.
      const f = (wv: number[]): number => {
        let s = 0;
        const W = [[wv[0], wv[1]], [wv[2], wv[3]], [wv[4], wv[5]]];
        const X = [[1, 2, -1], [0.5, -1, 2]];
        const G = [[0, 0], [0, 0], [0, 0]];
        X.forEach((row, r) => {
          const z = [0, 1].map((j) => row.reduce((a, v, k) => a + v * W[k][j], 0));
          const m = Math.max(...z);
          const e = z.map((v) => Math.exp(v - m));
          const p = e.map((v) => v / (e[0] + e[1]));
          const t = [r === 0 ? 1 : 0, r === 1 ? 1 : 0];
          for (let k = 0; k < 3; k++) for (let j = 0; j < 2; j++) G[k][j] += -row[k] * (t[j] - p[j] * (t[0] + t[1]));
        });
        for (const row of G) for (const v of row) s += v * v;
        return s;
      };
      const w0 = [0.3, -0.2, 0.1, 0.4, -0.5, 0.2];
      const num = w0.map((_, i) => {
        const h = 1e-5;
        const p = [...w0]; p[i] += h;
        const m = [...w0]; m[i] -= h;
        return (f(p) - f(m)) / (2 * h);
      });
      expect(hv).toEqual(num.map((v) => expect.closeTo(v, 3)));
      w.dispose();
    });
  });
});
