// Every optimizer and option against float64 references of PyTorch's formulas: several steps, at
// sizes that exercise the 16-wide body, the 4-wide loop and the scalar tail of the kernels.
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index';
import { SGD, Adam, AdamW, Adagrad, RMSprop, type Optimizer } from '../../src/optim';
import { adagradRef, adamRef, gradValues, initValues, maxErr, rmspropRef, setGrad, sgdRef, type RefState, type Vec } from './reference';

const SIZES = [0, 1, 3, 5, 17, 1003];

/** Runs `steps` steps of the optimizer and of the reference from the same f32 values. */
function compare(make: (ps: Tensor[]) => Optimizer, ref: (p: Vec, g: Vec, s: RefState) => void, steps = 7, rtol = 2e-6): void {
  for (const n of SIZES) {
    const p0 = initValues(n, n).map(Math.fround);
    const p = tensor(Array.from(p0), { requiresGrad: true });
    const opt = make([p]);
    const pr = Float64Array.from(p0);
    const s: RefState = {};
    for (let t = 1; t <= steps; t++) {
      const g = gradValues(n, t).map(Math.fround);
      setGrad(p, g);
      opt.step();
      ref(pr, g, s);
    }
    const err = maxErr(p.data(), pr, rtol);
    expect(err, `n = ${n}`).toBeLessThanOrEqual(1);
    opt.dispose();
    p.dispose();
  }
}

describe('SGD matches PyTorch', () => {
  const cases: Record<string, object> = {
    plain: { lr: 0.1 },
    momentum: { lr: 0.05, momentum: 0.9 },
    dampening: { lr: 0.05, momentum: 0.9, dampening: 0.3 },
    nesterov: { lr: 0.05, momentum: 0.8, nesterov: true },
    weightDecay: { lr: 0.05, momentum: 0.9, weightDecay: 0.1 },
    maximize: { lr: 0.05, momentum: 0.5, maximize: true, weightDecay: 0.01 },
  };
  for (const [name, o] of Object.entries(cases)) {
    it(name, () => compare((ps) => new SGD(ps, o), (p, g, s) => sgdRef(p, g, s, o as { lr: number })));
  }
});

describe('Adam / AdamW match PyTorch', () => {
  const cases: Record<string, object> = {
    defaults: { lr: 0.01 },
    betas: { lr: 0.02, betas: [0.8, 0.95], eps: 1e-6 },
    amsgrad: { lr: 0.01, amsgrad: true },
    l2: { lr: 0.01, weightDecay: 0.1 },
    maximize: { lr: 0.01, maximize: true },
  };
  for (const [name, o] of Object.entries(cases)) {
    it(`Adam ${name}`, () => compare((ps) => new Adam(ps, o), (p, g, s) => adamRef(p, g, s, o as { lr: number })));
  }
  it('Adam decoupledWeightDecay equals AdamW', () => {
    const o = { lr: 0.01, weightDecay: 0.1 };
    compare((ps) => new Adam(ps, { ...o, decoupledWeightDecay: true }), (p, g, s) => adamRef(p, g, s, { ...o, decoupled: true }));
  });
  it('AdamW default weightDecay 0.01 (decoupled)', () => {
    compare((ps) => new AdamW(ps, { lr: 0.01 }), (p, g, s) => adamRef(p, g, s, { lr: 0.01, weightDecay: 0.01, decoupled: true }));
  });
  it('AdamW amsgrad + strong decay', () => {
    const o = { lr: 0.05, weightDecay: 0.5, amsgrad: true };
    compare((ps) => new AdamW(ps, o), (p, g, s) => adamRef(p, g, s, { ...o, decoupled: true }));
  });
  it('L2 and decoupled decay differ', () => {
    const p = tensor([1, -2, 3], { requiresGrad: true });
    const q = tensor([1, -2, 3], { requiresGrad: true });
    const a = new Adam([p], { lr: 0.1, weightDecay: 0.5 });
    const b = new AdamW([q], { lr: 0.1, weightDecay: 0.5 });
    for (let t = 0; t < 3; t++) { setGrad(p, [0.1, 0.1, 0.1]); setGrad(q, [0.1, 0.1, 0.1]); a.step(); b.step(); }
    const [x, y] = [p.data(), q.data()];
    expect(Math.abs(x[2] - y[2])).toBeGreaterThan(1e-3);
    a.dispose(); b.dispose(); p.dispose(); q.dispose();
  });
});

describe('Adagrad matches PyTorch', () => {
  const cases: Record<string, object> = {
    defaults: { lr: 0.1 },
    lrDecay: { lr: 0.1, lrDecay: 0.05 },
    initialAccumulator: { lr: 0.1, initialAccumulatorValue: 0.5, eps: 1e-6 },
    weightDecay: { lr: 0.1, weightDecay: 0.2, maximize: true },
  };
  for (const [name, o] of Object.entries(cases)) {
    it(name, () => compare((ps) => new Adagrad(ps, o), (p, g, s) => adagradRef(p, g, s, o as { lr: number })));
  }
});

describe('RMSprop matches PyTorch', () => {
  const cases: Record<string, object> = {
    defaults: { lr: 0.01 },
    alpha: { lr: 0.01, alpha: 0.9, eps: 1e-6 },
    centered: { lr: 0.01, centered: true },
    momentum: { lr: 0.01, momentum: 0.9 },
    centeredMomentum: { lr: 0.005, centered: true, momentum: 0.7, weightDecay: 0.1 },
    maximize: { lr: 0.01, maximize: true, weightDecay: 0.05 },
  };
  for (const [name, o] of Object.entries(cases)) {
    it(name, () => compare((ps) => new RMSprop(ps, o), (p, g, s) => rmspropRef(p, g, s, o as { lr: number }), 7, 5e-6));
  }
});
