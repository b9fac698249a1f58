// GraphBuilder: the nodes and constants of one ONNX graph, named uniquely as the layer converters
// emit them (floats / int64s / weight add a constant: weight(t, base, perm?, dims?) permutes t as
// Tensor.permute and may relabel its dims; node adds a node; each returns its output's name), and
// the model's bytes once the last layer is in: serialize renames the last node's output to 'output'
// (an Identity passes the input on when there is no node).
import { noGrad } from '../../autograd';
import type { Tensor } from '../../tensor';
import { modelProto, type Attr, type OnnxNode, type OnnxTensor } from './proto';

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private n = 0;

  floats(dims: readonly number[], data: Float32Array | readonly number[], base = 'c'): string {
    const name = `${base}_${this.n++}`;
    this.initializers.push({ name, dims, data: Float32Array.from(data) });
    return name;
  }

  int64s(values: readonly number[]): string {
    const name = `i_${this.n++}`;
    this.initializers.push({ name, dims: [values.length], data: values, int64: true });
    return name;
  }

  weight(t: Tensor, base: string, perm?: number[], dims?: number[]): string {
    const [data, shape] = noGrad(() => {
      const v = perm ? t.permute(perm) : t;
      const r = [v.data() as Float32Array, v.shape] as const;
      if (v !== t) v.dispose();
      return r;
    });
    return this.floats(dims ?? shape, data, base);
  }

  node(op: string, inputs: string[], attrs: Record<string, Attr> = {}): string {
    const output = `${op}_${this.n++}`;
    this.nodes.push({ op, inputs, output, attrs });
    return output;
  }

  serialize(last: string, inShape: readonly number[], outShape: readonly number[], opset: number, name: string): Uint8Array {
    const lastNode = this.nodes[this.nodes.length - 1];
    if (lastNode?.output === last) lastNode.output = 'output';
    else this.nodes.push({ op: 'Identity', inputs: [last], output: 'output', attrs: {} });
    const irVersion = opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
    return modelProto({ irVersion, opset, name, nodes: this.nodes, initializers: this.initializers, input: ['N', ...inShape], output: ['N', ...outShape] });
  }
}
