// Every ONNX op the importer runs, by op type; one file per family.
import type { OnnxOp } from '../attrs';
import { CONTROL_OPS } from './control';
import { ELEMENTWISE_OPS } from './elementwise';
import { NN_OPS } from './nn';
import { REDUCE_OPS } from './reduce';
import { MATRIX_OPS } from './matrix';
import { RNN_OPS } from './rnn';
import { SHAPE_OPS } from './shape';
import { INDEXING_OPS } from './indexing';

export const ONNX_OPS: Record<string, OnnxOp> = { ...CONTROL_OPS, ...ELEMENTWISE_OPS, ...REDUCE_OPS, ...MATRIX_OPS, ...SHAPE_OPS, ...INDEXING_OPS, ...NN_OPS, ...RNN_OPS };
