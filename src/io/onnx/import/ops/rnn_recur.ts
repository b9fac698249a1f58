// One direction of ONNX's LSTM / GRU / RNN, composed from differentiable ops: ONNX's activations
// (with activation_alpha / beta), clip, peepholes, input_forget, and per-sequence lengths as masks.
// The plain LSTM cell (Sigmoid, Tanh, Tanh, nothing else) runs on asgrad's fused lstmCell op.
import type { Tensor } from '../../../../tensor';
import { softsign } from '../../../../ops/activations';
import { stack } from '../../../../ops/shaping';
import { lstmCell, lstmSequence, sequenceFits } from '../../../../nn/rnn_lstm_cell';

export type Act = (x: Tensor) => Tensor;

/**
 * ONNX's recurrent activations by lowercased name (onnxruntime matches names case-insensitively):
 * whether each takes an alpha / beta, and its default (undefined: ONNX's and onnxruntime's
 * defaults disagree, so the model must give the value).
 */
const ACTS: Record<string, { alpha?: [number | undefined]; beta?: [number | undefined]; fn: (a: number, b: number) => Act }> = {
  relu: { fn: () => (x) => x.relu() },
  tanh: { fn: () => (x) => x.tanh() },
  sigmoid: { fn: () => (x) => x.sigmoid() },
  softsign: { fn: () => (x) => softsign(x) },
  softplus: { fn: () => (x) => x.softplus() },
  leakyrelu: { alpha: [0.01], fn: (a) => (x) => x.leakyRelu(a) },
  elu: { alpha: [1], fn: (a) => (x) => x.elu(a) },
  thresholdedrelu: { alpha: [undefined], fn: (a) => (x) => x.where(x.gt(a), 0) },
  hardsigmoid: { alpha: [0.2], beta: [0.5], fn: (a, b) => (x) => x.mul(a).add(b).clamp(0, 1) },
  affine: { alpha: [undefined], beta: [undefined], fn: (a, b) => (x) => x.mul(a).add(b) },
  scaledtanh: { alpha: [undefined], beta: [undefined], fn: (a, b) => (x) => x.mul(b).tanh().mul(a) },
};

export const ACT_NAMES = ['Relu', 'Tanh', 'Sigmoid', 'Softsign', 'Softplus', 'LeakyRelu', 'Elu', 'ThresholdedRelu', 'HardSigmoid', 'Affine', 'ScaledTanh'];

/**
 * The activation functions for `names`; each one that takes an alpha (beta) consumes the next
 * value of `alphas` (`betas`) in order, as onnxruntime does, else its default. `fail` throws.
 */
export function resolveActs(names: string[], alphas: number[], betas: number[], fail: (msg: string) => never): Act[] {
  let ai = 0, bi = 0;
  const acts = names.map((name) => {
    const spec = ACTS[name.toLowerCase()];
    if (!spec) fail(`the activation '${name}' is not supported (supported: ${ACT_NAMES.join(', ')})`);
    const take = (def: [number | undefined] | undefined, list: number[], at: number, what: string): number => {
      if (!def) return 0;
      const v = at < list.length ? list[at] : def[0];
      if (v === undefined) fail(`the activation '${name}' needs its ${what} in activation_${what} (ONNX and onnxruntime disagree on its default)`);
      return v;
    };
    const a = take(spec.alpha, alphas, ai, 'alpha');
    if (spec.alpha) ai++;
    const b = take(spec.beta, betas, bi, 'beta');
    if (spec.beta) bi++;
    return spec.fn(a, b);
  });
  if (ai < alphas.length || bi < betas.length) {
    fail(`activation_alpha has ${alphas.length} and activation_beta ${betas.length} value(s), but the activations [${names.join(', ')}] take ${ai} and ${bi}`);
  }
  return acts;
}

export interface Direction {
  kind: 'lstm' | 'gru' | 'rnn';
  /** X·Wᵀ plus the input-side biases of every step, [T, B, G*H], gates in ONNX order (LSTM i, o, f, c;
   *  GRU z, r, h). */
  gx: Tensor;
  /** Rᵀ, [H, G*H], gates in the same order as gx. */
  wh: Tensor;
  /** GRU with linear_before_reset: Rb of the h gate [H], added before the reset gate multiplies; else null. */
  bhn: Tensor | null;
  /** GRU: linear_before_reset != 0. */
  linearBeforeReset: boolean;
  /** LSTM f, g, h; GRU f, g; RNN f. */
  acts: Act[];
  /** Bounds every activation's input to [-clip, clip]; null: no clip. */
  clip: number | null;
  /** LSTM peepholes P_i, P_o, P_f ([H] each), or null. */
  peep: Tensor[] | null;
  /** LSTM input_forget: f = 1 - i. */
  inputForget: boolean;
  /** LSTM on the fused cell, which reads ONNX's gate order itself (default activations, no clip / peepholes / input_forget). */
  fused: boolean;
  h0: Tensor;
  c0: Tensor | null;
  reverse: boolean;
  /** Per step t, a bool [B, 1]: t < sequence_lens[b]; null when every sequence has all T steps. */
  masks: Tensor[] | null;
}

/**
 * Runs one direction: Y [T, B, H] in time order (also when reverse), the last hidden and cell
 * states [B, H]. A masked step leaves the states as they are and outputs zeros, so a reverse
 * direction starts at each sequence's own last step (onnxruntime's semantics). Call inside tidy.
 */
export function runDirection(d: Direction): { y: Tensor; h: Tensor; c: Tensor | null } {
  const [T, B] = d.gx.shape;
  const H = d.wh.shape[0];
  if (d.kind === 'lstm' && d.fused && !d.masks && T > 0 && sequenceFits([d.gx, d.wh, d.h0, d.c0], B, H)) {
    // Inference: the whole direction in one kernel call, bitwise the same as the loop below.
    const hc = lstmSequence(d.gx, d.wh, d.h0, d.c0!, 'iofc', d.reverse);
    const last = hc.narrow(0, d.reverse ? 0 : T - 1, 1).squeeze(0);
    return { y: hc.narrow(2, 0, H), h: last.narrow(1, 0, H), c: last.narrow(1, H, H) };
  }
  const steps = d.gx.unbind(0);
  const cl: Act = d.clip === null ? (x) => x : (x) => x.clamp(-d.clip!, d.clip!);
  const [whA, whB] = d.kind === 'gru' && !d.linearBeforeReset ? d.wh.split([2 * H, H], 1) : [null, null];
  const ys = new Array<Tensor>(T);
  let h = d.h0, c = d.c0;
  for (let s = 0; s < T; s++) {
    const t = d.reverse ? T - 1 - s : s;
    const xt = steps[t];
    let hNew: Tensor, cNew: Tensor | null = null;
    if (d.kind === 'lstm' && d.fused) {
      [hNew, cNew] = lstmCell(xt, h.matmul(d.wh), c!, 'iofc').split([H, H], 1);
    } else if (d.kind === 'lstm') {
      [hNew, cNew] = lstmStep(d, cl, xt.add(h.matmul(d.wh)), c!, H);
    } else if (d.kind === 'gru') {
      hNew = gruStep(d, cl, xt, h, H, whA, whB);
    } else {
      hNew = d.acts[0](cl(xt.add(h.matmul(d.wh))));
    }
    const m = d.masks?.[t];
    ys[t] = m ? hNew.where(m, 0) : hNew;
    h = m ? hNew.where(m, h) : hNew;
    if (cNew) c = m ? cNew.where(m, c!) : cNew;
  }
  return { y: stack(ys, 0), h, c: d.kind === 'lstm' ? c : null };
}

/** ONNX's LSTM step, gates [B, 4H] in order i, o, f, c. */
function lstmStep(d: Direction, cl: Act, gates: Tensor, c: Tensor, H: number): [Tensor, Tensor] {
  const [f, g, hAct] = d.acts;
  const [gi, go, gf, gc] = gates.split([H, H, H, H], 1);
  const [pi, po, pf] = d.peep ?? [null, null, null];
  const i = f(cl(pi ? gi.add(pi.mul(c)) : gi));
  const fg = d.inputForget ? i.neg().add(1) : f(cl(pf ? gf.add(pf.mul(c)) : gf));
  const c2 = fg.mul(c).add(i.mul(g(cl(gc))));
  const o = f(cl(po ? go.add(po.mul(c2)) : go));
  return [o.mul(hAct(c2)), c2];
}

/** ONNX's GRU step, gates in order z, r, h; whZR / whH are Rᵀ's column blocks when the reset comes first. */
function gruStep(d: Direction, cl: Act, xt: Tensor, h: Tensor, H: number, whZR: Tensor | null, whH: Tensor | null): Tensor {
  const [f, g] = d.acts;
  const [xZR, xH] = xt.split([2 * H, H], 1);
  let zr: Tensor, hh: Tensor | null = null;
  if (d.linearBeforeReset) {
    let hZR: Tensor;
    [hZR, hh] = h.matmul(d.wh).split([2 * H, H], 1);
    if (d.bhn) hh = hh.add(d.bhn);
    zr = f(cl(xZR.add(hZR)));
  } else {
    zr = f(cl(xZR.add(h.matmul(whZR!))));
  }
  const [z, r] = zr.split([H, H], 1);
  const n = g(cl(xH.add(hh ? r.mul(hh) : r.mul(h).matmul(whH!))));
  // (1 - z) n + z h
  return n.add(z.mul(h.sub(n)));
}
