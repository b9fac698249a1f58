// Training callbacks with TensorFlow.js-layers' hook names, History, and earlyStopping.
import type { Tensor } from '../tensor';

export { ProgressBar } from './progbar';

export type Logs = Record<string, number>;

export interface CallbackModel {
  stopTraining: boolean;
  /** Copies of the current weights (owned by the caller). */
  getWeightsCopy(): Map<string, Tensor>;
  /** Restores weights from copies made by getWeightsCopy (does not dispose them). */
  setWeightsFrom(w: Map<string, Tensor>): void;
}

export interface Callback {
  setModel?(model: CallbackModel): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
}

/** What fit returns: `history.loss[e]`, `history.val_loss[e]`, `history.acc[e]`, ... per epoch. */
export class History implements Callback {
  epoch: number[] = [];
  /** What fit ran with: epochs, samples, steps, batchSize, verbose, doValidation, metrics. */
  params: Record<string, unknown> = {};
  history: Record<string, number[]> = {};
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

export interface EarlyStoppingArgs {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  mode?: 'auto' | 'min' | 'max';
  baseline?: number;
  restoreBestWeights?: boolean;
  verbose?: number;
}

/**
 * Stops training once `monitor` has gone `patience` epochs without improving by more than
 * `minDelta` (TensorFlow.js's rule: stop when wait >= patience). Beyond tfjs, which rejects it,
 * `restoreBestWeights` puts back the best epoch's weights when (and only when) it stopped the run,
 * as Keras 2. A monitor missing from the logs is an error here, not a warning.
 */
export class EarlyStopping implements Callback {
  private model: CallbackModel | null = null;
  private readonly monitor: string;
  private readonly minDelta: number;
  private readonly patience: number;
  private readonly better: (a: number, b: number) => boolean;
  private readonly restore: boolean;
  private readonly baseline: number | undefined;
  private wait = 0;
  private best = NaN;
  private bestWeights: Map<string, Tensor> | null = null;
  stoppedEpoch = -1;
  bestEpoch = -1;

  constructor(args: EarlyStoppingArgs = {}) {
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    const mode = args.mode ?? 'auto';
    const maximize = mode === 'max' || (mode === 'auto' && /acc/.test(this.monitor));
    this.better = maximize ? (a, b) => a - this.minDelta > b : (a, b) => a + this.minDelta < b;
    this.restore = args.restoreBestWeights ?? false;
    this.baseline = args.baseline;
  }

  setModel(model: CallbackModel): void { this.model = model; }

  onTrainBegin(): void {
    this.wait = 0;
    this.best = this.baseline ?? NaN;
    this.stoppedEpoch = -1;
    this.bestEpoch = -1;
    this.freeBest();
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const v = logs[this.monitor];
    if (v === undefined) {
      throw new Error(`asgrad.earlyStopping: metric '${this.monitor}' is not in the epoch logs (available: ${Object.keys(logs).join(', ')})`);
    }
    if (Number.isNaN(this.best) || this.better(v, this.best)) {
      this.best = v;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restore && this.model) { this.freeBest(); this.bestWeights = this.model.getWeightsCopy(); }
      return;
    }
    this.wait++;
    if (this.wait >= this.patience && this.model) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.restore && this.model && this.bestWeights && this.stoppedEpoch >= 0) this.model.setWeightsFrom(this.bestWeights);
    this.freeBest();
  }

  private freeBest(): void {
    if (this.bestWeights) for (const t of this.bestWeights.values()) t.dispose();
    this.bestWeights = null;
  }
}

export const earlyStopping = (args: EarlyStoppingArgs = {}): EarlyStopping => new EarlyStopping(args);
