// Schedulers: lr sequences against PyTorch's closed forms, chaining, ReduceLROnPlateau traces,
// stateDict round trips and validation.
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index';
import { SGD, StepLR, ExponentialLR, CosineAnnealingLR, LinearLR, ReduceLROnPlateau, warmup, type LRScheduler } from '../../src/optim';

function withOpt(fn: (opt: SGD) => void, lrs = [1]): void {
  const ps: Tensor[] = lrs.map(() => tensor([0], { requiresGrad: true }));
  const opt = new SGD(ps.map((p, i) => ({ params: [p], lr: lrs[i] })), { lr: 1 });
  try { fn(opt); } finally { opt.dispose(); ps.forEach((p) => p.dispose()); }
}

/** lr after construction (epoch 0) and after each of `n` steps. */
function sequence(s: LRScheduler, n: number, group = 0): number[] {
  const out = [s.getLastLr()[group]];
  for (let i = 0; i < n; i++) { s.step(); out.push(s.getLastLr()[group]); }
  return out;
}

function expectSeq(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]), `epoch ${i}: ${a} vs ${expected[i]}`).toBeLessThan(1e-12));
}

const range = (n: number) => Array.from({ length: n + 1 }, (_, e) => e);

describe('closed forms', () => {
  it('StepLR: base · gamma^floor(e / stepSize), per group', () => withOpt((opt) => {
    const s = new StepLR(opt, 3, 0.5);
    expectSeq(sequence(s, 12), range(12).map((e) => 0.5 ** Math.floor(e / 3)));
    expect(opt.paramGroups[1].lr).toBeCloseTo(0.1 * 0.5 ** 4, 15);
  }, [1, 0.1]));

  it('ExponentialLR: base · gamma^e', () => withOpt((opt) => {
    expectSeq(sequence(new ExponentialLR(opt, 0.9), 20), range(20).map((e) => 0.9 ** e));
  }));

  it('CosineAnnealingLR: etaMin + (base − etaMin)(1 + cos(πe/T))/2, also past T', () => withOpt((opt) => {
    const T = 10, eta = 0.1;
    expectSeq(sequence(new CosineAnnealingLR(opt, T, eta), 35), range(35).map((e) => eta + (1 - eta) * (1 + Math.cos(Math.PI * e / T)) / 2));
  }));

  it('LinearLR: base · (s + (e_f − s) · min(e, N) / N)', () => withOpt((opt) => {
    expectSeq(sequence(new LinearLR(opt, 0.25, 1, 4), 8), range(8).map((e) => 0.25 + 0.75 * Math.min(e, 4) / 4));
  }));

  it('LinearLR decay with defaults (1/3 → 1 over 5)', () => withOpt((opt) => {
    expectSeq(sequence(new LinearLR(opt), 7), range(7).map((e) => 1 / 3 + (2 / 3) * Math.min(e, 5) / 5));
  }));

  it('warmup then cosine: chained schedulers multiply', () => withOpt((opt) => {
    const w = warmup(opt, 4);
    const c = new CosineAnnealingLR(opt, 10);
    const got = [opt.lr];
    for (let i = 0; i < 8; i++) { w.step(); c.step(); got.push(opt.lr); }
    expectSeq(got, range(8).map((e) => (0.25 + 0.75 * Math.min(e, 4) / 4) * (1 + Math.cos(Math.PI * e / 10)) / 2));
    expect(opt.paramGroups[0].initialLr).toBe(1);
  }));
});

describe('scheduler state', () => {
  it('stateDict round trip resumes the same sequence', () => withOpt((opt) => {
    const s = new CosineAnnealingLR(opt, 10, 0.05);
    for (let i = 0; i < 4; i++) s.step();
    const osd = opt.stateDict();
    const ssd = s.stateDict();
    expect(ssd).toMatchObject({ lastEpoch: 4, baseLrs: [1], tMax: 10, etaMin: 0.05 });
    withOpt((opt2) => {
      const s2 = new CosineAnnealingLR(opt2, 10, 0.05);
      opt2.loadStateDict(osd);
      s2.loadStateDict(ssd);
      for (let i = 0; i < 5; i++) { s.step(); s2.step(); expect(s2.getLastLr()).toEqual(s.getLastLr()); }
    });
  }));

  it('validates arguments', () => withOpt((opt) => {
    expect(() => new StepLR(opt, 0)).toThrow(/stepSize must be a positive integer, got 0/);
    expect(() => new LinearLR(opt, 0)).toThrow(/Starting multiplicative factor expected to be greater than 0 and less or equal to 1/);
    expect(() => new LinearLR(opt, 0.5, 1.5)).toThrow(/Ending multiplicative factor expected to be between 0 and 1/);
    expect(() => new CosineAnnealingLR(opt, -1)).toThrow(/tMax must be a positive integer/);
    expect(() => new StepLR({} as SGD, 2)).toThrow(/asgrad.optim.StepLR: expected an Optimizer/);
    expect(() => new ReduceLROnPlateau(opt, { factor: 1 })).toThrow(/Factor should be < 1.0/);
    expect(() => new ReduceLROnPlateau(opt, { mode: 'up' as 'min' })).toThrow(/mode up is unknown/);
    expect(() => new ReduceLROnPlateau(opt, { minLr: [0, 0] })).toThrow(/expected 1 min_lrs, got 2/);
    const fresh = new SGD(undefined, { lr: 0.1 });
    expect(() => new StepLR(fresh, 2)).toThrow(/no parameter groups yet/);
  }));
});

describe('ReduceLROnPlateau', () => {
  it("mode 'min': patience, cooldown and minLr", () => withOpt((opt) => {
    const s = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 2, cooldown: 1, minLr: 0.3 });
    const metrics = [1, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95];
    // bad epochs: e3 1, e4 2, e5 3 > 2 → 0.5 (cooldown 1); e6 absorbed by cooldown; e7..e9 → 0.25 → minLr 0.3;
    // e10 cooldown; e11..e13 → max(0.15, 0.3) = 0.3, a change below eps: no reduction.
    const expected = [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3];
    metrics.forEach((m, i) => { s.step(m); expect(s.getLastLr()[0], `epoch ${i + 1}`).toBe(expected[i]); });
    expect(opt.lr).toBe(0.3);
  }));

  it("mode 'max' with an absolute threshold; accepts scalar tensors", () => withOpt((opt) => {
    const s = new ReduceLROnPlateau(opt, { mode: 'max', factor: 0.1, patience: 0, threshold: 0.05, thresholdMode: 'abs' });
    const m = tensor(0.5);
    s.step(m); // best 0.5
    m.dispose();
    s.step(0.54); // not > 0.55: reduce (patience 0)
    expect(opt.lr).toBeCloseTo(0.1, 15);
    s.step(0.6); // better
    expect(opt.lr).toBeCloseTo(0.1, 15);
    const sd = s.stateDict();
    expect(sd).toMatchObject({ best: 0.6, numBadEpochs: 0, lastEpoch: 3 });
  }));
});
