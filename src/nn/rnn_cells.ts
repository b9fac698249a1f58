// nn.RNNCell, nn.LSTMCell, nn.GRUCell: one recurrent step with PyTorch's parameter names
// (weight_ih [G*H, in], weight_hh [G*H, H], bias_ih, bias_hh), gate orders (LSTM i, f, g, o;
// GRU r, z, n) and init U(-1/sqrt(H), 1/sqrt(H)). Input [N, in] or unbatched [in].
import { Tensor } from '../tensor';
import { zeros } from '../creation';
import { check, fmtShape, knownOptions } from '../util/errors';
import { Module } from './module';
import * as init from './init';
import { pyBool } from './repr';
import { lstmCell } from './rnn_lstm_cell';

export interface RNNCellOptions {
  /** Learn bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** RNNCell only: 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

/** The parameters and checks shared by the three cells; G is the number of gate blocks. */
abstract class RNNCellBase<S> extends Module<[Tensor, (S | null)?], S> {
  readonly bias: boolean;
  readonly weight_ih: Tensor;
  readonly weight_hh: Tensor;
  readonly bias_ih: Tensor | null;
  readonly bias_hh: Tensor | null;

  constructor(readonly inputSize: number, readonly hiddenSize: number, G: number, opts: RNNCellOptions) {
    super();
    const op = this.typeName(), { bias = true } = opts;
    knownOptions(op, opts, G === 1 ? 'bias nonlinearity' : 'bias');
    check(Number.isInteger(inputSize) && inputSize > 0, op, () => `inputSize must be a positive integer, got ${inputSize}`);
    check(Number.isInteger(hiddenSize) && hiddenSize > 0, op, () => `hiddenSize must be a positive integer, got ${hiddenSize}`);
    this.bias = bias;
    this.weight_ih = this.registerParameter('weight_ih', Tensor._empty([G * hiddenSize, inputSize]));
    this.weight_hh = this.registerParameter('weight_hh', Tensor._empty([G * hiddenSize, hiddenSize]));
    this.bias_ih = this.registerParameter('bias_ih', bias ? Tensor._empty([G * hiddenSize]) : null);
    this.bias_hh = this.registerParameter('bias_hh', bias ? Tensor._empty([G * hiddenSize]) : null);
    this.resetParameters();
  }

  /** Every parameter ~ U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), as PyTorch. */
  resetParameters(): void {
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) init.uniform_(p, -k, k);
  }

  /** Checks the input and returns it as [N, in], with whether it was batched. */
  protected input(x: Tensor): [Tensor, boolean] {
    const op = this.typeName();
    check(x?._isTensor, op, () => `input must be a tensor, got ${x === null ? 'null' : typeof x}`);
    x._assertLive(op);
    check(x.dtype === 'float32', op, () => `input must be float32, got ${x.dtype}`);
    check((x.ndim === 1 || x.ndim === 2) && x.shape[x.ndim - 1] === this.inputSize, op, () =>
      `expected input [N, ${this.inputSize}] or unbatched [${this.inputSize}], got ${fmtShape(x.shape)}`);
    return x.ndim === 2 ? [x, true] : [x.unsqueeze(0), false];
  }

  /** A state tensor checked against [N, H] ([H] unbatched) and returned as [N, H]; zeros when absent. */
  protected state(what: string, s: Tensor | null | undefined, N: number, batched: boolean): Tensor {
    if (s == null) return zeros([N, this.hiddenSize]);
    const op = this.typeName(), want = batched ? [N, this.hiddenSize] : [this.hiddenSize];
    check(s._isTensor, op, () => `${what} must be a tensor, got ${typeof s}`);
    s._assertLive(op);
    check(s.dtype === 'float32' && s.ndim === want.length && s.shape.every((d, i) => d === want[i]), op, () =>
      `expected ${what} of shape ${fmtShape(want)}, got ${s.dtype} ${fmtShape(s.shape)}`);
    return batched ? s : s.unsqueeze(0);
  }

  /** [x W_ih^T + b_ih, h W_hh^T + b_hh]. */
  protected gates(x: Tensor, h: Tensor): [Tensor, Tensor] {
    let gx = x.matmul(this.weight_ih.T), gh = h.matmul(this.weight_hh.T);
    if (this.bias_ih) gx = gx.add(this.bias_ih);
    if (this.bias_hh) gh = gh.add(this.bias_hh);
    return [gx, gh];
  }

  extraRepr(): string { return `${this.inputSize}, ${this.hiddenSize}${this.bias ? '' : `, bias=${pyBool(false)}`}`; }
}

/**
 * h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh), act tanh or relu.
 * @example
 * const cell = new RNNCell(10, 20);
 * let h = null;
 * for (const xt of x.unbind(0)) h = cell.forward(xt, h); // xt [N, 10] -> h [N, 20]
 */
export class RNNCell extends RNNCellBase<Tensor> {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    const nl = opts.nonlinearity ?? 'tanh';
    check(nl === 'tanh' || nl === 'relu', 'RNNCell', () => `Unknown nonlinearity: ${String(nl)} (expected 'tanh' or 'relu')`);
    super(inputSize, hiddenSize, 1, opts);
    this.nonlinearity = nl;
  }
  typeName(): string { return 'RNNCell'; }

  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, batched] = this.input(input);
    const [gx, gh] = this.gates(x, this.state('hx', hx, x.shape[0], batched));
    const z = gx.add(gh), h = this.nonlinearity === 'tanh' ? z.tanh() : z.relu();
    return batched ? h : h.squeeze(0);
  }

  extraRepr(): string { return super.extraRepr() + (this.nonlinearity === 'tanh' ? '' : `, nonlinearity=${this.nonlinearity}`); }
}

/**
 * c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c'), with gates i, f, g, o the
 * blocks of x W_ih^T + b_ih + h W_hh^T + b_hh. The state is a pair [h, c].
 * @example
 * const cell = new LSTMCell(10, 20);
 * const [h, c] = cell.call(x);            // zero initial state; x [N, 10] -> h, c [N, 20]
 * const [h2, c2] = cell.call(x, [h, c]);
 */
export class LSTMCell extends RNNCellBase<[Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) { super(inputSize, hiddenSize, 4, opts); }
  typeName(): string { return 'LSTMCell'; }

  forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const [x, batched] = this.input(input), N = x.shape[0], H = this.hiddenSize;
    check(hx == null || (Array.isArray(hx) && hx.length === 2), 'LSTMCell', () => 'the LSTMCell state must be a pair [h, c]');
    const h = this.state('h', hx?.[0], N, batched), c = this.state('c', hx?.[1], N, batched);
    const [gx, gh] = this.gates(x, h);
    const [h2, c2] = lstmCell(gx, gh, c).split([H, H], 1);
    return batched ? [h2, c2] : [h2.squeeze(0), c2.squeeze(0)];
  }
}

/**
 * r, z = sigmoid(x W_i{r,z}^T + b_i{r,z} + h W_h{r,z}^T + b_h{r,z}), n = tanh(x W_in^T + b_in + r (h W_hn^T + b_hn)),
 * h' = (1 - z) n + z h.
 * @example
 * const cell = new GRUCell(10, 20);
 * const h = cell.call(x, h0); // x [N, 10], h0 [N, 20] -> [N, 20]
 */
export class GRUCell extends RNNCellBase<Tensor> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) { super(inputSize, hiddenSize, 3, opts); }
  typeName(): string { return 'GRUCell'; }

  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, batched] = this.input(input), H = this.hiddenSize;
    const h = this.state('hx', hx, x.shape[0], batched);
    const [gx, gh] = this.gates(x, h);
    const [xRZ, xN] = gx.split([2 * H, H], 1), [hRZ, hN] = gh.split([2 * H, H], 1);
    const [r, z] = xRZ.add(hRZ).sigmoid().split([H, H], 1);
    const n = xN.add(r.mul(hN)).tanh();
    const out = n.add(z.mul(h.sub(n)));
    return batched ? out : out.squeeze(0);
  }
}
