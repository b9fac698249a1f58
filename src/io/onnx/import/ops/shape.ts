// ONNX converters: shape ops (filled in by the importer work).
import type { OnnxOp } from '../attrs';

export const SHAPE_OPS: Record<string, OnnxOp> = {};
