// nn.RNNCell / LSTMCell / GRUCell: one step against a float64 reference of PyTorch's equations and
// against one step of nn.RNN / LSTM / GRU with the same weights (outputs and parameter gradients),
// input/state gradients by finite differences, unbatched input, init range, names, repr, errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn, type Tensor } from '../../src/index';
import { gradCheck } from '../helpers/gradcheck';

const I = 3, H = 5, N = 2;
type Kind = 'rnn_tanh' | 'rnn_relu' | 'lstm' | 'gru';
type Cell = nn.RNNCell | nn.LSTMCell | nn.GRUCell;
const KINDS: Kind[] = ['rnn_tanh', 'rnn_relu', 'lstm', 'gru'];

function makeCell(kind: Kind, bias = true): Cell {
  if (kind === 'lstm') return new nn.LSTMCell(I, H, { bias });
  if (kind === 'gru') return new nn.GRUCell(I, H, { bias });
  return new nn.RNNCell(I, H, { bias, nonlinearity: kind === 'rnn_relu' ? 'relu' : 'tanh' });
}
function makeNet(kind: Kind, bias = true): nn.RNN | nn.LSTM | nn.GRU {
  if (kind === 'lstm') return new nn.LSTM(I, H, { bias });
  if (kind === 'gru') return new nn.GRU(I, H, { bias });
  return new nn.RNN(I, H, { bias, nonlinearity: kind === 'rnn_relu' ? 'relu' : 'tanh' });
}
/** Runs a cell: returns [h] or [h, c]. */
function step(cell: Cell, x: Tensor, h: Tensor | null, c: Tensor | null): Tensor[] {
  if (cell instanceof nn.LSTMCell) return cell.forward(x, h && c ? [h, c] : null);
  return [cell.forward(x, h)];
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));
/** float64 step of PyTorch's cell equations for one sample; returns [h', c'] ([h'] for RNN / GRU). */
function refStep(kind: Kind, w: Record<string, number[][] | number[] | null>, x: number[], h: number[], c: number[]): number[][] {
  const proj = (W: number[][], b: number[] | null, v: number[]) => W.map((row, j) => row.reduce((a, u, k) => a + u * v[k], 0) + (b ? b[j] : 0));
  const gx = proj(w.weight_ih as number[][], w.bias_ih as number[] | null, x), gh = proj(w.weight_hh as number[][], w.bias_hh as number[] | null, h);
  const blk = (g: number[], k: number) => g.slice(k * H, (k + 1) * H);
  if (kind === 'rnn_tanh' || kind === 'rnn_relu') return [gx.map((v, j) => (kind === 'rnn_tanh' ? Math.tanh(v + gh[j]) : Math.max(0, v + gh[j])))];
  if (kind === 'lstm') {
    const [i, f, g, o] = [0, 1, 2, 3].map((k) => blk(gx, k).map((v, j) => v + blk(gh, k)[j]));
    const c2 = c.map((cv, j) => sig(f[j]) * cv + sig(i[j]) * Math.tanh(g[j]));
    return [c2.map((cv, j) => sig(o[j]) * Math.tanh(cv)), c2];
  }
  const r = blk(gx, 0).map((v, j) => sig(v + blk(gh, 0)[j])), z = blk(gx, 1).map((v, j) => sig(v + blk(gh, 1)[j]));
  const n = blk(gx, 2).map((v, j) => Math.tanh(v + r[j] * blk(gh, 2)[j]));
  return [n.map((nv, j) => (1 - z[j]) * nv + z[j] * h[j])];
}

const maxDiff = (a: number[], b: number[]) => { expect(a.length).toBe(b.length); return Math.max(...a.map((v, i) => Math.abs(v - b[i]))); };

describe('RNNCell / LSTMCell / GRUCell', () => {
  for (const kind of KINDS) {
    for (const bias of [true, false]) {
      it(`${kind}${bias ? '' : ' without bias'}: one step equals the float64 reference, batched and unbatched`, () => ag.tidy(() => {
        ag.manualSeed(3);
        const cell = makeCell(kind, bias);
        const w: Record<string, number[][] | number[] | null> = { bias_ih: null, bias_hh: null };
        for (const [n, p] of cell.namedParameters()) w[n] = p.toArray() as number[][];
        const x = ag.randn([N, I]), h = ag.randn([N, H]).mul(0.5), c = ag.randn([N, H]).mul(0.5);
        const out = step(cell, x, h, c).map((t) => t.toArray() as number[][]);
        const xs = x.toArray() as number[][], hs = h.toArray() as number[][], cs = c.toArray() as number[][];
        for (let b = 0; b < N; b++) {
          const want = refStep(kind, w, xs[b], hs[b], cs[b]);
          want.forEach((wv, k) => expect(maxDiff(out[k][b], wv)).toBeLessThan(2e-6));
          // unbatched: [in] and [H] states
          const u = step(cell, x.narrow(0, b, 1).reshape([I]), h.narrow(0, b, 1).reshape([H]), c.narrow(0, b, 1).reshape([H]));
          u.forEach((t, k) => { expect(t.shape).toEqual([H]); expect(maxDiff(Array.from(t.data()), want[k])).toBeLessThan(2e-6); });
        }
        // a missing state is zeros
        const z = step(cell, x, null, null), z0 = step(cell, x, ag.zeros([N, H]), ag.zeros([N, H]));
        z.forEach((t, k) => expect(Array.from(t.data())).toEqual(Array.from(z0[k].data())));
        cell.dispose();
      }));
    }

    it(`${kind}: equals one step of the full network with the same weights, parameter gradients too`, () => ag.tidy(() => {
      ag.manualSeed(4);
      const cell = makeCell(kind), net = makeNet(kind);
      for (const [n, p] of cell.namedParameters()) nn.assign(net.param(`${n}_l0`), p);
      const x = ag.randn([N, I]), h = ag.randn([N, H]), c = ag.randn([N, H]);
      const R = [ag.randn([N, H]), ag.randn([N, H])];
      const outs = step(cell, x, h, c);
      const [, st] = net.forward(x.unsqueeze(0), (kind === 'lstm' ? [h.unsqueeze(0), c.unsqueeze(0)] : h.unsqueeze(0)) as never);
      const nouts = (Array.isArray(st) ? st : [st]).map((s) => s.squeeze(0));
      outs.forEach((t, k) => expect(maxDiff(Array.from(t.data()), Array.from(nouts[k].data()))).toBeLessThan(1e-6));
      outs.reduce((a, t, k) => a.add(t.mul(R[k]).sum()), ag.tensor(0)).backward();
      nouts.reduce((a, t, k) => a.add(t.mul(R[k]).sum()), ag.tensor(0)).backward();
      for (const [n, p] of cell.namedParameters()) {
        expect(maxDiff(Array.from(p.grad!.data()), Array.from(net.param(`${n}_l0`).grad!.data())), n).toBeLessThan(1e-5);
      }
      cell.dispose(); net.dispose();
    }));

    it(`${kind}: gradients in input and state(s) match finite differences`, () => {
      ag.manualSeed(5);
      const cell = makeCell(kind);
      const r = gradCheck({
        label: kind,
        inputs: (g) => [g.u([N, I], -1.5, 1.5), g.u([N, H], -0.8, 0.8), g.u([N, H], -0.8, 0.8)],
        fn: (x, h, c) => ag.cat(step(cell, x, h, c), 1),
        rtol: 2e-2, atol: 2e-3,
      }, 6);
      expect(r.worst).toBeNull();
      cell.dispose();
    });
  }

  it('PyTorch parameter names, shapes, init range and repr', () => {
    ag.manualSeed(6);
    const cells = [new nn.RNNCell(3, 16), new nn.LSTMCell(3, 16), new nn.GRUCell(3, 16, { bias: false }), new nn.RNNCell(3, 16, { nonlinearity: 'relu', bias: false })];
    expect(cells.map((c) => Object.fromEntries(Object.entries(c.stateDict()).map(([k, t]) => [k, t.shape])))).toEqual([
      { weight_ih: [16, 3], weight_hh: [16, 16], bias_ih: [16], bias_hh: [16] },
      { weight_ih: [64, 3], weight_hh: [64, 16], bias_ih: [64], bias_hh: [64] },
      { weight_ih: [48, 3], weight_hh: [48, 16] },
      { weight_ih: [16, 3], weight_hh: [16, 16] },
    ]);
    for (const c of cells) {
      for (const p of c.parameters()) {
        const d = Array.from(p.data());
        expect(Math.max(...d.map(Math.abs))).toBeLessThanOrEqual(0.25);
        expect(Math.max(...d) - Math.min(...d)).toBeGreaterThan(0.3); // spread over the range, not constant
      }
    }
    expect(cells.map(String)).toEqual(['RNNCell(3, 16)', 'LSTMCell(3, 16)', 'GRUCell(3, 16, bias=False)', 'RNNCell(3, 16, bias=False, nonlinearity=relu)']);
    cells.forEach((c) => c.dispose());
  });

  it('errors name the cell and the shapes', () => ag.tidy(() => {
    const r = new nn.RNNCell(3, 5), l = new nn.LSTMCell(3, 5), g = new nn.GRUCell(3, 5);
    expect(() => r.call(ag.zeros([2, 4]))).toThrow(/RNNCell: expected input \[N, 3\] or unbatched \[3\], got \[2, 4\]/);
    expect(() => g.call(ag.zeros([1, 2, 3]))).toThrow(/GRUCell: expected input \[N, 3\] or unbatched \[3\], got \[1, 2, 3\]/);
    expect(() => r.call(ag.zeros([2, 3]), ag.zeros([3, 5]))).toThrow(/RNNCell: expected hx of shape \[2, 5\], got float32 \[3, 5\]/);
    expect(() => g.call(ag.zeros([3]), ag.zeros([1, 5]))).toThrow(/GRUCell: expected hx of shape \[5\], got float32 \[1, 5\]/);
    expect(() => l.call(ag.zeros([2, 3]), [ag.zeros([2, 5]), ag.zeros([2, 4])])).toThrow(/LSTMCell: expected c of shape \[2, 5\], got float32 \[2, 4\]/);
    expect(() => l.call(ag.zeros([2, 3]), ag.zeros([2, 5]) as never)).toThrow(/LSTMCell: the LSTMCell state must be a pair \[h, c\]/);
    expect(() => new nn.RNNCell(3, 5, { nonlinearity: 'sigmoid' as never })).toThrow(/RNNCell: Unknown nonlinearity: sigmoid/);
    expect(() => new nn.GRUCell(3, 0)).toThrow(/GRUCell: hiddenSize must be a positive integer, got 0/);
    r.dispose(); l.dispose(); g.dispose();
  }));
});
