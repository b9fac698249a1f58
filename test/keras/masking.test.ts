// Keras masking in Sequential models: an embedding with maskZero marks index 0 as padding and the
// recurrent layer after it keeps its states through padded steps. Checked against tfjs-layers 4.22
// itself (models built there, saved and loaded with loadLayersModel), and for the errors.
import { beforeAll, describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { layers, loadLayersModel, type Tensor } from '../../src/index';
import { artifactsOf, expectClose, randomizeWeights, tf, tfl, tfReady } from './tfjs_helpers';

beforeAll(tfReady);

/** Token ids [4, 6] with padding (0) at the end, in front and in the middle of rows. */
const IDS = [[3, 7, 2, 0, 0, 0], [0, 0, 5, 1, 4, 9], [6, 0, 8, 0, 2, 0], [1, 2, 3, 4, 5, 6]];

describe('maskZero with recurrent layers, against tfjs-layers', () => {
  const variants: [string, (a: Record<string, unknown>) => tfl.layers.Layer][] = [
    // glorotUniform: tfjs's orthogonal initializer needs linalg ops its cpu backend lacks (the weights are replaced anyway).
    ['lstm', (a) => tfl.layers.lstm({ units: 5, recurrentInitializer: 'glorotUniform', ...a })],
    ['gru', (a) => tfl.layers.gru({ units: 5, recurrentInitializer: 'glorotUniform', ...a })],
    ['simpleRNN', (a) => tfl.layers.simpleRNN({ units: 5, recurrentInitializer: 'glorotUniform', ...a })],
  ];
  for (const [name, rnn] of variants) {
    for (const opts of [{}, { returnSequences: true }, { goBackwards: true }]) {
      it(`${name} ${JSON.stringify(opts)}`, async () => {
        const ref = tfl.sequential({
          layers: [
            tfl.layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true, inputLength: 6 }),
            rnn(opts),
            tfl.layers.dense({ units: 3 }),
          ],
        });
        randomizeWeights(ref, 31);
        const ids = tf.tensor2d(IDS, [4, 6], 'int32');
        const want = ref.predict(ids) as tf.Tensor;
        const m = await loadLayersModel(await artifactsOf(ref));
        const x = ag.tensor(IDS, { dtype: 'int32' });
        const got = m.predict(x) as Tensor;
        expectClose(got, want, 1e-4);
        // Without the mask the padded rows differ: the test sees masking, not a coincidence.
        const unmasked = ref.predict(tf.tensor2d(IDS.map((r) => r.map((v) => v || 9)), [4, 6], 'int32')) as tf.Tensor;
        const w = want.dataSync(), u = unmasked.dataSync();
        expect(Math.max(...Array.from(w, (v, i) => Math.abs(v - u[i])))).toBeGreaterThan(1e-4);
        tf.dispose([ids, want, unmasked]);
        ref.dispose();
        ag.dispose([x, got]);
        m.dispose();
      });
    }
  }
});

describe('maskZero errors', () => {
  it('a layer that cannot take a mask, and functional models, say so', async () => {
    const s = ag.sequential({ layers: [layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true, inputLength: 6 }), layers.flatten({}), layers.dense({ units: 2 })] });
    const x = ag.tensor(IDS, { dtype: 'int32' });
    expect(() => s.predict(x)).toThrow(/layer 'flatten\w*' \(Flatten\) does not support masking; the mask comes from an embedding with maskZero/);
    const inp = ag.input({ shape: [6] });
    const emb = layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true }), rnn = layers.lstm({ units: 2 });
    const out = rnn.apply(emb.apply(inp) as ag.SymbolicTensor);
    expect(() => ag.model({ inputs: inp, outputs: out as ag.SymbolicTensor })).toThrow(/has maskZero: masks are supported in Sequential models, not yet in functional ones/);
    emb.dispose(); rnn.dispose();
    x.dispose();
    s.dispose();
  });
});
