// nn.TransformerEncoderLayer / TransformerEncoder / TransformerDecoderLayer / TransformerDecoder with
// PyTorch's semantics and submodule names (self_attn, multihead_attn, linear1, norm1, ...; layers.0.…),
// post-norm (default) or pre-norm (normFirst). Sequences [L, N, E] ([N, L, E] with batchFirst, or [L, E]).
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { check, fmtShape, knownOptions } from '../util/errors';
import { Module, type AnyModule } from './module';
import { ModuleList } from './containers';
import { Linear } from './linear';
import { LayerNorm } from './layernorm';
import { Dropout } from './dropout';
import { gelu, relu } from './functional';
import { MultiheadAttention } from './multihead_attention';
import { checkFloat, generateSquareSubsequentMask } from './attention_functional';

export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

export interface TransformerLayerOptions {
  /** Hidden width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability everywhere (attention weights, feed-forward, residual branches; default 0.1). */
  dropout?: number;
  /** Feed-forward activation: 'relu' (default), 'gelu' or a function. */
  activation?: TransformerActivation;
  layerNormEps?: number;
  /** Sequences are [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** LayerNorm before each block (pre-norm) instead of after the residual sum (default false). */
  normFirst?: boolean;
  /** Biases in the linear layers and layer norms (default true). */
  bias?: boolean;
}

export interface TransformerEncoderLayerForwardOptions {
  /** Self-attention mask [L, L] or [N * nhead, L, L] (bool true = not allowed, or float added). */
  srcMask?: Tensor | null;
  /** [N, L]: bool true = padding (ignored), or float added. */
  srcKeyPaddingMask?: Tensor | null;
  /** Hint that srcMask is causal. */
  isCausal?: boolean;
}

export interface TransformerDecoderLayerForwardOptions {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
  tgtIsCausal?: boolean;
  memoryIsCausal?: boolean;
}

/** The state both layers share: attention, feed-forward, norms and dropouts, registered in PyTorch's order. */
abstract class TransformerLayerBase<I extends unknown[]> extends Module<I> {
  readonly selfAttn: MultiheadAttention;
  readonly multiheadAttn: MultiheadAttention | null;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm | null;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly dropout3: Dropout | null;
  readonly normFirst: boolean;
  readonly activation: (x: Tensor) => Tensor;

  constructor(readonly dModel: number, readonly nhead: number, readonly options: TransformerLayerOptions, decoder: boolean) {
    super();
    const { dimFeedforward = 2048, dropout = 0.1, activation = 'relu', layerNormEps = 1e-5, batchFirst = false, normFirst = false, bias = true } = options;
    const op = this.typeName();
    knownOptions(op, options, 'dimFeedforward dropout activation layerNormEps batchFirst normFirst bias');
    check(activation === 'relu' || activation === 'gelu' || typeof activation === 'function', op, () => `activation should be 'relu', 'gelu' or a function, not ${String(activation)}`);
    check(Number.isInteger(dimFeedforward) && dimFeedforward > 0, op, () => `dimFeedforward must be a positive integer, got ${dimFeedforward}`);
    const mha = () => new MultiheadAttention(dModel, nhead, { dropout, bias, batchFirst });
    const norm = () => new LayerNorm(dModel, { eps: layerNormEps, bias });
    this.selfAttn = this.registerModule('self_attn', mha());
    this.multiheadAttn = decoder ? this.registerModule('multihead_attn', mha()) : null;
    this.linear1 = this.registerModule('linear1', new Linear(dModel, dimFeedforward, { bias }));
    this.dropout = this.registerModule('dropout', new Dropout(dropout));
    this.linear2 = this.registerModule('linear2', new Linear(dimFeedforward, dModel, { bias }));
    this.norm1 = this.registerModule('norm1', norm());
    this.norm2 = this.registerModule('norm2', norm());
    this.norm3 = decoder ? this.registerModule('norm3', norm()) : null;
    this.dropout1 = this.registerModule('dropout1', new Dropout(dropout));
    this.dropout2 = this.registerModule('dropout2', new Dropout(dropout));
    this.dropout3 = decoder ? this.registerModule('dropout3', new Dropout(dropout)) : null;
    this.normFirst = normFirst;
    this.activation = activation === 'relu' ? relu : activation === 'gelu' ? gelu : activation;
  }

  /** Checks a sequence argument: float32 [L, N, E], [N, L, E] or [L, E] with E = dModel. */
  protected checkSeq(x: unknown, what: string): void {
    const op = this.typeName();
    checkFloat(op, x, what);
    check((x.ndim === 2 || x.ndim === 3) && x.shape[x.ndim - 1] === this.dModel, op, () =>
      `${what} must be ${this.selfAttn.batchFirst ? '[N, L' : '[L, N'}, ${this.dModel}] or unbatched [L, ${this.dModel}], got ${fmtShape(x.shape)}`);
  }

  /** Attention of x over mem, through its dropout. */
  protected attn(m: MultiheadAttention, x: Tensor, mem: Tensor, mask: Tensor | null | undefined, kpm: Tensor | null | undefined, isCausal: boolean | undefined, drop: Dropout): Tensor {
    return drop.forward(m.forward(x, mem, mem, { attnMask: mask, keyPaddingMask: kpm, isCausal, needWeights: false })[0]);
  }

  protected ff(x: Tensor): Tensor {
    return (this.dropout3 ?? this.dropout2).forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
  }

  /** A new layer with the same options, parameter values and train/eval modes (PyTorch deep-copies layers into stacks). */
  clone(): this {
    const c = new (this.constructor as new (d: number, n: number, o: TransformerLayerOptions) => this)(this.dModel, this.nhead, this.options);
    c.loadStateDict(this.stateDict());
    const src = this.modules();
    c.modules().forEach((m, i) => { m.training = src[i].training; });
    return c;
  }
}

/**
 * Self-attention then a feed-forward block, each with a residual connection and LayerNorm.
 * @example
 * const layer = new TransformerEncoderLayer(512, 8, { batchFirst: true });
 * const y = layer.call(x); // x [N, L, 512] -> [N, L, 512]
 */
export class TransformerEncoderLayer extends TransformerLayerBase<[Tensor, TransformerEncoderLayerForwardOptions?]> {
  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) { super(dModel, nhead, options, false); }

  forward(src: Tensor, { srcMask = null, srcKeyPaddingMask = null, isCausal = false }: TransformerEncoderLayerForwardOptions = {}): Tensor {
    this.checkSeq(src, 'src');
    return tidy(() => {
      const sa = (x: Tensor) => this.attn(this.selfAttn, x, x, srcMask, srcKeyPaddingMask, isCausal, this.dropout1);
      if (this.normFirst) {
        const x = src.add(sa(this.norm1.forward(src)));
        return x.add(this.ff(this.norm2.forward(x)));
      }
      const x = this.norm1.forward(src.add(sa(src)));
      return this.norm2.forward(x.add(this.ff(x)));
    });
  }
}

/**
 * Self-attention, attention over the encoder output (memory), then a feed-forward block, each
 * with a residual connection and LayerNorm.
 * @example
 * const layer = new TransformerDecoderLayer(512, 8);
 * const y = layer.call(tgt, memory, { tgtMask: TransformerDecoder.generateSquareSubsequentMask(T) });
 */
export class TransformerDecoderLayer extends TransformerLayerBase<[Tensor, Tensor, TransformerDecoderLayerForwardOptions?]> {
  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) { super(dModel, nhead, options, true); }

  forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderLayerForwardOptions = {}): Tensor {
    this.checkSeq(tgt, 'tgt'); this.checkSeq(memory, 'memory');
    const { tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal } = opts;
    return tidy(() => {
      const sa = (x: Tensor) => this.attn(this.selfAttn, x, x, tgtMask, tgtKeyPaddingMask, tgtIsCausal, this.dropout1);
      const ca = (x: Tensor) => this.attn(this.multiheadAttn!, x, memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal, this.dropout2);
      const n3 = this.norm3!;
      if (this.normFirst) {
        let x = tgt.add(sa(this.norm1.forward(tgt)));
        x = x.add(ca(this.norm2.forward(x)));
        return x.add(this.ff(n3.forward(x)));
      }
      let x = this.norm1.forward(tgt.add(sa(tgt)));
      x = this.norm2.forward(x.add(ca(x)));
      return n3.forward(x.add(this.ff(x)));
    });
  }
}

/** `layers` = ModuleList[layer, numLayers - 1 clones of it], then the optional `norm`. */
abstract class TransformerStack<L extends TransformerLayerBase<never>, I extends unknown[]> extends Module<I> {
  static generateSquareSubsequentMask = generateSquareSubsequentMask;
  readonly layers: ModuleList<L>;
  readonly norm: AnyModule | null;

  constructor(layer: L, readonly numLayers: number, norm: AnyModule | null, kind: abstract new (...a: never[]) => L) {
    super();
    const op = this.typeName();
    check(layer instanceof kind, op, () => `the layer must be a ${kind.name}, got ${(layer as object)?.constructor?.name ?? String(layer)}`);
    check(Number.isInteger(numLayers) && numLayers > 0, op, () => `numLayers must be a positive integer, got ${numLayers}`);
    check(norm === null || norm instanceof Module, op, () => `norm must be a Module or null, got ${typeof norm}`);
    this.layers = this.registerModule('layers', new ModuleList<L>([layer]));
    for (let i = 1; i < numLayers; i++) this.layers.append(layer.clone());
    this.norm = this.registerModule('norm', norm);
  }

  /** x through every layer (step), then the norm. */
  protected run(x: Tensor, step: (l: L, x: Tensor) => Tensor): Tensor {
    return tidy(() => {
      for (const l of this.layers) x = step(l, x);
      return this.norm ? this.norm.forward(x) : x;
    });
  }
}

export interface TransformerEncoderForwardOptions {
  /** Self-attention mask for every layer ([L, L] or [N * nhead, L, L]). */
  mask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  isCausal?: boolean;
}

/**
 * numLayers encoder layers in sequence, then the optional norm. The given layer becomes
 * layers.at(0) and the others are copies of it (PyTorch copies all of them; here the encoder owns
 * the layer, so disposing the encoder frees it).
 * @example
 * const enc = new TransformerEncoder(new TransformerEncoderLayer(64, 4), 6);
 * const y = enc.call(src, { mask: TransformerEncoder.generateSquareSubsequentMask(L) });
 */
export class TransformerEncoder extends TransformerStack<TransformerEncoderLayer, [Tensor, TransformerEncoderForwardOptions?]> {
  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, { norm = null }: { norm?: AnyModule | null } = {}) {
    super(encoderLayer, numLayers, norm, TransformerEncoderLayer);
  }

  forward(src: Tensor, { mask = null, srcKeyPaddingMask = null, isCausal = false }: TransformerEncoderForwardOptions = {}): Tensor {
    return this.run(src, (l, x) => l.forward(x, { srcMask: mask, srcKeyPaddingMask, isCausal }));
  }
}

/**
 * numLayers decoder layers in sequence over the same memory, then the optional norm; the given
 * layer becomes layers.at(0), the others are copies of it.
 * @example
 * const dec = new TransformerDecoder(new TransformerDecoderLayer(64, 4), 6);
 * const y = dec.call(tgt, memory, { tgtMask: TransformerDecoder.generateSquareSubsequentMask(T) });
 */
export class TransformerDecoder extends TransformerStack<TransformerDecoderLayer, [Tensor, Tensor, TransformerDecoderLayerForwardOptions?]> {
  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, { norm = null }: { norm?: AnyModule | null } = {}) {
    super(decoderLayer, numLayers, norm, TransformerDecoderLayer);
  }

  forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderLayerForwardOptions = {}): Tensor {
    return this.run(tgt, (l, x) => l.forward(x, memory, opts));
  }
}
