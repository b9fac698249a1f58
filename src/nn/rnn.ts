// nn.RNN, nn.LSTM, nn.GRU with PyTorch's semantics, parameter names (weight_ih_l0, bias_hh_l1_reverse,
// ...), gate layouts (LSTM i, f, g, o; GRU r, z, n) and initialization, so a PyTorch state dict
// loads as is. Input [T, B, in] ([B, T, in] with batchFirst, or unbatched [T, in]); states
// [numLayers * numDirections, B, H]. The recurrence itself is in rnn_core.ts.
import { Tensor } from '../tensor';
import { tidy } from '../memory';
import { zeros } from '../creation';
import { cat } from '../ops/movement';
import { stack } from '../ops/shaping';
import { check, fmtShape } from '../util/errors';
import { Module } from './module';
import { dropout as dropoutF } from './functional';
import * as init from './init';
import { pyBool, pyFloat } from './repr';
import { recur, type CellSpec, type DirWeights } from './rnn_core';

export type RNNMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

export interface RNNBaseOptions {
  /** Stacked layers (default 1); layer l > 0 reads layer l-1's output. */
  numLayers?: number;
  /** Learn bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Input and output are [B, T, features] instead of [T, B, features] (states are not affected). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode only (default 0). */
  dropout?: number;
  /** Also run each layer from the last step to the first and concatenate both outputs (default false). */
  bidirectional?: boolean;
}

export interface RNNOptions extends RNNBaseOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

const GATES: Record<RNNMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

const SPECS: Record<RNNMode, CellSpec> = {
  RNN_TANH: { kind: 'rnn', act: (x) => x.tanh(), gate: (x) => x.sigmoid(), standard: true },
  RNN_RELU: { kind: 'rnn', act: (x) => x.relu(), gate: (x) => x.sigmoid(), standard: false },
  LSTM: { kind: 'lstm', act: (x) => x.tanh(), gate: (x) => x.sigmoid(), standard: true },
  GRU: { kind: 'gru', act: (x) => x.tanh(), gate: (x) => x.sigmoid(), standard: true, rBlock: 0, resetAfter: true },
};

/** The shared machinery of RNN, LSTM and GRU; S is the state: a tensor, or [h, c] for LSTM. */
export abstract class RNNBase<S extends Tensor | [Tensor, Tensor]> extends Module<[Tensor, (S | null)?], [Tensor, S]> {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  private readonly spec: CellSpec;
  /** Parameter names per (layer, direction): [weight_ih, weight_hh, bias_ih, bias_hh]. */
  private readonly names: string[][] = [];

  constructor(readonly mode: RNNMode, readonly inputSize: number, readonly hiddenSize: number, opts: RNNBaseOptions = {}) {
    super();
    const { numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false } = opts;
    const op = this.typeName();
    check(Number.isInteger(inputSize) && inputSize > 0, op, () => `inputSize must be a positive integer, got ${inputSize}`);
    check(Number.isInteger(hiddenSize) && hiddenSize > 0, op, () => `hiddenSize must be a positive integer, got ${hiddenSize}`);
    check(Number.isInteger(numLayers) && numLayers > 0, op, () => `numLayers must be a positive integer, got ${numLayers}`);
    check(typeof dropout === 'number' && dropout >= 0 && dropout <= 1, op, () => `dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got ${dropout}`);
    for (const k of Object.keys(opts)) {
      check(['numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'nonlinearity'].includes(k), op, () =>
        `unknown option '${k}' (expected numLayers, bias, batchFirst, dropout, bidirectional${mode.startsWith('RNN') ? ', nonlinearity' : ''}; projSize is not supported)`);
    }
    this.numLayers = numLayers; this.bias = bias; this.batchFirst = batchFirst; this.dropout = dropout; this.bidirectional = bidirectional;
    this.spec = SPECS[mode];
    const G = GATES[mode] * hiddenSize;
    for (let l = 0; l < numLayers; l++) {
      const inSize = l === 0 ? inputSize : hiddenSize * this.numDirections;
      for (let d = 0; d < this.numDirections; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        const names = [`weight_ih${sfx}`, `weight_hh${sfx}`, `bias_ih${sfx}`, `bias_hh${sfx}`];
        this.registerParameter(names[0], Tensor._empty([G, inSize]));
        this.registerParameter(names[1], Tensor._empty([G, hiddenSize]));
        this.registerParameter(names[2], bias ? Tensor._empty([G]) : null);
        this.registerParameter(names[3], bias ? Tensor._empty([G]) : null);
        this.names.push(names);
      }
    }
    this.resetParameters();
  }

  get numDirections(): number { return this.bidirectional ? 2 : 1; }

  /** Every weight and bias ~ U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), in parameter order (as PyTorch). */
  resetParameters(): void {
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) init.uniform_(p, -k, k);
  }

  /** The parameter tensor named `name` (e.g. 'weight_hh_l0_reverse'). */
  param(name: string): Tensor {
    const p = this.namedParameters('', false).find(([n]) => n === name);
    check(p !== undefined, this.typeName(), () => `no parameter named '${name}'`);
    return p[1];
  }

  private dirWeights(idx: number): DirWeights {
    const [wih, whh, bih, bhh] = this.names[idx].map((n) => (this.bias || n.startsWith('weight') ? this.param(n) : null));
    if (this.mode === 'GRU') return { wx: wih!.T, wh: whh!.T, bx: bih, bh: bhh };
    return { wx: wih!.T, wh: whh!.T, bx: bih && bhh ? bih.add(bhh) : null, bh: null };
  }

  /** Checks one initial state against [L*D, B, H] (or [L*D, H] unbatched) and returns it batched. */
  private initialState(what: string, s: unknown, batch: number, batched: boolean): Tensor {
    const op = this.typeName();
    check(s !== null && typeof s === 'object' && (s as Tensor)._isTensor, op, () => `${what} must be a tensor, got ${s === null ? 'null' : typeof s}`);
    const t = s as Tensor;
    t._assertLive(op);
    const want = batched ? [this.numLayers * this.numDirections, batch, this.hiddenSize] : [this.numLayers * this.numDirections, this.hiddenSize];
    check(t.ndim === want.length && t.shape.every((d, i) => d === want[i]), op, () =>
      `expected ${what} of shape ${fmtShape(want)} (numLayers * numDirections, ${batched ? 'batch, ' : ''}hiddenSize), got ${fmtShape(t.shape)}`);
    check(t.dtype === 'float32', op, () => `${what} must be float32, got ${t.dtype}`);
    return batched ? t : t.unsqueeze(1);
  }

  /**
   * Runs the network. Returns [output, hN] ([output, [hN, cN]] for LSTM): output [T, B, D*H]
   * ([B, T, D*H] with batchFirst; [T, D*H] unbatched) holds the last layer's hidden state at every
   * step (both directions concatenated), hN [L*D, B, H] the final state of every layer and direction.
   * Missing initial states are zeros.
   */
  forward(input: Tensor, hx: S | null = null): [Tensor, S] {
    const op = this.typeName();
    check(input?._isTensor, op, () => `input must be a tensor, got ${input === null ? 'null' : typeof input}`);
    input._assertLive(op);
    check(input.dtype === 'float32', op, () => `input must be float32, got ${input.dtype}`);
    check((input.ndim === 2 || input.ndim === 3) && input.shape[input.ndim - 1] === this.inputSize, op, () =>
      `expected input of shape ${this.batchFirst ? '[batch, seq, ' : '[seq, batch, '}${this.inputSize}] or unbatched [seq, ${this.inputSize}], got ${fmtShape(input.shape)}`);
    const isLstm = this.mode === 'LSTM';
    if (hx !== null && hx !== undefined && isLstm) {
      check(Array.isArray(hx) && hx.length === 2, op, () => 'the LSTM state must be a pair [h0, c0]');
    }
    return tidy(() => {
      const batched = input.ndim === 3;
      let x = batched ? input : input.unsqueeze(1);
      if (batched && this.batchFirst) x = x.transpose(0, 1);
      const [T, B] = x.shape;
      check(T > 0, op, () => `the sequence is empty (input shape ${fmtShape(input.shape)})`);
      const pair = (isLstm ? hx : null) as [Tensor, Tensor] | null;
      const h0 = hx == null ? null : this.initialState(isLstm ? 'h0' : 'hx', isLstm ? pair![0] : hx, B, batched);
      const c0 = pair ? this.initialState('c0', pair[1], B, batched) : null;
      const D = this.numDirections, H = this.hiddenSize;
      const pick = (s: Tensor | null, k: number) => (s ? s.narrow(0, k, 1).reshape([B, H]) : zeros([B, H]));
      const hs: Tensor[] = [], cs: Tensor[] = [];
      let layerIn = x;
      for (let l = 0; l < this.numLayers; l++) {
        const outs: Tensor[] = [];
        for (let d = 0; d < D; d++) {
          const k = l * D + d;
          const r = recur(layerIn, this.spec, this.dirWeights(k), pick(h0, k), isLstm ? pick(c0, k) : null, d === 1);
          outs.push(r.out);
          hs.push(r.h);
          if (r.c) cs.push(r.c);
        }
        layerIn = D === 1 ? outs[0] : cat(outs, 2);
        if (l < this.numLayers - 1 && this.dropout > 0 && this.training) layerIn = dropoutF(layerIn, this.dropout, true);
      }
      let out = layerIn;
      if (!batched) out = out.squeeze(1);
      else if (this.batchFirst) out = out.transpose(0, 1);
      if (!out.isContiguous()) out = out.contiguous();
      const fin = (list: Tensor[]) => { const s = stack(list, 0); return batched ? s : s.squeeze(1); };
      const state = (isLstm ? [fin(hs), fin(cs)] : fin(hs)) as S;
      return [out, state];
    });
  }

  extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += `, bias=${pyBool(false)}`;
    if (this.batchFirst) s += `, batch_first=${pyBool(true)}`;
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += `, bidirectional=${pyBool(true)}`;
    return s;
  }
}

/**
 * Elman RNN: h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), act = tanh or relu.
 * @example
 * const rnn = new RNN(10, 20, { numLayers: 2 });
 * const [out, hN] = rnn.call(x); // x [T, B, 10] -> out [T, B, 20], hN [2, B, 20]
 */
export class RNN extends RNNBase<Tensor> {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    const nl = opts.nonlinearity ?? 'tanh';
    check(nl === 'tanh' || nl === 'relu', 'RNN', () => `Unknown nonlinearity '${String(nl)}'. Select from 'tanh' or 'relu'.`);
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, opts);
    this.nonlinearity = nl;
  }
  typeName(): string { return 'RNN'; }
  extraRepr(): string { return super.extraRepr() + (this.nonlinearity !== 'tanh' ? `, nonlinearity='${this.nonlinearity}'` : ''); }
}

/**
 * Long short-term memory (PyTorch's nn.LSTM): gates i, f, g, o = split(x W_ih^T + b_ih + h W_hh^T + b_hh),
 * c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c'). The state is a pair [h, c].
 * @example
 * const lstm = new LSTM(8, 32, { batchFirst: true });
 * const [out, [hN, cN]] = lstm.call(x); // x [B, T, 8] -> out [B, T, 32], hN and cN [1, B, 32]
 */
export class LSTM extends RNNBase<[Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) { super('LSTM', inputSize, hiddenSize, opts); }
  typeName(): string { return 'LSTM'; }
}

/**
 * Gated recurrent unit (PyTorch's nn.GRU): r, z = sigmoid(...), n = tanh(W_in x + b_in + r (W_hn h + b_hn)),
 * h' = (1 - z) n + z h.
 * @example
 * const gru = new GRU(8, 16, { bidirectional: true });
 * const [out, hN] = gru.call(x); // x [T, B, 8] -> out [T, B, 32], hN [2, B, 16]
 */
export class GRU extends RNNBase<Tensor> {
  constructor(inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) { super('GRU', inputSize, hiddenSize, opts); }
  typeName(): string { return 'GRU'; }
}
