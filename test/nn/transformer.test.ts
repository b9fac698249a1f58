// nn.TransformerEncoderLayer / TransformerEncoder / TransformerDecoderLayer / TransformerDecoder:
// float64 references (post-norm and pre-norm, relu / gelu / custom activation, masks, batchFirst,
// unbatched), PyTorch's stateDict keys and printing, loading state dicts, copies, dropout, gradients, errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn } from '../../src/index';
import { erf, rng } from '../helpers/reference';
import { close, flat } from '../helpers/close';
import { gradCheck } from '../helpers/gradcheck';
import { flatDeep, layerNormRef, layerRef, mat, mhaParams, randomize, seq3, swap01, vals, type LayerRefParams, type MaskFn } from '../helpers/attention_ref';

const E = 6, FF = 7, L = 5, S = 7, N = 2;
const relu = (x: number) => Math.max(x, 0), gelu = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));

function layerParams(p: Record<string, number[]>, layer: nn.TransformerEncoderLayer | nn.TransformerDecoderLayer, prefix = '', act = relu): LayerRefParams {
  const g = (n: string) => p[prefix + n] ?? null;
  const dec = layer instanceof nn.TransformerDecoderLayer;
  return {
    sa: mhaParams(p, layer.selfAttn, `${prefix}self_attn.`),
    ca: dec ? mhaParams(p, layer.multiheadAttn!, `${prefix}multihead_attn.`) : undefined,
    w1: mat(g('linear1.weight')!, FF, E), b1: g('linear1.bias'), w2: mat(g('linear2.weight')!, E, FF), b2: g('linear2.bias'),
    norms: (dec ? [1, 2, 3] : [1, 2]).map((k) => ({ w: g(`norm${k}.weight`), b: g(`norm${k}.bias`) })),
    act, normFirst: layer.normFirst,
  };
}

describe('TransformerEncoderLayer / TransformerEncoder', () => {
  it('has PyTorch\'s stateDict keys and printing', () => ag.tidy(() => {
    const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(E, 2, { dimFeedforward: FF }), 2, { norm: new nn.LayerNorm(E) });
    const per = ['self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
      'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias'];
    expect(Object.keys(enc.stateDict())).toEqual([...per.map((k) => `layers.0.${k}`), ...per.map((k) => `layers.1.${k}`), 'norm.weight', 'norm.bias']);
    const nb = new nn.TransformerEncoderLayer(E, 3, { bias: false, dimFeedforward: FF });
    expect(Object.keys(nb.stateDict())).toEqual(['self_attn.in_proj_weight', 'self_attn.out_proj.weight', 'linear1.weight', 'linear2.weight', 'norm1.weight', 'norm2.weight']);
    expect(enc.layers.at(0).toString()).toBe([
      'TransformerEncoderLayer(',
      '  (self_attn): MultiheadAttention(',
      '    (out_proj): NonDynamicallyQuantizableLinear(in_features=6, out_features=6, bias=True)',
      '  )',
      '  (linear1): Linear(in_features=6, out_features=7, bias=True)',
      '  (dropout): Dropout(p=0.1, inplace=False)',
      '  (linear2): Linear(in_features=7, out_features=6, bias=True)',
      '  (norm1): LayerNorm((6,), eps=1e-05, elementwise_affine=True)',
      '  (norm2): LayerNorm((6,), eps=1e-05, elementwise_affine=True)',
      '  (dropout1): Dropout(p=0.1, inplace=False)',
      '  (dropout2): Dropout(p=0.1, inplace=False)',
      ')'].join('\n'));
    // the copies start equal to the given layer but own their tensors
    const [a, b] = [enc.layers.at(0), enc.layers.at(1)];
    expect(a.linear1.weight).not.toBe(b.linear1.weight);
    expect(flat(b.linear1.weight)).toEqual(flat(a.linear1.weight));
    expect(flat(b.selfAttn.inProjWeight!)).toEqual(flat(a.selfAttn.inProjWeight!));
    enc.dispose(); nb.dispose();
  }));

  it('a layer matches the float64 reference: post-norm / pre-norm, relu / gelu / a function, masks, batchFirst, unbatched', () => ag.tidy(() => {
    const r = rng(21);
    const configs: [number, nn.TransformerLayerOptions, (x: number) => number][] = [
      [2, {}, relu],
      [3, { normFirst: true, activation: 'gelu', batchFirst: true }, gelu],
      [2, { normFirst: true, activation: (x: ag.Tensor) => x.tanh() }, Math.tanh],
    ];
    for (const [H, opts, act] of configs) {
      const layer = new nn.TransformerEncoderLayer(E, H, { dimFeedforward: FF, ...opts }).eval();
      const P = layerParams(randomize(layer, 22), layer, '', act);
      const x = vals(r, L * N * E), am = Array.from({ length: L * L }, (_, f) => f % (L + 1) !== 0 && r() < 0.3);
      const kpm = vals(r, N * L, -2, 0);
      const xs = opts.batchFirst ? swap01(seq3(x, N, L, E)) : seq3(x, L, N, E);
      const self: MaskFn = (_b, i, j) => (am[i * L + j] ? -Infinity : 0);
      const want = layerRef(P, xs, { self, selfPad: (n, j) => kpm[n * L + j] });
      const got = layer.call(ag.tensor(x, { shape: opts.batchFirst ? [N, L, E] : [L, N, E] }), {
        srcMask: ag.tensor(am, { shape: [L, L], dtype: 'bool' }), srcKeyPaddingMask: ag.tensor(kpm, { shape: [N, L] }),
      });
      close(flat(got), flatDeep(opts.batchFirst ? swap01(want) : want), 1e-4);
      // unbatched [L, E]: the first sequence alone
      const x0 = (opts.batchFirst ? seq3(x, N, L, E)[0] : seq3(x, L, N, E).map((row) => row[0]));
      const want0 = layerRef(P, x0.map((v) => [v]), { self });
      close(flat(layer.call(ag.tensor(x0), { srcMask: ag.tensor(am, { shape: [L, L], dtype: 'bool' }) })), flatDeep(want0), 1e-4);
      layer.dispose();
    }
  }));

  it('a loaded encoder stack with a final norm matches the reference, with a causal mask', () => ag.tidy(() => {
    const r = rng(23);
    const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(E, 3, { dimFeedforward: FF, dropout: 0 }), 2, { norm: new nn.LayerNorm(E) });
    const p = randomize(enc, 24);
    const x = vals(r, L * N * E), mask = nn.TransformerEncoder.generateSquareSubsequentMask(L);
    const causal: MaskFn = (_b, i, j) => (j > i ? -Infinity : 0);
    let want = seq3(x, L, N, E);
    for (const k of [0, 1]) want = layerRef(layerParams(p, enc.layers.at(k), `layers.${k}.`), want, { self: causal });
    want = want.map((row) => row.map((v) => layerNormRef(v, p['norm.weight'], p['norm.bias'])));
    const xt = ag.tensor(x, { shape: [L, N, E] });
    close(flat(enc.call(xt, { mask })), flatDeep(want), 1e-4);
    close(flat(enc.call(xt, { mask, isCausal: true })), flatDeep(want), 1e-4);
    enc.dispose();
  }));

  it('dropout acts in training mode only; train() and eval() reach every layer', () => ag.tidy(() => {
    const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(E, 2, { dimFeedforward: FF, dropout: 0.5 }), 2);
    const x = ag.randn([L, N, E]);
    const a = flat(enc.call(x)), b = flat(enc.call(x));
    expect(a).not.toEqual(b);
    enc.eval();
    expect(enc.modules().every((m) => !m.training)).toBe(true);
    expect(flat(enc.call(x))).toEqual(flat(enc.call(x)));
    enc.dispose();
  }));

  it('gradients through a layer match finite differences', () => {
    const layer = new nn.TransformerEncoderLayer(E, 2, { dimFeedforward: FF, activation: 'gelu', normFirst: true }).eval();
    const pad = ag.tensor([false, false, true, false, false, false, false, false, true, false], { shape: [N, L], dtype: 'bool' });
    const rep = gradCheck({ label: 'encoder layer', inputs: (g) => [g.u([L, N, E])], fn: (x) => layer.forward(x, { srcKeyPaddingMask: pad }), rtol: 2e-2, atol: 3e-3 }, 3);
    expect(rep.worst).toBeNull();
    layer.zeroGrad(); layer.dispose(); pad.dispose();
  });

  it('errors name the op and what it expected', () => ag.tidy(() => {
    expect(() => new nn.TransformerEncoderLayer(E, 2, { activation: 'tanh' as never })).toThrow(/TransformerEncoderLayer: activation should be 'relu', 'gelu' or a function, not tanh/);
    expect(() => new nn.TransformerEncoderLayer(E, 4)).toThrow(/embedDim must be divisible by numHeads, got embedDim=6, numHeads=4/);
    const layer = new nn.TransformerEncoderLayer(E, 2, { dimFeedforward: FF });
    expect(() => new nn.TransformerEncoder(layer, 0)).toThrow(/TransformerEncoder: numLayers must be a positive integer, got 0/);
    const lin = new nn.Linear(2, 2);
    expect(() => new nn.TransformerEncoder(lin as never, 2)).toThrow(/TransformerEncoder: the layer must be a TransformerEncoderLayer, got Linear/);
    lin.dispose();
    expect(() => layer.call(ag.zeros([L, N, 5]))).toThrow(/TransformerEncoderLayer: src must be \[L, N, 6\] or unbatched \[L, 6\], got \[5, 2, 5\]/);
    expect(() => layer.call(ag.zeros([1, L, N, E]))).toThrow(/src must be \[L, N, 6\]/);
    expect(() => layer.call(ag.zeros([L, N, E]), { srcMask: ag.zeros([L, L + 1]) })).toThrow(/MultiheadAttention: expected attnMask of shape \[5, 5\] or \[4, 5, 5\]/);
    layer.dispose();
  }));
});

describe('TransformerDecoderLayer / TransformerDecoder', () => {
  it('has PyTorch\'s stateDict keys', () => ag.tidy(() => {
    const dec = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(E, 2, { dimFeedforward: FF }), 1);
    const attn = (n: string) => ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias'].map((k) => `layers.0.${n}.${k}`);
    expect(Object.keys(dec.stateDict())).toEqual([...attn('self_attn'), ...attn('multihead_attn'),
      ...['linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias', 'norm3.weight', 'norm3.bias'].map((k) => `layers.0.${k}`)]);
    expect(dec.layers.at(0).namedChildren().map(([n]) => n)).toEqual(['self_attn', 'multihead_attn', 'linear1', 'dropout', 'linear2', 'norm1', 'norm2', 'norm3', 'dropout1', 'dropout2', 'dropout3']);
    dec.dispose();
  }));

  it('a loaded decoder stack matches the reference (post-norm and pre-norm, batchFirst, causal tgt mask, memory padding)', () => ag.tidy(() => {
    const r = rng(31);
    for (const opts of [{}, { normFirst: true, batchFirst: true }] as nn.TransformerLayerOptions[]) {
      const dec = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(E, 3, { dimFeedforward: FF, ...opts }), 2, { norm: new nn.LayerNorm(E) }).eval();
      const p = randomize(dec, 32);
      const tgt = vals(r, L * N * E), mem = vals(r, S * N * E), mpad = Array.from({ length: N * S }, (_, f) => f % 3 === 2);
      const bf = opts.batchFirst === true;
      const seqOf = (v: number[], len: number) => (bf ? swap01(seq3(v, N, len, E)) : seq3(v, len, N, E));
      let want = seqOf(tgt, L);
      const masks = { self: ((_b, i, j) => (j > i ? -Infinity : 0)) as MaskFn, memPad: (n: number, j: number) => (mpad[n * S + j] ? -Infinity : 0) };
      for (const k of [0, 1]) want = layerRef(layerParams(p, dec.layers.at(k), `layers.${k}.`), want, masks, seqOf(mem, S));
      want = want.map((row) => row.map((v) => layerNormRef(v, p['norm.weight'], p['norm.bias'])));
      const shape = (len: number) => (bf ? [N, len, E] : [len, N, E]);
      const got = dec.call(ag.tensor(tgt, { shape: shape(L) }), ag.tensor(mem, { shape: shape(S) }), {
        tgtMask: nn.TransformerDecoder.generateSquareSubsequentMask(L), memoryKeyPaddingMask: ag.tensor(mpad, { shape: [N, S], dtype: 'bool' }),
      });
      close(flat(got), flatDeep(bf ? swap01(want) : want), 1e-4);
      dec.dispose();
    }
  }));

  it('gradients through a decoder layer match finite differences (tgt and memory)', () => {
    const layer = new nn.TransformerDecoderLayer(E, 2, { dimFeedforward: FF }).eval();
    const rep = gradCheck({
      label: 'decoder layer', inputs: (g) => [g.u([4, E]), g.u([3, E])],
      fn: (t, m) => layer.forward(t, m, { tgtMask: nn.TransformerDecoder.generateSquareSubsequentMask(4), tgtIsCausal: true }), rtol: 2e-2, atol: 3e-3,
    }, 5);
    expect(rep.worst).toBeNull();
    layer.zeroGrad(); layer.dispose();
  });

  it('generateSquareSubsequentMask is -inf above the diagonal, 0 elsewhere; decoder errors', () => ag.tidy(() => {
    const m = flat(nn.TransformerDecoder.generateSquareSubsequentMask(4));
    expect(m).toEqual(Array.from({ length: 16 }, (_, f) => (f % 4 > Math.floor(f / 4) ? -Infinity : 0)));
    expect(flat(nn.functional.generateSquareSubsequentMask(1))).toEqual([0]);
    expect(() => nn.functional.generateSquareSubsequentMask(-1)).toThrow(/generateSquareSubsequentMask: size must be a non-negative integer, got -1/);
    const layer = new nn.TransformerDecoderLayer(E, 2, { dimFeedforward: FF });
    expect(() => layer.call(ag.zeros([L, N, E]), ag.zeros([S, N, 4]))).toThrow(/TransformerDecoderLayer: memory must be \[L, N, 6\]/);
    expect(() => layer.call(ag.zeros([L, N, E]), ag.zeros([S, N, E]), { tgtIsCausal: true })).toThrow(/isCausal is a hint and needs attnMask/);
    expect(() => new nn.TransformerDecoder(layer, 2.5)).toThrow(/TransformerDecoder: numLayers must be a positive integer, got 2.5/);
    layer.dispose();
  }));
});
