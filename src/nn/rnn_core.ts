// The recurrence shared by nn.RNN/LSTM/GRU and the Keras recurrent layers: one layer, one
// direction, time-major. The input projection of all steps is one GEMM ([T*B, in] x [in, G*H]);
// each step then does one [B, H] x [H, G*H] GEMM and the gate math (a fused kernel for the
// standard LSTM cell, composed ops otherwise). Weights are right-multiplied ([in, G*H]): Keras'
// kernels as they are, PyTorch's weight_ih as its .T view (the GEMM reads strides, no copy).
import type { Tensor } from '../tensor';
import { stack } from '../ops/shaping';
import { lstmCell } from './rnn_lstm_cell';

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
export function recur(x: Tensor, spec: CellSpec, w: DirWeights, h0: Tensor, c0: Tensor | null, reverse: boolean): RecurResult {
  const [T, B] = x.shape;
  const H = w.wh.shape[0];
  let gx = x.reshape([T * B, x.shape[2]]).matmul(w.wx);
  if (w.bx) gx = gx.add(w.bx);
  const steps = splitRows(gx, T, B);
  const ys = new Array<Tensor>(T);
  const fused = spec.kind === 'lstm' && spec.standard;
  let h = h0, c = c0;
  // Keras' reset-before GRU multiplies (r * h) by the n block of W_h on its own.
  const gruSplit = spec.kind === 'gru' && !spec.resetAfter;
  const whRZ = gruSplit ? w.wh.narrow(1, 0, 2 * H) : null;
  const whN = gruSplit ? w.wh.narrow(1, 2 * H, H) : null;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const xt = steps[t];
    if (fused) {
      // ys[t] holds [h | c]; the output is its h half, sliced once after the loop.
      const hc = lstmCell(xt, h.matmul(w.wh), c!);
      h = hc.narrow(1, 0, H);
      c = hc.narrow(1, H, H);
      ys[t] = hc;
      continue;
    } else if (spec.kind === 'lstm') {
      [h, c] = lstmComposed(spec, xt.add(h.matmul(w.wh)), c!, H);
    } else if (spec.kind === 'rnn') {
      h = spec.act(xt.add(h.matmul(w.wh)));
    } else {
      h = gruStep(spec, xt, h, H, w, whRZ, whN);
    }
    ys[t] = h;
  }
  const out = fused ? stack(ys, 0).narrow(2, 0, H) : stack(ys, 0);
  return { out, h, c };
}

/** LSTM gate math from composed ops, gates [B, 4H] in order i, f, g, o. */
function lstmComposed(spec: CellSpec, gates: Tensor, c: Tensor, H: number): [Tensor, Tensor] {
  const i = spec.gate(gates.narrow(1, 0, H));
  const f = spec.gate(gates.narrow(1, H, H));
  const g = spec.act(gates.narrow(1, 2 * H, H));
  const o = spec.gate(gates.narrow(1, 3 * H, H));
  const c2 = f.mul(c).add(i.mul(g));
  return [o.mul(spec.act(c2)), c2];
}

function gruStep(spec: CellSpec, xt: Tensor, h: Tensor, H: number, w: DirWeights, whRZ: Tensor | null, whN: Tensor | null): Tensor {
  const rB = spec.rBlock ?? 0, zB = 1 - rB;
  let n: Tensor, rz: Tensor;
  if (spec.resetAfter) {
    let gh = h.matmul(w.wh);
    if (w.bh) gh = gh.add(w.bh);
    rz = spec.gate(xt.narrow(1, 0, 2 * H).add(gh.narrow(1, 0, 2 * H)));
    const r = rz.narrow(1, rB * H, H);
    n = spec.act(xt.narrow(1, 2 * H, H).add(r.mul(gh.narrow(1, 2 * H, H))));
  } else {
    rz = spec.gate(xt.narrow(1, 0, 2 * H).add(h.matmul(whRZ!)));
    const r = rz.narrow(1, rB * H, H);
    n = spec.act(xt.narrow(1, 2 * H, H).add(r.mul(h).matmul(whN!)));
  }
  const z = rz.narrow(1, zB * H, H);
  // h' = (1 - z) * n + z * h = n + z * (h - n)
  return n.add(z.mul(h.sub(n)));
}

/**
 * The T row blocks [B, G] of x [T*B, G] (rows t*B .. t*B+B-1 for step t), cut by repeated halving.
 * Cutting each step straight from x would cost O(T^2 B G) in backward (every slice's gradient is
 * a zero-filled tensor of x's full size, accumulated T times); halving costs O(T log T B G).
 */
function splitRows(x: Tensor, n: number, B: number, out: Tensor[] = []): Tensor[] {
  if (n === 1) { out.push(x); return out; }
  const half = n >> 1;
  splitRows(x.narrow(0, 0, half * B), half, B, out);
  splitRows(x.narrow(0, half * B, (n - half) * B), n - half, B, out);
  return out;
}
