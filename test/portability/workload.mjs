// The portability workload: one script, run unchanged in Node, Chromium (page and worker), Deno,
// Bun and workerd. `ag` is the library module (dist/index.js) as the runtime loaded it; the
// result is plain JSON (numbers only) so runtimes can be compared element by element.

/** @param {typeof import('../../dist/index.js')} ag @param {object} [readyOptions] passed to ag.ready */
export async function workload(ag, readyOptions = {}) {
  const backend = await ag.ready(readyOptions);
  const { nn, optim } = ag;
  ag.manualSeed(7);
  const before = ag.memory().numTensors;

  // Fixed synthetic data from the seeded wasm RNG: 32 samples, 4 features, 3 classes given by
  // the argmax of a fixed linear map (so the task is learnable).
  const x = ag.randn([32, 4]);
  const proj = ag.tensor([[1, -1, 0.5], [0.5, 1, -1], [-1, 0.5, 1], [0.25, -0.5, 0.75]]);
  const y = ag.tidy(() => x.matmul(proj).argmax(1));
  const tensors = {
    randnHead: Array.from(x.data().slice(0, 8)),
    labels: Array.from(y.data()),
    matmulSum: ag.tidy(() => x.matmul(proj).sum().item()),
  };

  // PyTorch style: nn.Sequential of Linear 4-8-3, Adam, cross-entropy, 20 steps.
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
  const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
  const torchLosses = [];
  for (let i = 0; i < 20; i++) {
    torchLosses.push(ag.tidy(() => {
      const loss = nn.functional.crossEntropy(model.forward(x), y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      return loss.item();
    }));
  }
  model.eval();
  const torchProbs = ag.tidy(() => ag.noGrad(() => Array.from(model.forward(x.narrow(0, 0, 4)).softmax(1).data())));
  const torchAccuracy = ag.tidy(() => ag.noGrad(() => model.forward(x).argmax(1).eq(y).float().mean().item()));
  model.dispose();
  opt.dispose?.();

  // Keras style: sequential + dense layers, compile, one fit epoch (shuffled by the seeded RNG), predict.
  const k = ag.sequential({
    layers: [
      ag.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
      ag.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  k.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await k.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  const head = x.narrow(0, 0, 4);
  const pred = k.predict(head);
  const kerasProbs = Array.from(pred.data());
  ag.dispose([head, pred]);
  k.dispose();

  // A TensorFlow.js layers model from in-memory artifacts (Dense 3 -> 2 with a relu): loadLayersModel
  // imports the separately bundled loader (dist/tfjs-loader.js) on this first call.
  const tfjsModel = await ag.loadLayersModel({
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'tiny', layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, activation: 'relu', use_bias: true, batch_input_shape: [null, 3] } }] },
    },
    weightSpecs: [{ name: 'd/kernel', shape: [3, 2], dtype: 'float32' }, { name: 'd/bias', shape: [2], dtype: 'float32' }],
    weightData: Float32Array.of(1, -1, 2, 0.5, -3, 1, 0.25, -0.5).buffer,
  });
  const tfjsIn = ag.tensor([[1, 2, 3], [-1, 0, 1]]);
  const tfjsOut = tfjsModel.predict(tfjsIn);
  const tfjsPredict = Array.from(tfjsOut.data());
  ag.dispose([tfjsIn, tfjsOut]);
  tfjsModel.dispose();

  ag.dispose([x, proj, y]);
  return {
    flavor: backend.flavor,
    leakedTensors: ag.memory().numTensors - before,
    ...tensors,
    torchLosses,
    torchProbs,
    torchAccuracy,
    kerasLoss: history.history.loss.map(Number),
    kerasAccuracy: (history.history.acc ?? history.history.accuracy).map(Number),
    kerasProbs,
    tfjsPredict,
  };
}
