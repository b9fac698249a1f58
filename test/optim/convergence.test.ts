// Every optimizer fits a tiny linear regression y = X w + b through autograd, without leaks.
import { describe, expect, it } from 'vitest';
import { manualSeed, randn, tensor, tidy, zeros, dispose } from '../../src/index';
import { SGD, Adam, AdamW, Adagrad, RMSprop, StepLR, clipGradNorm, type Optimizer } from '../../src/optim';
import type { Tensor } from '../../src/index';

const TRUE_W = [2, -3, 0.5];
const TRUE_B = 1;

function fit(make: (ps: Tensor[]) => Optimizer, steps: number): { w: number[]; b: number; loss: number } {
  manualSeed(7);
  const X = randn([64, 3]);
  const y = tidy(() => X.matmul(tensor(TRUE_W, { shape: [3, 1] })).add(TRUE_B));
  const w = zeros([3, 1], { requiresGrad: true });
  const b = zeros([1], { requiresGrad: true });
  const opt = make([w, b]);
  const sched = new StepLR(opt, 100, 0.5);
  let loss = Infinity;
  for (let i = 0; i < steps; i++) {
    loss = tidy(() => {
      opt.zeroGrad();
      const l = X.matmul(w).add(b).sub(y).square().mean();
      l.backward();
      clipGradNorm([w, b], 100);
      opt.step();
      return l.item();
    });
    sched.step();
  }
  const out = { w: Array.from(w.data()), b: b.item(), loss };
  opt.dispose();
  dispose([X, y, w, b]);
  return out;
}

describe('linear regression converges', () => {
  const cases: Record<string, [(ps: Tensor[]) => Optimizer, number, number]> = {
    SGD: [(ps) => new SGD(ps, { lr: 0.1, momentum: 0.9 }), 300, 1e-3],
    Adam: [(ps) => new Adam(ps, { lr: 0.1 }), 400, 1e-3],
    AdamW: [(ps) => new AdamW(ps, { lr: 0.1, weightDecay: 1e-4 }), 400, 1e-2],
    Adagrad: [(ps) => new Adagrad(ps, { lr: 1 }), 400, 1e-3],
    RMSprop: [(ps) => new RMSprop(ps, { lr: 0.05, centered: true }), 700, 5e-3],
  };
  for (const [name, [make, steps, tol]] of Object.entries(cases)) {
    it(name, () => {
      const { w, b, loss } = fit(make, steps);
      expect(loss).toBeLessThan(tol * tol);
      w.forEach((v, i) => expect(Math.abs(v - TRUE_W[i])).toBeLessThan(tol));
      expect(Math.abs(b - TRUE_B)).toBeLessThan(tol);
    });
  }
});
