// micrograd's demo as a regression test: a 2-layer MLP learns XOR with plain SGD.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import * as nn from '../../src/nn';

describe('MLP on XOR', () => {
  it('learns XOR with manual SGD in < 2000 steps (fixed seed)', () => {
    ag.manualSeed(1234);
    const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1));
    const lossFn = new nn.BCEWithLogitsLoss();
    const x = ag.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = ag.tensor([[0], [1], [1], [0]]);
    const lr = 0.5;
    let solvedAt = -1, loss = Infinity;
    for (let step = 0; step < 2000 && solvedAt < 0; step++) {
      loss = ag.tidy(() => {
        model.zeroGrad();
        const l = lossFn.call(model.call(x), y);
        l.backward();
        ag.noGrad(() => { for (const p of model.parameters()) nn.assign(p, p.sub(p.grad!.mul(lr))); });
        return l.item();
      });
      if (loss < 0.05) solvedAt = step;
    }
    expect(solvedAt).toBeGreaterThan(0);
    expect(solvedAt).toBeLessThan(2000);
    const pred = ag.tidy(() => Array.from(model.call(x).sigmoid().data()));
    expect(pred.map((p) => (p > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    model.zeroGrad();
    model.dispose(); x.dispose(); y.dispose();
  });
});
