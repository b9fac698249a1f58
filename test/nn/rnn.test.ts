// nn.RNN / LSTM / GRU: shapes for every configuration, values against a float64 reference of
// PyTorch's equations (test/nn/rnn_ref.ts), gradients against finite differences, PyTorch
// state-dict names, dropout between layers, errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn, type Tensor } from '../../src/index';
import { gradCheck } from '../helpers/gradcheck';
import { refNetwork, type RefKind, type RefWeights } from './rnn_ref';

type Net = nn.RNN | nn.LSTM | nn.GRU;
const I = 3, H = 5, T = 4, B = 2;

function make(kind: RefKind, opts: nn.RNNBaseOptions = {}): Net {
  if (kind === 'lstm') return new nn.LSTM(I, H, opts);
  if (kind === 'gru') return new nn.GRU(I, H, opts);
  return new nn.RNN(I, H, { ...opts, nonlinearity: kind === 'rnn_relu' ? 'relu' : 'tanh' });
}

function refWeights(m: Net): RefWeights[] {
  const out: RefWeights[] = [];
  for (let l = 0; l < m.numLayers; l++) {
    for (let d = 0; d < m.numDirections; d++) {
      const s = `_l${l}${d ? '_reverse' : ''}`;
      const get = (n: string) => (m.bias || n.startsWith('weight') ? m.param(n + s).toArray() : null);
      out.push({ wih: get('weight_ih') as number[][], whh: get('weight_hh') as number[][], bih: get('bias_ih') as number[] | null, bhh: get('bias_hh') as number[] | null });
    }
  }
  return out;
}

function expectClose(actual: unknown, expected: unknown, tol = 2e-5): void {
  const a = (actual as number[]).flat(4) as number[], e = (expected as number[]).flat(4) as number[];
  expect(a.length).toBe(e.length);
  const worst = Math.max(...a.map((v, i) => Math.abs(v - e[i])));
  expect(worst).toBeLessThanOrEqual(tol);
}

describe('nn.RNN / LSTM / GRU', () => {
  for (const kind of ['rnn_tanh', 'rnn_relu', 'lstm', 'gru'] as RefKind[]) {
    it(`${kind}: 2 layers, bidirectional, given initial states, matches the float64 reference`, () => {
      ag.manualSeed(11);
      const m = make(kind, { numLayers: 2, bidirectional: true });
      ag.tidy(() => {
        const x = ag.randn([T, B, I]);
        const h0 = ag.randn([4, B, H]).mul(0.5), c0 = ag.randn([4, B, H]).mul(0.5);
        const [out, state] = m.forward(x, (kind === 'lstm' ? [h0, c0] : h0) as never);
        const ref = refNetwork(kind, x.toArray() as number[][][], refWeights(m), 2, 2, h0.toArray() as number[][][], kind === 'lstm' ? c0.toArray() as number[][][] : null);
        expect(out.shape).toEqual([T, B, 2 * H]);
        expectClose(out.toArray(), ref.out);
        if (kind === 'lstm') {
          const [hN, cN] = state as [Tensor, Tensor];
          expect(hN.shape).toEqual([4, B, H]);
          expectClose(hN.toArray(), ref.hN);
          expectClose(cN.toArray(), ref.cN);
        } else {
          expectClose((state as Tensor).toArray(), ref.hN);
        }
      });
      m.dispose();
    });
  }

  it('LSTM inference (noGrad: one kernel call per direction) is bitwise the recorded step-by-step run, and matches the reference', async () => {
    ag.manualSeed(13);
    const k = (await ag.ready()).k, seq = k.lstm_seq_f32;
    let calls = 0;
    k.lstm_seq_f32 = (...a) => { calls++; seq(...a); };
    for (const [opts, b, t] of [[{ numLayers: 2, bidirectional: true }, 3, 7], [{ batchFirst: true }, 1, 5], [{ bias: false }, 2, 1]] as const) {
      const m = new nn.LSTM(I, H, opts);
      ag.tidy(() => {
        const x = ag.randn(opts.batchFirst ? [b, t, I] : [t, b, I]);
        const D = m.numLayers * m.numDirections;
        const h0 = ag.randn([D, b, H]).mul(0.5), c0 = ag.randn([D, b, H]).mul(0.5);
        const [o1, [h1, c1]] = m.forward(x, [h0, c0]); // parameters require grad: the recorded path
        const before = calls;
        const [o2, [h2, c2]] = ag.noGrad(() => m.forward(x, [h0, c0]));
        expect(calls - before, 'lstm_seq_f32 calls: one per layer and direction').toBe(D);
        expect(o1.requiresGrad && !o2.requiresGrad).toBe(true);
        for (const [a, e] of [[o2, o1], [h2, h1], [c2, c1]]) expect(Array.from(a.data())).toEqual(Array.from(e.data()));
        const xt = opts.batchFirst ? x.transpose(0, 1) : x;
        const ref = refNetwork('lstm', xt.toArray() as number[][][], refWeights(m), m.numLayers, m.numDirections, h0.toArray() as number[][][], c0.toArray() as number[][][]);
        expectClose((opts.batchFirst ? o2.transpose(0, 1) : o2).toArray(), ref.out);
        expectClose(c2.toArray(), ref.cN);
      });
      m.dispose();
    }
    k.lstm_seq_f32 = seq;
  });

  it('zero initial states by default, and no-bias networks, match the reference', () => {
    ag.manualSeed(12);
    for (const kind of ['lstm', 'gru'] as RefKind[]) {
      const m = make(kind, { bias: false });
      expect(m.namedParameters().map(([n]) => n)).toEqual(['weight_ih_l0', 'weight_hh_l0']);
      ag.tidy(() => {
        const x = ag.randn([T, B, I]);
        const [out] = m.forward(x);
        const zero = [Array.from({ length: B }, () => new Array(H).fill(0))];
        const ref = refNetwork(kind, x.toArray() as number[][][], refWeights(m), 1, 1, zero, kind === 'lstm' ? zero : null);
        expectClose(out.toArray(), ref.out);
      });
      m.dispose();
    }
  });

  it('batchFirst: [B, T, in] gives the transposed outputs of the time-major run; states stay [L*D, B, H]', () => {
    ag.manualSeed(13);
    const a = new nn.LSTM(I, H, { batchFirst: true, numLayers: 2 });
    const b = new nn.LSTM(I, H, { numLayers: 2 });
    b.loadStateDict(a.stateDict());
    ag.tidy(() => {
      const x = ag.randn([B, T, I]);
      const [oa, [ha, ca]] = a.forward(x);
      const [ob, [hb]] = b.forward(x.transpose(0, 1));
      expect(oa.shape).toEqual([B, T, H]);
      expect(ha.shape).toEqual([2, B, H]);
      expect(ca.shape).toEqual([2, B, H]);
      expect(oa.isContiguous()).toBe(true);
      expectClose(oa.toArray(), ob.transpose(0, 1).toArray(), 1e-6);
      expectClose(ha.toArray(), hb.toArray(), 1e-6);
    });
    a.dispose(); b.dispose();
  });

  it('unbatched input [T, in] with states [L*D, H]', () => {
    ag.manualSeed(14);
    const m = new nn.GRU(I, H, { bidirectional: true });
    ag.tidy(() => {
      const x = ag.randn([T, I]);
      const [o, h] = m.forward(x, ag.zeros([2, H]));
      expect(o.shape).toEqual([T, 2 * H]);
      expect(h.shape).toEqual([2, H]);
      const [ob, hb] = m.forward(x.unsqueeze(1));
      expectClose(o.toArray(), ob.squeeze(1).toArray(), 1e-6);
      expectClose(h.toArray(), hb.squeeze(1).toArray(), 1e-6);
    });
    m.dispose();
  });

  it('the last output step equals hN (forward direction) and the first equals hN (reverse)', () => {
    ag.manualSeed(15);
    const m = new nn.LSTM(I, H, { bidirectional: true });
    ag.tidy(() => {
      const [o, [h]] = m.forward(ag.randn([T, B, I]));
      expectClose(o.narrow(0, T - 1, 1).narrow(2, 0, H).reshape([B, H]).toArray(), h.narrow(0, 0, 1).reshape([B, H]).toArray(), 0);
      expectClose(o.narrow(0, 0, 1).narrow(2, H, H).reshape([B, H]).toArray(), h.narrow(0, 1, 1).reshape([B, H]).toArray(), 0);
    });
    m.dispose();
  });

  it('PyTorch parameter names, order, shapes and init range; a PyTorch-named state dict loads strictly', () => {
    ag.manualSeed(16);
    const m = new nn.LSTM(I, H, { numLayers: 2, bidirectional: true });
    const names = m.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`);
    expect(names).toEqual([
      'weight_ih_l0:20x3', 'weight_hh_l0:20x5', 'bias_ih_l0:20', 'bias_hh_l0:20',
      'weight_ih_l0_reverse:20x3', 'weight_hh_l0_reverse:20x5', 'bias_ih_l0_reverse:20', 'bias_hh_l0_reverse:20',
      'weight_ih_l1:20x10', 'weight_hh_l1:20x5', 'bias_ih_l1:20', 'bias_hh_l1:20',
      'weight_ih_l1_reverse:20x10', 'weight_hh_l1_reverse:20x5', 'bias_ih_l1_reverse:20', 'bias_hh_l1_reverse:20',
    ]);
    const k = 1 / Math.sqrt(H);
    for (const p of m.parameters()) {
      const v = Array.from(p.data());
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(k);
    }
    // A state dict as torch.save would hold it: plain tensors under PyTorch's names.
    const sd: Record<string, Tensor> = {};
    for (const [n, p] of m.namedParameters()) sd[n] = ag.full([...p.shape], n.includes('reverse') ? -0.25 : 0.125);
    const r = m.loadStateDict(sd);
    expect(r).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(m.param('bias_hh_l1_reverse').data()[7]).toBe(-0.25);
    expect(m.param('weight_ih_l1').data()[0]).toBe(0.125);
    ag.dispose(sd);
    expect(String(m)).toBe('LSTM(3, 5, num_layers=2, bidirectional=True)');
    m.dispose();
  });

  it('dropout between layers acts only in training mode', () => {
    ag.manualSeed(17);
    const m = new nn.GRU(I, H, { numLayers: 2, dropout: 0.5 });
    ag.tidy(() => {
      const x = ag.randn([T, B, I]);
      m.eval();
      const [e1] = m.forward(x);
      const [e2] = m.forward(x);
      expectClose(e1.toArray(), e2.toArray(), 0);
      m.train();
      const [t1] = m.forward(x);
      const diff = t1.sub(e1).abs().max().item();
      expect(diff).toBeGreaterThan(1e-3);
    });
    m.dispose();
  });

  describe('gradients vs finite differences (through the public API)', () => {
    for (const kind of ['lstm', 'gru', 'rnn_tanh'] as RefKind[]) {
      it(`${kind}: d/d(x, h0${kind === 'lstm' ? ', c0' : ''}), 2 layers, bidirectional`, () => {
        ag.manualSeed(21);
        const m = make(kind, { numLayers: 2, bidirectional: true });
        const r = gradCheck({
          label: kind,
          inputs: (g) => [g.u([T, B, I]), g.u([4, B, H], -0.5, 0.5), g.u([4, B, H], -0.5, 0.5)],
          fn: (x, h0, c0) => {
            const [out, st] = m.forward(x, (kind === 'lstm' ? [h0, c0] : h0) as never);
            // Every output takes part: the sequence and the final state(s).
            const parts = [out.reshape([-1]), ...(Array.isArray(st) ? st : [st]).map((s) => s.reshape([-1]))];
            return ag.cat(parts, 0);
          },
          eps: 1e-2, rtol: 2e-2, atol: 2e-3,
        }, 5);
        expect(r.worst).toBeNull();
        m.dispose();
      });

      it(`${kind}: parameter gradients`, () => {
        ag.manualSeed(22);
        const m = make(kind, { bidirectional: true });
        const x = ag.randn([T, B, I]);
        const R = ag.randn([T, B, 2 * H]);
        const loss = () => ag.tidy(() => ag.noGrad(() => m.forward(x)[0].mul(R).sum().item()));
        ag.tidy(() => { m.forward(x)[0].mul(R).sum().backward(); });
        const eps = 1e-2;
        for (const [name, p] of m.namedParameters()) {
          const g = Array.from(p.grad!.data());
          // every third element keeps the test fast; all gate blocks and both directions are hit
          for (let j = 0; j < p.size; j += 3) {
            const at = (v: number) => { const d = p.data(); d[j] = v; ag.tidy(() => { ag.nn.assign(p, ag.tensor(Array.from(d), { shape: [...p.shape] })); }); return loss(); };
            const v0 = p.data()[j];
            const num = (at(v0 + eps) - at(v0 - eps)) / (2 * eps);
            at(v0);
            expect(Math.abs(num - g[j]), `${name}[${j}]: analytic ${g[j]}, numeric ${num}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(num));
          }
        }
        m.zeroGrad();
        ag.dispose([x, R]);
        m.dispose();
      });
    }
  });

  it('rejects bad inputs with clear errors', () => {
    const m = new nn.LSTM(I, H);
    ag.tidy(() => {
      expect(() => m.forward(ag.zeros([T, B, 4]))).toThrow(/LSTM.*input of shape \[seq, batch, 3\].*got \[4, 2, 4\]/);
      expect(() => m.forward(ag.zeros([T, B, I]), [ag.zeros([1, 3, H]), ag.zeros([1, B, H])])).toThrow(/h0 of shape \[1, 2, 5\].*got \[1, 3, 5\]/);
      expect(() => m.forward(ag.zeros([T, B, I]), ag.zeros([1, B, H]) as never)).toThrow(/pair \[h0, c0\]/);
      expect(() => m.forward(ag.zeros([T, B, I], { dtype: 'int32' }))).toThrow(/float32/);
    });
    expect(() => new nn.RNN(I, H, { nonlinearity: 'sigmoid' as never })).toThrow(/nonlinearity/);
    expect(() => new nn.GRU(I, 0)).toThrow(/hiddenSize/);
    expect(() => new nn.LSTM(I, H, { projSize: 2 } as never)).toThrow(/projSize is not supported/);
    m.dispose();
  });
});

describe('nn.lstmCell gate order', () => {
  it("'iofc' (ONNX's blocks) on permuted gates gives the default order's values and permuted gradients, bitwise", () => {
    const Hc = 5, Bc = 3;
    const g = ag.randn([Bc, 4 * Hc]), hg = ag.randn([Bc, 4 * Hc]), c = ag.randn([Bc, Hc]);
    // ifgo -> iofc: blocks i, o, f, c of the permuted rows are i, f, g, o's blocks 0, 3, 1, 2.
    const perm = (t: Tensor) => ag.tidy(() => { const [i, f, gg, o] = t.split([Hc, Hc, Hc, Hc], 1); return ag.cat([i, o, f, gg], 1); });
    const [gp, hp] = [perm(g), perm(hg)];
    const leaves = [g, hg, gp, hp, c].map((t) => t.detach().requiresGrad_());
    const [a, b] = ag.tidy(() => [nn.lstmCell(leaves[0], leaves[1], leaves[4]), nn.lstmCell(leaves[2], leaves[3], leaves[4], 'iofc')]);
    expect(Array.from(b.data())).toEqual(Array.from(a.data()));
    const w = ag.randn([Bc, 2 * Hc]);
    ag.tidy(() => a.mul(w).sum().backward());
    ag.tidy(() => b.mul(w).sum().backward());
    for (const [d, p] of [[leaves[0], leaves[2]], [leaves[1], leaves[3]]]) {
      const want = perm(d.grad!);
      expect(Array.from(p.grad!.data())).toEqual(Array.from(want.data()));
      want.dispose();
    }
    expect(() => nn.lstmCell(g, hg, c, 'ifgx')).toThrow(/lstmCell: gateOrder must order the four gates.*got 'ifgx'/);
    ag.dispose([g, hg, c, gp, hp, a, b, w, ...leaves]);
  });
});
