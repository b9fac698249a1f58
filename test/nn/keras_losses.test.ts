import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import * as nn from '../../src/nn';
import { close, flat } from '../helpers/close';

const F = nn.F;
const EPS = 1e-7;

describe('Keras losses (yTrue, yPred)', () => {
  it('meanSquaredError / meanAbsoluteError average over the last axis, then the batch', () => {
    ag.tidy(() => {
      const t = ag.tensor([[1, 2], [3, 4]]), p = ag.tensor([[1, 3], [5, 4]]);
      close(flat(F.meanSquaredError(t, p, { reduction: 'none' })), [0.5, 2]);
      close(F.meanSquaredError(t, p).item(), 1.25);
      close(F.meanAbsoluteError(t, p, { reduction: 'sum' }).item(), 0.5 + 1);
    });
  });

  it('binaryCrossentropy clips probabilities to [1e-7, 1 - 1e-7]; fromLogits is the stable form', () => {
    ag.tidy(() => {
      const y = ag.tensor([[0, 1, 1, 0]]), p = ag.tensor([[0.2, 0.7, 0, 0]]);
      const f32 = (v: number) => Math.fround(v);
      const per = [-Math.log(0.8), -Math.log(0.7), -Math.log(f32(EPS)), -Math.log(f32(1 - EPS))];
      close(F.binaryCrossentropy(y, p).item(), per.reduce((s, v) => s + v) / 4, 1e-4);
      const x = ag.tensor([[-1, 2, 1e4, -1e4]]);
      const ref = [-1, 2, 1e4, -1e4].map((v, i) => Math.max(v, 0) - v * [0, 1, 1, 0][i] + Math.log1p(Math.exp(-Math.abs(v))));
      close(F.binaryCrossentropy(y, x, { fromLogits: true }).item(), ref.reduce((s, v) => s + v) / 4);
      // label smoothing 0.2: targets become 0.1 / 0.9
      const ys = [0.1, 0.9];
      const pv = [0.2, 0.7];
      const sm = pv.map((q, i) => -(ys[i] * Math.log(q) + (1 - ys[i]) * Math.log(1 - q)));
      close(F.binaryCrossentropy(ag.tensor([0, 1]), ag.tensor(pv), { labelSmoothing: 0.2 }).item(), (sm[0] + sm[1]) / 2);
    });
  });

  it('categoricalCrossentropy renormalizes probabilities; fromLogits matches crossEntropy', () => {
    ag.tidy(() => {
      close(F.categoricalCrossentropy(ag.tensor([[0, 0, 1]]), ag.tensor([[1, 1, 2]])).item(), Math.log(2));
      const logits = ag.tensor([[1, 2, 3], [1, 0, -1]]);
      const onehot = ag.tensor([[0, 0, 1], [1, 0, 0]]);
      close(F.categoricalCrossentropy(onehot, logits, { fromLogits: true }).item(), 0.40760596);
      close(F.categoricalCrossentropy(onehot, logits.softmax(-1)).item(), 0.40760596);
      close(F.categoricalCrossentropy(ag.tensor([[1, 0]]), ag.tensor([[0, 1]])).item(), -Math.log(Math.fround(EPS)), 1e-4);
    });
  });

  it('sparseCategoricalCrossentropy takes int labels [N], [N, 1] or float labels', () => {
    ag.tidy(() => {
      const logits = ag.tensor([[1, 2, 3], [1, 0, -1]]);
      const probs = logits.softmax(-1);
      close(F.sparseCategoricalCrossentropy(ag.tensor([2, 0], { dtype: 'int32' }), probs).item(), 0.40760596);
      close(F.sparseCategoricalCrossentropy(ag.tensor([[2], [0]], { dtype: 'int32' }), logits, { fromLogits: true }).item(), 0.40760596);
      close(flat(F.sparseCategoricalCrossentropy(ag.tensor([2, 0]), probs, { reduction: 'none' })), [0.40760596, 0.40760596]);
      expect(() => F.sparseCategoricalCrossentropy(ag.tensor([3, 0], { dtype: 'int32' }), probs)).toThrow(/labels span \[0, 3\], expected class indices in \[0, 3\)/);
      expect(() => F.sparseCategoricalCrossentropy(ag.tensor([1, 0, 1], { dtype: 'int32' }), probs)).toThrow(/expected \[2\] integer labels/);
    });
  });

  it('backpropagates (sparse CE from logits: softmax - onehot over N)', () => {
    ag.tidy(() => {
      const x = ag.tensor([[0, 0]], { requiresGrad: true });
      F.sparseCategoricalCrossentropy(ag.tensor([1], { dtype: 'int32' }), x, { fromLogits: true }).backward();
      close(flat(x.grad!), [0.5, -0.5]);
    });
  });
});
