// ONNX ModelProto -> plain objects (field numbers of onnx/onnx.proto): the default domain's
// opset, and the graph: nodes with their attributes (subgraphs decoded too, for If), the
// initializers, and the inputs / outputs with their element types and dims.
import { decodeTensorProto, type TensorData } from './tensor_proto';
import { fields, pushFloats, pushInts, text, type Bytes } from './wire';

export interface AttrProto {
  name: string;
  /** AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, GRAPH 5, FLOATS 6, INTS 7, STRINGS 8. */
  type: number;
  f?: number; i?: number; s?: string; t?: TensorData; g?: GraphProto;
  floats: number[]; ints: number[]; strings: string[];
}

export interface NodeProto { opType: string; domain: string; name: string; inputs: string[]; outputs: string[]; attrs: Map<string, AttrProto> }

/** A graph input or output: name, element type (TensorProto.DataType, 0 if unknown) and dims (a string for a symbolic dim, null when unknown). */
export interface ValueInfo { name: string; elemType: number; dims: (number | string | null)[] | null }

export interface GraphProto { name: string; nodes: NodeProto[]; initializers: TensorData[]; inputs: ValueInfo[]; outputs: ValueInfo[] }

export interface ModelProto { irVersion: number; producer: string; opset: number; domains: Map<string, number>; graph: GraphProto }

const utf8 = new TextDecoder();

function decodeAttr(b: Bytes): AttrProto {
  const a: AttrProto = { name: '', type: 0, floats: [], ints: [], strings: [] };
  for (const f of fields(b)) {
    switch (f.no) {
      case 1: a.name = text(f); break;
      case 20: a.type = f.value; break;
      case 2: { const v: number[] = []; pushFloats(f, v); a.f = v[0]; break; }
      case 3: a.i = f.value; break;
      case 4: a.s = utf8.decode(f.bytes!); break;
      case 5: a.t = decodeTensorProto(f.bytes!, `attribute '${a.name}'`); break;
      case 6: a.g = decodeGraph(f.bytes!); break;
      case 7: pushFloats(f, a.floats); break;
      case 8: pushInts(f, a.ints); break;
      case 9: a.strings.push(text(f)); break;
    }
  }
  // Writers that omit `type` (old ones) leave it to the field that is set.
  if (a.type === 0) a.type = a.f !== undefined ? 1 : a.i !== undefined ? 2 : a.s !== undefined ? 3 : a.t ? 4 : a.g ? 5 : a.floats.length ? 6 : a.ints.length ? 7 : a.strings.length ? 8 : 0;
  return a;
}

function decodeNode(b: Bytes): NodeProto {
  const n: NodeProto = { opType: '', domain: '', name: '', inputs: [], outputs: [], attrs: new Map() };
  for (const f of fields(b)) {
    if (f.no === 1) n.inputs.push(text(f));
    else if (f.no === 2) n.outputs.push(text(f));
    else if (f.no === 3) n.name = text(f);
    else if (f.no === 4) n.opType = text(f);
    else if (f.no === 7) n.domain = text(f);
    else if (f.no === 5) { const a = decodeAttr(f.bytes!); n.attrs.set(a.name, a); }
  }
  return n;
}

/** ValueInfoProto { name 1, type 2: TypeProto { tensor_type 1: { elem_type 1, shape 2: { dim 1: { dim_value 1 | dim_param 2 } } } } }. */
function decodeValueInfo(b: Bytes): ValueInfo {
  const v: ValueInfo = { name: '', elemType: 0, dims: null };
  for (const f of fields(b)) {
    if (f.no === 1) v.name = text(f);
    else if (f.no === 2) {
      for (const tt of fields(f.bytes!)) {
        if (tt.no !== 1) continue;
        for (const t of fields(tt.bytes!)) {
          if (t.no === 1) v.elemType = t.value;
          else if (t.no === 2) {
            v.dims = [];
            for (const d of fields(t.bytes!)) {
              if (d.no !== 1) continue;
              let dim: number | string | null = null;
              for (const x of fields(d.bytes!)) dim = x.no === 1 ? x.value : x.no === 2 ? text(x) : dim;
              v.dims.push(dim);
            }
          }
        }
      }
    }
  }
  return v;
}

export function decodeGraph(b: Bytes): GraphProto {
  const g: GraphProto = { name: '', nodes: [], initializers: [], inputs: [], outputs: [] };
  for (const f of fields(b)) {
    if (f.no === 1) g.nodes.push(decodeNode(f.bytes!));
    else if (f.no === 2) g.name = text(f);
    else if (f.no === 5) g.initializers.push(decodeTensorProto(f.bytes!, `initializer ${g.initializers.length}`));
    else if (f.no === 11) g.inputs.push(decodeValueInfo(f.bytes!));
    else if (f.no === 12) g.outputs.push(decodeValueInfo(f.bytes!));
    else if (f.no === 15) throw new Error('asgrad.importOnnx: the graph has sparse initializers, which are not supported');
  }
  return g;
}

/** Decodes a ModelProto. Throws when the bytes are not one, or it has no graph. */
export function decodeModel(bytes: Bytes): ModelProto {
  const m: ModelProto = { irVersion: 0, producer: '', opset: 0, domains: new Map(), graph: null! };
  for (const f of fields(bytes)) {
    if (f.no === 1 && f.wire === 0) m.irVersion = f.value;
    else if (f.no === 2 && f.wire === 2) m.producer = text(f);
    else if (f.no === 7 && f.wire === 2) m.graph = decodeGraph(f.bytes!);
    else if (f.no === 8 && f.wire === 2) {
      let domain = '', version = 0;
      for (const o of fields(f.bytes!)) { if (o.no === 1) domain = text(o); else if (o.no === 2) version = o.value; }
      m.domains.set(domain === 'ai.onnx' ? '' : domain, version);
    }
  }
  if (!m.graph) throw new Error(`asgrad.importOnnx: the bytes hold no ONNX graph (expected a ModelProto, ${bytes.length} bytes; is this an ONNX file?)`);
  // ONNX: a model without an opset import for the default domain is opset 1.
  m.opset = m.domains.get('') ?? 1;
  return m;
}
