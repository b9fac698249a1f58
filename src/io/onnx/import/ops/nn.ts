// ONNX converters: nn ops (filled in by the importer work).
import type { OnnxOp } from '../attrs';

export const NN_OPS: Record<string, OnnxOp> = {};
