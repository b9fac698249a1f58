// The Keras-style training loop: batching by index (one indexSelect per tensor per batch, in
// wasm), forward, loss plus regularization, backward, optimizer step, per-batch metrics, epoch
// logs, validation and callbacks. Every batch runs inside tidy, so memory stays flat.
import { tensor } from '../creation';
import { noGrad } from '../autograd';
import { tidy } from '../memory';
import { cat } from '../ops/movement';
import type { Tensor } from '../tensor';
import { check } from '../util/errors';
import { randperm } from '../util/rng';
import { History, type Callback, type Logs } from './callbacks';
import { ProgressBar } from './progbar';
import type { Compiled, Sequential } from './sequential';
import type { AnyModule } from '../nn/module';

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  validationSplit?: number;
  validationData?: [Tensor, Tensor];
  shuffle?: boolean;
  /** 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  callbacks?: Callback | Callback[];
  initialEpoch?: number;
}

function rows(x: Tensor, idx: Int32Array): Tensor {
  const it = tensor(idx, { dtype: 'int32' });
  const r = x.indexSelect(0, it);
  it.dispose();
  return r;
}

function checkXY(op: string, x: Tensor, y: Tensor): void {
  check(x?._isTensor && y?._isTensor, op, () => 'expected x and y tensors');
  check(x.shape[0] === y.shape[0], op, () => `x has ${x.shape[0]} samples but y has ${y.shape[0]} (shapes [${x.shape.join(', ')}] and [${y.shape.join(', ')}])`);
}

/** The modules of a model and each one's own training flag, as saveModes found them. */
interface SavedModes { modules: AnyModule[]; training: boolean[] }

/** Records every module's training flag (for restoreModes), then sets every flag to `mode` if
 *  given. One walk and two flat arrays: predict does this on every call. */
function saveModes(model: Sequential, mode?: boolean): SavedModes {
  const modules = model._all(), training: boolean[] = [];
  for (let i = 0; i < modules.length; i++) {
    training.push(modules[i].training);
    if (mode !== undefined) modules[i].training = mode;
  }
  return { modules, training };
}

function restoreModes({ modules, training }: SavedModes): void {
  for (let i = 0; i < modules.length; i++) modules[i].training = training[i];
}

const range = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);

/** Yields to the event loop (lets a page repaint and timers fire between epochs). */
const yieldNow = () => new Promise<void>((r) => setTimeout(r, 0));

export async function fitLoop(model: Sequential, c: Compiled, x: Tensor, y: Tensor, args: FitArgs): Promise<History> {
  checkXY('fit', x, y);
  check(args !== null && typeof args === 'object', 'fit', () => `expected fit(x, y, { epochs, batchSize, ... }), got ${String(args)} as the third argument`);
  const epochs = args.epochs ?? 1;
  const batchSize = args.batchSize ?? 32;
  check(Number.isInteger(batchSize) && batchSize > 0, 'fit', () => `batchSize must be a positive integer, got ${batchSize}`);
  check(Number.isInteger(epochs) && epochs >= 0, 'fit', () => `epochs must be a non-negative integer, got ${epochs}`);
  let n = x.shape[0];
  let val: [Tensor, Tensor] | null = null;
  const owned: Tensor[] = [];
  if (args.validationData !== undefined) {
    const vd = args.validationData;
    check(Array.isArray(vd) && vd.length >= 2, 'fit', () => `validationData must be [xVal, yVal], got ${Array.isArray(vd) ? `an array of ${vd.length}` : typeof vd}`);
    checkXY('fit', vd[0], vd[1]);
    val = [vd[0], vd[1]];
  } else if (args.validationSplit) {
    const s = args.validationSplit;
    check(s > 0 && s < 1, 'fit', () => `validationSplit must be in (0, 1), got ${s}`);
    const split = Math.floor(n * (1 - s));
    check(split > 0 && split < n, 'fit', () => `validationSplit ${s} of ${n} samples leaves ${split} for training and ${n - split} for validation; both must be non-empty`);
    // As Keras: the validation samples are the LAST fraction of x and y, taken before shuffling.
    val = [rows(x, range(split, n)), rows(y, range(split, n))];
    owned.push(...val);
    n = split;
  }
  const batches = Math.ceil(n / batchSize);
  const history = new History();
  const user = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
  const verbose = args.verbose ?? 1;
  history.params = { epochs, initialEpoch: args.initialEpoch ?? 0, samples: n, steps: batches, batchSize, verbose, doValidation: val !== null,
    metrics: ['loss', ...c.metrics.map(([k]) => k), ...(val ? ['val_loss', ...c.metrics.map(([k]) => `val_${k}`)] : [])] };
  const cbs: Callback[] = [history, ...(verbose === 1 ? [new ProgressBar(epochs, batches)] : []), ...user];
  for (const cb of cbs) cb.setModel?.(model);
  model.stopTraining = false;
  const modes = saveModes(model);
  try {
    for (const cb of cbs) await cb.onTrainBegin?.();
    for (let epoch = args.initialEpoch ?? 0; epoch < epochs && !model.stopTraining; epoch++) {
      for (const cb of cbs) await cb.onEpochBegin?.(epoch);
      model.train();
      const order = args.shuffle === false ? range(0, n) : randperm(n);
      const sums = new Map<string, number>();
      let seen = 0;
      for (let b = 0; b < batches && !model.stopTraining; b++) {
        const idx = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
        for (const cb of cbs) await cb.onBatchBegin?.(b, { batch: b, size: idx.length });
        const logs = trainBatch(model, c, x, y, idx);
        seen += idx.length;
        for (const [k, v] of Object.entries(logs)) sums.set(k, (sums.get(k) ?? 0) + v * idx.length);
        // As TensorFlow.js: the batch's own loss and metrics (not running means), with batch and size.
        for (const cb of cbs) await cb.onBatchEnd?.(b, { batch: b, size: idx.length, ...logs });
      }
      const epochLogs: Logs = {};
      for (const [k, v] of sums) epochLogs[k] = v / Math.max(1, seen);
      if (val) {
        const r = evaluateNumbers(model, c, val[0], val[1], batchSize);
        for (const [k, v] of Object.entries(r)) epochLogs[`val_${k}`] = v;
      }
      for (const cb of cbs) await cb.onEpochEnd?.(epoch, epochLogs);
      if (verbose === 2) console.log(`Epoch ${epoch + 1}/${epochs} - ${Object.entries(epochLogs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ')}`);
      await yieldNow();
    }
    for (const cb of cbs) await cb.onTrainEnd?.();
  } finally {
    for (const t of owned) t.dispose();
    restoreModes(modes);
  }
  return history;
}

/** trainOnBatch: one step on all of x, y in training mode. */
export function trainOnBatchLoop(model: Sequential, c: Compiled, x: Tensor, y: Tensor): Logs {
  checkXY('trainOnBatch', x, y);
  const modes = saveModes(model, true);
  try {
    return trainBatch(model, c, x, y, range(0, x.shape[0]));
  } finally {
    restoreModes(modes);
  }
}

function trainBatch(model: Sequential, c: Compiled, x: Tensor, y: Tensor, idx: Int32Array): Logs {
  return tidy(() => {
    const xb = rows(x, idx), yb = rows(y, idx);
    const pred = model.forward(xb);
    const loss = c.loss(yb, pred);
    const reg = model.regularizationLoss();
    // The reported loss includes the weight penalties, as in TensorFlow.js's fit.
    const total = reg ? loss.add(reg) : loss;
    model.zeroGrad();
    total.backward();
    c.optimizer.step();
    const logs: Logs = { loss: total.item() };
    noGrad(() => { for (const [name, fn] of c.metrics) logs[name] = fn(yb, pred).item(); });
    return logs;
  });
}

function evaluateNumbers(model: Sequential, c: Compiled, x: Tensor, y: Tensor, batchSize: number): Logs {
  checkXY('evaluate', x, y);
  const modes = saveModes(model, false);
  const sums: Logs = {};
  try {
    for (let at = 0; at < x.shape[0]; at += batchSize) {
      const idx = range(at, Math.min(x.shape[0], at + batchSize));
      tidy(() => noGrad(() => {
        // The loss here has no weight penalties, as TensorFlow.js's evaluate (Python Keras adds them).
        const xb = rows(x, idx), yb = rows(y, idx);
        const pred = model.forward(xb);
        const add = (k: string, v: number) => { sums[k] = (sums[k] ?? 0) + v * idx.length; };
        add('loss', c.loss(yb, pred).item());
        for (const [name, fn] of c.metrics) add(name, fn(yb, pred).item());
      }));
    }
  } finally {
    restoreModes(modes);
  }
  for (const k of Object.keys(sums)) sums[k] /= Math.max(1, x.shape[0]);
  return sums;
}

export function evaluateLoop(model: Sequential, c: Compiled, x: Tensor, y: Tensor, batchSize: number): Tensor | Tensor[] {
  const r = evaluateNumbers(model, c, x, y, batchSize);
  const out = [tensor(r.loss), ...c.metrics.map(([k]) => tensor(r[k]))];
  return out.length === 1 ? out[0] : out;
}

/** Forward passes in inference mode, batchSize rows at a time, concatenated. */
export function predictLoop(model: Sequential, x: Tensor, batchSize: number): Tensor {
  check(x?._isTensor, 'predict', () => `expected a tensor, got ${typeof x}`);
  check(Number.isInteger(batchSize) && batchSize > 0, 'predict', () => `batchSize must be a positive integer, got ${batchSize}`);
  const modes = saveModes(model, false);
  try {
    return tidy(() => noGrad(() => {
      const n = x.shape[0];
      if (n <= batchSize) return model.forward(x);
      const parts: Tensor[] = [];
      for (let at = 0; at < n; at += batchSize) parts.push(model.forward(x.narrow(0, at, Math.min(batchSize, n - at))));
      return cat(parts, 0);
    }));
  } finally {
    restoreModes(modes);
  }
}
