// A whole LSTM direction in one call, for inference: per step, the recurrent GEMM
// (h_prev · W_h, matmul_f32) then the fused cell (lstm_cell_f32), in the order and with the very
// calls the step-by-step path makes from the host, so the results are bitwise the same; the host
// saves T - 1 round trips of bookkeeping per direction.

import { matmul_f32 } from './matmul';
import { lstm_cell_f32 } from './lstm';

/**
 * out [T, B, 2H]: per step t the [h | c] rows lstm_cell_f32 writes, in time order (reverse walks
 * t = T-1 .. 0). gx [T, B, 4H] contiguous: the input projections (bias included). W_h [H, 4H] at
 * wh with element strides whRow, whCol. h0, c0 [B, H] with row strides h0Row, c0Row. hg, act:
 * [B, 4H] scratch each; scratch: matmul_f32_scratch_bytes(B, 4H, H) bytes, 64-byte aligned.
 * order: the gate-block code of lstm_cell_f32.
 */
export function lstm_seq_f32(out: usize, gx: usize, wh: usize, whRow: i32, whCol: i32, h0: usize, h0Row: i32,
  c0: usize, c0Row: i32, T: i32, B: i32, H: i32, order: i32, reverse: i32, hg: usize, act: usize, scratch: usize): void {
  const G = 4 * H;
  const stepBytes = <usize>(B * 2 * H) << 2, gxBytes = <usize>(B * G) << 2, hBytes = <usize>H << 2;
  let h = h0, hRow = h0Row, c = c0, cRow = c0Row;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const hc = out + <usize>t * stepBytes;
    matmul_f32(hg, h, wh, B, G, H, hRow, 1, whRow, whCol, G, 0, B, scratch);
    lstm_cell_f32(hc, act, gx + <usize>t * gxBytes, hg, c, cRow, B, H, order);
    h = hc; hRow = 2 * H;
    c = hc + hBytes; cRow = 2 * H;
  }
}
