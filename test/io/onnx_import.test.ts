// importOnnx's module: initializers as parameters under PyTorch's dotted names, forward with
// gradients (imported models fine-tune), run() as onnxruntime's session.run, and the errors for
// bytes, ops, inputs and outputs it cannot take.
import { describe, expect, it } from 'vitest';
import { importOnnx, optim, tensor, tidy, dispose, noGrad } from '../../src/index';
import { modelProto, type OnnxNode, type OnnxTensor } from '../../src/io/onnx/proto';

/** A float32 model with graph input 'input' [N, ...inShape] and output 'output'. */
function bytesOf(nodes: OnnxNode[], initializers: OnnxTensor[], inShape: number[], outShape: (number | string)[], opset = 13): Uint8Array {
  return modelProto({ irVersion: 7, opset, name: 't', nodes, initializers, input: ['N', ...inShape], output: outShape });
}

const W = Float32Array.of(1, 2, 3, 4, 5, 6); // [2, 3]
const linear = () => bytesOf(
  [{ op: 'MatMul', inputs: ['input', 'fc.weight'], output: 'h', attrs: {} }, { op: 'Add', inputs: ['h', 'fc.bias'], output: 'output', attrs: {} }],
  [{ name: 'fc.weight', dims: [2, 3], data: W }, { name: 'fc.bias', dims: [3], data: Float32Array.of(0.5, -1, 2) }], [2], ['N', 3]);

describe('importOnnx: the module', () => {
  it('registers float initializers as parameters under their dotted names; stateDict round-trips', () => {
    const m = importOnnx(linear());
    try {
      expect(m.namedParameters().map(([k, t]) => [k, t.shape])).toEqual([['fc.weight', [2, 3]], ['fc.bias', [3]]]);
      expect(m.inputs.map((v) => [v.name, v.dims])).toEqual([['input', ['N', 2]]]);
      expect(m.toString()).toContain('OnnxModule');
      tidy(() => {
        m.loadStateDict({ 'fc.weight': tensor([[1, 0, 0], [0, 1, 0]]), 'fc.bias': tensor([0, 0, 1]) });
        const y = m.call(tensor([[3, 4]])) as ReturnType<typeof tensor>;
        expect(y.toArray()).toEqual([[3, 4, 1]]);
      });
    } finally {
      m.dispose();
    }
  });

  it('forward records gradients into the imported parameters, and an optimizer step changes them', () => {
    const m = importOnnx(linear());
    try {
      tidy(() => {
        const x = tensor([[1, 2], [3, -1]]);
        const y = m.forward(x) as ReturnType<typeof tensor>;
        y.sum().backward();
        const [w, b] = m.parameters();
        // d(sum(x·W + b))/dW[i, j] = sum over rows of x[:, i]; d/db = N.
        expect(Array.from(w.grad!.data() as Float32Array)).toEqual([4, 4, 4, 1, 1, 1]);
        expect(Array.from(b.grad!.data() as Float32Array)).toEqual([2, 2, 2]);
        new optim.SGD(m.parameters(), { lr: 0.5 }).step();
        expect(Array.from(b.data() as Float32Array)).toEqual([-0.5, -2, 1]);
      });
    } finally {
      m.dispose();
    }
  });

  it('run(): outputs by name, no gradients, no intermediates left; the initializers are untouched', () => {
    const m = importOnnx(linear());
    try {
      const x = tensor([[1, 1]]);
      const out = m.run({ input: x });
      expect(Object.keys(out)).toEqual(['output']);
      expect(out.output.requiresGrad).toBe(false);
      expect(out.output.toArray()).toEqual([[5.5, 6, 11]]);
      dispose([x, out.output]);
      expect(m.parameters().every((t) => !t.isDisposed)).toBe(true);
    } finally {
      m.dispose();
    }
  });

  it('an output that is an initializer or an input is returned as a copy the caller owns', () => {
    const bytes = bytesOf([{ op: 'Identity', inputs: ['k'], output: 'output', attrs: {} }], [{ name: 'k', dims: [2], data: Float32Array.of(7, 8) }], [2], [2]);
    const m = importOnnx(bytes);
    try {
      const x = tensor([[0, 0]]);
      const y = noGrad(() => m.forward(x)) as ReturnType<typeof tensor>;
      expect(y.toArray()).toEqual([7, 8]);
      dispose([x, y]);
      expect(Array.from(m.parameters()[0].data() as Float32Array)).toEqual([7, 8]);
    } finally {
      m.dispose();
    }
  });

  it('errors name what they got and what was expected', () => {
    expect(() => importOnnx('model.onnx' as unknown as Uint8Array)).toThrow(/importOnnx: expected the model's bytes as a Uint8Array or ArrayBuffer, got string/);
    const good = linear();
    expect(() => importOnnx(good.subarray(0, good.length - 7))).toThrow(/asgrad\.importOnnx: .*(truncated|no ONNX graph)/);
    expect(() => importOnnx(new TextEncoder().encode('{"format": "not onnx"}'))).toThrow(/asgrad\.importOnnx/);
    const foo = bytesOf([{ op: 'FancyOp', inputs: ['input'], output: 'output', attrs: {} }], [], [2], ['N', 2]);
    expect(() => importOnnx(foo)).toThrow(/node 'output' \(FancyOp\): the op is not supported by asgrad's importer \(supported: .*MatMul/);
    const m = importOnnx(good);
    try {
      expect(() => m.forward()).toThrow(/OnnxModule: expects 1 input\(s\) \(input\), got 0/);
      tidy(() => {
        expect(() => m.forward(tensor([[1, 2, 3]]))).toThrow(/input 'input' has shape \[N, 2\] in the model, got \[1, 3\]/);
        expect(() => m.forward(tensor([[1, 2]], { dtype: 'int32' }))).toThrow(/input 'input' is FLOAT in the model \(asgrad float32\), got a int32 tensor/);
        expect(() => m.run({ x: tensor([[1, 2]]) })).toThrow(/OnnxModule.run: the model has no input 'x' \(inputs: input\)/);
        expect(() => m.run({})).toThrow(/OnnxModule.run: missing the input 'input'/);
      });
    } finally {
      m.dispose();
    }
    const dangling = bytesOf([{ op: 'Add', inputs: ['input', 'nowhere'], output: 'output', attrs: {} }], [], [2], ['N', 2]);
    const d = importOnnx(dangling);
    try {
      tidy(() => expect(() => d.forward(tensor([[1, 2]]))).toThrow(/node 'output' \(Add\): reads 'nowhere', which no input, initializer or earlier node provides/));
    } finally {
      d.dispose();
    }
  });
});
