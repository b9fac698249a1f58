// Activation modules (PyTorch nn.ReLU, ...): elementwise, any shape in, same shape out, except
// Softmax / LogSoftmax which normalize along `dim`. Each wraps the function of nn.functional.
import type { Tensor } from '../tensor';
import { Module } from './module';
import * as F from './functional';
import { pyFloat } from './repr';
import { full } from '../creation';

/** max(x, 0). @example new ReLU().call(tensor([-1, 2])) // [0, 2] */
export class ReLU extends Module {
  forward(x: Tensor): Tensor { return F.relu(x); }
}

/** max(x, 0) + negativeSlope * min(x, 0). @example new LeakyReLU(0.2) */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) { super(); }
  forward(x: Tensor): Tensor { return F.leakyRelu(x, this.negativeSlope); }
  extraRepr(): string { return `negative_slope=${pyFloat(this.negativeSlope)}`; }
}

/** 1 / (1 + e^-x). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor { return F.sigmoid(x); }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor { return F.tanh(x); }
}

/** x · sigmoid(x) (swish). */
export class SiLU extends Module {
  forward(x: Tensor): Tensor { return F.silu(x); }
}

/** min(max(x, minVal), maxVal). */
export class Hardtanh extends Module {
  constructor(readonly minVal = -1, readonly maxVal = 1) { super(); }
  forward(x: Tensor): Tensor { return F.hardtanh(x, this.minVal, this.maxVal); }
  extraRepr(): string { return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`; }
}

/** min(max(x, 0), 6). */
export class ReLU6 extends Module {
  forward(x: Tensor): Tensor { return F.relu6(x); }
}

/** scale · elu(x, alpha), SELU's constants. */
export class SELU extends Module {
  forward(x: Tensor): Tensor { return F.selu(x); }
}

/** x · tanh(softplus(x)). */
export class Mish extends Module {
  forward(x: Tensor): Tensor { return F.mish(x); }
}

/** relu6(x + 3) / 6. */
export class Hardsigmoid extends Module {
  forward(x: Tensor): Tensor { return F.hardsigmoid(x); }
}

/** x · relu6(x + 3) / 6. */
export class Hardswish extends Module {
  forward(x: Tensor): Tensor { return F.hardswish(x); }
}

/** x / (1 + |x|). */
export class Softsign extends Module {
  forward(x: Tensor): Tensor { return F.softsign(x); }
}

/** x Phi(x), the exact erf form (PyTorch's approximate='none'). */
export class GELU extends Module {
  forward(x: Tensor): Tensor { return F.gelu(x); }
  extraRepr(): string { return "approximate='none'"; }
}

/** x > 0 ? x : alpha (e^x - 1). */
export class ELU extends Module {
  constructor(readonly alpha = 1) { super(); }
  forward(x: Tensor): Tensor { return F.elu(x, this.alpha); }
  extraRepr(): string { return `alpha=${pyFloat(this.alpha)}`; }
}

/** log(1 + e^(beta x)) / beta, linear where beta x > 20. */
export class Softplus extends Module {
  constructor(readonly beta = 1) { super(); }
  forward(x: Tensor): Tensor { return F.softplus(x, this.beta); }
  extraRepr(): string { return `beta=${pyFloat(this.beta)}, threshold=20.0`; }
}

/** e^x / sum(e^x) along dim (default the last). @example new Softmax(1).call(logits) */
export class Softmax extends Module {
  constructor(readonly dim = -1) { super(); }
  forward(x: Tensor): Tensor { return F.softmax(x, this.dim); }
  extraRepr(): string { return `dim=${this.dim}`; }
}

/** log(softmax(x)) along dim, computed stably. */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) { super(); }
  forward(x: Tensor): Tensor { return F.logSoftmax(x, this.dim); }
  extraRepr(): string { return `dim=${this.dim}`; }
}

/** log(sigmoid(x)). */
export class LogSigmoid extends Module {
  forward(x: Tensor): Tensor { return F.logsigmoid(x); }
}

/** softmax(-x) along dim. */
export class Softmin extends Module {
  constructor(readonly dim = -1) { super(); }
  forward(x: Tensor): Tensor { return F.softmin(x, this.dim); }
  extraRepr(): string { return `dim=${this.dim}`; }
}

/** Gated linear unit: the first half of x along dim times the sigmoid of the second. */
export class GLU extends Module {
  constructor(readonly dim = -1) { super(); }
  forward(x: Tensor): Tensor { return F.glu(x, this.dim); }
  extraRepr(): string { return `dim=${this.dim}`; }
}

/** max(0, x) + min(0, alpha (e^(x / alpha) - 1)). */
export class CELU extends Module {
  constructor(readonly alpha = 1) { super(); }
  forward(x: Tensor): Tensor { return F.celu(x, this.alpha); }
  extraRepr(): string { return `alpha=${pyFloat(this.alpha)}`; }
}

/** x - tanh(x). */
export class Tanhshrink extends Module {
  forward(x: Tensor): Tensor { return F.tanhshrink(x); }
}

/** x ∓ lambd outside [-lambd, lambd], 0 inside. */
export class Softshrink extends Module {
  constructor(readonly lambd = 0.5) { super(); }
  forward(x: Tensor): Tensor { return F.softshrink(x, this.lambd); }
  extraRepr(): string { return pyFloat(this.lambd); }
}

/** x outside [-lambd, lambd], 0 inside. */
export class Hardshrink extends Module {
  constructor(readonly lambd = 0.5) { super(); }
  forward(x: Tensor): Tensor { return F.hardshrink(x, this.lambd); }
  extraRepr(): string { return pyFloat(this.lambd); }
}

/** x where x > threshold, else value. */
export class Threshold extends Module {
  constructor(readonly threshold: number, readonly value: number) { super(); }
  forward(x: Tensor): Tensor { return F.threshold(x, this.threshold, this.value); }
  extraRepr(): string { return `threshold=${pyFloat(this.threshold)}, value=${pyFloat(this.value)}`; }
}

/** x where x >= 0, else a · x with a learned slope a: one (numParameters 1) or one per channel (dim 1), initialized to `init`. */
export class PReLU extends Module {
  readonly weight: Tensor;
  constructor(readonly numParameters = 1, init = 0.25) {
    super();
    this.weight = this.registerParameter('weight', full([numParameters], init));
  }
  forward(x: Tensor): Tensor { return F.prelu(x, this.weight); }
  extraRepr(): string { return `num_parameters=${this.numParameters}`; }
}
