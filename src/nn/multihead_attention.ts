// nn.MultiheadAttention with torch.nn.MultiheadAttention's semantics, parameter names
// (in_proj_weight or q/k/v_proj_weight, in_proj_bias, bias_k, bias_v, out_proj) and initialization.
// Inputs [L, N, E] ([N, L, E] with batchFirst, or unbatched [L, E]).
import { Tensor } from '../tensor';
import { tidy } from '../memory';
import { zeros } from '../creation';
import { cat } from '../ops/movement';
import { linear } from '../ops/linear';
import { check, fmtShape, knownOptions } from '../util/errors';
import { Module } from './module';
import { Linear } from './linear';
import * as init from './init';
import { additiveMask, attend, causalMask, checkFloat } from './attention_functional';

export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights, in training mode (default 0). */
  dropout?: number;
  /** Biases on the input and output projections (default true). */
  bias?: boolean;
  /** Learned bias_k / bias_v appended to the keys and values as one more position (default false). */
  addBiasKv?: boolean;
  /** Appends a zero key and value to every head (default false). */
  addZeroAttn?: boolean;
  /** Features of key / value (default embedDim; if either differs, separate q/k/v_proj_weight). */
  kdim?: number;
  vdim?: number;
  /** Inputs and output are [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
}

export interface MultiheadAttentionForwardOptions {
  /** [N, S] ([S] unbatched): bool true = ignore that key (PyTorch's convention), or float added. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true); otherwise the second result is null. */
  needWeights?: boolean;
  /** [L, S] or [N * numHeads, L, S]: bool true = NOT allowed to attend, or float added. */
  attnMask?: Tensor | null;
  /** Average the returned weights over heads ([N, L, S]) instead of [N, numHeads, L, S] (default true). */
  averageAttnWeights?: boolean;
  /** Hint that attnMask is causal (attnMask is still required, as PyTorch). */
  isCausal?: boolean;
}

/** PyTorch's name for MultiheadAttention's output projection (a plain Linear). */
class NonDynamicallyQuantizableLinear extends Linear {
  typeName(): string { return 'NonDynamicallyQuantizableLinear'; }
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Appends a zero column to the last dim of a float mask (for bias_k/bias_v and addZeroAttn). */
const padLast = (m: Tensor): Tensor => cat([m, zeros([...m.shape.slice(0, -1), 1])], -1);

/**
 * Multi-head attention (Vaswani et al. 2017): each head attends with its own slice of the
 * projected queries, keys and values; the heads are concatenated and projected by out_proj.
 * @example
 * const mha = new MultiheadAttention(64, 8, { batchFirst: true });
 * const [out, weights] = mha.call(x, x, x); // x [N, L, 64] -> out [N, L, 64], weights [N, L, L]
 */
export class MultiheadAttention extends Module<[Tensor, Tensor, Tensor, MultiheadAttentionForwardOptions?], [Tensor, Tensor | null]> {
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly addZeroAttn: boolean;
  readonly inProjWeight: Tensor | null;
  readonly qProjWeight: Tensor | null;
  readonly kProjWeight: Tensor | null;
  readonly vProjWeight: Tensor | null;
  readonly inProjBias: Tensor | null;
  readonly biasK: Tensor | null;
  readonly biasV: Tensor | null;
  readonly outProj: Linear;

  constructor(readonly embedDim: number, readonly numHeads: number, opts: MultiheadAttentionOptions = {}) {
    super();
    knownOptions('MultiheadAttention', opts, 'dropout bias addBiasKv addZeroAttn kdim vdim batchFirst');
    const { dropout = 0, bias = true, addBiasKv = false, addZeroAttn = false, kdim = embedDim, vdim = embedDim, batchFirst = false } = opts;
    const op = 'MultiheadAttention';
    for (const [n, v] of [['embedDim', embedDim], ['numHeads', numHeads], ['kdim', kdim], ['vdim', vdim]] as const) {
      check(Number.isInteger(v) && v > 0, op, () => `${n} must be a positive integer, got ${v}`);
    }
    check(embedDim % numHeads === 0, op, () => `embedDim must be divisible by numHeads, got embedDim=${embedDim}, numHeads=${numHeads}`);
    check(typeof dropout === 'number' && dropout >= 0 && dropout <= 1, op, () => `dropout must be in [0, 1], got ${dropout}`);
    this.headDim = embedDim / numHeads; this.kdim = kdim; this.vdim = vdim;
    this.dropout = dropout; this.batchFirst = batchFirst; this.addZeroAttn = addZeroAttn;
    const E = embedDim, packed = kdim === E && vdim === E;
    const P = (name: string, shape: number[] | null) => this.registerParameter(name, shape ? Tensor._empty(shape) : null);
    this.inProjWeight = P('in_proj_weight', packed ? [3 * E, E] : null);
    this.qProjWeight = P('q_proj_weight', packed ? null : [E, E]);
    this.kProjWeight = P('k_proj_weight', packed ? null : [E, kdim]);
    this.vProjWeight = P('v_proj_weight', packed ? null : [E, vdim]);
    this.inProjBias = P('in_proj_bias', bias ? [3 * E] : null);
    this.biasK = P('bias_k', addBiasKv ? [1, 1, E] : null);
    this.biasV = P('bias_v', addBiasKv ? [1, 1, E] : null);
    this.outProj = this.registerModule('out_proj', new NonDynamicallyQuantizableLinear(E, E, { bias }));
    this.resetParameters();
  }

  /** PyTorch's _reset_parameters: xavierUniform_ on the input projections, zero biases, xavierNormal_ on bias_k/bias_v. */
  resetParameters(): void {
    for (const w of [this.inProjWeight, this.qProjWeight, this.kProjWeight, this.vProjWeight]) if (w) init.xavierUniform_(w);
    if (this.inProjBias) { init.zeros_(this.inProjBias); init.zeros_(this.outProj.bias!); }
    for (const b of [this.biasK, this.biasV]) if (b) init.xavierNormal_(b);
  }

  /**
   * Attends from query [L, N, E] over key [S, N, kdim] / value [S, N, vdim] ([N, ·, ·] with
   * batchFirst; unbatched without N). Returns [output like query, weights [N, L, S] (averaged
   * over heads) or [N, numHeads, L, S], or null without needWeights].
   */
  forward(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const op = 'MultiheadAttention';
    const { keyPaddingMask = null, needWeights = true, attnMask = null, averageAttnWeights = true, isCausal = false } = opts;
    checkFloat(op, query, 'query'); checkFloat(op, key, 'key'); checkFloat(op, value, 'value');
    const batched = query.ndim === 3;
    check(batched || query.ndim === 2, op, () => `query should be unbatched 2-D or batched 3-D, got a ${query.ndim}-D query of shape ${fmtShape(query.shape)}`);
    check(key.ndim === query.ndim && value.ndim === query.ndim, op, () =>
      `for a ${query.ndim}-D query, key and value must be ${query.ndim}-D too, got key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)}`);
    check(!isCausal || attnMask, op, () => 'isCausal is a hint and needs attnMask as well; generateSquareSubsequentMask(L) makes one');
    const bf = batched && this.batchFirst, E = this.embedDim, H = this.numHeads, D = this.headDim;
    const L = query.shape[bf ? 1 : 0], N = batched ? query.shape[bf ? 0 : 1] : 1, S = key.shape[bf ? 1 : 0];
    const want = (len: number, f: number) => (batched ? (bf ? [N, len, f] : [len, N, f]) : [len, f]);
    check(query.shape[query.ndim - 1] === E, op, () => `was expecting embedding dimension of ${E}, got query of shape ${fmtShape(query.shape)}`);
    check(same(key.shape, want(S, this.kdim)) && same(value.shape, want(S, this.vdim)), op, () =>
      `expected key ${fmtShape(want(S, this.kdim))} and value ${fmtShape(want(S, this.vdim))}, got key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)}`);
    if (keyPaddingMask) {
      const w = batched ? [N, S] : [S];
      check(keyPaddingMask?._isTensor && same(keyPaddingMask.shape, w), op, () => `expected keyPaddingMask of shape ${fmtShape(w)}, got ${keyPaddingMask?._isTensor ? fmtShape(keyPaddingMask.shape) : typeof keyPaddingMask}`);
    }
    if (attnMask) {
      const ok = attnMask?._isTensor && (same(attnMask.shape, [L, S]) || same(attnMask.shape, [N * H, L, S]));
      check(ok, op, () => `expected attnMask of shape ${fmtShape([L, S])} or ${fmtShape([N * H, L, S])} ([N * numHeads, L, S]), got ${attnMask?._isTensor ? fmtShape(attnMask.shape) : typeof attnMask}`);
    }
    return tidy(() => {
      // To [len, N, features].
      const seq = (t: Tensor) => (!batched ? t.unsqueeze(1) : this.batchFirst ? t.transpose(0, 1) : t);
      const b = this.inProjBias, bias = (i: number) => (b ? b.narrow(0, i * E, E) : null);
      const w = (i: number) => (this.inProjWeight ? this.inProjWeight.narrow(0, i * E, E) : [this.qProjWeight, this.kProjWeight, this.vProjWeight][i]!);
      const proj = (t: Tensor, i: number) => linear(seq(t), w(i), bias(i), { transposed: true, op });
      const q = proj(query, 0);
      let k = proj(key, 1), v = proj(value, 2);
      let am = attnMask ? additiveMask(op, 'attnMask', attnMask, true) : null;
      if (am && am.ndim === 2) am = am.unsqueeze(0);
      let pm = keyPaddingMask ? additiveMask(op, 'keyPaddingMask', keyPaddingMask, true).reshape([N, S]) : null;
      if (this.biasK && this.biasV) {
        k = cat([k, this.biasK.expand([1, N, E])], 0);
        v = cat([v, this.biasV.expand([1, N, E])], 0);
        if (am) am = padLast(am);
        if (pm) pm = padLast(pm);
      }
      // [len, N, E] -> [N * H, len, D]: head h of batch n is row n * H + h (PyTorch's layout).
      const heads = (t: Tensor) => t.reshape([t.shape[0], N * H, D]).transpose(0, 1);
      const qh = heads(q);
      let kh = heads(k), vh = heads(v);
      if (this.addZeroAttn) {
        kh = cat([kh, zeros([N * H, 1, D])], 1);
        vh = cat([vh, zeros([N * H, 1, D])], 1);
        if (am) am = padLast(am);
        if (pm) pm = padLast(pm);
      }
      const S2 = kh.shape[1];
      if (pm) {
        const m = pm.reshape([N, 1, 1, S2]).expand([N, H, 1, S2]).reshape([N * H, 1, S2]);
        am = am ? am.add(m) : m;
      }
      // As PyTorch, a causal hint without padding mask or weights replaces attnMask by the true causal mask.
      if (isCausal && !pm && !needWeights) am = causalMask(L, S2);
      const [o, weights] = attend(qh, kh, vh, am, this.training ? this.dropout : 0, 1 / Math.sqrt(D));
      let out = this.outProj.forward(o.transpose(0, 1).reshape([L, N, E]));
      out = !batched ? out.squeeze(1) : this.batchFirst ? out.transpose(0, 1).contiguous() : out;
      if (!needWeights) return [out, null] as [Tensor, Tensor | null];
      let wts = weights.reshape([N, H, L, S2]);
      if (averageAttnWeights) wts = wts.mean(1);
      return [out, batched ? wts : wts.squeeze(0)] as [Tensor, Tensor | null];
    });
  }
}
