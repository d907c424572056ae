import { decodeFloat32, encodeFloat32, type Optimizer, type Schedule } from '@nnkit/optim';
import { createRng, formatShape, type Rng, type RngState } from '@nnkit/tensor';
import type { CheckpointState, TensorRecord } from './checkpoint.js';
import type { EarlyStopping } from './early-stopping.js';
import type { EpochRecord } from './history.js';
import type { TrainableModel } from './model.js';
import type { WeightAveraging } from './weight-averaging.js';

/** Running sums of the current epoch's finished batches (as checkpoints store them). */
export interface EpochProgress {
  lossSum: number;
  correct: number;
  seen: number;
  seconds: number;
}

/** The parts of a run whose state a checkpoint holds. */
export interface RunParts {
  readonly model: TrainableModel;
  readonly optimizer: Optimizer;
  readonly schedule: Schedule;
  readonly earlyStopping: EarlyStopping | null;
  readonly averaging?: WeightAveraging | null;
  readonly batchSize: number;
  readonly trainCount: number;
  readonly threads: number;
}

type NamedTensor = { readonly name: string; readonly value: { readonly shape: readonly number[]; readonly data: Float32Array } };

function tensorRecords(tensors: readonly NamedTensor[]): TensorRecord[] {
  return tensors.map((tensor) => ({ name: tensor.name, shape: [...tensor.value.shape], data: encodeFloat32(tensor.value.data) }));
}

function restoreTensors(records: readonly TensorRecord[], tensors: readonly NamedTensor[], what: string): void {
  if (records.length !== tensors.length) {
    throw new RangeError(`fit: resume: the checkpoint has ${records.length} ${what} but the model has ${tensors.length}: it belongs to another model`);
  }
  // Decode everything first so a mismatch leaves the model untouched.
  const values = records.map((record, i) => {
    const tensor = tensors[i];
    if (record.shape.length !== tensor.value.shape.length || record.shape.some((d, j) => d !== tensor.value.shape[j])) {
      throw new RangeError(
        `fit: resume: ${what}[${i}] (${record.name}) has shape ${formatShape(record.shape)} in the checkpoint but ${formatShape(tensor.value.shape)} in the model`,
      );
    }
    return decodeFloat32(record.data, `fit: resume: ${what}[${i}] (${record.name})`, tensor.value.data.length);
  });
  values.forEach((data, i) => tensors[i].value.data.set(data));
}

const emptyProgress = (): EpochProgress => ({ lossSum: 0, correct: 0, seen: 0, seconds: 0 });

/**
 * Where a run is and everything needed to continue it exactly: the random streams (shuffle,
 * dropout, augment: forks of one seed, so drawing for one purpose never shifts another), the
 * position (epochs done, batches done in the current epoch), the epoch's running sums and the
 * history. It makes checkpoints (`CheckpointState`, with the model, optimizer, schedule and
 * early-stopping state) and resumes from them.
 */
export class RunState {
  readonly seed: string;
  shuffle: Rng;
  dropout: Rng;
  augment: Rng;
  history: EpochRecord[] = [];
  /** The position to start from: epochs done, and batches done in the next epoch. */
  readonly start = { epoch: 0, batch: 0 };
  progress: EpochProgress = emptyProgress();
  private readonly parts: RunParts;
  /** The shuffle stream before the current epoch drew its order (a resumed epoch redraws it). */
  private shuffleAtEpochStart: RngState;

  constructor(parts: RunParts, seed: string, root: Rng) {
    this.parts = parts;
    this.seed = seed;
    this.shuffle = root.fork('shuffle');
    this.dropout = root.fork('dropout');
    this.augment = root.fork('augment');
    this.shuffleAtEpochStart = this.shuffle.getState();
  }

  private get savedTensors(): NamedTensor[] {
    return [...this.parts.model.params, ...(this.parts.model.state ?? [])];
  }

  /** Continues from `checkpoint`: checks it fits this run, then restores every part and the position. */
  resume(checkpoint: CheckpointState): void {
    const { batchSize, trainCount, threads, model, optimizer, schedule, earlyStopping } = this.parts;
    if (checkpoint.batchSize !== batchSize) throw new RangeError(`fit: resume: the checkpoint used batchSize ${checkpoint.batchSize}, not ${batchSize}`);
    if (checkpoint.trainCount !== trainCount) {
      throw new RangeError(`fit: resume: the checkpoint trained on ${checkpoint.trainCount} images per epoch, this run has ${trainCount}`);
    }
    // Checkpoints from before the count was recorded carry none: nothing to check.
    if (checkpoint.threads !== undefined && checkpoint.threads !== threads) {
      throw new RangeError(
        `fit: resume: the checkpoint split its batches over ${checkpoint.threads} thread(s), this run over ${threads}; another count sums gradients in another order, so the run would not continue exactly (pass threads: ${checkpoint.threads})`,
      );
    }
    restoreTensors(checkpoint.params, model.params, 'params');
    restoreTensors(checkpoint.state, model.state ?? [], 'state');
    optimizer.setState(checkpoint.optimizer);
    schedule.setState(checkpoint.schedule);
    if (earlyStopping && checkpoint.earlyStopping) earlyStopping.setState(checkpoint.earlyStopping, this.savedTensors);
    if (this.parts.averaging && checkpoint.averaging) this.parts.averaging.setState(checkpoint.averaging);
    this.shuffle = createRng(checkpoint.rng.shuffle.seed, checkpoint.rng.shuffle);
    this.dropout = createRng(checkpoint.rng.dropout.seed, checkpoint.rng.dropout);
    this.augment = createRng(checkpoint.rng.augment.seed, checkpoint.rng.augment);
    this.shuffleAtEpochStart = this.shuffle.getState();
    this.history = checkpoint.history.map((record) => ({ ...record }));
    this.start.epoch = checkpoint.position.epoch;
    this.start.batch = checkpoint.position.batch;
    this.progress = { ...checkpoint.epochProgress };
  }

  /**
   * Starts epoch `epoch` (0-based): the training order is a copy of `indices`, shuffled with
   * the shuffle stream unless `shuffle` is false (the caller's indices are never reordered).
   * Returns the order and the first batch to train (non-zero only in a resumed epoch, whose
   * running sums came with the checkpoint; `endEpoch` clears them for every other epoch).
   */
  beginEpoch(epoch: number, indices: Int32Array, shuffle: boolean): { order: Int32Array; firstBatch: number } {
    this.shuffleAtEpochStart = this.shuffle.getState();
    const order = indices.slice();
    if (shuffle) this.shuffle.shuffle(order);
    return { order, firstBatch: epoch === this.start.epoch ? this.start.batch : 0 };
  }

  /** Adds a finished batch to the epoch's running sums. */
  addBatch(loss: number, rows: number, correct: number): void {
    this.progress.lossSum += loss * rows;
    this.progress.seen += rows;
    this.progress.correct += correct;
  }

  /** Closes an epoch: records it and starts the next epoch's sums from the shuffle stream as it is now. */
  endEpoch(record: EpochRecord): void {
    this.history.push(record);
    this.progress = emptyProgress();
    this.shuffleAtEpochStart = this.shuffle.getState();
  }

  /** Everything to continue at `batch` of epoch `epoch` (both 0-based; batch 0 of epoch e + 1 after epoch e). */
  checkpoint(epoch: number, batch: number): CheckpointState {
    const { model, optimizer, schedule, earlyStopping, batchSize, trainCount, threads } = this.parts;
    return {
      format: 'nnkit-checkpoint',
      version: 1,
      seed: this.seed,
      batchSize,
      trainCount,
      threads,
      position: { epoch, batch },
      params: tensorRecords(model.params),
      state: tensorRecords(model.state ?? []),
      optimizer: optimizer.getState(),
      schedule: schedule.getState(),
      rng: { shuffle: this.shuffleAtEpochStart, dropout: this.dropout.getState(), augment: this.augment.getState() },
      epochProgress: { ...this.progress },
      earlyStopping: earlyStopping ? earlyStopping.getState() : null,
      history: this.history.map((record) => ({ ...record })),
      ...(this.parts.averaging ? { averaging: this.parts.averaging.getState() } : {}),
    };
  }
}
