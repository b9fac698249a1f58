// F.scaledDotProductAttention and nn.MultiheadAttention against float64 references (broadcast
// batch dims, bool / float / causal masks, bias_k/v, zero attention, kdim/vdim, batchFirst,
// unbatched), PyTorch's stateDict keys and init, dropout, finite-difference gradients, errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn } from '../../src/index';
import { rng } from '../helpers/reference';
import { close, flat } from '../helpers/close';
import { gradCheck } from '../helpers/gradcheck';
import { flatDeep, mhaParams, mhaRef, randomize, seq3, softmaxRow, swap01, vals } from '../helpers/attention_ref';

const F = nn.functional;
const count = (s: number[]) => s.reduce((a, b) => a * b, 1);
/** Element of a (broadcast) tensor at index idx of the result shape (right-aligned, size-1 dims repeat). */
function at(shape: number[], v: number[], idx: number[]): number {
  let off = 0, stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    off += (shape[d] === 1 ? 0 : idx[idx.length - shape.length + d]) * stride;
    stride *= shape[d];
  }
  return v[off];
}
/** All indices of a shape, row-major. */
function* indices(shape: number[]): Generator<number[]> {
  const n = count(shape);
  for (let f = 0; f < n; f++) {
    const idx: number[] = [];
    let r = f;
    for (let d = shape.length - 1; d >= 0; d--) { idx.unshift(r % shape[d]); r = Math.floor(r / shape[d]); }
    yield idx;
  }
}
type T = { s: number[]; v: number[] };
/** softmax(q k^T * scale + mask) v with broadcast batch dims; mask additive. */
function sdpaRef(q: T, k: T, v: T, mask: T | null, scale: number): number[] {
  const [L, E] = q.s.slice(-2), S = k.s[k.s.length - 2], Ev = v.s[v.s.length - 1];
  const nb = Math.max(q.s.length, k.s.length, v.s.length) - 2;
  const batch = Array.from({ length: nb }, (_, i) => Math.max(...[q.s, k.s, v.s].map((s) => s[s.length - 2 - nb + i] ?? 1)));
  const out: number[] = [];
  for (const b of indices(batch)) {
    for (let i = 0; i < L; i++) {
      const w = softmaxRow(Array.from({ length: S }, (_, j) => {
        let s = 0;
        for (let e = 0; e < E; e++) s += at(q.s, q.v, [...b, i, e]) * at(k.s, k.v, [...b, j, e]);
        return s * scale + (mask ? at(mask.s, mask.v, [...b, i, j]) : 0);
      }));
      for (let c = 0; c < Ev; c++) out.push(w.reduce((a, wj, j) => a + wj * at(v.s, v.v, [...b, j, c]), 0));
    }
  }
  return out;
}
const mk = (r: () => number, s: number[]): T => ({ s, v: vals(r, count(s)) });
const tt = (x: T) => ag.tensor(x.v, { shape: x.s });

describe('scaledDotProductAttention', () => {
  it('matches a float64 reference: broadcast batch dims, default / custom scale, bool and float masks', () => ag.tidy(() => {
    const r = rng(1);
    const q = mk(r, [2, 3, 5, 4]), k = mk(r, [3, 7, 4]), v = mk(r, [1, 3, 7, 3]);
    close(flat(F.scaledDotProductAttention(tt(q), tt(k), tt(v))), sdpaRef(q, k, v, null, 1 / 2), 1e-5);
    // bool: true takes part (row i keeps column i at least)
    const allowed = Array.from({ length: 35 }, (_, f) => f % 7 === Math.floor(f / 7) || r() < 0.6);
    const bm = ag.tensor(allowed, { shape: [5, 7], dtype: 'bool' });
    const got = F.scaledDotProductAttention(tt(q), tt(k), tt(v), { attnMask: bm });
    expect(got.shape).toEqual([2, 3, 5, 3]);
    close(flat(got), sdpaRef(q, k, v, { s: [5, 7], v: allowed.map((a) => (a ? 0 : -Infinity)) }, 1 / 2), 1e-5);
    const fm = mk(r, [2, 1, 5, 7]);
    close(flat(F.scaledDotProductAttention(tt(q), tt(k), tt(v), { attnMask: tt(fm), scale: 0.3 })), sdpaRef(q, k, v, fm, 0.3), 1e-5);
  }));

  it('isCausal masks the future (top-left aligned, L != S); a fully masked row is NaN', () => ag.tidy(() => {
    const r = rng(2);
    for (const [L, S] of [[5, 7], [7, 5]]) {
      const q = mk(r, [2, L, 4]), k = mk(r, [2, S, 4]), v = mk(r, [2, S, 3]);
      const causal = { s: [L, S], v: Array.from({ length: L * S }, (_, f) => (f % S > Math.floor(f / S) ? -Infinity : 0)) };
      close(flat(F.scaledDotProductAttention(tt(q), tt(k), tt(v), { isCausal: true })), sdpaRef(q, k, v, causal, 1 / 2), 1e-5);
    }
    const q = mk(r, [3, 4]), k = mk(r, [4, 4]), v = mk(r, [4, 2]);
    const allowed = [true, false, true, true, false, false, false, false, true, true, true, true];
    const out = flat(F.scaledDotProductAttention(tt(q), tt(k), tt(v), { attnMask: ag.tensor(allowed, { shape: [3, 4], dtype: 'bool' }) }));
    const want = sdpaRef(q, k, v, { s: [3, 4], v: allowed.map((a) => (a ? 0 : -Infinity)) }, 1 / 2);
    expect(out.slice(2, 4).every(Number.isNaN)).toBe(true);
    close([...out.slice(0, 2), ...out.slice(4)], [...want.slice(0, 2), ...want.slice(4)], 1e-5);
  }));

  it('dropoutP zeroes attention weights and scales the rest by 1/(1-p)', () => ag.tidy(() => {
    const r = rng(3);
    const q = mk(r, [5, 4]), k = mk(r, [7, 4]);
    const v = { s: [7, 7], v: Array.from({ length: 49 }, (_, f) => (f % 8 === 0 ? 1 : 0)) }; // identity: out = weights
    ag.manualSeed(11);
    const got = flat(F.scaledDotProductAttention(tt(q), tt(k), tt(v), { dropoutP: 0.4 }));
    const w = sdpaRef(q, k, v, null, 1 / 2);
    got.forEach((g, i) => { if (g !== 0) expect(g).toBeCloseTo(w[i] / 0.6, 5); });
    expect(got.filter((g) => g === 0).length).toBeGreaterThan(3);
    expect(got.filter((g) => g !== 0).length).toBeGreaterThan(3);
    expect(flat(F.scaledDotProductAttention(tt(q), tt(k), tt(v), { dropoutP: 1 })).every((g) => g === 0)).toBe(true);
  }));

  it('gradients match finite differences (q, k, v and a float mask; bool and causal masks)', () => {
    const bm = [true, true, false, true, false, true, true, false, true, true, true, false, true, false, true];
    const cases: [string, (q: ag.Tensor, k: ag.Tensor, v: ag.Tensor, m: ag.Tensor) => ag.Tensor][] = [
      ['float mask', (q, k, v, m) => F.scaledDotProductAttention(q, k, v, { attnMask: m, scale: 0.7 })],
      ['bool mask', (q, k, v) => F.scaledDotProductAttention(q, k, v, { attnMask: ag.tensor(bm, { shape: [3, 5], dtype: 'bool' }) })],
      ['causal', (q, k, v) => F.scaledDotProductAttention(q, k, v, { isCausal: true })],
    ];
    for (const [label, fn] of cases) {
      const rep = gradCheck({ label, inputs: (g) => [g.u([2, 3, 4]), g.u([2, 5, 4]), g.u([2, 5, 3]), g.u([3, 5])], fn, rtol: 2e-2, atol: 2e-3 }, 4);
      expect(rep.worst, label).toBeNull();
    }
  });

  it('errors name the op and what it expected', () => ag.tidy(() => {
    const q = ag.zeros([2, 3, 4]), k = ag.zeros([2, 5, 4]), v = ag.zeros([2, 5, 3]);
    const sdpa = F.scaledDotProductAttention;
    expect(() => sdpa(q, k, v, { isCausal: true, attnMask: ag.zeros([3, 5]) })).toThrow(/scaledDotProductAttention: an explicit attnMask should not be set when isCausal is true/);
    expect(() => sdpa(q, ag.zeros([2, 5, 3]), v)).toThrow(/query and key must have the same last dim, got query \[2, 3, 4\] and key \[2, 5, 3\]/);
    expect(() => sdpa(q, k, ag.zeros([2, 4, 3]))).toThrow(/key and value must have the same length/);
    expect(() => sdpa(q, k, v, { attnMask: ag.zeros([3, 4]) })).toThrow(/attnMask of shape \[3, 4\] does not broadcast to the attention scores' shape \[2, 3, 5\]/);
    expect(() => sdpa(q, k, v, { attnMask: ag.zeros([3, 5], { dtype: 'int32' }) })).toThrow(/only bool and float32 attnMask are supported, got int32/);
    expect(() => sdpa(ag.zeros([4]), k, v)).toThrow(/query must have at least 2 dims, got shape \[4\]/);
    expect(() => sdpa(q, ag.zeros([3, 5, 4]), v)).toThrow(/cannot be broadcast/);
  }));
});

describe('MultiheadAttention', () => {
  it('has PyTorch\'s stateDict keys, shapes and initialization', () => ag.tidy(() => {
    const keys = (m: nn.MultiheadAttention) => Object.entries(m.stateDict()).map(([k, t]) => `${k}:${t.shape.join('x')}`);
    const a = new nn.MultiheadAttention(6, 3), b = new nn.MultiheadAttention(6, 2, { addBiasKv: true });
    const c = new nn.MultiheadAttention(6, 2, { kdim: 4, vdim: 5, addBiasKv: true }), d = new nn.MultiheadAttention(6, 2, { bias: false, kdim: 6, vdim: 6 });
    expect(keys(a)).toEqual(['in_proj_weight:18x6', 'in_proj_bias:18', 'out_proj.weight:6x6', 'out_proj.bias:6']);
    expect(keys(b)).toEqual(['in_proj_weight:18x6', 'in_proj_bias:18', 'bias_k:1x1x6', 'bias_v:1x1x6', 'out_proj.weight:6x6', 'out_proj.bias:6']);
    expect(keys(c)).toEqual(['q_proj_weight:6x6', 'k_proj_weight:6x4', 'v_proj_weight:6x5', 'in_proj_bias:18', 'bias_k:1x1x6', 'bias_v:1x1x6', 'out_proj.weight:6x6', 'out_proj.bias:6']);
    expect(keys(d)).toEqual(['in_proj_weight:18x6', 'out_proj.weight:6x6']);
    expect(a.inProjWeight && a.qProjWeight === null && c.inProjWeight === null).toBe(true);
    // xavier_uniform_ bound sqrt(6 / (fan_in + fan_out)), zero biases, xavier_normal_ bias_k
    const w = flat(a.inProjWeight!), bound = Math.sqrt(6 / (6 + 18));
    expect(w.every((x) => Math.abs(x) <= bound) && Math.max(...w.map(Math.abs)) > bound / 2).toBe(true);
    const kb = Math.sqrt(6 / (4 + 6));
    expect(flat(c.kProjWeight!).every((x) => Math.abs(x) <= kb)).toBe(true);
    expect([...flat(a.inProjBias!), ...flat(a.outProj.bias!)].every((x) => x === 0)).toBe(true);
    expect(flat(b.biasK!).some((x) => x !== 0)).toBe(true);
    expect(a.toString()).toBe('MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=6, out_features=6, bias=True)\n)');
    [a, b, c, d].forEach((m) => m.dispose());
  }));

  it('matches a float64 reference: seq-first, bool attnMask [L, S] and keyPaddingMask (true = ignore), weights averaged or per head', () => ag.tidy(() => {
    const E = 6, H = 3, L = 5, S = 7, N = 2, r = rng(7);
    const m = new nn.MultiheadAttention(E, H);
    const P = mhaParams(randomize(m, 8), m);
    const q = vals(r, L * N * E), k = vals(r, S * N * E), v = vals(r, S * N * E);
    const am = Array.from({ length: L * S }, () => r() < 0.3), kpm = Array.from({ length: N * S }, (_, f) => f % S === 6 || r() < 0.25);
    kpm[0] = false; kpm[S] = false; // key 0 always visible where attnMask allows: no all-masked row
    for (let i = 0; i < L; i++) am[i * S] = false;
    const ref = mhaRef(P, seq3(q, L, N, E), seq3(k, S, N, E), seq3(v, S, N, E), (_b, i, j) => (am[i * S + j] ? -Infinity : 0), (n, j) => (kpm[n * S + j] ? -Infinity : 0));
    const args = [ag.tensor(q, { shape: [L, N, E] }), ag.tensor(k, { shape: [S, N, E] }), ag.tensor(v, { shape: [S, N, E] })] as const;
    const masks = { attnMask: ag.tensor(am, { shape: [L, S], dtype: 'bool' }), keyPaddingMask: ag.tensor(kpm, { shape: [N, S], dtype: 'bool' }) };
    const [out, w] = m.call(...args, masks);
    expect(out.shape).toEqual([L, N, E]);
    close(flat(out), flatDeep(ref.out), 1e-5);
    expect(w!.shape).toEqual([N, L, S]);
    const avg = ref.weights.map((hs) => hs[0].map((row, i) => row.map((_, j) => hs.reduce((a, hw) => a + hw[i][j], 0) / H)));
    close(flat(w!), flatDeep(avg), 1e-5);
    const [out2, w2] = m.forward(...args, { ...masks, averageAttnWeights: false });
    expect(w2!.shape).toEqual([N, H, L, S]);
    close(flat(w2!), flatDeep(ref.weights), 1e-5);
    const [out3, none] = m.call(...args, { ...masks, needWeights: false });
    expect(none).toBeNull();
    close(flat(out3), flat(out2), 1e-6);
    m.dispose();
  }));

  it('matches the reference with batchFirst, float masks [N * H, L, S] and [N, S]', () => ag.tidy(() => {
    const E = 6, H = 2, L = 5, S = 7, N = 2, r = rng(9);
    const m = new nn.MultiheadAttention(E, H, { batchFirst: true });
    const P = mhaParams(randomize(m, 10), m);
    const q = vals(r, N * L * E), k = vals(r, N * S * E), v = vals(r, N * S * E);
    const am = vals(r, N * H * L * S, -2, 2), kpm = vals(r, N * S, -3, 0);
    const ref = mhaRef(P, swap01(seq3(q, N, L, E)), swap01(seq3(k, N, S, E)), swap01(seq3(v, N, S, E)), (b, i, j) => am[(b * L + i) * S + j], (n, j) => kpm[n * S + j]);
    const [out, w] = m.call(ag.tensor(q, { shape: [N, L, E] }), ag.tensor(k, { shape: [N, S, E] }), ag.tensor(v, { shape: [N, S, E] }), {
      attnMask: ag.tensor(am, { shape: [N * H, L, S] }), keyPaddingMask: ag.tensor(kpm, { shape: [N, S] }), averageAttnWeights: false,
    });
    expect(out.shape).toEqual([N, L, E]);
    close(flat(out), flatDeep(swap01(ref.out)), 1e-5);
    close(flat(w!), flatDeep(ref.weights), 1e-5);
    m.dispose();
  }));

  it('matches the reference with kdim / vdim (separate projections), addBiasKv and addZeroAttn, masks padded for the extra keys', () => ag.tidy(() => {
    const E = 6, H = 2, L = 5, S = 7, N = 2, r = rng(11);
    for (const [addBiasKv, addZeroAttn] of [[true, false], [false, true], [true, true]]) {
      const m = new nn.MultiheadAttention(E, H, { kdim: 4, vdim: 5, addBiasKv, addZeroAttn });
      const P = mhaParams(randomize(m, 12), m);
      const q = vals(r, L * N * E), k = vals(r, S * N * 4), v = vals(r, S * N * 5);
      const am = Array.from({ length: L * S }, () => r() < 0.4), kpm = Array.from({ length: N * S }, () => r() < 0.4);
      const ref = mhaRef(P, seq3(q, L, N, E), seq3(k, S, N, 4), seq3(v, S, N, 5), (_b, i, j) => (am[i * S + j] ? -Infinity : 0), (n, j) => (kpm[n * S + j] ? -Infinity : 0));
      const [out, w] = m.call(ag.tensor(q, { shape: [L, N, E] }), ag.tensor(k, { shape: [S, N, 4] }), ag.tensor(v, { shape: [S, N, 5] }), {
        attnMask: ag.tensor(am, { shape: [L, S], dtype: 'bool' }), keyPaddingMask: ag.tensor(kpm, { shape: [N, S], dtype: 'bool' }), averageAttnWeights: false,
      });
      const extra = Number(addBiasKv) + Number(addZeroAttn);
      expect(w!.shape).toEqual([N, H, L, S + extra]);
      close(flat(out), flatDeep(ref.out), 1e-5);
      close(flat(w!), flatDeep(ref.weights), 1e-5);
      m.dispose();
    }
  }));

  it('unbatched input [L, E] with keyPaddingMask [S] and a 3-D attnMask [numHeads, L, S]', () => ag.tidy(() => {
    const E = 6, H = 3, L = 5, S = 7, r = rng(13);
    const m = new nn.MultiheadAttention(E, H);
    const P = mhaParams(randomize(m, 14), m);
    const q = vals(r, L * E), k = vals(r, S * E), v = vals(r, S * E), am = vals(r, H * L * S), kpm = Array.from({ length: S }, (_, j) => j % 3 === 1);
    const ref = mhaRef(P, seq3(q, L, 1, E), seq3(k, S, 1, E), seq3(v, S, 1, E), (b, i, j) => am[(b * L + i) * S + j], (_n, j) => (kpm[j] ? -Infinity : 0));
    const [out, w] = m.call(ag.tensor(q, { shape: [L, E] }), ag.tensor(k, { shape: [S, E] }), ag.tensor(v, { shape: [S, E] }), {
      attnMask: ag.tensor(am, { shape: [H, L, S] }), keyPaddingMask: ag.tensor(kpm, { dtype: 'bool' }),
    });
    expect([out.shape, w!.shape]).toEqual([[L, E], [L, S]]);
    close(flat(out), flatDeep(ref.out), 1e-5);
    close(flat(w!), flatDeep(ref.weights[0][0].map((row, i) => row.map((_, j) => ref.weights[0].reduce((a, hw) => a + hw[i][j], 0) / H))), 1e-5);
    m.dispose();
  }));

  it('isCausal is a hint that needs attnMask; with the causal mask the result is the same', () => ag.tidy(() => {
    const m = new nn.MultiheadAttention(6, 2), x = ag.randn([5, 2, 6]);
    const mask = nn.functional.generateSquareSubsequentMask(5);
    const [a] = m.call(x, x, x, { attnMask: mask, needWeights: false });
    const [b] = m.call(x, x, x, { attnMask: mask, isCausal: true, needWeights: false });
    const [c, w] = m.call(x, x, x, { attnMask: mask.eq(-Infinity) }); // bool, true = blocked
    close(flat(a), flat(b), 1e-6); close(flat(a), flat(c), 1e-6);
    expect(flat(w!)[1]).toBe(0); // row 0 attends only to key 0
    expect(() => m.call(x, x, x, { isCausal: true })).toThrow(/MultiheadAttention: isCausal is a hint and needs attnMask as well/);
    m.dispose();
  }));

  it('drops attention weights in training mode only', () => ag.tidy(() => {
    const m = new nn.MultiheadAttention(6, 3, { dropout: 1 }), x = ag.randn([4, 2, 6]);
    randomize(m, 15);
    const [out, w] = m.call(x, x, x);
    expect(flat(w!).every((v) => v === 0)).toBe(true);
    // all weights dropped: the output is out_proj's bias at every position
    const bias = flat(m.outProj.bias!);
    close(flat(out), Array.from({ length: 8 }, () => bias).flat(), 1e-6);
    m.eval();
    const [, we] = m.call(x, x, x);
    close(flat(we!.sum(-1)), new Array(8).fill(1), 1e-5);
    m.dispose();
  }));

  it('gradients match finite differences for inputs and parameters', () => {
    const m = new nn.MultiheadAttention(6, 2, { kdim: 4, vdim: 5, addBiasKv: true });
    ag.tidy(() => randomize(m, 16));
    const am = ag.tensor(Array.from({ length: 15 }, (_, f) => f % 4 === 1), { shape: [3, 5], dtype: 'bool' });
    const rep = gradCheck({
      label: 'mha',
      inputs: (g) => [g.u([3, 2, 6]), g.u([5, 2, 4]), g.u([5, 2, 5]), g.u([2, 5], -1, 0)],
      fn: (q, k, v, kpm) => { const [o, w] = m.forward(q, k, v, { attnMask: am, keyPaddingMask: kpm, averageAttnWeights: false }); return ag.cat([o.reshape([-1]), w!.reshape([-1])], 0); },
      rtol: 2e-2, atol: 2e-3,
    }, 6);
    expect(rep.worst).toBeNull();
    // parameters: analytic gradient of sum(out * R) against central differences on a few entries
    const r = rng(17);
    const x = ag.tensor(vals(r, 36), { shape: [3, 2, 6] }), kx = ag.tensor(vals(r, 40), { shape: [5, 2, 4] }), vx = ag.tensor(vals(r, 50), { shape: [5, 2, 5] });
    const R = ag.tensor(vals(r, 36), { shape: [3, 2, 6] });
    const loss = () => ag.tidy(() => m.forward(x, kx, vx)[0].mul(R).sum());
    m.zeroGrad(); // gradCheck's backward reached the parameters too
    const l0 = loss(); l0.backward(); l0.dispose();
    for (const p of [m.qProjWeight!, m.vProjWeight!, m.inProjBias!, m.biasK!, m.outProj.weight]) {
      const g = flat(p.grad!), base = flat(p);
      for (const i of [0, 3, p.size - 1]) {
        const f = (d: number) => ag.tidy(() => { nn.assign(p, ag.tensor(base.map((b, j) => (j === i ? b + d : b)), { shape: [...p.shape] })); return ag.noGrad(() => loss().item()); });
        const num = (f(1e-2) - f(-1e-2)) / 2e-2;
        ag.tidy(() => { nn.assign(p, ag.tensor(base, { shape: [...p.shape] })); });
        expect(Math.abs(g[i] - num), `${p.name}[${i}]: ${g[i]} vs ${num}`).toBeLessThan(3e-3 + 2e-2 * Math.abs(num));
      }
    }
    m.zeroGrad();
    [x, kx, vx, R, am].forEach((t) => t.dispose());
    m.dispose();
  });

  it('errors name the op, what it got and what it expected', () => ag.tidy(() => {
    expect(() => new nn.MultiheadAttention(6, 4)).toThrow(/MultiheadAttention: embedDim must be divisible by numHeads, got embedDim=6, numHeads=4/);
    expect(() => new nn.MultiheadAttention(6, 0)).toThrow(/numHeads must be a positive integer, got 0/);
    expect(() => new nn.MultiheadAttention(6, 2, { dropout: 1.5 })).toThrow(/dropout must be in \[0, 1\], got 1.5/);
    const m = new nn.MultiheadAttention(6, 2), x = ag.zeros([5, 2, 6]);
    expect(() => m.call(ag.zeros([1, 5, 2, 6]), x, x)).toThrow(/query should be unbatched 2-D or batched 3-D, got a 4-D query of shape \[1, 5, 2, 6\]/);
    expect(() => m.call(x, ag.zeros([5, 6]), x)).toThrow(/for a 3-D query, key and value must be 3-D too/);
    expect(() => m.call(ag.zeros([5, 2, 4]), x, x)).toThrow(/was expecting embedding dimension of 6, got query of shape \[5, 2, 4\]/);
    expect(() => m.call(x, ag.zeros([7, 2, 6]), x)).toThrow(/expected key \[7, 2, 6\] and value \[7, 2, 6\]/);
    expect(() => m.call(x, x, x, { attnMask: ag.zeros([5, 4]) })).toThrow(/expected attnMask of shape \[5, 5\] or \[4, 5, 5\] \(\[N \* numHeads, L, S\]\), got \[5, 4\]/);
    expect(() => m.call(x, x, x, { keyPaddingMask: ag.zeros([5, 2]) })).toThrow(/expected keyPaddingMask of shape \[2, 5\], got \[5, 2\]/);
    expect(() => m.call(x, x, x, { keyPaddingMask: ag.zeros([2, 5], { dtype: 'int32' }) })).toThrow(/only bool and float32 keyPaddingMask are supported, got int32/);
    expect(() => m.call(x, x, ag.zeros([5, 2, 6], { dtype: 'int32' }))).toThrow(/value must be float32, got int32/);
    m.dispose();
  }));
});
