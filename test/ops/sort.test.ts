// argsort / sort / topk / cumsum against plain JS references: stable order of ties, NaN larger
// than every number (torch.sort, torch.topk), every dim of a 3-D tensor and a strided view, k = 0
// and k = n, 0-d and empty tensors, errors that name the op; cumsum against float64 running sums.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { rng } from '../helpers/reference';

/** JS reference: positions of `row` in stable sorted order (NaN largest). */
function refArgsort(row: number[], descending: boolean): number[] {
  const key = (v: number) => (Number.isNaN(v) ? Infinity : v);
  const nanLast = (a: number, b: number) => Number(Number.isNaN(row[a])) - Number(Number.isNaN(row[b]));
  return row.map((_, i) => i).sort((a, b) => {
    const d = descending ? key(row[b]) - key(row[a]) || -nanLast(a, b) : key(row[a]) - key(row[b]) || nanLast(a, b);
    return d || a - b; // stable
  });
}

/** Flat positions of every lane of a contiguous tensor of `shape` along `dim`. */
function lanes(shape: number[], dim: number): number[][] {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const size = shape.reduce((a, b) => a * b, 1), out: number[][] = [];
  for (let flat = 0; flat < size; flat++) {
    if (Math.floor(flat / strides[dim]) % shape[dim] !== 0) continue;
    out.push(Array.from({ length: shape[dim] }, (_, k) => flat + k * strides[dim]));
  }
  return out;
}

describe('sort, argsort, topk', () => {
  it('match a stable JS sort along every dim, with ties and NaNs, both directions', () => ag.tidy(() => {
    const shape = [3, 7, 5], r = rng(4);
    const vals = Array.from({ length: 105 }, () => Math.round(r() * 6) - 3); // many ties
    for (const i of [4, 17, 18, 60, 99]) vals[i] = NaN;
    const x = ag.tensor(vals, { shape });
    for (const dim of [0, 1, 2, -1]) for (const descending of [false, true]) {
      const d = (dim + 3) % 3;
      const [v, i] = x.sort(dim, descending);
      const iv = i.data(), vv = v.data();
      for (const lane of lanes(shape, d)) {
        const want = refArgsort(lane.map((p) => vals[p]), descending);
        expect(lane.map((p) => iv[p]), `dim ${dim} descending ${descending}`).toEqual(want);
        expect(lane.map((p) => vv[p]).map(String)).toEqual(want.map((k) => String(vals[lane[k]])));
      }
      expect(Array.from(x.argsort(dim, descending).data())).toEqual(Array.from(iv));
    }
  }));

  it('topk: the k largest (or smallest) in order, NaN largest, k = 0 and k = n, strided input', () => ag.tidy(() => {
    const x = ag.tensor([[3, 1, NaN, 2, 1], [0, -1, 5, 5, 2]]);
    const [v, i] = x.topk(2);
    expect(v.toArray().map((row) => row.map(String))).toEqual([['NaN', '3'], ['5', '5']]);
    expect(i.toArray()).toEqual([[2, 0], [2, 3]]);
    const [s, si] = x.topk(3, 1, false);
    expect(s.toArray()).toEqual([[1, 1, 2], [-1, 0, 2]]);
    expect(si.toArray()).toEqual([[1, 4, 3], [1, 0, 4]]);
    const [c, ci] = x.T.topk(1, 1); // a transposed view: largest of each column
    expect(c.toArray().map((row) => row.map(String))).toEqual([['3'], ['1'], ['NaN'], ['5'], ['2']]);
    expect(ci.toArray()).toEqual([[0], [0], [0], [1], [1]]);
    const [e, ei] = x.topk(0);
    expect([e.shape, ei.shape]).toEqual([[2, 0], [2, 0]]);
    const [all] = x.topk(5, -1, true);
    expect(all.shape).toEqual([2, 5]);
  }));

  it('0-d and empty tensors; errors name the op, the value and what it expected', () => ag.tidy(() => {
    const [v, i] = ag.tensor(5).sort();
    expect([v.shape, v.item(), i.item()]).toEqual([[], 5, 0]);
    expect(ag.zeros([0, 3]).argsort(0).shape).toEqual([0, 3]);
    expect(ag.zeros([2, 0]).topk(0)[0].shape).toEqual([2, 0]);
    const x = ag.tensor([[1, 2, 3]]);
    expect(() => x.topk(4)).toThrow(/asgrad\.topk: k must be an integer from 0 to 3 \(the size of dim -1 of shape \[1, 3\]\), got 4/);
    expect(() => x.topk(1.5)).toThrow(/asgrad\.topk: k must be an integer/);
    expect(() => x.sort(2)).toThrow(/asgrad\.sort: dim 2 is out of range/);
    expect(() => ag.tensor([1, 2], { dtype: 'int32' }).sort()).toThrow(/asgrad\.sort: expected a float32 tensor, got int32/);
    expect(() => ag.cumsum(x, undefined as unknown as number)).toThrow(/asgrad\.cumsum: expected a dim/);
  }));
});

describe('cumsum', () => {
  it('running sums along each dim, accumulated in float64 (as PyTorch on the CPU)', () => ag.tidy(() => {
    const shape = [4, 9, 3], r = rng(9);
    const vals = Array.from({ length: 108 }, () => Math.fround((r() - 0.5) * 1e4));
    const x = ag.tensor(vals, { shape });
    for (const dim of [0, 1, 2]) {
      const out = x.cumsum(dim).data();
      for (const lane of lanes(shape, dim)) {
        let s = 0;
        for (const p of lane) { s += vals[p]; expect(out[p]).toBe(Math.fround(s)); }
      }
    }
    expect(x.T.cumsum(0).toArray()).toEqual(x.cumsum(2).T.toArray()); // a strided view
    expect(ag.tensor(3).cumsum(0).item()).toBe(3);
    expect(ag.zeros([0, 2]).cumsum(0).shape).toEqual([0, 2]);
  }));
});
