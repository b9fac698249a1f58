// Float64 reference of PyTorch's RNN / LSTM / GRU equations (weights in PyTorch's layout:
// w_ih [G*H, in], w_hh [G*H, H], gate blocks LSTM i, f, g, o; GRU r, z, n), written from the
// documented formulas, for tests. Plain arrays: x [T][B][in], states [B][H].
export type RefKind = 'rnn_tanh' | 'rnn_relu' | 'lstm' | 'gru' | 'gru_reset_before';

export interface RefWeights { wih: number[][]; whh: number[][]; bih: number[] | null; bhh: number[] | null }

const sig = (v: number) => 1 / (1 + Math.exp(-v));
const dot = (w: number[], v: number[]) => w.reduce((a, wi, i) => a + wi * v[i], 0);
/** W v + b for W [rows][n]. */
const affine = (W: number[][], v: number[], b: number[] | null) => W.map((row, r) => dot(row, v) + (b ? b[r] : 0));

export function refDirection(kind: RefKind, x: number[][][], w: RefWeights, h0: number[][], c0: number[][] | null, reverse: boolean) {
  const T = x.length, B = h0.length, H = h0[0].length;
  const out: number[][][] = Array.from({ length: T }, () => []);
  const h = h0.map((r) => [...r]);
  const c = c0 ? c0.map((r) => [...r]) : null;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    for (let b = 0; b < B; b++) {
      const gx = affine(w.wih, x[t][b], w.bih);
      const hp = h[b];
      const blk = (v: number[], k: number) => v.slice(k * H, (k + 1) * H);
      if (kind === 'rnn_tanh' || kind === 'rnn_relu') {
        const z = affine(w.whh, hp, w.bhh).map((v, j) => v + gx[j]);
        h[b] = z.map((v) => (kind === 'rnn_tanh' ? Math.tanh(v) : Math.max(0, v)));
      } else if (kind === 'lstm') {
        const z = affine(w.whh, hp, w.bhh).map((v, j) => v + gx[j]);
        const i = blk(z, 0).map(sig), f = blk(z, 1).map(sig), g = blk(z, 2).map(Math.tanh), o = blk(z, 3).map(sig);
        c![b] = c![b].map((cp, j) => f[j] * cp + i[j] * g[j]);
        h[b] = o.map((oj, j) => oj * Math.tanh(c![b][j]));
      } else {
        const gh = affine(w.whh, hp, kind === 'gru' ? w.bhh : null);
        const r = blk(gx, 0).map((v, j) => sig(v + gh[j]));
        const z = blk(gx, 1).map((v, j) => sig(v + gh[H + j]));
        let n: number[];
        if (kind === 'gru') n = blk(gx, 2).map((v, j) => Math.tanh(v + r[j] * gh[2 * H + j]));
        else {
          const rh = hp.map((v, j) => r[j] * v);
          const whn = w.whh.slice(2 * H);
          n = blk(gx, 2).map((v, j) => Math.tanh(v + dot(whn[j], rh)));
        }
        h[b] = n.map((nj, j) => (1 - z[j]) * nj + z[j] * hp[j]);
      }
      out[t][b] = [...h[b]];
    }
  }
  return { out, h, c };
}

/** Stacked, optionally bidirectional network, time-major. weights[layer * D + dir]. */
export function refNetwork(kind: RefKind, x: number[][][], weights: RefWeights[], L: number, D: number,
  h0: number[][][], c0: number[][][] | null) {
  let input = x;
  const hN: number[][][] = [], cN: number[][][] = [];
  for (let l = 0; l < L; l++) {
    const outs = [];
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const r = refDirection(kind, input, weights[k], h0[k], c0 ? c0[k] : null, d === 1);
      outs.push(r.out);
      hN.push(r.h);
      if (r.c) cN.push(r.c);
    }
    input = outs[0].map((step, t) => step.map((row, b) => (D === 1 ? row : [...row, ...outs[1][t][b]])));
  }
  return { out: input, hN, cN };
}
