import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import * as nn from '../../src/nn';
import { close, flat } from '../helpers/close';

const F = nn.F;
const i32 = (v: number[] | number[][]) => ag.tensor(v, { dtype: 'int32' });
const logSoftmaxRow = (r: number[]) => { const m = Math.max(...r); const l = Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0)) + m; return r.map((v) => v - l); };

const LOGITS = [[1, 2, 3], [1, 0, -1]];
const LP = LOGITS.map(logSoftmaxRow);

describe('crossEntropy', () => {
  it('matches PyTorch on class indices, with every reduction', () => {
    ag.tidy(() => {
      const x = ag.tensor(LOGITS);
      close(F.crossEntropy(x, i32([2, 0])).item(), 0.40760596);
      const none = [-LP[0][1], -LP[1][2]];
      close(flat(F.crossEntropy(x, i32([1, 2]), { reduction: 'none' })), none);
      close(F.crossEntropy(x, i32([1, 2]), { reduction: 'sum' }).item(), none[0] + none[1]);
      close(F.crossEntropy(x, i32([1, 2])).item(), (none[0] + none[1]) / 2);
      close(flat(F.crossEntropy(ag.tensor([1, 2, 3]), ag.tensor(2, { dtype: 'int32' }))), [0.40760596]); // unbatched
    });
  });

  it('gradient is softmax - onehot, divided by N', () => {
    ag.tidy(() => {
      const x = ag.tensor(LOGITS, { requiresGrad: true });
      F.crossEntropy(x, i32([2, 0])).backward();
      const exp = LP.map((r, i) => r.map((v, c) => (Math.exp(v) - (c === [2, 0][i] ? 1 : 0)) / 2));
      close(flat(x.grad!), exp.flat());
    });
  });

  it('label smoothing, class weights and ignoreIndex follow PyTorch', () => {
    ag.tidy(() => {
      const x = ag.tensor(LOGITS), t = [2, 0], eps = 0.1, C = 3;
      const smooth = LP.map((r, i) => (1 - eps) * -r[t[i]] + (eps / C) * -r.reduce((s, v) => s + v, 0));
      close(F.crossEntropy(x, i32(t), { labelSmoothing: eps }).item(), (smooth[0] + smooth[1]) / 2);
      close(flat(F.crossEntropy(x, i32(t), { labelSmoothing: eps, reduction: 'none' })), smooth);
      const w = [1, 2, 3];
      // weighted mean: sum w[t_i] nll_i / sum w[t_i]
      close(F.crossEntropy(x, i32([1, 2]), { weight: ag.tensor(w) }).item(), (2 * -LP[0][1] + 3 * -LP[1][2]) / 5);
      // weighted + smoothing (PyTorch: smooth term -sum_c w_c lp_c, normalized by the same sum of w[t_i])
      const sm = LP.map((r) => -r.reduce((s, v, c) => s + w[c] * v, 0));
      const nll = (2 * -LP[0][1] + 3 * -LP[1][2]) / 5;
      close(F.crossEntropy(x, i32([1, 2]), { weight: ag.tensor(w), labelSmoothing: eps }).item(), (1 - eps) * nll + (eps / C) * (sm[0] + sm[1]) / 5);
      // ignoreIndex: the ignored row contributes nothing, the mean is over the others
      close(F.crossEntropy(x, i32([1, -100])).item(), -LP[0][1]);
      close(flat(F.crossEntropy(x, i32([1, -100]), { reduction: 'none' })), [-LP[0][1], 0]);
      close(F.crossEntropy(x, i32([7, 1]), { ignoreIndex: 7, labelSmoothing: eps }).item(), (1 - eps) * -LP[1][1] + (eps / C) * -LP[1].reduce((s, v) => s + v, 0));
      expect(() => F.crossEntropy(x, i32([3, 0]))).toThrow(/target 3 is out of bounds: expected class indices in \[0, 3\)/);
    });
  });

  it('ignoreIndex that is a class index itself (a padding token 0) is ignored too', () => {
    ag.tidy(() => {
      const x = ag.tensor(LOGITS);
      close(F.crossEntropy(x, i32([0, 2]), { ignoreIndex: 0 }).item(), -LP[1][2]);
      close(flat(F.crossEntropy(x, i32([0, 2]), { ignoreIndex: 0, reduction: 'none' })), [0, -LP[1][2]]);
      close(F.nllLoss(ag.tensor(LP), i32([1, 1]), { ignoreIndex: 1, reduction: 'sum' }).item(), 0);
      expect(Number.isNaN(F.crossEntropy(x, i32([0, 0]), { ignoreIndex: 0 }).item())).toBe(true); // 0 / 0, as PyTorch
      const xg = ag.tensor(LOGITS, { requiresGrad: true });
      F.crossEntropy(xg, i32([0, 2]), { ignoreIndex: 0 }).backward();
      expect(flat(xg.grad!).slice(0, 3)).toEqual([0, 0, 0]);
      xg.dispose();
    });
  });

  it('accepts probability targets of the logits shape', () => {
    ag.tidy(() => {
      const p = [[0.2, 0.3, 0.5], [1, 0, 0]];
      const per = LP.map((r, i) => -r.reduce((s, v, c) => s + p[i][c] * v, 0));
      close(F.crossEntropy(ag.tensor(LOGITS), ag.tensor(p)).item(), (per[0] + per[1]) / 2);
      const ps = p.map((r) => r.map((v) => v * 0.8 + 0.2 / 3));
      const perS = LP.map((r, i) => -r.reduce((s, v, c) => s + ps[i][c] * v, 0));
      close(flat(F.crossEntropy(ag.tensor(LOGITS), ag.tensor(p), { labelSmoothing: 0.2, reduction: 'none' })), perS);
      expect(() => F.crossEntropy(ag.tensor(LOGITS), ag.tensor([0.5, 0.5]))).toThrow(/class-index targets must be int32|target shape/);
    });
  });

  it('handles [N, C, d] inputs (classes in dim 1)', () => {
    ag.tidy(() => {
      // x[0, :, 0] = [1, 2, 3] and x[0, :, 1] = [1, 0, -1]
      const x = ag.tensor([[[1, 1], [2, 0], [3, -1]]]);
      close(flat(F.crossEntropy(x, i32([[2, 0]]), { reduction: 'none' })), [0.40760596, 0.40760596]);
      expect(() => F.crossEntropy(x, i32([2, 0]))).toThrow(/expected \[1, 2\]/);
    });
  });

  it('stays finite for extreme logits (1e4)', () => {
    ag.tidy(() => {
      const x = ag.tensor([[1e4, -1e4, 0], [0, 0, 1e4]], { requiresGrad: true });
      const l = F.crossEntropy(x, i32([1, 2]), { reduction: 'none' });
      close(flat(l), [2e4, 0]);
      l.sum().backward();
      const g = flat(x.grad!);
      expect(g.every(Number.isFinite)).toBe(true);
      close(g, [1, -1, 0, 0, 0, 0]);
    });
  });

  it('nllLoss picks -logProbs[target]', () => {
    ag.tidy(() => {
      const lp = ag.tensor(LP);
      close(F.nllLoss(lp, i32([1, 2])).item(), (-LP[0][1] - LP[1][2]) / 2);
      close(flat(F.nllLoss(lp, i32([1, 2]), { reduction: 'none', weight: ag.tensor([1, 2, 3]) })), [-2 * LP[0][1], -3 * LP[1][2]]);
      expect(() => F.nllLoss(lp, ag.tensor([1, 2]))).toThrow(/class-index targets must be int32, got float32/);
    });
  });
});

describe('regression losses', () => {
  it('mse, l1, smoothL1 and huber with reductions', () => {
    ag.tidy(() => {
      const x = ag.tensor([0, 1, 3, -2]), y = ag.tensor([0.5, 1, 0, 0]);
      const d = [-0.5, 0, 3, -2];
      close(F.mseLoss(x, y).item(), (0.25 + 9 + 4) / 4);
      close(F.mseLoss(x, y, { reduction: 'sum' }).item(), 13.25);
      close(flat(F.l1Loss(x, y, { reduction: 'none' })), d.map(Math.abs));
      close(F.l1Loss(x, y).item(), 5.5 / 4);
      const sl1 = (v: number, b: number) => (Math.abs(v) < b ? (0.5 * v * v) / b : Math.abs(v) - 0.5 * b);
      close(flat(F.smoothL1Loss(x, y, { reduction: 'none' })), d.map((v) => sl1(v, 1)));
      close(flat(F.smoothL1Loss(x, y, { beta: 0.25, reduction: 'none' })), d.map((v) => sl1(v, 0.25)));
      close(flat(F.smoothL1Loss(x, y, { beta: 0, reduction: 'none' })), d.map(Math.abs));
      const hub = (v: number, dl: number) => (Math.abs(v) < dl ? 0.5 * v * v : dl * (Math.abs(v) - 0.5 * dl));
      close(F.huberLoss(x, y, { delta: 2.5 }).item(), d.map((v) => hub(v, 2.5)).reduce((s, v) => s + v) / 4);
      expect(() => F.mseLoss(x, ag.zeros([4, 1]))).toThrow(/target shape \[4, 1\] must equal input shape \[4\]/);
      expect(() => F.mseLoss(x, y, { reduction: 'avg' as never })).toThrow(/reduction must be/);
    });
  });

  it('mse gradient is 2 (x - y) / n', () => {
    ag.tidy(() => {
      const x = ag.tensor([1, 2, 3], { requiresGrad: true });
      F.mseLoss(x, ag.tensor([0, 2, 5])).backward();
      close(flat(x.grad!), [2 / 3, 0, -4 / 3]);
    });
  });
});

describe('binary cross-entropy', () => {
  it('on probabilities, with the log clamped at -100', () => {
    ag.tidy(() => {
      const p = ag.tensor([0.1, 0.9, 0.5, 0, 1], { requiresGrad: true }), y = ag.tensor([0, 1, 1, 1, 1]);
      const l = F.binaryCrossEntropy(p, y, { reduction: 'none' });
      close(flat(l), [-Math.log(0.9), -Math.log(0.9), Math.log(2), 100, 0]);
      l.sum().backward();
      expect(flat(p.grad!).every(Number.isFinite)).toBe(true);
      close(flat(p.grad!).slice(0, 3), [1 / 0.9, -1 / 0.9, -2], 1e-4);
      close(F.binaryCrossEntropy(ag.tensor([0.1, 0.9]), ag.tensor([0, 1]), { weight: ag.tensor([2, 0]) }).item(), -Math.log(0.9));
    });
  });

  it('with logits: stable, exact gradient at 0, posWeight', () => {
    ag.tidy(() => {
      const xs = [-2, 0, 3, 1e4, -1e4], ys = [0, 1, 0.5, 0, 1];
      const x = ag.tensor(xs, { requiresGrad: true });
      const ref = xs.map((v, i) => Math.max(v, 0) - v * ys[i] + Math.log1p(Math.exp(-Math.abs(v))));
      const l = F.binaryCrossEntropyWithLogits(x, ag.tensor(ys), { reduction: 'none' });
      close(flat(l), ref);
      l.sum().backward();
      close(flat(x.grad!), xs.map((v, i) => 1 / (1 + Math.exp(-v)) - ys[i]));
      const pw = 3;
      const refPw = xs.slice(0, 3).map((v, i) => (1 - ys[i]) * v + (1 + (pw - 1) * ys[i]) * Math.log1p(Math.exp(-v)));
      close(flat(F.binaryCrossEntropyWithLogits(ag.tensor(xs.slice(0, 3)), ag.tensor(ys.slice(0, 3)), { posWeight: ag.tensor([pw]), reduction: 'none' })), refPw);
    });
  });
});

describe('loss modules', () => {
  it('hold options and call the functions', () => {
    ag.tidy(() => {
      const x = ag.tensor(LOGITS), t = i32([2, 0]);
      const ce = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
      close(ce.call(x, t).item(), F.crossEntropy(x, t, { labelSmoothing: 0.1 }).item());
      expect(ce.toString()).toBe('CrossEntropyLoss()');
      close(new nn.NLLLoss().call(x.logSoftmax(1), t).item(), 0.40760596);
      close(new nn.MSELoss({ reduction: 'sum' }).call(ag.tensor([1, 2]), ag.tensor([0, 0])).item(), 5);
      close(new nn.L1Loss().call(ag.tensor([1, -3]), ag.tensor([0, 0])).item(), 2);
      close(new nn.SmoothL1Loss({ beta: 2 }).call(ag.tensor([1]), ag.tensor([0])).item(), 0.25);
      close(new nn.HuberLoss({ delta: 0.5 }).call(ag.tensor([1]), ag.tensor([0])).item(), 0.375);
      close(new nn.BCELoss().call(ag.tensor([0.5]), ag.tensor([1])).item(), Math.log(2));
      close(new nn.BCEWithLogitsLoss().call(ag.tensor([0]), ag.tensor([1])).item(), Math.log(2));
    });
  });
});
