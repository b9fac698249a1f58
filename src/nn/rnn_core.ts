// The recurrence shared by nn.RNN/LSTM/GRU and the Keras recurrent layers: one layer, one
// direction, time-major. The input projection of all steps is one GEMM ([T*B, in] x [in, G*H]),
// unbound into T step views (one concatenation in backward); each step then does one [B, H] x
// [H, G*H] GEMM and the gate math (a fused kernel for the standard LSTM cell, composed ops
// otherwise). Gate blocks are cut with split, never with several narrows (each narrow's backward
// zero-fills its whole input). Weights are right-multiplied ([in, G*H]): Keras'
// kernels as they are, PyTorch's weight_ih as its .T view (the GEMM reads strides, no copy).
import type { Tensor } from '../tensor';
import { stack } from '../ops/shaping';
import { lstmCell, lstmSequence, sequenceFits } from './rnn_lstm_cell';

export type CellKind = 'rnn' | 'lstm' | 'gru';

export interface CellSpec {
  kind: CellKind;
  /** Candidate / cell activation: tanh (relu for RNN 'relu'; Keras' `activation`). */
  act: (x: Tensor) => Tensor;
  /** Gate activation: sigmoid (Keras' `recurrentActivation`). */
  gate: (x: Tensor) => Tensor;
  /** act is tanh and gate is sigmoid: the LSTM step uses the fused cell op. */
  standard: boolean;
  /** GRU: column block (0..1) of r in the first 2H gate columns; z takes the other. n is always block 2.
   *  PyTorch orders r, z, n (rBlock 0); Keras z, r, h (rBlock 1). */
  rBlock?: 0 | 1;
  /** GRU: n = act(x_n + r * (h W_hn + b_hn)) (PyTorch; Keras resetAfter) or act(x_n + (r * h) W_hn) (tfjs). */
  resetAfter?: boolean;
}

/** One direction's weights, right-multiplied. G = 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU). */
export interface DirWeights {
  /** [in, G*H] */
  wx: Tensor;
  /** [H, G*H] */
  wh: Tensor;
  /** [G*H] added to the input projection, or null. */
  bx: Tensor | null;
  /** [G*H] added to the recurrent projection (GRU with resetAfter only), or null. */
  bh: Tensor | null;
}

export interface RecurResult {
  /** The hidden state at every step [T, B, H], in time order (also when reverse); may be a strided view. */
  out: Tensor;
  h: Tensor;
  /** LSTM cell state, else null. */
  c: Tensor | null;
}

/**
 * Runs one layer in one direction over x [T, B, in] from h0 [B, H] (and c0 for LSTM). Reverse
 * walks t = T-1 .. 0 but still returns the outputs in time order. Call inside tidy: intermediates are
 * left to the caller's scope.
 */
export function recur(x: Tensor, spec: CellSpec, w: DirWeights, h0: Tensor, c0: Tensor | null, reverse: boolean, masks: Tensor[] | null = null): RecurResult {
  const [T, B] = x.shape;
  const H = w.wh.shape[0];
  let gx = x.reshape([T * B, x.shape[2]]).matmul(w.wx);
  if (w.bx) gx = gx.add(w.bx);
  const fused = spec.kind === 'lstm' && spec.standard;
  if (fused && !masks && T > 0 && sequenceFits([gx, w.wh, h0, c0], B, H)) {
    // Inference: the whole direction in one kernel call, bitwise the same as the loop below.
    const hc = lstmSequence(gx.reshape([T, B, gx.shape[1]]), w.wh, h0, c0!, 'ifgo', reverse);
    const last = hc.narrow(0, reverse ? 0 : T - 1, 1).squeeze(0);
    return { out: hc.narrow(2, 0, H), h: last.narrow(1, 0, H), c: last.narrow(1, H, H) };
  }
  const steps = gx.reshape([T, B, gx.shape[1]]).unbind(0);
  const ys = new Array<Tensor>(T);
  let h = h0, c = c0;
  // Keras' reset-before GRU multiplies (r * h) by the n block of W_h on its own.
  const gruSplit = spec.kind === 'gru' && !spec.resetAfter;
  const [whRZ, whN] = gruSplit ? w.wh.split([2 * H, H], 1) : [null, null];
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const xt = steps[t];
    const m = masks?.[t];
    let hNew: Tensor, cNew: Tensor | null = null;
    if (fused) {
      const hc = lstmCell(xt, h.matmul(w.wh), c!);
      [hNew, cNew] = hc.split([H, H], 1);
      // Unmasked, ys[t] holds [h | c]; the output is its h half, sliced once after the loop.
      if (!m) { [h, c] = [hNew, cNew]; ys[t] = hc; continue; }
    } else if (spec.kind === 'lstm') {
      [hNew, cNew] = lstmComposed(spec, xt.add(h.matmul(w.wh)), c!, H);
    } else if (spec.kind === 'rnn') {
      hNew = spec.act(xt.add(h.matmul(w.wh)));
    } else {
      hNew = gruStep(spec, xt, h, H, w, whRZ, whN);
    }
    // Keras masking (tfjs's rnn): a masked step keeps the states and outputs the previous h.
    h = m ? hNew.where(m, h) : hNew;
    if (cNew) c = m ? cNew.where(m, c!) : cNew;
    ys[t] = h;
  }
  const out = fused && !masks ? stack(ys, 0).narrow(2, 0, H) : stack(ys, 0);
  return { out, h, c };
}

/** LSTM gate math from composed ops, gates [B, 4H] in order i, f, g, o. */
function lstmComposed(spec: CellSpec, gates: Tensor, c: Tensor, H: number): [Tensor, Tensor] {
  const [gi, gf, gg, go] = gates.split([H, H, H, H], 1);
  const i = spec.gate(gi), f = spec.gate(gf), g = spec.act(gg), o = spec.gate(go);
  const c2 = f.mul(c).add(i.mul(g));
  return [o.mul(spec.act(c2)), c2];
}

function gruStep(spec: CellSpec, xt: Tensor, h: Tensor, H: number, w: DirWeights, whRZ: Tensor | null, whN: Tensor | null): Tensor {
  const rB = spec.rBlock ?? 0, zB = 1 - rB;
  const [xRZ, xN] = xt.split([2 * H, H], 1);
  let rz: Tensor, hN: Tensor | null = null;
  if (spec.resetAfter) {
    let gh = h.matmul(w.wh);
    if (w.bh) gh = gh.add(w.bh);
    let hRZ: Tensor;
    [hRZ, hN] = gh.split([2 * H, H], 1);
    rz = spec.gate(xRZ.add(hRZ));
  } else {
    rz = spec.gate(xRZ.add(h.matmul(whRZ!)));
  }
  const blocks = rz.split([H, H], 1);
  const r = blocks[rB], z = blocks[zB];
  const n = spec.act(xN.add(hN ? r.mul(hN) : r.mul(h).matmul(whN!)));
  // h' = (1 - z) * n + z * h = n + z * (h - n)
  return n.add(z.mul(h.sub(n)));
}
