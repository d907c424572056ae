import { decodeFloat32, encodeFloat32, PlateauTracker } from '@nnkit/optim';
import type { EpochRecord } from './history.js';

/**
 * scikit-learn's stopping rule (`tol`, `n_iter_no_change`). An epoch counts as no improvement
 * unless the monitored value beats the best so far by `tol` (training loss lower by tol, or
 * validation accuracy higher by tol); training stops once more than `nIterNoChange`
 * consecutive epochs count (sklearn's `_no_improvement_count > n_iter_no_change`).
 * With validation accuracy the best epoch's parameters are restored at the end (sklearn's
 * `early_stopping=True`), unless `restoreBest: false`.
 */
export interface EarlyStoppingOptions {
  /** Default: 'validationAccuracy' when there is validation data, else 'trainLoss'. */
  readonly monitor?: 'trainLoss' | 'validationAccuracy';
  /** Default 1e-4. */
  readonly tol?: number;
  /** Default 10. */
  readonly nIterNoChange?: number;
  /** Default: true for validation accuracy, false for training loss (as sklearn). */
  readonly restoreBest?: boolean;
}

/** The tracker's progress, JSON-able for checkpoints (best parameters as base64 float32). */
export interface EarlyStoppingState {
  readonly best: number | null;
  readonly epochsWithoutImprovement: number;
  readonly bestEpoch: number;
  readonly bestValues: readonly string[] | null;
}

interface Tensorish {
  readonly value: { readonly data: Float32Array };
}

/** Watches one metric epoch by epoch and keeps a copy of the best parameters when asked to. */
export class EarlyStopping {
  readonly monitor: 'trainLoss' | 'validationAccuracy';
  readonly tol: number;
  readonly nIterNoChange: number;
  readonly restoreBest: boolean;
  private readonly plateau: PlateauTracker;
  private bestEpoch = 0;
  private bestValues: Float32Array[] | null = null;

  constructor(options: EarlyStoppingOptions, hasValidation: boolean) {
    this.monitor = options.monitor ?? (hasValidation ? 'validationAccuracy' : 'trainLoss');
    if (this.monitor !== 'trainLoss' && this.monitor !== 'validationAccuracy') {
      throw new TypeError(`fit: earlyStopping.monitor must be "trainLoss" or "validationAccuracy", got ${JSON.stringify(this.monitor)}`);
    }
    if (this.monitor === 'validationAccuracy' && !hasValidation) {
      throw new RangeError('fit: earlyStopping on validationAccuracy needs validation data (data.validation or validationSplit)');
    }
    this.tol = options.tol ?? 1e-4;
    if (!(this.tol >= 0) || !Number.isFinite(this.tol)) throw new RangeError(`fit: earlyStopping.tol must be a finite number >= 0, got ${this.tol}`);
    this.nIterNoChange = options.nIterNoChange ?? 10;
    if (!Number.isInteger(this.nIterNoChange) || this.nIterNoChange < 0) {
      throw new RangeError(`fit: earlyStopping.nIterNoChange must be an integer >= 0, got ${this.nIterNoChange}`);
    }
    this.restoreBest = options.restoreBest ?? this.monitor === 'validationAccuracy';
    this.plateau = new PlateauTracker({ tol: this.tol });
  }

  /** Records an epoch; returns true when training should stop. `tensors` are what to snapshot. */
  update(record: EpochRecord, tensors: readonly Tensorish[]): boolean {
    // A score that grows with improvement, so both monitors share one rule.
    const score = this.monitor === 'trainLoss' ? -record.trainLoss : (record.validationAccuracy as number);
    if (this.plateau.observe(score)) {
      this.bestEpoch = record.epoch;
      if (this.restoreBest) this.bestValues = tensors.map((tensor) => tensor.value.data.slice());
    }
    return this.exhausted;
  }

  /** True once more than `nIterNoChange` epochs in a row failed to improve (a resumed run stops at once). */
  get exhausted(): boolean {
    return this.plateau.epochsWithoutImprovement > this.nIterNoChange;
  }

  /** Epoch (1-based) of the best value so far; 0 before any. */
  get bestEpochNumber(): number {
    return this.bestEpoch;
  }

  /** Copies the best epoch's values back when `restoreBest`; returns whether it did. */
  restore(tensors: readonly Tensorish[]): boolean {
    if (!this.restoreBest || this.bestValues === null) return false;
    tensors.forEach((tensor, i) => tensor.value.data.set(this.bestValues![i]));
    return true;
  }

  getState(): EarlyStoppingState {
    return {
      ...this.plateau.getState(),
      bestEpoch: this.bestEpoch,
      bestValues: this.bestValues === null ? null : this.bestValues.map(encodeFloat32),
    };
  }

  setState(state: EarlyStoppingState, tensors: readonly Tensorish[]): void {
    this.plateau.setState(state);
    this.bestEpoch = state.bestEpoch;
    this.bestValues =
      state.bestValues === null
        ? null
        : state.bestValues.map((text, i) => decodeFloat32(text, `checkpoint: earlyStopping.bestValues[${i}]`, tensors[i]?.value.data.length));
  }
}
