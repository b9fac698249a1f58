// Linear (PyTorch nn.Linear): y = x W^T + b.
// Shapes: x [..., inFeatures] -> y [..., outFeatures]; weight [outFeatures, inFeatures], bias [outFeatures].
import { Tensor } from '../tensor';
import { check, knownOptions } from '../util/errors';
import { Module } from './module';
import { linear } from './functional';
import { linear as fusedLinear } from '../ops/linear';
import * as init from './init';
import { pyBool } from './repr';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * A fully connected layer. Initialized as PyTorch's: weight and bias ~ U(-1/sqrt(in), 1/sqrt(in))
 * (kaimingUniform_ with a = sqrt(5)), drawn from the seeded generator.
 * @example
 * const fc = new Linear(784, 128);
 * const y = fc.call(x); // x [B, 784] -> y [B, 128]
 */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, opts: LinearOptions = {}) {
    knownOptions('Linear', opts, 'bias');
    const { bias = true } = opts;
    super();
    for (const [n, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      check(Number.isInteger(v) && v >= 0, 'Linear', () => `${n} must be a non-negative integer, got ${v}`);
    }
    this.weight = this.registerParameter('weight', Tensor._empty([outFeatures, inFeatures]));
    this.bias = this.registerParameter('bias', bias ? Tensor._empty([outFeatures]) : null);
    this.resetParameters();
  }

  /** Re-draws the parameters with PyTorch's default initialization. */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    // Valid input takes the fused op (GEMM + epilogue when nothing records); F.linear reports bad input.
    if (x?._isTensor && x.ndim >= 1 && x.shape[x.ndim - 1] === this.inFeatures) return fusedLinear(x, this.weight, this.bias, { transposed: true });
    return linear(x, this.weight, this.bias);
  }

  extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
