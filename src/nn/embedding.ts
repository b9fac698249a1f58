// Embedding (PyTorch nn.Embedding): a lookup table of numEmbeddings vectors of size embeddingDim.
// Shapes: int32 indices [...] -> [..., embeddingDim]; weight [numEmbeddings, embeddingDim].
import { Tensor } from '../tensor';
import { tidy } from '../memory';
import { noGrad } from '../autograd';
import { where } from '../ops/binary';
import { check, fmtShape } from '../util/errors';
import { Module } from './module';
import * as init from './init';
import { assign } from './param';

export interface EmbeddingOptions {
  /** This row is initialized to zeros and never receives a gradient (negative counts from the end). */
  paddingIdx?: number | null;
}

/**
 * weight ~ N(0, 1) as PyTorch, drawn from the seeded generator; the paddingIdx row starts at zero.
 * @example
 * const emb = new Embedding(65, 32);
 * const v = emb.call(tokens); // tokens int32 [B, T] -> [B, T, 32]
 */
export class Embedding extends Module {
  readonly weight: Tensor;
  readonly paddingIdx: number | null;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    const { paddingIdx = null } = opts;
    for (const k of Object.keys(opts)) {
      check(k === 'paddingIdx', 'Embedding', () => `unknown option '${k}' (expected paddingIdx; maxNorm, normType, scaleGradByFreq and sparse are not supported)`);
    }
    check(Number.isInteger(numEmbeddings) && numEmbeddings > 0, 'Embedding', () => `numEmbeddings must be a positive integer, got ${numEmbeddings}`);
    check(Number.isInteger(embeddingDim) && embeddingDim > 0, 'Embedding', () => `embeddingDim must be a positive integer, got ${embeddingDim}`);
    if (paddingIdx !== null && paddingIdx !== undefined) {
      check(Number.isInteger(paddingIdx) && paddingIdx < numEmbeddings && paddingIdx >= -numEmbeddings, 'Embedding', () =>
        `paddingIdx must be within numEmbeddings (${numEmbeddings}), got ${paddingIdx}`);
      this.paddingIdx = paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    } else this.paddingIdx = null;
    this.weight = this.registerParameter('weight', Tensor._empty([numEmbeddings, embeddingDim]));
    this.resetParameters();
  }

  /** weight ~ N(0, 1), with the padding row zeroed. */
  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) {
      noGrad(() => tidy(() => { assign(this.weight.narrow(0, this.paddingIdx!, 1), 0); }));
    }
  }

  /** Rows of weight for int32 indices of any shape -> [...indices.shape, embeddingDim]. */
  forward(indices: Tensor): Tensor {
    check(indices?._isTensor, 'Embedding', () => `indices must be an int32 tensor, got ${indices === null ? 'null' : typeof indices}`);
    indices._assertLive('Embedding');
    check(indices.dtype === 'int32', 'Embedding', () => `expected int32 indices, got ${indices.dtype} ${fmtShape(indices.shape)}`);
    return tidy(() => {
      const flat = indices.flatten();
      let rows = this.weight.indexSelect(0, flat);
      if (this.paddingIdx !== null && rows.requiresGrad) {
        // Same values; the padding positions take the detached branch, so their gradient is dropped.
        const isPad = flat.eq(this.paddingIdx).unsqueeze(1);
        rows = where(isPad, rows.detach(), rows);
      }
      return rows.reshape([...indices.shape, this.embeddingDim]);
    });
  }

  extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ''}`;
  }
}
