// ONNX converters: elementwise ops (filled in by the importer work).
import type { OnnxOp } from '../attrs';

export const ELEMENTWISE_OPS: Record<string, OnnxOp> = {};
