// Gradient-check cases for the fused LSTM cell op (src/nn/rnn_lstm_cell.ts): odd sizes (B=3,
// H=5), a c given as a strided column slice, ONNX's gate order, and both halves of the [h | c] output in the loss.
import { nn } from '../../../src/index';
import type { GradCases } from '../../helpers/gradcheck';

const { lstmCell } = nn;

export const gradCases: GradCases = {
  lstmCell: [
    { label: 'lstmCell B=3 H=5', inputs: (g) => [g.u([3, 20], -2, 2), g.u([3, 20], -1, 1), g.u([3, 5], -1, 1)], fn: (xg, hg, c) => lstmCell(xg, hg, c) },
    { label: 'lstmCell H=1, c a strided view', inputs: (g) => [g.u([2, 4], -2, 2), g.u([2, 4], -1, 1), g.u([2, 3], -1, 1)], fn: (xg, hg, c) => lstmCell(xg, hg, c.narrow(1, 1, 1)) },
    { label: "lstmCell gate order 'iofc' (ONNX) B=3 H=5", inputs: (g) => [g.u([3, 20], -2, 2), g.u([3, 20], -1, 1), g.u([3, 5], -1, 1)], fn: (xg, hg, c) => lstmCell(xg, hg, c, 'iofc') },
    { label: 'lstmCell transposed gates', inputs: (g) => [g.u([8, 1], -2, 2), g.u([1, 8], -1, 1), g.u([1, 2], -1, 1)], fn: (xg, hg, c) => lstmCell(xg.T, hg, c) },
  ],
};
