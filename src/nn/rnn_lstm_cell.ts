// lstmCell: the standard LSTM cell's pointwise math as one registered op over a fused kernel
// (assembly/kernels/lstm.ts), forward and backward. One training step (forward + backward) of
// nn.LSTM, medians of interleaved runs on the shared 2-core machine, composed ops (sigmoid,
// 4 narrows, tanh, mul/add) -> fused: T=64 B=32 in=64 H=128 83.5 -> 58.2 ms; T=64 B=8 in=16 H=32
// 12.0 -> 5.1 ms; T=50 B=64 in=64 H=256 281 -> 270 ms (GEMM-bound there).
import { Tensor } from '../tensor';
import { copyK } from '../backend/kernels';
import { getBackend } from '../backend/load';
import { defineOp, run } from '../ops/registry';
import { check, fmtShape } from '../util/errors';
import { isGradEnabled } from '../autograd';

/** Row stride of a [B, n] tensor whose rows are contiguous, or -1 when they are not. */
const rowStride = (t: Tensor): number => (t.shape[1] <= 1 || t.strides[1] === 1 ? t.strides[0] : -1);

/** Calls fn with a [B, n] tensor whose rows are contiguous (x itself, or a copy freed afterwards). */
function withRows<T>(x: Tensor, fn: (t: Tensor, stride: number, ptr: number) => T): T {
  if (rowStride(x) >= 0 && x.size > 0) return fn(x, rowStride(x), x._storage.ptr + x.offset * 4);
  const c = copyK(x);
  try { return fn(c, x.shape[1], c._ptr); } finally { c.dispose(); }
}

const withContig = <T>(x: Tensor, fn: (ptr: number) => T): T => {
  if (x.isContiguous()) return fn(x._ptr);
  const c = copyK(x);
  try { return fn(c._ptr); } finally { c.dispose(); }
};

/** The forward's activated gates, handed from forward to save (not recorded: freed by the caller),
 *  and the kernels' gate-block code (assembly/kernels/lstm.ts). */
interface Slot { act: Tensor | null; order: number }

const lstmCellOp = defineOp<Slot>({
  name: 'lstmCell',
  forward: ([xg, hg, c], slot) => {
    const [B, H] = c.shape;
    const hc = Tensor._empty([B, 2 * H]);
    const act = Tensor._empty([B, 4 * H]);
    slot.act = act;
    if (B * H === 0) return hc;
    withContig(xg, (px) => withContig(hg, (ph) => withRows(c, (_, cs, pc) => {
      getBackend().k.lstm_cell_f32(hc._ptr, act._ptr, px, ph, pc, cs, B, H, slot.order);
    })));
    return hc;
  },
  save: ([, , c], hc, slot) => [slot.act!, hc, c],
  // First order only: the backward is one kernel, not recorded (as indexSelect's scatter-add).
  backward: ({ inputs, saved: [act, hc, c], attrs: { order } }, dy) => {
    const need = inputs.map((t) => (t._origin ?? t).requiresGrad);
    let dz: Tensor | null = null, dc: Tensor | null = null, dzTaken = false;
    const compute = () => {
      if (dz) return;
      const [B, H] = c.shape;
      dz = Tensor._empty([B, 4 * H]);
      dc = Tensor._empty([B, H]);
      if (B * H > 0) {
        withRows(dy, (_, ds, pd) => withRows(c, (__, cs, pc) => {
          getBackend().k.lstm_cell_bwd_f32(dz!._ptr, dc!._ptr, pd, ds, act._ptr, hc._ptr, pc, cs, B, H, order);
        }));
      }
      if (!need[0] && !need[1]) { dz.dispose(); }
      if (!need[2]) dc.dispose();
    };
    const takeDz = (): Tensor => {
      compute();
      if (dzTaken) return dz!._share();
      dzTaken = true;
      return dz!;
    };
    return [takeDz, takeDz, () => { compute(); return dc!; }];
  },
});

/** Gate orders seen, by their code (lstmCell runs once per time step: parse each order once). */
const ORDER_CODES = new Map<string, number>([['ifgo', 0xe4]]);

/** The kernels' code for a gate order: 2 bits per gate (i, f, g, o) giving its block. */
function orderCode(gateOrder: string): number {
  const known = ORDER_CODES.get(gateOrder);
  if (known !== undefined) return known;
  const letters = gateOrder.replace('c', 'g');
  check(letters.length === 4 && [...'ifgo'].every((g) => letters.includes(g)), 'lstmCell', () =>
    `gateOrder must order the four gates i, f, g (or c), o, such as 'ifgo' (PyTorch, Keras) or 'iofc' (ONNX), got '${gateOrder}'`);
  const code = [...'ifgo'].reduce((c, g, k) => c | (letters.indexOf(g) << (2 * k)), 0);
  ORDER_CODES.set(gateOrder, code);
  return code;
}

/**
 * One LSTM step's pointwise part: z = xg + hg ([B, 4H], gate blocks in `gateOrder`, PyTorch's
 * i, f, g, o by default), c [B, H] the previous cell state. Returns hc [B, 2H] = [h | c'] with
 * c' = sigmoid(f) c + sigmoid(i) tanh(g) and h = sigmoid(o) tanh(c'). Differentiable in all three
 * inputs (first order); the gradient of xg and hg is in the same gate order.
 */
export function lstmCell(xg: Tensor, hg: Tensor, c: Tensor, gateOrder = 'ifgo'): Tensor {
  for (const [n, t] of [['xg', xg], ['hg', hg], ['c', c]] as const) {
    check(t?._isTensor, 'lstmCell', () => `${n} must be a tensor, got ${typeof t}`);
    t._assertLive('lstmCell');
    check(t.dtype === 'float32' && t.ndim === 2, 'lstmCell', () => `${n} must be a 2-D float32 tensor, got ${t.dtype} ${fmtShape(t.shape)}`);
  }
  const [B, H] = c.shape;
  for (const t of [xg, hg]) {
    check(t.shape[0] === B && t.shape[1] === 4 * H, 'lstmCell', () =>
      `gates must have shape [${B}, ${4 * H}] for c ${fmtShape(c.shape)}, got xg ${fmtShape(xg.shape)} and hg ${fmtShape(hg.shape)}`);
  }
  const slot: Slot = { act: null, order: orderCode(gateOrder) };
  const out = run(lstmCellOp, [xg, hg, c], slot);
  slot.act?.dispose(); // the saved copy (if recorded) shares its storage
  return out;
}

/** Whether lstmSequence may run these operands: no gradient wanted, and a recurrent GEMM the worker pool would not split. */
export function sequenceFits(operands: (Tensor | null)[], B: number, H: number): boolean {
  return !(isGradEnabled() && operands.some((t) => t?.requiresGrad)) && !getBackend().pool?.wouldSplit(B, 4 * H, H);
}

/**
 * A whole standard-LSTM direction for inference (nothing recorded: call it only when no gradient
 * is wanted): gx [T, B, 4H] the input projections (bias included), wh [H, 4H] (any strides), h0
 * and c0 [B, H]. Returns hc [T, B, 2H], per step [h | c] in time order (reverse walks t = T-1 .. 0).
 * Bitwise the same as lstmCell step by step: one kernel call runs the same GEMM and cell kernels.
 */
export function lstmSequence(gx: Tensor, wh: Tensor, h0: Tensor, c0: Tensor, gateOrder: string, reverse: boolean): Tensor {
  const [T, B, G] = gx.shape, H = G / 4;
  const out = Tensor._empty([T, B, 2 * H]);
  if (out.size === 0) return out;
  const { k, heap } = getBackend();
  const sBytes = k.matmul_f32_scratch_bytes(B, G, H), gBytes = B * G * 4;
  const scratch = heap.alloc(sBytes), hg = heap.alloc(gBytes), act = heap.alloc(gBytes);
  try {
    withContig(gx, (pg) => withRows(h0, (_, hs, ph) => withRows(c0, (__, cs, pc) => {
      k.lstm_seq_f32(out._ptr, pg, wh._storage.ptr + wh.offset * 4, wh.strides[0], wh.strides[1], ph, hs, pc, cs,
        T, B, H, orderCode(gateOrder), reverse ? 1 : 0, hg, act, scratch);
    })));
  } finally {
    heap.release(scratch, sBytes); heap.release(hg, gBytes); heap.release(act, gBytes);
  }
  return out;
}
