// A character-level language model on the King James Bible (public domain; scripts/fetch-kjv.sh
// extracts it from Debian's bible-kjv packages): Embedding -> LSTM -> Linear at every step,
// PyTorch style. Reports validation cross-entropy (nats/char) against the unigram baseline and
// samples text with a temperature.
import * as ag from '../dist/index.js';
import { runIfMain } from './run_main.mjs';

const { nn, optim, data } = ag;

class CharModel extends nn.Module {
  constructor(vocab, embed, hidden) {
    super();
    this.embed = this.registerModule('embed', new nn.Embedding(vocab, embed));
    this.lstm = this.registerModule('lstm', new nn.LSTM(embed, hidden, { batchFirst: true }));
    this.head = this.registerModule('head', new nn.Linear(hidden, vocab));
  }

  /** ids int32 [B, T] -> [logits [B, T, V], state]. */
  forward(ids, state = null) {
    const [out, next] = this.lstm.forward(this.embed.forward(ids), state);
    return [this.head.forward(out), next];
  }
}

/** Mean cross-entropy (nats/char) over windows, in batches, without gradients. */
function evaluate(model, inputs, targets, batchSize = 256) {
  model.eval();
  let total = 0;
  const n = inputs.shape[0];
  for (let i = 0; i < n; i += batchSize) {
    const m = Math.min(batchSize, n - i);
    total += ag.tidy(() => ag.noGrad(() => {
      const [logits] = model.forward(inputs.narrow(0, i, m));
      return nn.functional.crossEntropy(logits.reshape([-1, logits.shape[2]]), targets.narrow(0, i, m).reshape([-1])).item() * m;
    }));
  }
  model.train();
  return total / n;
}

/** Continues `prime` for `length` characters, sampling softmax(logits / temperature) with the seeded generator. */
function sample(model, vocab, prime, length, temperature) {
  model.eval();
  const out = [];
  ag.tidy(() => ag.noGrad(() => {
    let [logits, state] = model.forward(ag.tensor([Array.from(vocab.encode(prime))], { dtype: 'int32' }));
    for (let k = 0; k < length; k++) {
      const last = logits.narrow(1, logits.shape[1] - 1, 1).reshape([-1]);
      const probs = last.div(temperature).softmax(-1).data();
      const u = ag.rand([1]).item();
      let id = 0;
      for (let acc = probs[0]; acc < u && id < probs.length - 1;) acc += probs[++id];
      out.push(id);
      [logits, state] = model.forward(ag.tensor([[id]], { dtype: 'int32' }), state);
    }
  }));
  model.train();
  return prime + vocab.decode(out);
}

export async function main({
  path, textChars = Infinity, valFraction = 0.05, seqLen = 64, batchSize = 32, embed = 32, hidden = 128,
  steps = 1500, lr = 3e-3, evalEvery = 500, valWindows = 400, sampleLength = 300, temperature = 0.7,
  prime = 'And God said', log = true, seed = 7,
} = {}) {
  await ag.ready();
  ag.manualSeed(seed);
  const text = (await data.loadKjv({ path })).slice(0, textChars);
  const vocab = data.CharVocab.fromText(text);
  const ids = vocab.encode(text);
  const split = Math.floor(ids.length * (1 - valFraction));
  const train = data.charWindows(ids.subarray(0, split), seqLen);
  const val = data.charWindows(ids.subarray(split), seqLen);
  const valIn = val.inputs.narrow(0, 0, Math.min(valWindows, val.inputs.shape[0]));
  const valTg = val.targets.narrow(0, 0, valIn.shape[0]);
  const baseline = data.unigramEntropy(ids.subarray(0, split), vocab.size);
  if (log) console.log(`KJV: ${ids.length} chars, vocabulary ${vocab.size}, ${train.inputs.shape[0]} training windows of ${seqLen}; unigram entropy ${baseline.toFixed(3)} nats/char`);

  const model = new CharModel(vocab.size, embed, hidden);
  const optimizer = new optim.Adam(model.parameters(), { lr });
  const loader = new data.DataLoader(new data.TensorDataset(train.inputs, train.targets), { batchSize, shuffle: true, dropLast: true });
  const t0 = performance.now();
  let step = 0, running = 0, valLoss = NaN;
  while (step < steps) {
    for (const [xb, yb] of loader) {
      running += ag.tidy(() => {
        const [logits] = model.forward(xb);
        const loss = nn.functional.crossEntropy(logits.reshape([-1, vocab.size]), yb.reshape([-1]));
        optimizer.zeroGrad();
        loss.backward();
        optim.clipGradNorm(model.parameters(), 5);
        optimizer.step();
        return loss.item();
      });
      ag.dispose([xb, yb]);
      step++;
      if (step % evalEvery === 0 || step === steps) {
        valLoss = evaluate(model, valIn, valTg);
        const secs = (performance.now() - t0) / 1000;
        if (log) console.log(`step ${step}: train ${(running / (step % evalEvery || evalEvery)).toFixed(3)}, val ${valLoss.toFixed(3)} nats/char (unigram ${baseline.toFixed(3)}), ${(step / secs).toFixed(1)} steps/s`);
        running = 0;
      }
      if (step >= steps) break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const text_ = sample(model, vocab, prime, sampleLength, temperature);
  if (log) console.log(`sample (T=${temperature}):\n${text_}`);
  model.dispose();
  optimizer.dispose?.();
  ag.dispose([train, val, valIn, valTg]);
  return { valLoss, baseline, sample: text_, vocab: vocab.chars.join(''), steps, stepsPerSecond: steps / seconds };
}

runIfMain(import.meta, () => main());
