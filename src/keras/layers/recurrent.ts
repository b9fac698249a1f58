// layers.simpleRNN / lstm / gru with TensorFlow.js names and Keras' weight layout: input
// [batch, time, features]; kernel [in, G*units], recurrent_kernel [units, G*units], bias [G*units]
// (GRU with resetAfter: [2, 3*units], input bias row then recurrent bias row). Gate order: LSTM
// i, f, c, o; GRU z, r, h. Defaults follow Keras 2 (recurrentActivation 'sigmoid', LSTM
// unitForgetBias true); tfjs defaults to 'hardSigmoid' and unitForgetBias false: pass them to
// match a tfjs model. GRU: resetAfter false (the only tfjs variant, bias [3*units]) by default;
// resetAfter true is Keras 2's default (and PyTorch's GRU math). The recurrence is nn/rnn_core.ts.
import { zeros } from '../../creation';
import { Tensor } from '../../tensor';
import { tidy } from '../../memory';
import { noGrad } from '../../autograd';
import { getInitializer, type Initializer, type InitializerName } from '../../nn/initializers';
import { assign } from '../../nn/param';
import { recur, type CellKind, type CellSpec } from '../../nn/rnn_core';
import { check, fmtShape } from '../../util/errors';
import { getActivation, type ActivationName } from '../activations';
import { Layer, type LayerArgs, type Shape } from './layer';

export type RecurrentActivationName = ActivationName | 'hardSigmoid';

export interface RNNLayerArgs extends LayerArgs {
  units: number;
  /** Candidate / cell activation (default 'tanh'). */
  activation?: RecurrentActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerName | Initializer;
  recurrentInitializer?: InitializerName | Initializer;
  biasInitializer?: InitializerName | Initializer;
  /** Output the hidden state of every step [batch, time, units] instead of the last one [batch, units]. */
  returnSequences?: boolean;
  /** Also return the final state(s): [output, h] ([output, h, c] for LSTM). An array output cannot be
   *  chained in a sequential model: use it by calling the layer directly. */
  returnState?: boolean;
  /** Process the sequence backwards; returned sequences are then in reverse time order (as Keras). */
  goBackwards?: boolean;
  /** Not supported (must be 0). */
  dropout?: number;
  /** Not supported (must be 0). */
  recurrentDropout?: number;
}

export interface GatedRNNLayerArgs extends RNNLayerArgs {
  /** Gate activation (default 'sigmoid'; tfjs' default is 'hardSigmoid'). */
  recurrentActivation?: RecurrentActivationName;
}

export interface LSTMLayerArgs extends GatedRNNLayerArgs {
  /** Add 1 to the forget gate's bias at initialization (default true, as Keras). */
  unitForgetBias?: boolean;
}

export interface GRULayerArgs extends GatedRNNLayerArgs {
  /** Apply the reset gate after the recurrent matmul (default false, as tfjs). */
  resetAfter?: boolean;
}

/** tfjs' hardSigmoid: clip(0.2 x + 0.5, 0, 1). */
function activationFn(op: string, name: RecurrentActivationName): (x: Tensor) => Tensor {
  if (name === 'hardSigmoid') return (x) => x.mul(0.2).add(0.5).clamp(0, 1);
  const f = getActivation(name);
  check(f !== null || name === 'linear', op, () => `unknown activation '${name}'`);
  return f ?? ((x) => x);
}

const GATES: Record<CellKind, number> = { rnn: 1, lstm: 4, gru: 3 };

abstract class RecurrentLayer extends Layer {
  readonly units: number;
  protected readonly args: GRULayerArgs & LSTMLayerArgs;
  protected readonly spec: CellSpec;
  kernel: Tensor | null = null;
  recurrentKernel: Tensor | null = null;
  bias: Tensor | null = null;

  constructor(args: GRULayerArgs & LSTMLayerArgs, base: string, readonly kind: CellKind) {
    super(args, base);
    const op = `layers.${base === 'simple_rnn' ? 'simpleRNN' : base}`;
    check(Number.isInteger(args?.units) && args.units > 0, op, () => `units must be a positive integer, got ${args?.units}`);
    check(!args.dropout && !args.recurrentDropout, op, () => `dropout and recurrentDropout are not supported (got ${args.dropout ?? 0}, ${args.recurrentDropout ?? 0}); put a layers.dropout before or after the layer`);
    const extra = args as { stateful?: boolean; unroll?: boolean };
    check(!extra.stateful && !extra.unroll, op, () => 'stateful and unroll are not supported');
    this.units = args.units;
    this.args = args;
    const actName = args.activation ?? 'tanh';
    const gateName = kind === 'rnn' ? 'sigmoid' : args.recurrentActivation ?? 'sigmoid';
    this.spec = {
      kind,
      act: activationFn(op, actName),
      gate: activationFn(op, gateName),
      standard: actName === 'tanh' && gateName === 'sigmoid',
      rBlock: 1,
      resetAfter: kind === 'gru' ? args.resetAfter ?? false : undefined,
    };
  }

  build(inputShape: Shape): void {
    const inputDim = inputShape[inputShape.length - 1];
    check(inputShape.length === 2 && Number.isInteger(inputDim) && inputDim > 0, this.layerName, () =>
      `expects inputs [batch, time, features] with a known feature size, got input shape [batch, ${inputShape.join(', ')}]`);
    const G = GATES[this.kind] * this.units;
    const init = (t: Tensor, i: InitializerName | Initializer | undefined, d: InitializerName) =>
      getInitializer(i ?? d)(t);
    const k = zeros([inputDim, G]);
    init(k, this.args.kernelInitializer, 'glorotUniform');
    this.kernel = this.registerParameter('kernel', k);
    const r = zeros([this.units, G]);
    init(r, this.args.recurrentInitializer, 'orthogonal');
    this.recurrentKernel = this.registerParameter('recurrent_kernel', r);
    if (this.args.useBias ?? true) {
      const b = zeros(this.spec.resetAfter ? [2, G] : [G]);
      init(b, this.args.biasInitializer, 'zeros');
      if (this.kind === 'lstm' && (this.args.unitForgetBias ?? true)) {
        noGrad(() => tidy(() => { const f = b.narrow(0, this.units, this.units); assign(f, f.add(1)); }));
      }
      this.bias = this.registerParameter('bias', b);
    }
    super.build(inputShape);
  }

  computeOutputShape(inputShape: Shape): Shape {
    return this.args.returnSequences ? [inputShape[0], this.units] : [this.units];
  }

  /**
   * x [batch, time, features] -> [output, ...finalStates]: output [batch, time, units] with
   * returnSequences, else [batch, units]; states h (and c for LSTM) [batch, units]. initialState
   * as [h0] or [h0, c0], zeros when omitted. mask [batch, time] (bool, false at padding; from an
   * embedding with maskZero): a masked step keeps the states and outputs the previous h (Keras).
   */
  callWithState(x: Tensor, initialState?: Tensor[], mask: Tensor | null = null): Tensor[] {
    this.ensureBuilt(x);
    check(x?._isTensor && x.ndim === 3 && x.shape[2] === this.kernel!.shape[0] && x.shape[1] > 0, this.layerName, () =>
      `expected inputs [batch, time, ${this.kernel!.shape[0]}] with time > 0, got ${x?._isTensor ? fmtShape(x.shape) : typeof x}`);
    const B = x.shape[0];
    const nStates = this.kind === 'lstm' ? 2 : 1;
    if (initialState !== undefined) {
      check(Array.isArray(initialState) && initialState.length === nStates, this.layerName, () => `initialState must be an array of ${nStates} tensor(s)`);
      for (const s of initialState) {
        check(s?._isTensor && s.ndim === 2 && s.shape[0] === B && s.shape[1] === this.units, this.layerName, () =>
          `each initial state must have shape [${B}, ${this.units}], got ${s?._isTensor ? fmtShape(s.shape) : typeof s}`);
      }
    }
    return tidy(() => {
      const xt = x.transpose(0, 1);
      const b = this.bias;
      const w = {
        wx: this.kernel!, wh: this.recurrentKernel!,
        bx: b && this.spec.resetAfter ? b.narrow(0, 0, 1).reshape([-1]) : b,
        bh: b && this.spec.resetAfter ? b.narrow(0, 1, 1).reshape([-1]) : null,
      };
      const h0 = initialState?.[0] ?? zeros([B, this.units]);
      const c0 = this.kind === 'lstm' ? initialState?.[1] ?? zeros([B, this.units]) : null;
      const masks = mask ? mask.transpose(0, 1).unsqueeze(2).unbind(0) : null;
      const r = recur(xt, this.spec, w, h0, c0, this.args.goBackwards ?? false, masks);
      let out: Tensor;
      if (this.args.returnSequences) {
        const seq = this.args.goBackwards ? r.out.flip(0) : r.out;
        out = seq.transpose(0, 1).contiguous();
      } else out = r.h.contiguous();
      const states = [r.h, ...(r.c ? [r.c] : [])].map((s) => (s.isContiguous() ? s : s.contiguous()));
      return [out, ...states];
    });
  }

  /** The output tensor; with returnState, the array [output, ...states] (see callWithState). */
  forward(x: Tensor, mask: Tensor | null = null): Tensor {
    const r = this.callWithState(x, undefined, mask);
    if (this.args.returnState) return r as unknown as Tensor;
    for (const s of r.slice(1)) if (s !== r[0]) s.dispose();
    return r[0];
  }

  /** The mask of the output: the input's with returnSequences, else none (Keras). */
  computeMask(mask: Tensor | null): Tensor | null { return this.args.returnSequences ? mask : null; }

  getConfig(): Record<string, unknown> {
    const a = this.args;
    const named = (k: 'kernelInitializer' | 'recurrentInitializer' | 'biasInitializer') => (typeof a[k] === 'string' ? { [k]: a[k] } : {});
    return {
      ...super.getConfig(), units: this.units, activation: a.activation ?? 'tanh', useBias: a.useBias ?? true,
      returnSequences: a.returnSequences ?? false, returnState: a.returnState ?? false, goBackwards: a.goBackwards ?? false,
      ...named('kernelInitializer'), ...named('recurrentInitializer'), ...named('biasInitializer'),
    };
  }
}

/** Fully connected RNN: h_t = activation(x_t kernel + h_{t-1} recurrentKernel + bias). */
export class SimpleRNN extends RecurrentLayer {
  readonly className = 'SimpleRNN';
  constructor(args: RNNLayerArgs) { super(args, 'simple_rnn', 'rnn'); }
}

/** Keras LSTM: gates i, f, c, o in the kernel's column blocks. */
export class LSTM extends RecurrentLayer {
  readonly className = 'LSTM';
  constructor(args: LSTMLayerArgs) { super(args, 'lstm', 'lstm'); }
  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.args.recurrentActivation ?? 'sigmoid', unitForgetBias: this.args.unitForgetBias ?? true };
  }
}

/** Keras GRU: gates z, r, h in the kernel's column blocks; h' = z h + (1 - z) hh. */
export class GRU extends RecurrentLayer {
  readonly className = 'GRU';
  constructor(args: GRULayerArgs) { super(args, 'gru', 'gru'); }
  getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.args.recurrentActivation ?? 'sigmoid', resetAfter: this.args.resetAfter ?? false };
  }
}
