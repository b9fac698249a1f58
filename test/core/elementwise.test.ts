// Broadcasting of every binary op and comparison against a JS reference, over contiguous and
// non-contiguous (transposed, stepped, flipped, expanded) operands; dtype promotion; where/clamp.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import type { Tensor } from '../../src/index';
import { diff, rng, uniformValues } from '../helpers/reference';

/** Row-major values of a broadcast result computed element by element in float64. */
function refBroadcast(a: number[], as: number[], b: number[], bs: number[], f: (x: number, y: number) => number): [number[], number[]] {
  const n = Math.max(as.length, bs.length);
  const pa = [...new Array(n - as.length).fill(1), ...as], pb = [...new Array(n - bs.length).fill(1), ...bs];
  const shape = pa.map((d, i) => Math.max(d, pb[i]));
  const size = shape.reduce((x, y) => x * y, 1);
  const out: number[] = [];
  for (let flat = 0; flat < size; flat++) {
    let rem = flat, ia = 0, ib = 0, sa = 1, sb = 1;
    for (let d = n - 1; d >= 0; d--) {
      const i = rem % shape[d]; rem = Math.floor(rem / shape[d]);
      ia += (pa[d] === 1 ? 0 : i) * sa; ib += (pb[d] === 1 ? 0 : i) * sb;
      sa *= pa[d]; sb *= pb[d];
    }
    out.push(f(a[ia], b[ib]));
  }
  return [shape, out];
}

const SHAPES: [number[], number[]][] = [[[3, 5], [3, 5]], [[3, 1], [1, 5]], [[2, 3, 5], [5]], [[5], [2, 1, 1]], [[], [3, 2]], [[4, 1, 3], [2, 1]], [[2, 7, 1, 3, 1, 2], [1, 3, 1, 2, 1]]];
const OPS: [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number][] = [
  ['add', ag.add, (x, y) => x + y], ['sub', ag.sub, (x, y) => x - y], ['mul', ag.mul, (x, y) => x * y],
  ['div', ag.div, (x, y) => x / y], ['pow', (a, b) => ag.pow(a.abs(), b), (x, y) => Math.abs(x) ** y],
  ['maximum', ag.maximum, Math.max], ['minimum', ag.minimum, Math.min],
  ['eq', ag.eq, (x, y) => +(x === y)], ['ne', ag.ne, (x, y) => +(x !== y)], ['lt', ag.lt, (x, y) => +(x < y)],
  ['le', ag.le, (x, y) => +(x <= y)], ['gt', ag.gt, (x, y) => +(x > y)], ['ge', ag.ge, (x, y) => +(x >= y)],
];

/** Non-contiguous tensors holding `vals` in logical row-major order. */
const LAYOUTS: [string, (vals: number[], shape: number[]) => Tensor][] = [
  ['contiguous', (v, s) => ag.tensor(v, { shape: s })],
  ['transposed', (v, s) => (s.length < 2 ? ag.tensor(v, { shape: s }) : ag.tensor(v, { shape: s }).transpose(0, -1).contiguous().transpose(0, -1))],
  ['flipped', (v, s) => (s.length < 1 ? ag.tensor(v, { shape: s }) : ag.tensor(v, { shape: s }).flip(0).contiguous().flip(0))],
  ['stepped', (v, s) => (s.length < 1 ? ag.tensor(v, { shape: s }) : ag.tensor(v.flatMap((x) => [x, -99]), { shape: [...s.slice(0, -1), s[s.length - 1] * 2] }).slice(-1, 0, undefined, 2))],
];

describe('binary ops broadcast like NumPy', () => {
  for (const [name, op, f] of OPS) {
    it(name, () => ag.tidy(() => {
      for (const [as, bs] of SHAPES) for (const [lname, make] of LAYOUTS) {
        const r = rng(as.length * 10 + bs.length);
        const pick = () => [-1.5, -0.5, 0.5, 2][Math.floor(r() * 4)]; // repeats exercise eq/le
        const av = Array.from({ length: as.reduce((x, y) => x * y, 1) }, pick);
        const bv = Array.from({ length: bs.reduce((x, y) => x * y, 1) }, pick);
        const out = op(make(av, as), make(bv, bs));
        const [shape, want] = refBroadcast(av, as, bv, bs, (x, y) => Math.fround(f(x, y)));
        expect(out.shape, `${name} ${JSON.stringify(as)} ${JSON.stringify(bs)} ${lname}`).toEqual(shape);
        expect(diff(Array.from(out.data()), want, 1e-6, 1e-6), `${name} ${JSON.stringify(as)} ${JSON.stringify(bs)} ${lname}`).toBeNull();
      }
    }));
  }

  it('expanded operands', () => ag.tidy(() => {
    const a = ag.tensor([[1], [2]]).expand(2, 3);
    expect(a.add(ag.tensor([10, 20, 30])).toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
  }));

  it('promotes dtypes as PyTorch', () => ag.tidy(() => {
    const i = ag.tensor([1, 2, 3], { dtype: 'int32' });
    expect(i.add(1).dtype).toBe('int32');
    expect(i.add(1).toArray()).toEqual([2, 3, 4]);
    expect(i.add(0.5).dtype).toBe('float32');
    expect(i.div(2).toArray()).toEqual([0.5, 1, 1.5]);
    expect(i.mul(ag.tensor([2, 2, 2])).dtype).toBe('float32');
    expect(i.gt(1).dtype).toBe('bool');
    expect(ag.tensor([true, false]).add(ag.tensor([true, true])).toArray()).toEqual([2, 1]);
    expect(i.maximum(2).toArray()).toEqual([2, 2, 3]);
  }));

  it('where, maskedFill, clamp', () => ag.tidy(() => {
    const x = ag.tensor([[1, -2, 3], [-4, 5, -6]]);
    expect(ag.where(x.gt(0), x, 0).toArray()).toEqual([[1, 0, 3], [0, 5, 0]]);
    expect(x.where(ag.tensor([true, false, true]), ag.tensor([[9], [8]])).toArray()).toEqual([[1, 9, 3], [-4, 8, -6]]);
    expect(x.maskedFill(x.lt(0), -1).toArray()).toEqual([[1, -1, 3], [-1, 5, -1]]);
    expect(x.clamp(-3, 2).toArray()).toEqual([[1, -2, 2], [-3, 2, -3]]);
    expect(x.T.clamp(0).toArray()).toEqual([[1, 0], [0, 5], [3, 0]]);
  }));

  it('pow(x, 2) (the number, or a scalar tensor without grad) is x·x bitwise, on views too; its gradients are right', () => ag.tidy(() => {
    const x = ag.tensor(Float32Array.from(uniformValues(rng(7), 257, -40, 40).concat([NaN, Infinity, -Infinity, 0, -0])), { requiresGrad: true });
    const xx = x.detach().mul(x.detach()).data();
    for (const y of [ag.pow(x, 2), ag.pow(x, ag.tensor(2)), ag.pow(x, ag.tensor([2]))]) expect(y.data()).toEqual(xx);
    const v = ag.tensor([[1.5, -2], [3, 0.25]]).T;
    expect(ag.pow(v, 2).toArray()).toEqual([[2.25, 9], [4, 0.0625]]);
    // 0-d base with a [1] exponent broadcasts to [1], as the pow op would.
    expect(ag.pow(ag.tensor(3), ag.tensor([2])).shape).toEqual([1]);
    const a = ag.tensor([1.5, -2, 3], { requiresGrad: true }), b = ag.tensor(2, { requiresGrad: true });
    ag.pow(a, b).sum().backward();
    expect(Array.from(a.grad!.data() as Float32Array)).toEqual([3, -4, 6]);
    // d/db Σ a^b = Σ a² ln|a|: the exponent's gradient is kept when it needs one (a = -2: ln of a negative is NaN, as PyTorch).
    expect(b.grad!.item()).toBeNaN();
  }));

  it("pow's base gradient is 0 where the exponent is 0, also at base 0 (PyTorch's convention, not 0 · inf)", () => ag.tidy(() => {
    const x = ag.tensor([0, -0, 2, -3], { requiresGrad: true });
    ag.pow(x, 0).sum().backward();
    expect(Array.from(x.grad!.data())).toEqual([0, 0, 0, 0]);
    const y = ag.tensor([0, 2], { requiresGrad: true }), e = ag.tensor([0, -1]);
    ag.pow(y, e).sum().backward();
    expect(Array.from(y.grad!.data())).toEqual([0, -0.25]);
    ag.dispose([x, y]);
  }));
});

describe('unary ops on views', () => {
  it('match Math on transposed, flipped and stepped views', () => ag.tidy(() => {
    const v = uniformValues(rng(5), 15, 0.1, 3);
    const base = ag.tensor(v, { shape: [3, 5] });
    const views: [Tensor, number[]][] = [
      [base.T, [0, 1, 2, 3, 4].flatMap((c) => [0, 1, 2].map((r) => v[r * 5 + c]))],
      [base.flip([0, 1]), [...v].reverse()],
      [base.slice(1, 0, 5, 2), [0, 1, 2].flatMap((r) => [0, 2, 4].map((c) => v[r * 5 + c]))],
    ];
    for (const [t, want] of views) {
      expect(diff(Array.from(t.exp().data()), want.map(Math.exp), 1e-6)).toBeNull();
      expect(diff(Array.from(t.log().data()), want.map(Math.log), 1e-5, 1e-6)).toBeNull();
      expect(diff(Array.from(t.sqrt().data()), want.map(Math.sqrt), 1e-6)).toBeNull();
    }
    expect(ag.tensor([-1.5, 0.5, 2.5], { dtype: 'float32' }).round().toArray()).toEqual([-2, 0, 2]);
    expect(ag.tensor([-1.5, 0.5]).floor().toArray()).toEqual([-2, 0]);
    expect(ag.tensor([-1.5, 0.5]).ceil().toArray()).toEqual([-1, 1]);
    expect(ag.tensor([1, 2], { dtype: 'int32' }).exp().dtype).toBe('float32');
  }));
});
