// ONNX converters: constants, pass-throughs and control flow (Constant, Identity, Dropout in
// inference, If).
import type { Tensor } from '../../../../tensor';
import { tensor } from '../../../../creation';
import { nodeError, type OnnxOp } from '../attrs';
import { scalarOf } from '../values';

const constant: OnnxOp = (_, a, ctx) => {
  a.only('value', 'value_float', 'value_floats', 'value_int', 'value_ints');
  if (a.has('value')) return a.tensor('value');
  if (a.has('value_float')) return tensor(a.float('value_float'));
  if (a.has('value_floats')) return tensor(Float32Array.from(a.floats('value_floats')));
  if (a.has('value_int')) return tensor(Int32Array.of(a.int('value_int')), { shape: [], dtype: 'int32' });
  if (a.has('value_ints')) return tensor(Int32Array.from(a.ints('value_ints')), { dtype: 'int32' });
  return nodeError(ctx.node, 'needs one of the attributes value, value_float(s), value_int(s) (sparse and string values are not supported)');
};

/** Dropout in inference: the input unchanged (and an all-true mask when asked for). */
const dropout: OnnxOp = (inputs, a, ctx) => {
  a.only('ratio', 'is_test', 'seed');
  const training = inputs[2] ? scalarOf(ctx, inputs[2], 'training_mode') !== 0 : false;
  if (training) nodeError(ctx.node, 'training_mode=true is not supported (an imported model runs Dropout as in inference)');
  const x = inputs[0]!;
  return ctx.node.outputs[1] ? [x, tensor(new Int32Array(x.size).fill(1), { shape: [...x.shape], dtype: 'bool' })] : x;
};

const ifOp: OnnxOp = (inputs, a, ctx) => {
  a.only('then_branch', 'else_branch');
  const cond = scalarOf(ctx, inputs[0]!, 'cond');
  return ctx.runGraph(a.graph(cond ? 'then_branch' : 'else_branch'));
};

export const CONTROL_OPS: Record<string, OnnxOp> = {
  Constant: constant,
  Identity: (inputs) => inputs[0] as Tensor,
  Dropout: dropout,
  If: ifOp,
};
