// importOnnx: LSTM, GRU and RNN against ONNX's conformance data, a float64 reference
// (onnx_rnn_reference.ts) over directions, layouts, states, biases, sequence_lens, peepholes, clip,
// input_forget, linear_before_reset and activations, finite-difference gradients, and clear errors.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { cat, dispose, tensor, tidy, type Tensor } from '../../src/index';
import { importOnnx } from '../../src/io/onnx/import';
import { gradCheck } from '../helpers/gradcheck';
import { runOnnxCase } from './onnx_conformance';
import { caseAttrs, inputSpecs, nodeModel, randomCase, rnnReference, type AttrValue, type RnnCase } from './onnx_rnn_reference';

// Every case of `ls .cache/onnx/data/node | grep -iE 'lstm|gru|rnn'`; none under pytorch-converted/ or pytorch-operator/.
const CASES = [
  'test_gru_batchwise', 'test_gru_defaults', 'test_gru_seq_length', 'test_gru_with_initial_bias',
  'test_lstm_batchwise', 'test_lstm_defaults', 'test_lstm_with_initial_bias', 'test_lstm_with_peepholes',
  'test_rnn_seq_length', 'test_simple_rnn_batchwise', 'test_simple_rnn_defaults', 'test_simple_rnn_with_initial_bias',
];
// Every conformance case runs; what is not supported (sequence_lens of 0, activations whose default
// ONNX and onnxruntime disagree on) throws, tested in 'clear errors' below.
const UNSUPPORTED: string[] = [];

describe('importOnnx conformance: recurrent ops', () => {
  for (const name of CASES) it(name, () => runOnnxCase(name));
  it('UNSUPPORTED is empty', () => expect(UNSUPPORTED).toEqual([]));
});

const outputsOf = (c: RnnCase) => (c.op === 'LSTM' ? ['Y', 'Y_h', 'Y_c'] : ['Y', 'Y_h']);

/** Runs the case through an imported one-node model (X fed, the rest initializers); returns Y, Y_h, Y_c's values and dims. */
function runImported(c: RnnCase, opset = 14): { data: number[]; dims: number[] }[] {
  const specs = inputSpecs(c);
  const model = importOnnx(nodeModel(c.op, specs, caseAttrs(c), outputsOf(c), ['X'], opset));
  try {
    const x = tensor(c.X, { shape: specs[0].dims });
    let out: Record<string, Tensor>;
    try { out = model.run({ X: x }); } finally { x.dispose(); }
    const r = outputsOf(c).map((n) => ({ data: Array.from(out[n].data(), Number), dims: [...out[n].shape] }));
    dispose(Object.values(out));
    return r;
  } finally {
    model.dispose();
  }
}

/** Checks every output against the float64 reference (dims and |ours - ref| <= 1e-5 + 1e-4 |ref|); returns Y. */
function expectMatches(c: RnnCase): number[] {
  const ours = runImported(c), ref = rnnReference(c);
  const D = c.direction === 'bidirectional' ? 2 : 1, { T, B, H } = c, L = c.layout ?? 0;
  const dims = [L ? [B, T, D, H] : [T, D, B, H], L ? [B, D, H] : [D, B, H], L ? [B, D, H] : [D, B, H]];
  [ref.Y, ref.Yh, ref.Yc].slice(0, ours.length).forEach((want, k) => {
    expect(ours[k].dims).toEqual(dims[k]);
    const bad = want.findIndex((w, i) => !(Math.abs(ours[k].data[i] - w) <= 1e-5 + 1e-4 * Math.abs(w)));
    expect({ output: outputsOf(c)[k], at: bad, got: ours[k].data[bad], want: want[bad] }).toEqual({ output: outputsOf(c)[k], at: -1, got: undefined, want: undefined });
  });
  return ours[0].data;
}

describe('importOnnx LSTM / GRU / RNN against a float64 reference', () => {
  const dims = { T: 4, B: 3, I: 3, H: 5 };
  it('bidirectional LSTM with initial states and biases (the fused cell)', () => {
    expectMatches(randomCase({ op: 'LSTM', ...dims, direction: 'bidirectional' }, 1, ['Bias', 'h0', 'c0']));
  });
  it('LSTM layout=1, bidirectional, with states and per-sequence lengths', () => {
    expectMatches({ ...randomCase({ op: 'LSTM', ...dims, direction: 'bidirectional', layout: 1 }, 2, ['Bias', 'h0', 'c0']), lens: [4, 2, 1] });
  });
  it('LSTM reverse with peepholes, clip, input_forget, masking and other activations (composed path)', () => {
    const c = { ...randomCase({ op: 'LSTM', ...dims, direction: 'reverse' }, 3, ['Bias', 'h0', 'c0', 'P']), lens: [3, 4, 2], clip: 0.7 };
    expectMatches(c);
    expectMatches({ ...c, inputForget: 1, activations: ['HardSigmoid', 'LeakyRelu', 'Softsign'], alpha: [0.3, 0.1], beta: [0.4] });
  });
  it('the fused and the composed LSTM agree (a clip that never binds takes the composed path)', () => {
    const c = randomCase({ op: 'LSTM', ...dims, direction: 'bidirectional' }, 4, ['Bias', 'h0', 'c0']);
    const fused = runImported(c)[0].data, composed = runImported({ ...c, clip: 1e9 })[0].data;
    fused.forEach((v, i) => expect(Math.abs(v - composed[i])).toBeLessThan(1e-6));
  });
  it('GRU linear_before_reset 0 and 1, bidirectional with states and biases (and they differ)', () => {
    const c = randomCase({ op: 'GRU', ...dims, direction: 'bidirectional' }, 5, ['Bias', 'h0']);
    const y0 = expectMatches({ ...c, linearBeforeReset: 0 }), y1 = expectMatches({ ...c, linearBeforeReset: 1 });
    expect(Math.max(...y0.map((v, i) => Math.abs(v - y1[i])))).toBeGreaterThan(1e-2);
  });
  it('GRU layout=1, reverse, with lengths, clip and activations (opset 7 has no layout: layout 0 there)', () => {
    const c = { ...randomCase({ op: 'GRU', ...dims, direction: 'reverse', layout: 1 }, 6, ['Bias', 'h0']), lens: [2, 4, 3], clip: 0.8 };
    expectMatches({ ...c, linearBeforeReset: 1, activations: ['HardSigmoid', 'Elu'], alpha: [0.25, 0.9], beta: [0.45] });
    expectMatches({ ...c, linearBeforeReset: 0 });
    const c7 = { ...randomCase({ op: 'GRU', ...dims }, 7, ['Bias']), linearBeforeReset: 1 };
    const y7 = runImported(c7, 7)[0].data, want = rnnReference(c7).Y;
    want.forEach((w, i) => expect(Math.abs(y7[i] - w)).toBeLessThan(1e-5 + 1e-4 * Math.abs(w)));
  });
  it("RNN bidirectional Relu / Tanh with sequence_lens [1, 2, 2]: onnxruntime's own test values", () => {
    // onnxruntime's RNNTest.RNN_bidirectional_with_sequence_lens: padded steps give 0, the reverse
    // direction starts at each sequence's last real step.
    const c: RnnCase = {
      op: 'RNN', T: 2, B: 3, I: 2, H: 4, direction: 'bidirectional', activations: ['Relu', 'Tanh'], lens: [1, 2, 2],
      X: [1, 2, 3, 4, 5, 6, 3, 1, 4, 4, 6, 3], W: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.5, 0.6, 0.7, 0.3, 0.8, 0.4, 0.9, 0.5, 0.1, 0.6],
      R: [...new Array(16).fill(0.1), ...new Array(16).fill(0.2)], Bias: new Array(16).fill(0.1),
    };
    const [Y, Yh] = runImported(c);
    expect(Y.data.slice(0, 4).map((v) => +v.toFixed(5))).toEqual([0.7, 1.3, 1.9, 1.9]);
    expect(Y.data.slice(24, 28)).toEqual([0, 0, 0, 0]);
    expect(Y.data.slice(36, 40)).toEqual([0, 0, 0, 0]);
    const want = [0.7, 1.3, 1.9, 1.9, 2.62, 4.22, 5.82, 5.82, 3.26, 5.06, 6.86, 6.86, 0.90514827, 0.94680595, 0.97045195, 0.90514827,
      0.99963105, 0.99990892, 0.99997759, 0.99877548, 0.99999332, 0.99999928, 1, 0.99992537];
    want.forEach((w, i) => expect(Math.abs(Yh.data[i] - w)).toBeLessThan(1e-5));
    expectMatches(c);
  });
  it("one-direction RNN listing two activations (RNN's documented default ['Tanh', 'Tanh']) uses the first, as onnxruntime", () => {
    const c = randomCase({ op: 'RNN', T: 3, B: 2, I: 3, H: 4 }, 10, ['Bias']);
    const relu = runImported({ ...c, activations: ['Relu', 'Tanh'] })[0].data;
    rnnReference({ ...c, activations: ['Relu'] }).Y.forEach((w, i) => expect(Math.abs(relu[i] - w)).toBeLessThan(1e-5));
  });
  it('RNN with every supported activation', () => {
    const acts: [string, number[], number[]][] = [['Relu', [], []], ['Sigmoid', [], []], ['Softplus', [], []], ['Softsign', [], []],
      ['LeakyRelu', [], []], ['Elu', [0.5], []], ['ThresholdedRelu', [0.1], []], ['HardSigmoid', [], []], ['Affine', [0.7], [0.2]], ['ScaledTanh', [1.5], [0.6]]];
    for (const [name, alpha, beta] of acts) {
      expectMatches({ ...randomCase({ op: 'RNN', T: 3, B: 2, I: 3, H: 4 }, 8, ['Bias', 'h0']), activations: [name], alpha, beta });
    }
  });
  it("Silero VAD's LSTM node: forward, layout 0, input_forget 0, X W R B '' h c -> Y Y_h Y_c", () => {
    expectMatches({ ...randomCase({ op: 'LSTM', T: 1, B: 2, I: 8, H: 8, direction: 'forward', layout: 0 }, 9, ['Bias', 'h0', 'c0']), inputForget: 0 });
  });
});

describe('importOnnx LSTM / GRU / RNN against onnxruntime-node (layout 0: its CPU kernels have no layout 1)', () => {
  const dims = { T: 4, B: 3, I: 3, H: 5 };
  const cases: RnnCase[] = [
    { ...randomCase({ op: 'LSTM', ...dims, direction: 'bidirectional' }, 31, ['Bias', 'h0', 'c0']), lens: [4, 2, 1] },
    { ...randomCase({ op: 'LSTM', ...dims, direction: 'reverse' }, 32, ['Bias', 'h0', 'c0', 'P']), lens: [3, 4, 2], clip: 0.7, inputForget: 1 },
    { ...randomCase({ op: 'GRU', ...dims, direction: 'bidirectional' }, 33, ['Bias', 'h0']), lens: [2, 4, 3], linearBeforeReset: 0 },
    { ...randomCase({ op: 'GRU', ...dims, direction: 'reverse' }, 34, ['Bias', 'h0']), lens: [2, 4, 3], clip: 0.8, linearBeforeReset: 1, activations: ['HardSigmoid', 'Elu'], alpha: [0.25, 0.9], beta: [0.45] },
    { ...randomCase({ op: 'RNN', ...dims, direction: 'bidirectional' }, 35, ['Bias', 'h0']), activations: ['ScaledTanh', 'Affine'], alpha: [1.5, 0.7], beta: [0.6, 0.2] },
  ];
  it('LSTM, GRU and RNN with sequence_lens, clip, peepholes, input_forget, linear_before_reset and activations', async () => {
    for (const c of cases) {
      const session = await ort.InferenceSession.create(nodeModel(c.op, inputSpecs(c), caseAttrs(c), outputsOf(c), ['X']));
      try {
        const r = await session.run({ X: new ort.Tensor('float32', Float32Array.from(c.X), [c.T, c.B, c.I]) });
        runImported(c).forEach((o, k) => {
          const theirs = r[outputsOf(c)[k]];
          expect(o.dims).toEqual([...theirs.dims]);
          const worst = Math.max(...o.data.map((v, i) => Math.abs(v - (theirs.data as Float32Array)[i])));
          expect(worst, `${c.op} ${outputsOf(c)[k]}`).toBeLessThan(1e-5);
        });
      } finally {
        await session.release();
      }
    }
  });
});

describe('gradients through an imported recurrent op', () => {
  /** Gradient check of Y, Y_h (and Y_c) with respect to every float input, each a graph input. */
  function check(c: RnnCase): void {
    const specs = inputSpecs(c).filter((s) => s.name);
    const floats = specs.filter((s) => !s.int);
    const model = importOnnx(nodeModel(c.op, inputSpecs(c), caseAttrs(c), outputsOf(c), floats.map((s) => s.name)));
    try {
      const r = gradCheck({
        label: c.op,
        inputs: () => floats.map((s) => ({ shape: s.dims, values: s.data! })),
        fn: (...xs: Tensor[]) => cat((model.forward(...xs) as Tensor[]).map((o) => o.flatten())),
      });
      expect(r.worst).toBeNull();
    } finally {
      model.dispose();
    }
  }
  const dims = { T: 3, B: 2, I: 2, H: 2 };
  it('bidirectional LSTM with states and biases (the fused cell)', () => check(randomCase({ op: 'LSTM', ...dims, direction: 'bidirectional' }, 11, ['Bias', 'h0', 'c0'])));
  it('LSTM with peepholes and sequence_lens (composed)', () => check({ ...randomCase({ op: 'LSTM', ...dims, direction: 'reverse', layout: 1 }, 12, ['Bias', 'h0', 'c0', 'P']), lens: [2, 3] }));
  it('GRU, linear_before_reset 0 and 1', () => {
    const c = randomCase({ op: 'GRU', ...dims, direction: 'bidirectional' }, 13, ['Bias', 'h0']);
    check({ ...c, linearBeforeReset: 0 });
    check({ ...c, linearBeforeReset: 1 });
  });
  it('RNN', () => check(randomCase({ op: 'RNN', ...dims }, 14, ['Bias', 'h0'])));
  it("an imported LSTM's W, R, B are parameters that receive gradients (fine-tuning)", () => {
    const c = randomCase({ op: 'LSTM', ...dims }, 15, ['Bias']);
    const model = importOnnx(nodeModel('LSTM', inputSpecs(c), caseAttrs(c), ['Y'], ['X']));
    try {
      expect(model.namedParameters().map(([n]) => n).sort()).toEqual(['B', 'R', 'W']);
      tidy(() => {
        const y = model.forward(tensor(c.X, { shape: [3, 2, 2] })) as Tensor;
        y.square().sum().backward();
      });
      for (const [n, p] of model.namedParameters()) expect(tidy(() => p.grad?.abs().sum().item()), n).toBeGreaterThan(0);
      model.zeroGrad();
    } finally {
      model.dispose();
    }
  });
});

describe('importOnnx recurrent ops: clear errors', () => {
  const base = randomCase({ op: 'LSTM', T: 2, B: 2, I: 2, H: 3 }, 20, ['Bias']);
  const cases: [string, RnnCase, RegExp, number?][] = [
    ['direction', { ...base, direction: 'sideways' as 'forward' }, /node 'lstm_node' \(LSTM\): direction must be forward, reverse or bidirectional, got 'sideways'/],
    ['layout', { ...base, layout: 2 as 0 }, /layout must be 0 or 1, got 2/],
    ['layout before opset 14', { ...base, layout: 0 }, /the attribute 'layout' is not supported/, 13],
    ['activation', { ...base, activations: ['Sigmoid', 'Gelu', 'Tanh'] }, /the activation 'Gelu' is not supported \(supported: Relu, Tanh/],
    ['activation count', { ...base, activations: ['Sigmoid', 'Tanh'] }, /activations has 2 name\(s\) \[Sigmoid, Tanh\]; LSTM with 1 direction\(s\) takes 3/],
    ['one set of activations for two directions', { ...base, direction: 'bidirectional', W: [...base.W, ...base.W], R: [...base.R, ...base.R], Bias: undefined,
      activations: ['Sigmoid', 'Tanh', 'Tanh'] }, /activations has 3 name\(s\) \[Sigmoid, Tanh, Tanh\]; LSTM with 2 direction\(s\) takes 6/],
    ['no default alpha', { ...base, activations: ['Sigmoid', 'Affine', 'Tanh'] }, /the activation 'Affine' needs its alpha in activation_alpha/],
    ['extra alphas', { ...base, alpha: [0.5] }, /activation_alpha has 1 and activation_beta 0 value\(s\), but the activations \[Sigmoid, Tanh, Tanh\] take 0 and 0/],
    ['sequence length 0', { ...base, lens: [2, 0] }, /sequence_lens holds 0; every length must be in \[1, 2\]/],
    ['sequence length > T', { ...base, lens: [3, 2] }, /sequence_lens holds 3/],
    ['input_forget', { ...base, inputForget: 2 }, /input_forget must be 0 or 1, got 2/],
  ];
  for (const [what, c, msg, opset] of cases) it(what, () => expect(() => runImported(c, opset)).toThrow(msg));

  /** Runs a one-node model of `op` over base's inputs with `attrs`. */
  function runWith(op: string, c: RnnCase, attrs: Record<string, AttrValue>): void {
    const model = importOnnx(nodeModel(op, inputSpecs(c), attrs, ['Y'], ['X']));
    const x = tensor(c.X, { shape: [2, 2, 2] });
    try { model.run({ X: x }); } finally { x.dispose(); model.dispose(); }
  }
  it('hidden_size that W, R do not have', () => {
    expect(() => runWith('LSTM', base, { hidden_size: 4 })).toThrow(/node 'lstm_node' \(LSTM\): W must have shape \[1, 16, 2\] \(num_directions, 4\*hidden_size, input_size\), got \[1, 12, 2\]/);
  });
  it('an attribute of another op', () => {
    const gru = { ...base, op: 'GRU' as const, W: base.W.slice(0, 18), R: base.R.slice(0, 27), Bias: undefined };
    expect(() => runWith('GRU', gru, { hidden_size: 3, input_forget: 1 })).toThrow(/node 'gru_node' \(GRU\): the attribute 'input_forget' is not supported/);
  });
});
