// MultiStepLR, LambdaLR and OneCycleLR: sequences against PyTorch 1.13's numbers (printed by
// torch.optim.lr_scheduler with the same arguments), momentum / betas cycling, stateDict round
// trips, resuming, and argument errors. test/parity/modules.test.ts runs them inside training too.
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index';
import { Adam, LambdaLR, MultiStepLR, OneCycleLR, SGD, StepLR, type LRScheduler, type Optimizer } from '../../src/optim';

function withOpt<O extends Optimizer>(make: (ps: Tensor[]) => O, fn: (opt: O) => void, n = 1): void {
  const ps = Array.from({ length: n }, () => tensor([0], { requiresGrad: true }));
  const opt = make(ps);
  try { fn(opt); } finally { opt.dispose(); ps.forEach((p) => p.dispose()); }
}
const sgd = (o: object = {}) => (ps: Tensor[]) => new SGD(ps, { lr: 1, ...o });

/** lr after construction and after each of `n` steps (group 0). */
function sequence(s: LRScheduler, n: number): number[] {
  const out = [s.getLastLr()[0]];
  for (let i = 0; i < n; i++) { s.step(); out.push(s.getLastLr()[0]); }
  return out;
}

const close = (a: number[], b: number[], tol = 1e-12) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `index ${i}: ${v} vs ${b[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]))));
};

describe('MultiStepLR', () => {
  it('decays at each milestone, twice at a repeated one, unsorted input accepted', () => withOpt(sgd(), (opt) => {
    close(sequence(new MultiStepLR(opt, [6, 2, 6], 0.5), 8), [1, 1, 0.5, 0.5, 0.5, 0.5, 0.125, 0.125, 0.125]);
  }));

  it('chains with StepLR multiplicatively (chainable form, as PyTorch)', () => withOpt(sgd(), (opt) => {
    const a = new MultiStepLR(opt, [2], 0.1), b = new StepLR(opt, 3, 0.5);
    const lrs = [opt.lr];
    for (let i = 0; i < 4; i++) { a.step(); b.step(); lrs.push(opt.lr); }
    close(lrs, [1, 1, 0.1, 0.05, 0.05]);
  }));

  it('rejects bad milestones and gamma', () => withOpt(sgd(), (opt) => {
    expect(() => new MultiStepLR(opt, [1.5])).toThrow(/asgrad\.optim\.MultiStepLR: milestones must be integers, got \[1\.5\]/);
    expect(() => new MultiStepLR(opt, 3 as unknown as number[])).toThrow(/milestones must be integers, got 3/);
    expect(() => new MultiStepLR(opt, [1], NaN)).toThrow(/gamma must be a finite number/);
  }));
});

describe('LambdaLR', () => {
  it('lr = base · lambda(epoch), one lambda per group', () => withOpt((ps) => new SGD([{ params: [ps[0]], lr: 0.1 }, { params: [ps[1]], lr: 0.05 }]), (opt) => {
    const s = new LambdaLR(opt, [(e) => 1 / (e + 1), (e) => 0.9 ** e]);
    for (let i = 0; i < 3; i++) s.step();
    close(s.getLastLr(), [0.1 / 4, 0.05 * 0.9 ** 3]);
  }, 2));

  it('stateDict saves lambdas as null and loadStateDict keeps the functions', () => withOpt(sgd(), (opt) => {
    const s = new LambdaLR(opt, (e) => 0.5 ** e);
    s.step(); s.step();
    const sd = s.stateDict();
    expect(sd.lrLambdas).toEqual([null]);
    expect(sd.lastEpoch).toBe(2);
    expect(JSON.parse(JSON.stringify(sd))).toEqual(sd);
    const s2 = new LambdaLR(opt, (e) => 0.5 ** e);
    s2.loadStateDict(JSON.parse(JSON.stringify(sd)));
    s2.step();
    expect(s2.lastEpoch).toBe(3);
    close(s2.getLastLr(), [0.125]);
  }));

  it('rejects a wrong number of lambdas and non-functions', () => withOpt(sgd(), (opt) => {
    expect(() => new LambdaLR(opt, [(e) => e, (e) => e])).toThrow(/asgrad\.optim\.LambdaLR: expected a function or 1 \(one per group\)/);
    expect(() => new LambdaLR(opt, 0.5 as unknown as () => number)).toThrow(/expected a function or 1 \(one per group\), got 0\.5/);
  }));
});

// torch.optim.lr_scheduler.OneCycleLR(SGD(lr=0.1, momentum=0.9), max_lr=0.1, total_steps=10):
// lr and momentum after construction and after each step.
const TORCH_COS_LR = [0.0040000000000000036, 0.052000000000000005, 0.1, 0.09504846320134738, 0.0811745653949763, 0.06112620219362893,
  0.03887419780637107, 0.0188258346050237, 0.004951936798652629, 4e-07, 0.004951936798652624];
const TORCH_COS_MOM = [0.95, 0.8999999999999999, 0.85, 0.854951556604879, 0.8688255099070633, 0.8888739533021842,
  0.9111260466978157, 0.9311744900929366, 0.945048443395121, 0.95, 0.945048443395121];

describe('OneCycleLR', () => {
  it("matches PyTorch's lr and momentum (two phases, cos)", () => withOpt(sgd({ momentum: 0.9 }), (opt) => {
    const s = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 });
    const lr = [opt.lr], mom = [opt.paramGroups[0].momentum];
    for (let i = 0; i < 10; i++) { s.step(); lr.push(opt.lr); mom.push(opt.paramGroups[0].momentum); }
    close(lr, TORCH_COS_LR, 1e-12);
    close(mom, TORCH_COS_MOM, 1e-12);
    const g = opt.paramGroups[0];
    close([g.initialLr!, g.maxLr as number, g.minLr as number, g.maxMomentum as number, g.baseMomentum as number], [0.004, 0.1, 4e-7, 0.95, 0.85]);
    expect(() => s.step()).toThrow(/asgrad\.optim\.OneCycleLR: stepped 12 times, more than totalSteps 10/);
  }));

  it("cycles Adam's betas[0] and leaves betas[1]", () => withOpt((ps) => new Adam(ps, { betas: [0.9, 0.99] }), (opt) => {
    const s = new OneCycleLR(opt, { maxLr: 0.1, epochs: 2, stepsPerEpoch: 5, threePhase: true, annealStrategy: 'linear' });
    expect(opt.paramGroups[0].betas).toEqual([0.95, 0.99]);
    for (let i = 0; i < 3; i++) s.step();
    // three phases, linear: end steps 2, 4, 9; at step 3 halfway down from maxLr to initialLr
    expect(opt.lr).toBeCloseTo((0.1 + 0.004) / 2, 15);
    expect(opt.paramGroups[0].betas[0]).toBeCloseTo((0.85 + 0.95) / 2, 15);
    expect(opt.paramGroups[0].betas[1]).toBe(0.99);
  }));

  it('cycleMomentum: false leaves momentum alone; per-group maxLr', () => withOpt((ps) => new SGD([{ params: [ps[0]] }, { params: [ps[1]] }], { lr: 1, momentum: 0.5 }), (opt) => {
    new OneCycleLR(opt, { maxLr: [1, 2], totalSteps: 4, cycleMomentum: false });
    close(opt.paramGroups.flatMap((g) => [g.lr, g.momentum]), [0.04, 0.5, 0.08, 0.5]);
  }, 2));

  it('stateDict round trip resumes the same sequence', () => withOpt(sgd({ momentum: 0.9 }), (opt) => {
    const s = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 });
    for (let i = 0; i < 4; i++) s.step();
    const osd = opt.stateDict(), ssd = JSON.parse(JSON.stringify(s.stateDict()));
    withOpt(sgd({ momentum: 0.9 }), (opt2) => {
      opt2.loadStateDict(osd);
      const s2 = new OneCycleLR(opt2, { maxLr: 0.1, totalSteps: 10, lastEpoch: 3 });
      s2.loadStateDict(ssd);
      for (let i = 0; i < 5; i++) {
        s.step(); s2.step();
        expect(s2.getLastLr()).toEqual(s.getLastLr());
        expect(opt2.paramGroups[0].momentum).toBe(opt.paramGroups[0].momentum);
      }
    });
  }));

  it('rejects bad arguments with the option names', () => withOpt(sgd(), (opt) => {
    expect(() => new OneCycleLR(opt, { maxLr: 0.1, total_steps: 10 } as never)).toThrow(/asgrad\.optim\.OneCycleLR: unknown option 'total_steps'/);
    expect(() => new OneCycleLR(opt, { maxLr: 0.1 })).toThrow(/expected a positive integer totalSteps \(or epochs × stepsPerEpoch\).*got NaN/);
    expect(() => new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10, pctStart: 1.5 })).toThrow(/pctStart in \[0, 1\].*got 10, 1\.5, cos/);
    expect(() => new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10, annealStrategy: 'exp' as never })).toThrow(/annealStrategy 'cos' or 'linear'; got 10, 0\.3, exp/);
    expect(() => new OneCycleLR(opt, { maxLr: [0.1, 0.2], totalSteps: 10 })).toThrow(/maxLr must be a number or 1 numbers \(one per group\), got \[0\.1,0\.2\]/);
    expect(() => new OneCycleLR({} as never, { maxLr: 0.1, totalSteps: 10 })).toThrow(/expected an Optimizer/);
  }));

  it('needs momentum or betas unless cycleMomentum is false', () => {
    class Plain extends SGD {}
    withOpt((ps) => {
      const o = new Plain(ps, { lr: 1 });
      delete (o.defaults as Partial<typeof o.defaults>).momentum;
      return o;
    }, (opt) => {
      expect(() => new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 5 })).toThrow(/has no momentum or betas: pass cycleMomentum: false/);
      expect(() => new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 5, cycleMomentum: false })).not.toThrow();
    });
  });
});
