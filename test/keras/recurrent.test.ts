// layers.simpleRNN / lstm / gru / embedding: Keras weight layout and gate orders checked against
// the float64 reference of test/nn/rnn_ref.ts (weights converted to PyTorch's layout), options
// (returnSequences, returnState, goBackwards, unitForgetBias, resetAfter), use in a sequential model.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { layers, type Tensor } from '../../src/index';
import { refDirection, type RefKind } from '../nn/rnn_ref';

const B = 2, T = 4, F = 3, U = 5;
const tr = (m: number[][]) => m[0].map((_, j) => m.map((r) => r[j]));
/** Keras GRU blocks z, r, h -> reference blocks r, z, n (columns of a [*, 3U] matrix). */
const zrh = (m: number[][]) => m.map((r) => [...r.slice(U, 2 * U), ...r.slice(0, U), ...r.slice(2 * U)]);
const zrhV = (v: number[]) => zrh([v])[0];

function reference(layer: layers.SimpleRNN | layers.LSTM | layers.GRU, kind: RefKind, x: Tensor, reverse = false) {
  const k = layer.kernel!.toArray() as number[][], r = layer.recurrentKernel!.toArray() as number[][];
  const b = layer.bias!.toArray() as number[] | number[][];
  const gru = kind === 'gru' || kind === 'gru_reset_before';
  const w = {
    wih: tr(gru ? zrh(k) : k), whh: tr(gru ? zrh(r) : r),
    bih: kind === 'gru' ? zrhV((b as number[][])[0]) : gru ? zrhV(b as number[]) : (b as number[]),
    bhh: kind === 'gru' ? zrhV((b as number[][])[1]) : null,
  };
  const xs = tr((x.toArray() as number[][][])) as unknown as number[][][]; // [T][B][F]
  const zero = Array.from({ length: B }, () => new Array(U).fill(0));
  return refDirection(kind, xs, w, zero, kind === 'lstm' ? zero : null, reverse);
}

function close(a: unknown, e: unknown, tol = 2e-5) {
  const x = (a as number[]).flat(3) as number[], y = (e as number[]).flat(3) as number[];
  expect(x.length).toBe(y.length);
  expect(Math.max(...x.map((v, i) => Math.abs(v - y[i])))).toBeLessThanOrEqual(tol);
}

const cases: [string, () => layers.SimpleRNN | layers.LSTM | layers.GRU, RefKind][] = [
  ['simpleRNN', () => layers.simpleRNN({ units: U, returnSequences: true }), 'rnn_tanh'],
  ['lstm', () => layers.lstm({ units: U, returnSequences: true, biasInitializer: 'randomNormal' }), 'lstm'],
  ['gru (resetAfter false, tfjs)', () => layers.gru({ units: U, returnSequences: true, biasInitializer: 'randomNormal' }), 'gru_reset_before'],
  ['gru resetAfter true (Keras 2)', () => layers.gru({ units: U, returnSequences: true, resetAfter: true, biasInitializer: 'randomNormal' }), 'gru'],
];

describe('Keras recurrent layers', () => {
  for (const [name, mk, kind] of cases) {
    it(`${name}: weight shapes and every step vs the reference`, () => {
      ag.manualSeed(31);
      const l = mk();
      ag.tidy(() => {
        const x = ag.randn([B, T, F]);
        const y = l.forward(x);
        const G = { rnn_tanh: 1, lstm: 4, gru: 3, gru_reset_before: 3, rnn_relu: 1 }[kind] * U;
        expect(l.kernel!.shape).toEqual([F, G]);
        expect(l.recurrentKernel!.shape).toEqual([U, G]);
        expect(l.bias!.shape).toEqual(kind === 'gru' ? [2, G] : [G]);
        expect(y.shape).toEqual([B, T, U]);
        const ref = reference(l, kind, x);
        close(y.transpose(0, 1).toArray(), ref.out);
      });
      l.dispose();
    });
  }

  it('lstm: unitForgetBias (default) puts ones in the forget block; returnState gives [last, h, c]', () => {
    ag.manualSeed(32);
    const l = layers.lstm({ units: U, returnState: true });
    ag.tidy(() => {
      const x = ag.randn([B, T, F]);
      const [y, h, c] = l.forward(x) as unknown as Tensor[];
      expect(Array.from(l.bias!.data())).toEqual([...new Array(U).fill(0), ...new Array(U).fill(1), ...new Array(2 * U).fill(0)]);
      const ref = reference(l, 'lstm', x);
      expect(y.shape).toEqual([B, U]);
      close(y.toArray(), ref.h);
      close(h.toArray(), ref.h);
      close(c.toArray(), ref.c);
    });
    l.dispose();
    const n = layers.lstm({ units: U, unitForgetBias: false });
    ag.tidy(() => { n.forward(ag.zeros([1, 2, F])); });
    expect(Array.from(n.bias!.data()).every((v) => v === 0)).toBe(true);
    n.dispose();
  });

  it('goBackwards reads the sequence from the end and returns sequences in processing order', () => {
    ag.manualSeed(33);
    const l = layers.gru({ units: U, goBackwards: true, returnSequences: true, biasInitializer: 'randomNormal' });
    ag.tidy(() => {
      const x = ag.randn([B, T, F]);
      const y = l.forward(x);
      const ref = reference(l, 'gru_reset_before', x, true);
      close(y.transpose(0, 1).toArray(), [...ref.out].reverse());
    });
    l.dispose();
  });

  it('hardSigmoid recurrent activation (tfjs default) and custom activations use the composed path', () => {
    ag.manualSeed(34);
    const l = layers.lstm({ units: U, recurrentActivation: 'hardSigmoid', returnSequences: true });
    ag.tidy(() => {
      const x = ag.randn([B, T, F]);
      const y = l.forward(x);
      // hand step 1 for batch 0: z = x0 k + b; hard sigmoid gates; c = i g; h = o tanh(c)
      const z = x.narrow(1, 0, 1).reshape([B, F]).matmul(l.kernel!).add(l.bias!).toArray() as number[][];
      const hs = (v: number) => Math.min(1, Math.max(0, 0.2 * v + 0.5));
      const h0 = z[0].slice(0, U).map((_, j) => {
        const c = hs(z[0][j]) * Math.tanh(z[0][2 * U + j]);
        return hs(z[0][3 * U + j]) * Math.tanh(c);
      });
      close((y.toArray() as number[][][])[0][0], h0);
    });
    l.dispose();
  });

  it('embedding -> lstm -> dense in a sequential model: output shape and a short fit that lowers the loss', async () => {
    ag.manualSeed(35);
    const model = ag.sequential({
      layers: [
        layers.embedding({ inputDim: 6, outputDim: 4, inputLength: 5 }),
        layers.lstm({ units: 8 }),
        layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    // label: does the sequence contain token 5?
    const seqs = Array.from({ length: 64 }, (_, i) => Array.from({ length: 5 }, (_, j) => (i * 7 + j * 3 + (i >> 2)) % 6));
    const x = ag.tensor(seqs, { dtype: 'int32' });
    const y = ag.tensor(seqs.map((s) => (s.includes(5) ? 1 : 0)), { dtype: 'int32' });
    const h = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
    const losses = h.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
    ag.tidy(() => { expect(model.predict(x).shape).toEqual([64, 2]); });
    ag.dispose([x, y]);
    model.dispose();
  });

  it('clear errors for unsupported options and bad inputs', () => {
    expect(() => layers.lstm({ units: 3, dropout: 0.2 })).toThrow(/dropout and recurrentDropout are not supported/);
    expect(() => layers.gru({ units: 0 })).toThrow(/units must be a positive integer/);
    const l = layers.simpleRNN({ units: 3 });
    ag.tidy(() => {
      expect(() => l.forward(ag.zeros([2, 3]))).toThrow(/batch, time, features/);
    });
    l.dispose();
  });

  it('embedding: Keras layout and float indices', () => {
    const e = layers.embedding({ inputDim: 4, outputDim: 2 });
    ag.tidy(() => {
      const y = e.forward(ag.tensor([[1, 3]]));
      expect(e.embeddings!.shape).toEqual([4, 2]);
      const w = e.embeddings!.toArray() as number[][];
      expect(y.toArray()).toEqual([[w[1], w[3]]]);
      expect(Math.max(...w.flat().map(Math.abs))).toBeLessThanOrEqual(0.05);
    });
    e.dispose();
  });
});
