// ONNX's ModelProto and the messages inside it (field numbers of onnx/onnx.proto): the graph's
// nodes with their attributes, constant tensors, and the input / output value infos.
import { cat, float, floats, int, ints, msg, str, type Bytes } from './protobuf';

/** An attribute: a string, ints, or a float for the names in FLOAT_ATTRS (each op here uses one kind per name). */
export type Attr = string | number | readonly number[];
const FLOAT_ATTRS = ['alpha', 'gamma', 'epsilon'];

export interface OnnxNode { op: string; inputs: string[]; output: string; attrs: Record<string, Attr> }
/** A constant: float32, or int64 when `int64` is set. */
export interface OnnxTensor { name: string; dims: readonly number[]; data: Float32Array | readonly number[]; int64?: boolean }

// AttributeType FLOAT 1, INT 2, STRING 3, INTS 7; TensorProto.DataType FLOAT 1, INT64 7.
const attribute = (name: string, v: Attr): Bytes => msg(5, [str(1, name), ...(typeof v === 'string' ? [str(4, v), int(20, 3)]
  : typeof v !== 'number' ? [ints(8, v), int(20, 7)]
    : FLOAT_ATTRS.includes(name) ? [float(2, v), int(20, 1)] : [int(3, v), int(20, 2)])]);

const node = (n: OnnxNode): Bytes => msg(1, [...n.inputs.map((i) => str(1, i)), str(2, n.output), str(3, n.output), str(4, n.op),
  ...Object.entries(n.attrs).map(([k, v]) => attribute(k, v))]);

const tensor = (t: OnnxTensor): Bytes => msg(5, [ints(1, t.dims), int(2, t.int64 ? 7 : 1),
  t.int64 ? ints(7, t.data as number[]) : floats(4, t.data as Float32Array), str(8, t.name)]);

/** ValueInfoProto of a float32 tensor: { name, type: { tensor_type: { elem_type, shape: { dim: [value | param] } } } }. */
const valueInfo = (field: number, name: string, shape: readonly (number | string)[]): Bytes => msg(field, [str(1, name),
  msg(2, [msg(1, [int(1, 1), msg(2, shape.map((d) => msg(1, [typeof d === 'number' ? int(1, d) : str(2, d)])))])])]);

export interface OnnxModel {
  irVersion: number; opset: number; name: string; nodes: OnnxNode[]; initializers: OnnxTensor[];
  input: readonly (number | string)[]; output: readonly (number | string)[];
}

/** The ModelProto bytes; the graph's input is named 'input', its output 'output'. */
export const modelProto = (m: OnnxModel): Bytes => cat([int(1, m.irVersion), str(2, 'asgrad'),
  msg(7, [...m.nodes.map(node), str(2, m.name), ...m.initializers.map(tensor), valueInfo(11, 'input', m.input), valueInfo(12, 'output', m.output)]),
  msg(8, [str(1, ''), int(2, m.opset)])]);
