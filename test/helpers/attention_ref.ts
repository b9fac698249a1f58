// Plain float64 references for attention tests: multi-head attention as PyTorch's
// multi_head_attention_forward computes it (projections, bias_k/v, zero attention, masks, per-head
// softmax), layer norm, and the Transformer encoder/decoder layers. Sequences are seq-first [L][N][E].
import * as ag from '../../src/index';
import { nn } from '../../src/index';
import { rng } from './reference';

export type Mat = number[][];
export type Seq = number[][][];
export type MaskFn = (b: number, i: number, j: number) => number;

export interface MhaRefParams {
  H: number;
  wq: Mat; wk: Mat; wv: Mat; wo: Mat;
  bq: number[] | null; bk: number[] | null; bv: number[] | null; bo: number[] | null;
  biasK?: number[] | null; biasV?: number[] | null;
  addZeroAttn?: boolean;
}

/** W x + b for W [out][in]. */
export const lin = (w: Mat, b: number[] | null, x: number[]): number[] =>
  w.map((row, o) => row.reduce((a, wi, i) => a + wi * x[i], b ? b[o] : 0));

export function softmaxRow(s: number[]): number[] {
  const m = Math.max(...s);
  const e = s.map((v) => Math.exp(v - m));
  const z = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / z);
}

/**
 * Multi-head attention. attnMask(b = n * H + h, i, j) and keyPadding(n, j) are additive and
 * cover the original S keys (the bias_k / zero columns get 0). Returns out [L][N][E] and
 * weights [N][H][L][S'] (S' = S + bias_kv + zero attention).
 */
export function mhaRef(p: MhaRefParams, query: Seq, key: Seq, value: Seq, attnMask?: MaskFn, keyPadding?: (n: number, j: number) => number): { out: Seq; weights: number[][][][] } {
  const L = query.length, N = query[0].length, S = key.length, E = p.wq.length, H = p.H, D = E / H;
  const out: Seq = Array.from({ length: L }, () => new Array(N));
  const weights: number[][][][] = [];
  for (let n = 0; n < N; n++) {
    const Q = query.map((r) => lin(p.wq, p.bq, r[n]));
    const K = key.map((r) => lin(p.wk, p.bk, r[n]));
    const V = value.map((r) => lin(p.wv, p.bv, r[n]));
    if (p.biasK && p.biasV) { K.push(p.biasK); V.push(p.biasV); }
    const concat: Mat = Array.from({ length: L }, () => new Array(E).fill(0));
    weights.push([]);
    for (let h = 0; h < H; h++) {
      const part = (r: number[]) => r.slice(h * D, (h + 1) * D);
      const Kh = K.map(part), Vh = V.map(part);
      if (p.addZeroAttn) { Kh.push(new Array(D).fill(0)); Vh.push(new Array(D).fill(0)); }
      const W = Q.map((qr, i) => softmaxRow(Kh.map((kr, j) => {
        const s = part(qr).reduce((a, v, d) => a + v * kr[d], 0) / Math.sqrt(D);
        return j < S ? s + (attnMask ? attnMask(n * H + h, i, j) : 0) + (keyPadding ? keyPadding(n, j) : 0) : s;
      })));
      weights[n].push(W);
      for (let i = 0; i < L; i++) for (let d = 0; d < D; d++) concat[i][h * D + d] = W[i].reduce((a, w, j) => a + w * Vh[j][d], 0);
    }
    for (let i = 0; i < L; i++) out[i][n] = lin(p.wo, p.bo, concat[i]);
  }
  return { out, weights };
}

export function layerNormRef(x: number[], w: number[] | null, b: number[] | null, eps = 1e-5): number[] {
  const m = x.reduce((a, v) => a + v, 0) / x.length;
  const v = x.reduce((a, u) => a + (u - m) ** 2, 0) / x.length;
  return x.map((u, i) => (u - m) / Math.sqrt(v + eps) * (w ? w[i] : 1) + (b ? b[i] : 0));
}

export interface LayerRefParams {
  sa: MhaRefParams; ca?: MhaRefParams;
  w1: Mat; b1: number[] | null; w2: Mat; b2: number[] | null;
  norms: { w: number[] | null; b: number[] | null }[];
  act: (x: number) => number;
  normFirst: boolean;
  eps?: number;
}

const mapSeq = (x: Seq, f: (v: number[]) => number[]): Seq => x.map((r) => r.map(f));
const addSeq = (a: Seq, b: Seq): Seq => a.map((r, i) => r.map((v, n) => v.map((u, e) => u + b[i][n][e])));

/** One encoder layer (no `memory`) or decoder layer (with `memory` and p.ca), eval mode. */
export function layerRef(p: LayerRefParams, x: Seq, masks: { self?: MaskFn; selfPad?: (n: number, j: number) => number; mem?: MaskFn; memPad?: (n: number, j: number) => number } = {}, memory?: Seq): Seq {
  const norm = (k: number) => (s: Seq) => mapSeq(s, (v) => layerNormRef(v, p.norms[k].w, p.norms[k].b, p.eps ?? 1e-5));
  const sa = (s: Seq) => mhaRef(p.sa, s, s, s, masks.self, masks.selfPad).out;
  const ca = (s: Seq) => mhaRef(p.ca!, s, memory!, memory!, masks.mem, masks.memPad).out;
  const ff = (s: Seq) => mapSeq(s, (v) => lin(p.w2, p.b2, lin(p.w1, p.b1, v).map(p.act)));
  const blocks = memory ? [sa, ca, ff] : [sa, ff];
  let y = x;
  blocks.forEach((f, k) => { y = p.normFirst ? addSeq(y, f(norm(k)(y))) : norm(k)(addSeq(y, f(y))); });
  return y;
}

/** [L][N][E] -> [N][L][E]. */
export const swap01 = (x: Seq): Seq => x[0].map((_, n) => x.map((r) => r[n]));

/** n seeded values in [lo, hi), float32-rounded. */
export const vals = (r: () => number, n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r()));
/** Loads random values into every entry of m's stateDict; returns them by name (float32-rounded). */
export function randomize(m: nn.Module<never[], unknown>, seed: number): Record<string, number[]> {
  const r = rng(seed), out: Record<string, number[]> = {}, sd: Record<string, ag.Tensor> = {};
  for (const [name, t] of Object.entries(m.stateDict())) {
    out[name] = vals(r, t.size, -0.8, 0.8);
    sd[name] = ag.tensor(out[name], { shape: [...t.shape] });
  }
  m.loadStateDict(sd);
  Object.values(sd).forEach((t) => t.dispose());
  return out;
}
export const mat = (v: number[], rows: number, cols: number, row0 = 0): Mat => Array.from({ length: rows }, (_, i) => v.slice((row0 + i) * cols, (row0 + i + 1) * cols));
/** Reference parameters of m from randomize's values (prefix for nested modules). */
export function mhaParams(p: Record<string, number[]>, m: nn.MultiheadAttention, prefix = ''): MhaRefParams {
  const E = m.embedDim, g = (n: string) => p[prefix + n] ?? null, b = g('in_proj_bias');
  const packed = g('in_proj_weight');
  return {
    H: m.numHeads,
    wq: packed ? mat(packed, E, E, 0) : mat(g('q_proj_weight')!, E, E),
    wk: packed ? mat(packed, E, E, E) : mat(g('k_proj_weight')!, E, m.kdim),
    wv: packed ? mat(packed, E, E, 2 * E) : mat(g('v_proj_weight')!, E, m.vdim),
    bq: b && b.slice(0, E), bk: b && b.slice(E, 2 * E), bv: b && b.slice(2 * E),
    wo: mat(g('out_proj.weight')!, E, E), bo: g('out_proj.bias'),
    biasK: g('bias_k'), biasV: g('bias_v'), addZeroAttn: m.addZeroAttn,
  };
}
/** [d0][d1][d2] nested from flat. */
export const seq3 = (v: number[], a: number, b: number, c: number): Seq => Array.from({ length: a }, (_, i) => mat(v.slice(i * b * c, (i + 1) * b * c), b, c));
export const flatDeep = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flatDeep) : [x as number]);

