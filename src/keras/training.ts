// The Keras-style training loop: batching by index (one indexSelect per tensor per batch, in
// wasm), forward, loss plus regularization, backward, optimizer step, per-batch metrics, epoch
// logs, validation and callbacks. Every batch runs inside tidy, so memory stays flat. x and y are
// a tensor each, or (functional models with several inputs or outputs) lists of tensors; with
// several outputs the loss is the weighted sum of one per output, logged also as <output>_loss,
// and each metric is logged per output as <output>_<metric> (Keras' names).
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
  validationData?: [Tensor | Tensor[], Tensor | Tensor[]];
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

/** Inputs or targets: one tensor, or one per input / output of a functional model. */
export type Data = Tensor | Tensor[];
const listOf = (d: Data): Tensor[] => (Array.isArray(d) ? d : [d]);
const rowsOf = (d: Data, idx: Int32Array): Tensor[] => listOf(d).map((t) => rows(t, idx));

/** Checks x and y hold tensors with one sample count; returns it. */
function checkXY(op: string, x: Data, y: Data): number {
  const all = [...listOf(x), ...listOf(y)];
  check(all.length >= 2 && all.every((t) => t?._isTensor), op, () => 'expected x and y tensors (or lists of tensors, one per input and output)');
  const n = all[0].shape[0];
  if (all.length === 2) check(all[1].shape[0] === n, op, () => `x has ${n} samples but y has ${all[1].shape[0]} (shapes [${all[0].shape.join(', ')}] and [${all[1].shape.join(', ')}])`);
  for (const t of all) {
    check(t.shape[0] === n, op, () => `every x and y must have the same number of samples: got shapes ${all.map((u) => `[${u.shape.join(', ')}]`).join(', ')}`);
  }
  return n;
}

/** The names of the logs besides 'loss': each output's loss and metrics with several outputs, else the metrics. */
export function logNames(c: Compiled): string[] {
  return c.outputs ? c.outputs.flatMap((o) => [`${o.name}_loss`, ...o.metrics.map(([k]) => `${o.name}_${k}`)]) : c.metrics.map(([k]) => k);
}

/** The loss of predictions `pred` for targets `ys` (the weighted sum over outputs), and the other logs as numbers. */
function scored(c: Compiled, ys: Tensor[], pred: Data): [Tensor, Logs] {
  const logs: Logs = {};
  if (!c.outputs) {
    const loss = c.loss(ys[0], pred as Tensor);
    noGrad(() => { for (const [name, fn] of c.metrics) logs[name] = fn(ys[0], pred as Tensor).item(); });
    return [loss, logs];
  }
  const preds = listOf(pred);
  check(preds.length === c.outputs.length && ys.length === c.outputs.length, 'fit', () =>
    `the model has ${preds.length} outputs and compile named ${c.outputs!.length} losses; got ${ys.length} targets`);
  let total: Tensor | null = null;
  c.outputs.forEach((o, i) => {
    const l = o.loss(ys[i], preds[i]);
    logs[`${o.name}_loss`] = l.item();
    const w = o.weight === 1 ? l : l.mul(o.weight);
    total = total ? total.add(w) : w;
    noGrad(() => { for (const [name, fn] of o.metrics) logs[`${o.name}_${name}`] = fn(ys[i], preds[i]).item(); });
  });
  return [total!, logs];
}

const forward = (model: Sequential, xs: Tensor[]): Data => (model.forward as (...a: Tensor[]) => Data)(...xs);

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

export async function fitLoop(model: Sequential, c: Compiled, x: Data, y: Data, args: FitArgs): Promise<History> {
  let n = checkXY('fit', x, y);
  check(args !== null && typeof args === 'object', 'fit', () => `expected fit(x, y, { epochs, batchSize, ... }), got ${String(args)} as the third argument`);
  const epochs = args.epochs ?? 1;
  const batchSize = args.batchSize ?? 32;
  check(Number.isInteger(batchSize) && batchSize > 0, 'fit', () => `batchSize must be a positive integer, got ${batchSize}`);
  check(Number.isInteger(epochs) && epochs >= 0, 'fit', () => `epochs must be a non-negative integer, got ${epochs}`);
  let val: [Data, Data] | null = null;
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
    val = [rowsOf(x, range(split, n)), rowsOf(y, range(split, n))];
    owned.push(...val.flat());
    n = split;
  }
  const batches = Math.ceil(n / batchSize);
  const history = new History();
  const user = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
  const verbose = args.verbose ?? 1;
  history.params = { epochs, initialEpoch: args.initialEpoch ?? 0, samples: n, steps: batches, batchSize, verbose, doValidation: val !== null,
    metrics: ['loss', ...logNames(c), ...(val ? ['val_loss', ...logNames(c).map((k) => `val_${k}`)] : [])] };
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
export function trainOnBatchLoop(model: Sequential, c: Compiled, x: Data, y: Data): Logs {
  const n = checkXY('trainOnBatch', x, y);
  const modes = saveModes(model, true);
  try {
    return trainBatch(model, c, x, y, range(0, n));
  } finally {
    restoreModes(modes);
  }
}

function trainBatch(model: Sequential, c: Compiled, x: Data, y: Data, idx: Int32Array): Logs {
  return tidy(() => {
    const [loss, logs] = scored(c, rowsOf(y, idx), forward(model, rowsOf(x, idx)));
    const reg = model.regularizationLoss();
    // The reported loss includes the weight penalties, as in TensorFlow.js's fit.
    const total = reg ? loss.add(reg) : loss;
    model.zeroGrad();
    total.backward();
    c.optimizer.step();
    return { loss: total.item(), ...logs };
  });
}

function evaluateNumbers(model: Sequential, c: Compiled, x: Data, y: Data, batchSize: number): Logs {
  const n = checkXY('evaluate', x, y);
  const modes = saveModes(model, false);
  const sums: Logs = {};
  try {
    for (let at = 0; at < n; at += batchSize) {
      const idx = range(at, Math.min(n, at + batchSize));
      tidy(() => noGrad(() => {
        // The loss here has no weight penalties, as TensorFlow.js's evaluate (Python Keras adds them).
        const [loss, logs] = scored(c, rowsOf(y, idx), forward(model, rowsOf(x, idx)));
        for (const [k, v] of Object.entries({ loss: loss.item(), ...logs })) sums[k] = (sums[k] ?? 0) + v * idx.length;
      }));
    }
  } finally {
    restoreModes(modes);
  }
  for (const k of Object.keys(sums)) sums[k] /= Math.max(1, n);
  return sums;
}

export function evaluateLoop(model: Sequential, c: Compiled, x: Data, y: Data, batchSize: number): Tensor | Tensor[] {
  const r = evaluateNumbers(model, c, x, y, batchSize);
  const out = [tensor(r.loss), ...logNames(c).map((k) => tensor(r[k]))];
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
