// nn modules and optimizers against PyTorch's numbers (fixtures written by generate.py from
// torch_modules.py). A module is built in asgrad with the same configuration, loaded with the
// torch module's state_dict, and must give PyTorch's outputs, input and parameter gradients and
// buffers after the forward; an optimizer must follow PyTorch's parameter and learning-rate
// trajectory step by step.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import type { nn, optim, Tensor } from '../../src/index';
import { fromFixture, jsOf, loadFixture, mismatch, type Encoded } from './fixture';

interface ModuleCase {
  name: string; ctor: string; fwd: string; eval: boolean; tol: number;
  state0: Record<string, Encoded>; inputs: (Encoded & { kind: string })[];
  outputs: Encoded[]; cots: number[][]; inputGrads: (Encoded | null)[];
  paramGrads: Record<string, Encoded>; buffers1: Record<string, Encoded>;
}
interface OptimizerCase {
  name: string; js: string; jsSched: string | null; plateau: boolean;
  start: Encoded[]; x: Encoded; y: Encoded; steps: { lr: number; params: Encoded[]; mom?: number }[];
}
interface Scheduler { step(metric?: number): void }

const { torch, modules, optimizers } = loadFixture<{ torch: string; modules: ModuleCase[]; optimizers: OptimizerCase[] }>('modules.json');

/** The torch state_dict as asgrad tensors (num_batches_tracked as int32). */
const stateOf = (s: Record<string, Encoded>) =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, fromFixture(v, k.endsWith('num_batches_tracked') ? 'int:0' : 'randn')]));

function checkModule(c: ModuleCase): string[] {
  const problems: (string | null)[] = [];
  const m = jsOf<nn.Module>(c.ctor);
  const inputs = c.inputs.map((i) => fromFixture(i, i.kind, !i.kind.startsWith('int:')));
  try {
    ag.tidy(() => {
      m.loadStateDict(stateOf(c.state0));
      if (c.eval) m.eval();
      const r = jsOf<(m: nn.Module, ...xs: Tensor[]) => Tensor | Tensor[]>(c.fwd)(m, ...inputs);
      const outs = Array.isArray(r) ? r : [r];
      problems.push(outs.length === c.outputs.length ? null : `${outs.length} outputs, PyTorch ${c.outputs.length}`);
      outs.forEach((o, k) => problems.push(mismatch(`output ${k}`, o, c.outputs[k], c.tol)));
      outs.map((o, k) => o.mul(ag.tensor(Float32Array.from(c.cots[k]), { shape: o.shape })).sum()).reduce((a, b) => a.add(b)).backward();
    });
    inputs.forEach((x, k) => { const g = c.inputGrads[k]; if (g) problems.push(mismatch(`gradient of input ${k}`, x.grad, g, 10 * c.tol)); });
    const params = new Map(m.namedParameters());
    for (const [name, g] of Object.entries(c.paramGrads)) problems.push(mismatch(`gradient of ${name}`, params.get(name)?.grad, g, 10 * c.tol));
    const state = m.stateDict();
    for (const [name, v] of Object.entries(c.buffers1)) problems.push(mismatch(`buffer ${name}`, state[name], v, c.tol));
  } finally {
    ag.dispose(inputs);
    m.dispose();
  }
  return problems.filter((p): p is string => p !== null);
}

function checkOptimizer(c: OptimizerCase): string[] {
  const problems: string[] = [];
  const params = c.start.map((e) => fromFixture(e, 'randn', true));
  const [w, b] = params, x = fromFixture(c.x), y = fromFixture(c.y);
  const opt = jsOf<(p: Tensor[]) => optim.Optimizer>(c.js)(params);
  try {
    const sched = c.jsSched ? jsOf<(o: optim.Optimizer) => Scheduler>(c.jsSched)(opt) : null;
    c.steps.forEach((want, s) => {
      opt.zeroGrad();
      const loss = ag.tidy(() => {
        const l = ag.matmul(x, w).add(b).sub(y).pow(2).mean().add(w.pow(4).sum().mul(0.01));
        l.backward();
        return l.item();
      });
      opt.step();
      if (sched) sched.step(c.plateau ? loss : undefined);
      const lr = opt.paramGroups[0].lr;
      if (Math.abs(lr - want.lr) > 1e-7 * (1 + Math.abs(want.lr))) problems.push(`step ${s}: lr ${lr}, PyTorch ${want.lr}`);
      // Momentum cycled by CyclicLR / OneCycleLR: SGD's momentum or Adam's betas[0].
      const g = opt.paramGroups[0] as { momentum?: number; betas?: number[] }, mom = g.betas ? g.betas[0] : g.momentum;
      if (want.mom !== undefined && !(Math.abs(mom! - want.mom) <= 1e-7)) problems.push(`step ${s}: momentum ${mom}, PyTorch ${want.mom}`);
      params.forEach((p, k) => { const e = mismatch(`step ${s}, parameter ${k}`, p, want.params[k], 2e-4); if (e) problems.push(e); });
    });
  } finally {
    opt.dispose(); // its state (momentum, moments)
    ag.dispose([...params, x, y]);
  }
  return problems;
}

describe(`modules match PyTorch ${torch}`, () => {
  it('has the cases generate.py wrote', () => expect(modules.length).toBeGreaterThan(20));
  for (const c of modules) it(c.name, () => expect(checkModule(c)).toEqual([]));
});

describe(`optimizers and schedulers match PyTorch ${torch}`, () => {
  it('has the cases generate.py wrote', () => expect(optimizers.length).toBeGreaterThan(10));
  for (const c of optimizers) it(c.name, () => expect(checkOptimizer(c)).toEqual([]));
});
