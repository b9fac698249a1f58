// nn.LayerNorm and F.layerNorm against a float64 reference (one and two normalized dims, with and
// without the affine parameters, a strided input), PyTorch's repr, parameters, and clear errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn } from '../../src/index';
import { rng } from '../helpers/reference';

/** float64 layer norm of `rows` rows of length n, then * w + b. */
function ref(x: number[], n: number, w: number[] | null, b: number[] | null, eps: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / n; r++) {
    const row = x.slice(r * n, (r + 1) * n);
    const m = row.reduce((a, v) => a + v, 0) / n;
    const v = row.reduce((a, u) => a + (u - m) ** 2, 0) / n;
    row.forEach((u, i) => out.push((u - m) / Math.sqrt(v + eps) * (w ? w[i] : 1) + (b ? b[i] : 0)));
  }
  return out;
}

describe('LayerNorm', () => {
  it('normalizes the last one or two dims as a float64 reference, with and without affine', () => ag.tidy(() => {
    const r = rng(5);
    const vals = Array.from({ length: 2 * 3 * 4 * 5 }, () => Math.fround(r() * 6 - 2));
    const x = ag.tensor(vals, { shape: [2, 3, 4, 5] });
    const ln = new nn.LayerNorm(5);
    const w = Array.from({ length: 5 }, () => Math.fround(r() + 0.5)), b = Array.from({ length: 5 }, () => Math.fround(r() - 0.5));
    nn.assign(ln.weight!, ag.tensor(w));
    nn.assign(ln.bias!, ag.tensor(b));
    const close = (got: ArrayLike<number>, want: number[]) => want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    close(ln.call(x).data(), ref(vals, 5, w, b, 1e-5));
    const ln2 = new nn.LayerNorm([4, 5], { eps: 1e-3, elementwiseAffine: false });
    expect([ln2.weight, ln2.bias]).toEqual([null, null]);
    close(ln2.call(x).data(), ref(vals, 20, null, null, 1e-3));
    const noBias = new nn.LayerNorm(3, { bias: false });
    expect(noBias.parameters().map((p) => p.shape)).toEqual([[3]]);
    // a transposed view: normalizes what it sees as the last dim
    const xt = x.transpose(2, 3); // [2, 3, 5, 4]
    const want = ref(Array.from(xt.contiguous().data()), 4, null, null, 1e-5);
    close(ag.nn.functional.layerNorm(xt, [4]).data(), want);
    ln.dispose(); ln2.dispose(); noBias.dispose();
  }));

  it('prints as PyTorch; errors name the op, the value and what it expected', () => ag.tidy(() => {
    const ln = new nn.LayerNorm(10), ln2 = new nn.LayerNorm([3, 4], { eps: 1e-3, elementwiseAffine: false });
    expect(ln.toString()).toBe('LayerNorm((10,), eps=1e-05, elementwise_affine=True)');
    expect(ln2.toString()).toBe('LayerNorm((3, 4), eps=0.001, elementwise_affine=False)');
    expect(() => ln.call(ag.zeros([2, 9]))).toThrow(/asgrad\.layerNorm: normalizedShape \[10\] must be the last dims of input \[2, 9\]/);
    expect(() => new nn.LayerNorm(0)).toThrow(/LayerNorm: normalizedShape must be a positive integer or a list of them, got 0/);
    expect(() => ag.nn.functional.layerNorm(ag.zeros([2, 3]), [3], ag.ones([4]))).toThrow(/asgrad\.layerNorm: weight must have shape \[3\], got \[4\]/);
    ln.dispose(); ln2.dispose();
  }));
});
