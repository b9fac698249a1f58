// Optimizer behaviour: hand-computed single steps, parameter groups, in-place updates, zeroGrad,
// stateDict round trips, validation errors, and Keras-style names.
import { describe, expect, it } from 'vitest';
import { dispose, tensor, memory, tidy, type Tensor } from '../../src/index';
import { SGD, Adam, AdamW, Adagrad, RMSprop, getOptimizer, type Optimizer } from '../../src/optim';
import { setGrad } from './reference';

const close = (a: ArrayLike<number>, b: number[], tol = 1e-6) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol);
};

describe('hand-computed steps', () => {
  it('SGD with momentum 0.9, lr 0.1', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    setGrad(p, [1, -2]); opt.step(); // buf = g = [1, -2]
    close(p.data(), [0.9, 2.2]);
    setGrad(p, [1, -2]); opt.step(); // buf = 0.9 [1, -2] + [1, -2] = [1.9, -3.8]
    close(p.data(), [0.71, 2.58]);
    opt.dispose(); p.dispose();
  });

  it('SGD dampening and nesterov first steps', () => {
    const p = tensor([1], { requiresGrad: true });
    const q = tensor([1], { requiresGrad: true });
    const damp = new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 });
    const nest = new SGD([q], { lr: 0.1, momentum: 0.9, nesterov: true });
    setGrad(p, [1]); setGrad(q, [1]); damp.step(); nest.step();
    close(p.data(), [0.9]); // first step: buf = g, no dampening
    close(q.data(), [0.81]); // g + 0.9 buf = 1.9
    setGrad(p, [1]); damp.step(); // buf = 0.9 + 0.5 = 1.4
    close(p.data(), [0.76]);
    damp.dispose(); nest.dispose(); p.dispose(); q.dispose();
  });

  it("Adam's first step moves each element by about lr · sign(grad)", () => {
    const p = tensor([1, -1, 0.5, 2], { requiresGrad: true });
    const opt = new Adam([p], { lr: 0.1 });
    setGrad(p, [0.5, -3, 1e-3, 100]);
    opt.step();
    // m̂ = g, sqrt(v̂) = |g|: step = lr · g / (|g| + 1e-8); for g = 1e-3 that is 0.1 · 0.99999
    close(p.data(), [0.9, -0.9, 0.5 - 0.0999990, 1.9]);
    opt.dispose(); p.dispose();
  });

  it('AdamW first step decays then steps: 1 · (1 − 0.1 · 0.01) − 0.1', () => {
    const p = tensor([1], { requiresGrad: true });
    const opt = new AdamW([p], { lr: 0.1 });
    setGrad(p, [2]); opt.step();
    close(p.data(), [0.899]);
    opt.dispose(); p.dispose();
  });

  it('Adagrad and RMSprop first steps', () => {
    const p = tensor([1], { requiresGrad: true });
    const q = tensor([1], { requiresGrad: true });
    const ada = new Adagrad([p], { lr: 0.1 }); // sum = 4, p = 1 − 0.1 · 2 / 2
    const rms = new RMSprop([q], { lr: 0.01 }); // s = 0.01 · 4, p = 1 − 0.01 · 2 / 0.2
    setGrad(p, [2]); setGrad(q, [2]); ada.step(); rms.step();
    close(p.data(), [0.9]);
    close(q.data(), [0.9]);
    ada.dispose(); rms.dispose(); p.dispose(); q.dispose();
  });
});

describe('Optimizer base', () => {
  it('updates in place: same Tensor object, same storage pointer', () => {
    const p = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const ptr = p._ptr;
    const opt = new Adam([p], { lr: 0.1 });
    setGrad(p, [1, 1, 1, 1]);
    opt.step();
    expect(p._ptr).toBe(ptr);
    close(p.data(), [0.9, 1.9, 2.9, 3.9]);
    opt.dispose(); p.dispose();
  });

  it('skips parameters without grad and creates state lazily', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const q = tensor([3], { requiresGrad: true });
    const opt = new Adam([p, q], { lr: 0.1 });
    expect(opt.state.size).toBe(0);
    setGrad(p, [1, 1]);
    opt.step();
    expect(opt.state.has(p)).toBe(true);
    expect(opt.state.has(q)).toBe(false);
    close(q.data(), [3]);
    expect(opt.state.get(p)!.step).toBe(1);
    opt.dispose(); p.dispose(); q.dispose();
  });

  it('param groups with different lr', () => {
    const p = tensor([1], { requiresGrad: true });
    const q = tensor([1], { requiresGrad: true });
    const opt = new SGD([{ params: [p] }, { params: [q], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups[0].lr).toBe(0.1);
    expect(opt.paramGroups[1].lr).toBe(0.5);
    expect(opt.paramGroups[1].momentum).toBe(0.9);
    setGrad(p, [1]); setGrad(q, [1]); opt.step();
    close(p.data(), [0.9]);
    close(q.data(), [0.5]);
    opt.lr = 0.2;
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.2, 0.2]);
    opt.dispose(); p.dispose(); q.dispose();
  });

  it("rejects options it does not have (PyTorch's snake_case names would otherwise be ignored), in groups too", () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new Adam([p], { lr: 0.1, weight_decay: 0.01 } as never)).toThrow(
      "asgrad.optim.Adam: unknown option 'weight_decay' (expected lr, betas, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay)");
    expect(() => new SGD([p], { momentom: 0.9 } as never)).toThrow(/asgrad\.optim\.SGD: unknown option 'momentom' \(expected lr, momentum, dampening, weightDecay, nesterov, maximize\)/);
    expect(() => new AdamW([{ params: [p], lr_decay: 1 } as never])).toThrow(/asgrad\.optim\.AdamW\.addParamGroup: unknown option 'lr_decay' \(expected lr, betas, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay, params\)/);
    for (const make of [() => new Adagrad([p], { foo: 1 } as never), () => new RMSprop([p], { foo: 1 } as never)]) expect(make).toThrow(/unknown option 'foo'/);
    p.dispose();
  });

  it('zeroGrad disposes grads and sets them to null; zeroGrad(false) zeroes in place', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.1 });
    tidy(() => p.mul(p).sum().backward());
    const before = memory().numTensors;
    expect(p.grad).not.toBeNull();
    opt.zeroGrad();
    expect(p.grad).toBeNull();
    expect(memory().numTensors).toBe(before - 1);
    tidy(() => p.mul(p).sum().backward());
    const g = p.grad!;
    opt.zeroGrad(false);
    expect(p.grad).toBe(g);
    expect(Array.from(g.data())).toEqual([0, 0]);
    opt.dispose(); p.dispose();
  });

  it('trains through backward(): grads from autograd, step inside tidy', () => {
    const w = tensor([0.5, -0.5], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    for (let i = 0; i < 3; i++) {
      tidy(() => { opt.zeroGrad(); w.square().sum().backward(); opt.step(); });
    }
    close(w.data(), [0.5 * 0.8 ** 3, -0.5 * 0.8 ** 3]); // w ← w − 0.1 · 2w
    opt.dispose(); w.dispose();
  });

  it('handles non-contiguous parameters and grads', () => {
    const base = tensor([[1, 2, 3], [4, 5, 6]]);
    const pt = base.T; // a leaf view, shape [3, 2]
    pt.requiresGrad = true;
    const opt = new SGD([pt], { lr: 0.5 });
    const gbase = tensor([[1, 1, 1], [2, 2, 2]]);
    pt.grad = gbase.T; // non-contiguous grad [[1, 2], [1, 2], [1, 2]]
    opt.step();
    expect(pt.toArray()).toEqual([[0.5, 3], [1.5, 4], [2.5, 5]]);
    expect(base.toArray()).toEqual([[0.5, 1.5, 2.5], [3, 4, 5]]);
    opt.dispose(); pt.dispose(); base.dispose(); gbase.dispose();
  });

  it('step(closure) returns the closure result', () => {
    const p = tensor([1], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.1 });
    const loss = opt.step(() => { setGrad(p, [1]); return 42; });
    expect(loss).toBe(42);
    close(p.data(), [0.9]);
    opt.dispose(); p.dispose();
  });

  it('can be created without params and given them later', () => {
    const p = tensor([1], { requiresGrad: true });
    const opt = new Adam(undefined, { lr: 0.1 });
    expect(opt.paramGroups.length).toBe(0);
    opt.step(); // nothing to do
    opt.setParams([p]);
    setGrad(p, [1]); opt.step();
    close(p.data(), [0.9]);
    const q = tensor([1], { requiresGrad: true });
    opt.addParamGroup({ params: [q], lr: 0.5 });
    setGrad(q, [-1]); opt.step();
    close(q.data(), [1.5]);
    opt.dispose(); p.dispose(); q.dispose();
  });
});

describe('stateDict / loadStateDict', () => {
  function runSteps(opt: Optimizer, ps: Tensor[], from: number, to: number): void {
    for (let t = from; t < to; t++) {
      ps.forEach((p, i) => setGrad(p, Array.from({ length: p.size }, (_, j) => Math.sin(t + i * 3 + j))));
      opt.step();
    }
  }
  const makers: Record<string, (ps: Tensor[]) => Optimizer> = {
    SGD: (ps) => new SGD([{ params: [ps[0]] }, { params: [ps[1]], lr: 0.02 }], { lr: 0.05, momentum: 0.9, nesterov: true }),
    Adam: (ps) => new Adam([{ params: [ps[0]] }, { params: [ps[1]], lr: 0.02 }], { lr: 0.05, amsgrad: true }),
    Adagrad: (ps) => new Adagrad([{ params: [ps[0]] }, { params: [ps[1]], lr: 0.02 }], { lr: 0.05, lrDecay: 0.1 }),
    RMSprop: (ps) => new RMSprop([{ params: [ps[0]] }, { params: [ps[1]], lr: 0.02 }], { lr: 0.05, centered: true, momentum: 0.5 }),
  };
  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: a restored optimizer continues identically`, () => {
      const a = [tensor([1, 2, 3, 4, 5], { requiresGrad: true }), tensor([[1, -1], [2, -2]], { requiresGrad: true })];
      const optA = make(a);
      runSteps(optA, a, 0, 3);
      const sd = optA.stateDict();
      expect(sd.paramGroups.map((g) => g.params)).toEqual([[0], [1]]);
      expect(sd.paramGroups[1].lr).toBe(0.02);
      const b = a.map((p) => { const c = tidy(() => p.detach().clone()); c.requiresGrad = true; return c; });
      const optB = make(b);
      optB.loadStateDict(sd);
      dispose(sd); // loadStateDict copied it
      runSteps(optA, a, 3, 6);
      runSteps(optB, b, 3, 6);
      for (let i = 0; i < a.length; i++) expect(Array.from(b[i].data())).toEqual(Array.from(a[i].data()));
      optA.dispose(); optB.dispose(); dispose([...a, ...b]);
    });
  }

  it('uses PyTorch layout with camelCase keys', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new Adam([p], { lr: 0.1 });
    setGrad(p, [1, 1]); opt.step();
    const sd = opt.stateDict();
    expect(Object.keys(sd.state[0]).sort()).toEqual(['expAvg', 'expAvgSq', 'step']);
    expect(sd.state[0].step).toBe(1);
    expect(Array.from((sd.state[0].expAvg as Tensor).data())).toEqual([Math.fround(0.1), Math.fround(0.1)]);
    expect(sd.paramGroups[0]).toMatchObject({ lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, params: [0] });
    dispose(sd); opt.dispose(); p.dispose();
  });

  it('rejects mismatched groups with clear errors', () => {
    const p = tensor([1], { requiresGrad: true });
    const q = tensor([1], { requiresGrad: true });
    const one = new SGD([p, q], { lr: 0.1 });
    const two = new SGD([{ params: [p] }, { params: [q] }], { lr: 0.1 });
    const sd1 = one.stateDict();
    expect(() => two.loadStateDict(sd1)).toThrow(/different number of parameter groups \(1\) than the optimizer \(2\)/);
    const three = new SGD([p], { lr: 0.1 });
    expect(() => three.loadStateDict(sd1)).toThrow(/doesn't match the size of optimizer's group/);
    one.dispose(); two.dispose(); three.dispose(); p.dispose(); q.dispose();
  });
});

describe('validation', () => {
  it('invalid hyperparameters throw PyTorch-style messages', () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new SGD([p], { lr: -1 })).toThrow('asgrad.optim.SGD: Invalid learning rate: -1');
    expect(() => new SGD([p], { momentum: -0.5 })).toThrow('Invalid momentum value: -0.5');
    expect(() => new SGD([p], { weightDecay: -1 })).toThrow('Invalid weight_decay value: -1');
    expect(() => new SGD([p], { nesterov: true })).toThrow(/Nesterov momentum requires a momentum and zero dampening/);
    expect(() => new SGD([p], { nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(/zero dampening/);
    expect(() => new Adam([p], { betas: [1, 0.999] })).toThrow('Invalid beta parameter at index 0: 1');
    expect(() => new Adam([p], { betas: [0.9, -0.1] })).toThrow('Invalid beta parameter at index 1: -0.1');
    expect(() => new Adam([p], { eps: -1e-8 })).toThrow('Invalid epsilon value: -1e-8');
    expect(() => new AdamW([p], { lr: NaN })).toThrow('asgrad.optim.AdamW: Invalid learning rate: NaN');
    expect(() => new Adagrad([p], { lrDecay: -1 })).toThrow('Invalid lr_decay value: -1');
    expect(() => new Adagrad([p], { initialAccumulatorValue: -1 })).toThrow('Invalid initial_accumulator_value value: -1');
    expect(() => new RMSprop([p], { alpha: -0.1 })).toThrow('Invalid alpha value: -0.1');
    expect(() => new RMSprop([p], { lr: '0.1' as unknown as number })).toThrow('Invalid learning rate: 0.1');
    expect(() => new SGD([{ params: [p], lr: -2 }], { lr: 0.1 })).toThrow('Invalid learning rate: -2');
    const opt = new SGD([p], { lr: 0.1 });
    opt.paramGroups[0].lr = -3; // caught at the next step
    setGrad(p, [1]);
    expect(() => opt.step()).toThrow('Invalid learning rate: -3');
    opt.dispose(); p.dispose();
  });

  it('refuses non-leaf, non-float32, duplicated and shape-mismatched parameters', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const i = tensor([1, 2], { dtype: 'int32' });
    tidy(() => {
      const y = p.mul(2);
      expect(() => new SGD([y], { lr: 0.1 })).toThrow(/can't optimize a non-leaf Tensor/);
    });
    expect(() => new SGD([i], { lr: 0.1 })).toThrow(/can only optimize float32 Tensors, got int32/);
    expect(() => new SGD([p, p], { lr: 0.1 })).toThrow(/same Tensor twice/);
    expect(() => new SGD([{ params: [p] }, { params: [p] }], { lr: 0.1 })).toThrow(/more than one parameter group/);
    expect(() => new SGD(p as unknown as Tensor[], { lr: 0.1 })).toThrow(/single Tensor/);
    const opt = new SGD([p], { lr: 0.1 });
    setGrad(p, [1, 2]);
    p.grad!.dispose();
    p.grad = tensor([1, 2, 3]);
    expect(() => opt.step()).toThrow(/gradient's shape \[3\] does not match its parameter's shape \[2\]/);
    opt.dispose(); p.dispose(); i.dispose();
  });
});

describe('getOptimizer (Keras names, tfjs defaults)', () => {
  it('maps names to optimizers with TensorFlow.js defaults', () => {
    const p = tensor([1], { requiresGrad: true });
    const sgd = getOptimizer('sgd', [p]);
    expect(sgd).toBeInstanceOf(SGD);
    expect(sgd.paramGroups[0].lr).toBe(0.01);
    const adam = getOptimizer('Adam') as Adam;
    expect(adam).toBeInstanceOf(Adam);
    expect(adam.defaults).toMatchObject({ lr: 0.001, betas: [0.9, 0.999], eps: 1e-7 });
    expect(getOptimizer('rmsprop').defaults).toMatchObject({ lr: 0.001, alpha: 0.9, eps: 1e-7 });
    expect(getOptimizer('adagrad').defaults).toMatchObject({ lr: 0.01, initialAccumulatorValue: 0.1 });
    expect(getOptimizer('adamw')).toBeInstanceOf(AdamW);
    expect(() => getOptimizer('lion')).toThrow(/unknown optimizer "lion"; expected one of 'sgd', 'adam'/);
    const mine = new RMSprop(undefined, { lr: 0.5 });
    expect(getOptimizer(mine, [p])).toBe(mine);
    expect(mine.paramGroups[0].params[0]).toBe(p);
    sgd.dispose(); mine.dispose(); p.dispose();
  });
});
