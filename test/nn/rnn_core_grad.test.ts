// recur (src/nn/rnn_core.ts), the recurrence under nn.RNN/LSTM/GRU and the Keras recurrent layers:
// gradients of every input (x, weights, biases, initial states) against finite differences on
// every cell path, both directions. The step views and gate blocks are split/unbind outputs whose
// backward is one concatenation; these cases cover the paths test/nn/rnn.test.ts does not reach
// through nn (the composed LSTM, Keras' reset-before GRU with r in block 1).
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import type { Tensor } from '../../src/index';
import { recur, type CellSpec } from '../../src/nn/rnn_core';
import { gradCheck, type Gen } from '../helpers/gradcheck';

const T = 3, B = 2, I = 3, H = 2;
const tanh = (x: Tensor) => x.tanh(), sigmoid = (x: Tensor) => x.sigmoid();

const paths: [string, CellSpec, number, boolean][] = [
  // label, spec, gate count G, uses bh
  ['rnn tanh', { kind: 'rnn', act: tanh, gate: sigmoid, standard: true }, 1, false],
  ['lstm fused cell', { kind: 'lstm', act: tanh, gate: sigmoid, standard: true }, 4, false],
  ['lstm composed ops', { kind: 'lstm', act: tanh, gate: sigmoid, standard: false }, 4, false],
  ['gru resetAfter (PyTorch order r, z, n)', { kind: 'gru', act: tanh, gate: sigmoid, standard: true, rBlock: 0, resetAfter: true }, 3, true],
  ['gru reset-before (Keras order z, r, h)', { kind: 'gru', act: tanh, gate: sigmoid, standard: true, rBlock: 1, resetAfter: false }, 3, false],
];

describe('recur: gradients of every input vs finite differences', () => {
  for (const [label, spec, G, useBh] of paths) {
    for (const reverse of [false, true]) {
      it(`${label}${reverse ? ', reverse' : ''}`, () => {
        const r = gradCheck({
          label,
          inputs: (g: Gen) => [g.u([T, B, I]), g.u([I, G * H], -0.7, 0.7), g.u([H, G * H], -0.7, 0.7), g.u([G * H], -0.5, 0.5),
            g.u([G * H], -0.5, 0.5), g.u([B, H], -0.5, 0.5), g.u([B, H], -0.5, 0.5)],
          fn: (x, wx, wh, bx, bh, h0, c0) => {
            const isLstm = spec.kind === 'lstm';
            const res = recur(x, spec, { wx, wh, bx, bh: useBh ? bh : null }, h0, isLstm ? c0 : null, reverse);
            // Unused inputs (bh, c0 on some paths) still need a recorded path: a zero-weight term.
            const pad = [...(useBh ? [] : [bh]), ...(isLstm ? [] : [c0])].map((t) => t.mul(0).reshape(-1));
            return ag.cat([res.out.reshape(-1), res.h.reshape(-1), ...(res.c ? [res.c.reshape(-1)] : []), ...pad], 0);
          },
          eps: 1e-2, rtol: 2e-2, atol: 2e-3,
        }, 11);
        expect(r.worst).toBeNull();
      });
    }
  }
});
