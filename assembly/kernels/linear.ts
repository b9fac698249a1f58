// The epilogue of a dense layer at inference: out = act(out + bias) on the rows matmul_f32 just
// wrote (bias, then relu / sigmoid / tanh over the block or softmax per row), in place. It runs
// the same arithmetic as the separate add / unary / softmax kernels, so results equal them bitwise.
// The GEMM stays a separate call so the host's worker pool can split its rows.
import { unary_f32, U_RELU, U_SIGMOID, U_TANH } from './unary';
import { softmax_f32 } from './softmax';

export const L_NONE = 0, L_RELU = 1, L_SIGMOID = 2, L_TANH = 3, L_SOFTMAX = 4;

/** out[i, j] += bias[j] for i < rows, j < cols; out is contiguous [rows, cols]. */
function addBiasRows(out: usize, bias: usize, rows: i32, cols: i32): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const o = out + (<usize>(r * cols) << 2);
    let j = 0;
    for (; j < c4; j += 4) {
      const p = <usize>j << 2;
      v128.store(o + p, f32x4.add(v128.load(o + p), v128.load(bias + p)));
    }
    for (; j < cols; j++) {
      const p = <usize>j << 2;
      store<f32>(o + p, load<f32>(o + p) + load<f32>(bias + p));
    }
  }
}

/** out[i, j] = act(out[i, j] + bias[j]) for i < rows, j < cols, in place; out contiguous [rows, cols];
 *  bias: cols contiguous f32, or 0 for none; act: L_* (L_SOFTMAX: softmax along each row). */
export function linear_epilogue_f32(out: usize, bias: usize, rows: i32, cols: i32, act: i32): void {
  if (rows <= 0 || cols <= 0) return;
  if (bias != 0) addBiasRows(out, bias, rows, cols);
  const n = rows * cols;
  if (act == L_RELU) unary_f32(U_RELU, out, out, n, 0);
  else if (act == L_SIGMOID) unary_f32(U_SIGMOID, out, out, n, 0);
  else if (act == L_TANH) unary_f32(U_TANH, out, out, n, 0);
  else if (act == L_SOFTMAX) softmax_f32(0, out, out, rows, cols);
}
