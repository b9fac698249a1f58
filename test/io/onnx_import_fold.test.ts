// OnnxModule's folded shape arithmetic: values fixed by the input shapes are computed on the first
// run with a signature and read after. Runs alternate signatures, change an int constant through
// loadStateDict, fail part way, and train, and every result is checked against plain arithmetic.
import { describe, expect, it } from 'vitest';
import { importOnnx, tensor, tidy, dispose, memory, type Tensor } from '../../src/index';
import { modelProto } from '../../src/io/onnx/proto';
import { ONNX_OPS } from '../../src/io/onnx/import/ops';
import { shapeRule } from '../../src/io/onnx/import/static_values';

/**
 * output = Reshape(input * scale, [input.shape[axis_index], tail]): Shape -> Gather -> Unsqueeze ->
 * Concat fold; Mul and Reshape read the data. axis_index and tail are int constants (buffers),
 * scale a parameter.
 */
function flattenModel(tail: number): Uint8Array {
  return modelProto({
    irVersion: 7, opset: 13, name: 'fold',
    nodes: [
      { op: 'Shape', inputs: ['input'], output: 's', attrs: {} },
      { op: 'Gather', inputs: ['s', 'axis_index'], output: 'n', attrs: { axis: 0 } },
      { op: 'Unsqueeze', inputs: ['n', 'zero'], output: 'n1', attrs: {} },
      { op: 'Concat', inputs: ['n1', 'tail'], output: 'target', attrs: { axis: 0 } },
      { op: 'Mul', inputs: ['input', 'scale'], output: 'scaled', attrs: {} },
      { op: 'Reshape', inputs: ['scaled', 'target'], output: 'output', attrs: {} },
    ],
    initializers: [
      { name: 'axis_index', dims: [], data: [0], int64: true },
      { name: 'zero', dims: [1], data: [0], int64: true },
      { name: 'tail', dims: [1], data: [tail], int64: true },
      { name: 'scale', dims: [], data: Float32Array.of(2) },
    ],
    input: ['N', 'A', 'B'], output: ['M', 'K'],
  });
}

/** x * scale as a flat array, and the shape Reshape must give it. */
function expected(x: Tensor, scale: number, rows: number): { shape: number[]; values: number[] } {
  const values = Array.from(x.data() as Float32Array, (v) => Math.fround(v * scale));
  return { shape: [rows, values.length / rows], values };
}

const ramp = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Float32Array.from({ length: n }, (_, i) => i - n / 3), shape);
};

describe('importOnnx: folded shape arithmetic', () => {
  it('alternating input shapes each get their own folded values; Shape runs once per signature', () => {
    const m = importOnnx(flattenModel(-1));
    const shapeOp = ONNX_OPS.Shape;
    let shapeCalls = 0;
    ONNX_OPS.Shape = (...args) => { shapeCalls++; return shapeOp(...args); };
    try {
      for (const shape of [[2, 3, 4], [5, 2, 2], [2, 3, 4], [1, 7, 3], [5, 2, 2]]) {
        tidy(() => {
          const x = ramp(shape);
          const y = m.run({ input: x }).output;
          const want = expected(x, 2, shape[0]);
          expect(y.shape).toEqual(want.shape);
          expect(Array.from(y.data())).toEqual(want.values);
          y.dispose();
        });
      }
      expect(shapeCalls).toBe(3);
    } finally {
      ONNX_OPS.Shape = shapeOp;
      m.dispose();
    }
  });

  it('more signatures than the cache holds: the oldest are dropped, results stay right, nothing leaks', () => {
    const m = importOnnx(flattenModel(-1));
    const before = memory().numTensors;
    try {
      for (let round = 0; round < 2; round++) {
        for (let n = 1; n <= 11; n++) {
          tidy(() => {
            const x = ramp([n, 2, 3]);
            const y = m.run({ input: x }).output;
            expect(y.shape).toEqual([n, 6]);
            expect(Array.from(y.data())).toEqual(expected(x, 2, n).values);
            y.dispose();
          });
        }
      }
      // The parameters and buffers, plus at most 8 signatures' folded values (5 tensors each: s, n, n1, target and Gather's index view).
      expect(memory().numTensors - before).toBeLessThanOrEqual(8 * 5);
    } finally {
      m.dispose();
    }
    expect(memory().numTensors).toBeLessThan(before);
  });

  it('loadStateDict of an int constant the arithmetic reads: the next run uses the new value', () => {
    const m = importOnnx(flattenModel(-1));
    try {
      tidy(() => {
        const x = ramp([2, 3, 4]);
        const y0 = m.run({ input: x }).output;
        expect(y0.shape).toEqual([2, 12]);
        m.loadStateDict({ axis_index: tensor(1, { dtype: 'int32' }) }, { strict: false });
        const y = m.run({ input: x }).output;
        expect(y.shape).toEqual([3, 8]);
        expect(Array.from(y.data())).toEqual(expected(x, 2, 3).values);
        dispose([y0, y]);
      });
    } finally {
      m.dispose();
    }
  });

  it('a run that fails part way records nothing: the same shape fails again, another one works', () => {
    const m = importOnnx(flattenModel(5));
    try {
      tidy(() => {
        expect(() => m.run({ input: ramp([2, 3, 4]) })).toThrow(/Reshape/);
        const y = m.run({ input: ramp([2, 5, 1]) }).output;
        expect(y.shape).toEqual([2, 5]);
        expect(() => m.run({ input: ramp([2, 3, 4]) })).toThrow(/Reshape/);
        const y2 = m.run({ input: ramp([2, 1, 5]) }).output;
        expect(Array.from(y2.data())).toEqual(expected(ramp([2, 1, 5]), 2, 2).values);
        dispose([y, y2]);
      });
    } finally {
      m.dispose();
    }
  });

  it('forward with gradients: the recording run and the replaying run give the same gradient of scale', () => {
    const m = importOnnx(flattenModel(-1));
    try {
      const scale = m.namedParameters().find(([k]) => k === 'scale')![1];
      const grads: number[] = [];
      for (let pass = 0; pass < 2; pass++) {
        tidy(() => {
          const x = ramp([3, 2, 2]);
          const y = m.forward(x) as Tensor;
          expect(y.shape).toEqual([3, 4]);
          y.mul(y).sum().backward();
          grads.push(scale.grad!.item());
          // d/dscale sum((scale x)^2) = 2 scale sum(x^2)
          const sx2 = (x.data() as Float32Array).reduce((a, v) => a + v * v, 0);
          expect(scale.grad!.item()).toBeCloseTo(2 * 2 * sx2, 2);
        });
        dispose(scale.grad!);
        scale.grad = null;
      }
      expect(grads[1]).toBe(grads[0]);
    } finally {
      m.dispose();
    }
  });

  it('every supported op whose output shape reads input values is classified (a new one must be, or it is treated as shape-only)', () => {
    const byRule: Record<string, string[]> = {};
    for (const op of Object.keys(ONNX_OPS).sort()) (byRule[shapeRule(op)] ??= []).push(op);
    // The ops of the ONNX spec (Operators.md) whose output shape depends on an input's values, among those asgrad runs.
    expect(byRule.operands).toEqual(['Expand', 'OneHot', 'Pad', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceMax', 'ReduceMean', 'ReduceMin',
      'ReduceProd', 'ReduceSum', 'ReduceSumSquare', 'Reshape', 'Resize', 'Slice', 'Split', 'Squeeze', 'Tile', 'TopK', 'Unsqueeze', 'Upsample']);
    expect(byRule.values).toEqual(['ConstantOfShape', 'Range']);
    expect(byRule.data).toEqual(['If', 'NonZero']);
  });
});
