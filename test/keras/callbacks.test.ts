// Training callbacks: custom hooks (counts, logs, awaiting async hooks), earlyStopping (stopping
// epoch, restoreBestWeights), and the progress bar on a fake terminal and on a plain stream.
import { describe, expect, it } from 'vitest';
import { callbacks, earlyStopping, layers, manualSeed, optim, sequential, tensor, type Callback, type Logs } from '../../src/index';

function tinyModel() {
  manualSeed(1);
  const m = sequential({ layers: [layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = tensor([[1, 0], [0, 1], [1, 1], [0, 0], [2, 1], [1, 2], [0.5, 0], [0, 0.5], [3, 0], [0, 3]]);
  const y = tensor([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], { dtype: 'int32' });
  return { m, x, y, done: () => { m.dispose(); x.dispose(); y.dispose(); } };
}

describe('custom callbacks', () => {
  it('calls every hook the right number of times with tfjs-shaped logs, and awaits async hooks', async () => {
    const { m, x, y, done } = tinyModel();
    const events: string[] = [];
    const batchLogs: Logs[] = [];
    const epochLogs: Logs[] = [];
    let slowFinished = 0;
    const cb: Callback = {
      onTrainBegin: () => { events.push('trainBegin'); },
      onEpochBegin: (e) => { events.push(`epochBegin${e}:${slowFinished}`); },
      onBatchBegin: (b, logs) => { events.push(`batchBegin${b}:${logs!.size}`); },
      onBatchEnd: (_b, logs) => { batchLogs.push({ ...logs }); },
      onEpochEnd: async (e, logs) => {
        epochLogs.push({ ...logs });
        await new Promise((r) => setTimeout(r, 15));
        slowFinished = e + 1;
      },
      onTrainEnd: () => { events.push(`trainEnd:${slowFinished}`); },
    };
    const h = await m.fit(x, y, { epochs: 3, batchSize: 4, callbacks: [cb], verbose: 0 });
    expect(events).toEqual(['trainBegin',
      'epochBegin0:0', 'batchBegin0:4', 'batchBegin1:4', 'batchBegin2:2',
      'epochBegin1:1', 'batchBegin0:4', 'batchBegin1:4', 'batchBegin2:2',
      'epochBegin2:2', 'batchBegin0:4', 'batchBegin1:4', 'batchBegin2:2', 'trainEnd:3']);
    expect(batchLogs.length).toBe(9);
    expect(batchLogs.map((l) => [l.batch, l.size])).toEqual([[0, 4], [1, 4], [2, 2], [0, 4], [1, 4], [2, 2], [0, 4], [1, 4], [2, 2]]);
    for (const l of batchLogs) expect(Object.keys(l).sort()).toEqual(['acc', 'batch', 'loss', 'size']);
    // epoch logs are the size-weighted means of the batch logs, and History holds the same numbers
    for (let e = 0; e < 3; e++) {
      const bl = batchLogs.slice(3 * e, 3 * e + 3);
      for (const k of ['loss', 'acc']) expect(epochLogs[e][k]).toBeCloseTo(bl.reduce((s, l) => s + l[k] * l.size, 0) / 10, 6);
      expect(h.history.loss[e]).toBe(epochLogs[e].loss);
      expect(h.history.acc[e]).toBe(epochLogs[e].acc);
    }
    done();
  });

  it('stops mid-epoch when a callback sets model.stopTraining', async () => {
    const { m, x, y, done } = tinyModel();
    let batches = 0;
    const h = await m.fit(x, y, {
      epochs: 5, batchSize: 2, verbose: 0,
      callbacks: { onBatchEnd: (b) => { batches++; if (b === 1) m.stopTraining = true; } },
    });
    expect(batches).toBe(2);
    expect(h.epoch).toEqual([0]);
    done();
  });
});

describe('earlyStopping', () => {
  /** A callback that overwrites val_loss with a scripted sequence (runs before earlyStopping). */
  const script = (values: number[]): Callback => ({ onEpochEnd: (e, logs) => { logs!.val_loss = values[e]; } });

  it('stops after `patience` epochs without improvement (tfjs: wait >= patience)', async () => {
    const { m, x, y, done } = tinyModel();
    const es = earlyStopping({ monitor: 'val_loss', patience: 2 });
    const h = await m.fit(x, y, { epochs: 10, batchSize: 5, verbose: 0, callbacks: [script([1, 0.5, 0.6, 0.7, 0.4, 0.3]), es] });
    // best at epoch 1; epochs 2 and 3 do not improve -> stop after epoch 3
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    expect(es.stoppedEpoch).toBe(3);
    expect(es.bestEpoch).toBe(1);
    const es0 = earlyStopping({ monitor: 'val_loss' });
    const h0 = await m.fit(x, y, { epochs: 10, batchSize: 5, verbose: 0, callbacks: [script([1, 0.9, 0.95, 0.5]), es0] });
    expect(h0.epoch).toEqual([0, 1, 2]);
    done();
  });

  it('minDelta and mode max (auto for acc) decide what counts as an improvement', async () => {
    const { m, x, y, done } = tinyModel();
    const es = earlyStopping({ monitor: 'val_loss', minDelta: 0.1, patience: 1 });
    const h = await m.fit(x, y, { epochs: 10, batchSize: 5, verbose: 0, callbacks: [script([1, 0.95, 0.5, 0.45]), es] });
    expect(h.epoch).toEqual([0, 1]);
    const accScript: Callback = { onEpochEnd: (e, logs) => { logs!.val_acc = [0.5, 0.6, 0.55][e]; } };
    const esAcc = earlyStopping({ monitor: 'val_acc', patience: 1 });
    const h2 = await m.fit(x, y, { epochs: 10, batchSize: 5, verbose: 0, callbacks: [accScript, esAcc] });
    expect(h2.epoch).toEqual([0, 1, 2]);
    expect(esAcc.bestEpoch).toBe(1);
    done();
  });

  it('restoreBestWeights puts back the weights of the best epoch', async () => {
    const { m, x, y, done } = tinyModel();
    const snapshots: number[][][] = [];
    const snap: Callback = { onEpochEnd: () => { snapshots.push(m.getWeights().map((w) => Array.from(w.data()))); } };
    const es = earlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const h = await m.fit(x, y, { epochs: 10, batchSize: 5, verbose: 0, callbacks: [script([1, 0.5, 0.6, 0.7]), snap, es] });
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    const final = m.getWeights().map((w) => Array.from(w.data()));
    expect(final).toEqual(snapshots[1]);
    expect(final).not.toEqual(snapshots[3]);
    done();
  });

  it('names the missing metric when monitor is not in the logs', async () => {
    const { m, x, y, done } = tinyModel();
    await expect(m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [earlyStopping({ monitor: 'val_loss' })] }))
      .rejects.toThrow(/metric 'val_loss' is not in the epoch logs \(available: loss, acc\)/);
    done();
  });

  it('is also reachable as callbacks.earlyStopping', () => {
    expect(callbacks.earlyStopping({ patience: 3 })).toBeInstanceOf(callbacks.EarlyStopping);
  });
});

describe('progress bar', () => {
  const fakeStream = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, stream: { isTTY, columns: 200, write: (s: string) => { writes.push(s); return true; } } };
  };

  it('on a terminal redraws one line per batch with the bar, ETA, running loss and acc', () => {
    const { writes, stream } = fakeStream(true);
    const bar = new callbacks.ProgressBar(2, 4, stream);
    bar.onEpochBegin(0);
    bar.onBatchEnd(0, { batch: 0, size: 10, loss: 1, acc: 0.5 });
    const first = writes.at(-1)!;
    expect(writes[0]).toBe('Epoch 1/2\n');
    expect(first.startsWith('\r')).toBe(true);
    expect(first).toMatch(/1\/4 \[=======>\.{22}\] - ETA: \d+s - loss: 1\.0000 - acc: 0\.5000/);
    bar.onBatchEnd(1, { batch: 1, size: 10, loss: 3, acc: 1 });
    bar.onBatchEnd(2, { batch: 2, size: 10, loss: 3, acc: 1 });
    bar.onBatchEnd(3, { batch: 3, size: 10, loss: 1, acc: 0.5 });
    // the last batch always draws: running means over 40 samples
    expect(writes.at(-1)).toMatch(/4\/4 \[={30}\] - ETA: 0s - loss: 2\.0000 - acc: 0\.7500/);
    bar.onEpochEnd(0, { loss: 2, acc: 0.75, val_loss: 1.5 });
    expect(writes.at(-1)).toMatch(/^\r4\/4 \[={30}\] - \d+s \d+ms\/step - loss: 2\.0000 - acc: 0\.7500 - val_loss: 1\.5000\x1b\[K\n$/);
  });

  it('on a plain stream prints one line per epoch and no redraws', () => {
    const { writes, stream } = fakeStream(false);
    const bar = new callbacks.ProgressBar(1, 3, stream);
    bar.onEpochBegin(0);
    for (let b = 0; b < 3; b++) bar.onBatchEnd(b, { batch: b, size: 4, loss: 0.5 });
    bar.onEpochEnd(0, { loss: 0.5 });
    expect(writes.length).toBe(2);
    expect(writes[0]).toBe('Epoch 1/1\n');
    expect(writes[1]).toMatch(/^3\/3 \[={30}\] - \d+s \d+ms\/step - loss: 0\.5000\n$/);
    expect(writes.join('')).not.toContain('\r');
  });

  it('fit with verbose 1 reports through the bar; verbose 0 prints nothing', async () => {
    const { m, x, y, done } = tinyModel();
    const lines: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    const log = console.log;
    (process.stdout as unknown as { write: (s: string) => boolean }).write = (s: string) => { lines.push(String(s)); return true; };
    console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
    try {
      await m.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0 });
      expect(lines).toEqual([]);
      await m.fit(x, y, { epochs: 2, batchSize: 5, verbose: 1 });
    } finally {
      (process.stdout as unknown as { write: typeof orig }).write = orig;
      console.log = log;
    }
    const text = lines.join('');
    expect(text).toContain('Epoch 1/2');
    expect(text).toContain('Epoch 2/2');
    expect(text).toMatch(/2\/2 \[={30}\] - .*loss: \d\.\d{4} - acc: \d\.\d{4}/);
    done();
  });
});

describe('an optimizer instance passed to compile', () => {
  it('is used as given and left to its owner by model.dispose()', async () => {
    const { m, x, y, done } = tinyModel();
    const opt = new optim.Adam(undefined, { lr: 0.1 });
    m.compile({ optimizer: opt, loss: 'sparseCategoricalCrossentropy' });
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    expect(opt.state.size).toBe(2);
    done();
    opt.dispose();
  });
});
