// ONNX converters: neural-network ops over NCHW tensors, one file per kind (nn_conv, nn_pool,
// nn_norm, nn_resize; window geometry in nn_geom), merged here.
import type { OnnxOp } from '../attrs';
import { CONV_OPS } from './nn_conv';
import { NORM_OPS } from './nn_norm';
import { POOL_OPS } from './nn_pool';
import { RESIZE_OPS } from './nn_resize';

export const NN_OPS: Record<string, OnnxOp> = { ...CONV_OPS, ...POOL_OPS, ...NORM_OPS, ...RESIZE_OPS };
