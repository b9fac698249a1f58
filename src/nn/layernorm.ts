// LayerNorm (PyTorch nn.LayerNorm): normalization over the last dims of each sample, with a
// learned elementwise weight (init 1) and bias (init 0) of the normalized shape.
import { Tensor } from '../tensor';
import { fromFlat } from '../creation';
import { check, knownOptions } from '../util/errors';
import { Module } from './module';
import { layerNorm } from './functional';
import { pyBool, pyFloat } from './repr';

export interface LayerNormOptions {
  eps?: number;
  /** Learn weight and bias (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, learn the bias too (default true). */
  bias?: boolean;
}

/**
 * @example
 * const ln = new LayerNorm(512);
 * const y = ln.call(x); // x [B, T, 512]: each [512] row to mean 0, variance 1, then * weight + bias
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    knownOptions('LayerNorm', opts, 'eps elementwiseAffine bias');
    const { eps = 1e-5, elementwiseAffine = true, bias = true } = opts;
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...(normalizedShape ?? [])];
    check(shape.length > 0 && shape.every((d) => Number.isInteger(d) && d > 0), 'LayerNorm', () => `normalizedShape must be a positive integer or a list of them, got ${JSON.stringify(normalizedShape)}`);
    check(eps > 0, 'LayerNorm', () => `eps must be positive, got ${eps}`);
    this.normalizedShape = shape; this.eps = eps; this.elementwiseAffine = elementwiseAffine;
    const n = shape.reduce((a, b) => a * b, 1);
    this.weight = this.registerParameter('weight', elementwiseAffine ? fromFlat(new Array(n).fill(1), shape, 'float32') : null);
    this.bias = this.registerParameter('bias', elementwiseAffine && bias ? fromFlat(new Array(n).fill(0), shape, 'float32') : null);
  }

  forward(x: Tensor): Tensor { return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps); }

  extraRepr(): string {
    const s = this.normalizedShape, tuple = s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`;
    return `${tuple}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}
