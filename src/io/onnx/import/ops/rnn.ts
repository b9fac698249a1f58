// ONNX converters: rnn ops (filled in by the importer work).
import type { OnnxOp } from '../attrs';

export const RNN_OPS: Record<string, OnnxOp> = {};
