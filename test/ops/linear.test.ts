// The fused dense op (src/ops/linear.ts): at inference one kernel call whose result equals the
// separate matmul/add/activation ops bit for bit; with grads on it records the same graph (same
// gradients); Dense and nn.Linear use it; bad input gets clear errors.
import { describe, expect, it } from 'vitest';
import { add, enableGrad, matmul, nn, noGrad, randn, sequential, layers, tidy, transpose, zeros } from '../../src/index';
import { linear, type FusedActivation } from '../../src/ops/linear';
import type { Tensor } from '../../src/tensor';

const ACTS: FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];

function separate(x: Tensor, w: Tensor, b: Tensor | null, act: FusedActivation, transposed: boolean): Tensor {
  return tidy(() => {
    let y = matmul(x, transposed ? transpose(w, 0, 1) : w);
    if (b) y = add(y, b);
    return act === 'linear' ? y : act === 'softmax' ? y.softmax(-1) : y[act]();
  });
}

describe('ops/linear', () => {
  it.each(ACTS)('%s: inference result equals matmul + add + activation bitwise (Keras and transposed weights)', (act) => {
    tidy(() => {
      for (const [M, K, N] of [[1, 784, 128], [1, 128, 10], [3, 5, 17], [64, 33, 10], [5, 1003, 3], [0, 4, 3]]) {
        const x = randn([M, K]), w = randn([K, N]).mul(0.2), wT = randn([N, K]).mul(0.2), b = randn([N]);
        noGrad(() => {
          expect(Array.from(linear(x, w, b, { activation: act }).data())).toEqual(Array.from(separate(x, w, b, act, false).data()));
          expect(Array.from(linear(x, wT, null, { activation: act, transposed: true }).data())).toEqual(Array.from(separate(x, wT, null, act, true).data()));
        });
      }
    });
  });

  it('takes 1-D, strided 2-D and 3-D inputs; shapes as matmul gives them', () => {
    tidy(() => {
      const w = randn([6, 4]), b = randn([4]);
      const x1 = randn([6]);
      const y1 = linear(x1, w, b, { activation: 'relu' });
      expect(y1.shape).toEqual([4]);
      expect(Array.from(y1.data())).toEqual(Array.from(separate(x1, w, b, 'relu', false).data()));
      const big = randn([6, 10]);
      const xv = big.narrow(1, 2, 6).narrow(0, 1, 3); // [3, 6] with row stride 10
      expect(xv.isContiguous()).toBe(false);
      expect(Array.from(linear(xv, w, b).data())).toEqual(Array.from(separate(xv, w, b, 'linear', false).data()));
      const x3 = randn([2, 3, 6]);
      const y3 = linear(x3, w, b, { activation: 'tanh' });
      expect(y3.shape).toEqual([2, 3, 4]);
      const ref = separate(x3, w, b, 'tanh', false).data(), got = y3.data();
      for (let i = 0; i < ref.length; i++) expect(got[i]).toBeCloseTo(ref[i], 5);
      const xt = randn([6, 3]).T; // [3, 6], column-major: not contiguous, taken as strides
      expect(Array.from(linear(xt, w, null).data())).toEqual(Array.from(separate(xt, w, null, 'linear', false).data()));
    });
  });

  it('records the same graph as the separate ops when grads are on, and none under noGrad', () => {
    tidy(() => {
      const x = randn([4, 5]), w = randn([5, 3]).requiresGrad_(), b = randn([3]).requiresGrad_(), R = randn([4, 3]);
      const grads = (f: () => Tensor): number[][] => {
        f().mul(R).sum().backward();
        const g = [Array.from(w.grad!.data()), Array.from(b.grad!.data())];
        w.grad!.dispose(); b.grad!.dispose(); w.grad = null; b.grad = null;
        return g;
      };
      const fused = grads(() => linear(x, w, b, { activation: 'sigmoid' }));
      expect(fused).toEqual(grads(() => add(matmul(x, w), b).sigmoid()));
      expect(fused[0].length).toBe(15);
      const n = noGrad(() => linear(x, w, b, { activation: 'relu' }));
      expect(n.requiresGrad).toBe(false);
      expect(n.isLeaf).toBe(true);
      expect(noGrad(() => enableGrad(() => linear(x, w, b))).requiresGrad).toBe(true);
    });
  });

  it('layers.dense predict equals its forward under grad; nn.Linear under noGrad equals F.linear', () => {
    const model = sequential({ layers: [layers.dense({ units: 7, activation: 'relu', inputShape: [9] }), layers.dense({ units: 3, activation: 'softmax' })] });
    const fc = new nn.Linear(9, 4);
    tidy(() => {
      const x = randn([5, 9]);
      const p = model.predict(x);
      const f = model.forward(x);
      expect(f.requiresGrad).toBe(true);
      expect(Array.from(p.data())).toEqual(Array.from(f.data()));
      const a = noGrad(() => fc.forward(x));
      const r = nn.functional.linear(x, fc.weight, fc.bias);
      expect(Array.from(a.data())).toEqual(Array.from(r.data()));
      expect(fc.forward(x).requiresGrad).toBe(true);
    });
    model.dispose();
    fc.dispose();
  });

  it('gives clear errors for bad input', () => {
    tidy(() => {
      const w = zeros([4, 3]);
      expect(() => linear(zeros([2, 5]), w, null, { op: 'dense_9' })).toThrow(/asgrad\.dense_9: expected inputs with last dim 4, got shape \[2, 5\]/);
      expect(() => linear(zeros([2, 4]), w, zeros([4]))).toThrow(/bias must have shape \[3\], got \[4\]/);
      expect(() => linear(zeros([2, 4]), zeros([4]), null)).toThrow(/weight must be 2-D/);
      expect(() => linear(zeros([2, 4]), w, null, { activation: 'elu' as FusedActivation })).toThrow(/unknown activation 'elu'/);
      const d = zeros([2, 4]);
      d.dispose();
      expect(() => linear(d, w, null)).toThrow(/disposed/);
      expect(() => linear(zeros([2, 4], { dtype: 'int32' }), w, null)).toThrow(/float32/);
    });
    const fc = new nn.Linear(4, 3);
    expect(() => tidy(() => fc.forward(zeros([2, 5])))).toThrow(/in_features=4/);
    fc.dispose();
  });
});
