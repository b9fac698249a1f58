// ONNX converters: reduce ops (filled in by the importer work).
import type { OnnxOp } from '../attrs';

export const REDUCE_OPS: Record<string, OnnxOp> = {};
