import type { Dataset, Normalization } from '@nnkit/datasets';
import type { Sequential } from '@nnkit/layers';
import { createOptimizer, createSchedule, type Optimizer, type OptimizerSpec, type Schedule, type ScheduleSpec } from '@nnkit/optim';
import { createRng, jsKernels, sizeOf, type Kernels, type Rng, type Shape } from '@nnkit/tensor';
import type { CheckpointState } from './checkpoint.js';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import { checkDatasetFits, rangeOf } from './evaluate.js';
import type { EpochRecord } from './history.js';
import type { TrainableModel } from './model.js';
import { placeParams } from './place-params.js';
import type { WorkerTransport } from './parallel/protocol.js';
import type { DatasetId, ScoreTarget } from './replicas.js';
import { RunState } from './run-state.js';
import { WeightAveraging, type AveragingOptions } from './weight-averaging.js';

/** The datasets of a run: training images, and optionally a validation and a test set scored after every epoch. */
export interface FitData {
  readonly train: Dataset;
  readonly validation?: Dataset;
  readonly test?: Dataset;
}

/** Progress after a mini-batch (every `batchEndEvery` batches and at the end of each epoch). */
export interface BatchEndInfo {
  /** 1-based epoch and batch numbers; `batches` per epoch. */
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  /** Running means over the epoch so far. */
  readonly loss: number;
  readonly accuracy: number;
  /** This batch's loss. */
  readonly batchLoss: number;
  /** Training images per second over the epoch so far. */
  readonly imagesPerSecond: number;
  readonly learningRate: number;
}

/**
 * Per-batch augmentation: receives a copy of the batch's images as bytes (`count · sizeOf(imageShape)`,
 * image after image) and its own random stream, and changes the bytes in place before they are
 * normalised. The caller's dataset is never touched. `@nnkit/datasets` provides distortions.
 */
export type AugmentHook = (images: Uint8Array, rng: Rng, imageShape: Shape) => void;

/** When and where `fit` hands out checkpoints (writing files is the caller's job). */
export interface CheckpointOptions {
  /** 'epoch' (default): after every epoch; a number n: also after every n-th batch. */
  readonly every?: 'epoch' | number;
  save(state: CheckpointState): void | Promise<void>;
}

/** Why `fit` returned. Divergence (a non-finite loss) is an error instead: `TrainingDivergedError`. */
export type StopReason = 'completed' | 'earlyStopping' | 'schedule' | 'aborted';

/** Options of `fit`. Only `epochs`, `batchSize` and `optimizer` are required. */
export interface FitOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /**
   * An optimizer or its spec. A spec with `l1`/`l2` and no `trainingSize` gets the number of
   * training images (Nielsen's n).
   */
  readonly optimizer: Optimizer | OptimizerSpec;
  /** Seeds shuffling, dropout, augmentation and the validation split (each its own fork). Default 0. */
  readonly seed?: number | string;
  readonly kernels?: Kernels;
  readonly normalization?: Normalization;
  /** Learning-rate schedule (spec or text like 'step:10,0.5'); default constant. */
  readonly schedule?: ScheduleSpec | string;
  /** Reshuffle the training order every epoch (default true). */
  readonly shuffle?: boolean;
  /**
   * Hold out part of `data.train` for validation (when `data.validation` is absent): a fraction
   * (the last ⌈fraction·n⌉ images, like Keras), or `{count | fraction, shuffle}` where
   * `shuffle: true` draws the held-out images with the seed's 'split' fork (like sklearn).
   */
  readonly validationSplit?: number | { readonly count?: number; readonly fraction?: number; readonly shuffle?: boolean };
  /** sklearn-style early stopping; `true` for the defaults. */
  readonly earlyStopping?: EarlyStoppingOptions | boolean;
  /**
   * Average the weights over the end of the run (EMA after every step, or SWA over the last
   * epochs) and end with the average in the model's place, scored on the validation and test
   * data (`FitResult.averaged`). Layer state is averaged alike. Not with `earlyStopping`.
   */
  readonly averaging?: AveragingOptions;
  /** Clip the global gradient norm to this value before each step. */
  readonly clipGradientNorm?: number;
  readonly augment?: AugmentHook;
  /** Checked after every batch; when it turns true `fit` saves a checkpoint (if configured) and returns with 'aborted'. */
  readonly signal?: { readonly aborted: boolean };
  /** Score `data.test` after every epoch (default true when given). */
  readonly evaluateTest?: boolean;
  /**
   * Score the validation images after every n-th epoch and after the last one (default 1:
   * after every epoch), like Keras' `validation_freq`. The scores are a report that changes no
   * weight; early stopping on validation accuracy and a schedule that watches it need every
   * epoch's, so they take only 1.
   */
  readonly validateEvery?: number;
  /** Inference batch size for validation and test scores (default 1000). */
  readonly evaluationBatchSize?: number;
  readonly onBatchEnd?: (info: BatchEndInfo) => void | Promise<void>;
  /** Call `onBatchEnd` every n batches (default 1); the last batch of an epoch always reports. */
  readonly batchEndEvery?: number;
  readonly onEpochEnd?: (record: EpochRecord) => void | Promise<void>;
  readonly checkpoint?: CheckpointOptions;
  /** Continue from a checkpoint made by a run with the same model, data and options. */
  readonly resume?: CheckpointState;
  /**
   * Data parallelism: split every mini-batch into this many contiguous shares trained at once,
   * one on the calling thread and the others on worker threads started through `parallel`
   * (default 1: no workers, exactly the single-thread loop). The gradients are added in thread
   * order, so the same seed and thread count give the same bytes; another thread count agrees
   * up to float rounding (dropout masks and batch-norm statistics then differ: each thread
   * draws its own masks and normalises by its own share). Needs a model with a `definition`
   * (`Sequential`).
   */
  readonly threads?: number;
  /**
   * How to start the workers when `threads` > 1: `nodeWorkers({workerUrl, kernels})` from
   * `@nnkit/train/node`, or `webWorkers(create, {kernels})`. The app's worker script builds
   * its own kernels (`serveTrainWorker(port, {createKernels})`); this package names no backend.
   */
  readonly parallel?: WorkerTransport;
  /**
   * Fine-tuning: start from this trained model's weights (`transferWeights` of `@nnkit/layers`:
   * every layer copied, except a head of another class count, which keeps its initial weights).
   * Needs a `Sequential` model; a `resume` checkpoint's weights win over these.
   */
  readonly initFrom?: Sequential;
  /**
   * Keep layers fixed (`Sequential.freeze`): the first N, or a list of layer indices and names
   * (`conv2d_1`). Frozen params are skipped by every optimizer, on every thread.
   */
  readonly freeze?: number | readonly (number | string)[];
}

/** What `fit` returns: the per-epoch history, why it stopped, and the optimizer (its state included). */
export interface FitResult {
  readonly history: EpochRecord[];
  readonly stopReason: StopReason;
  readonly optimizer: Optimizer;
  /** With early stopping: the best epoch (1-based), and whether its parameters were put back. */
  readonly bestEpoch?: number;
  readonly restoredBest: boolean;
  /** With `averaging` (and a run that was not aborted): the averaged weights' scores; the model now holds them. */
  readonly averaged?: AveragedScores;
}

/** Scores of the averaged weights on the run's validation and test data (each present when the run scores it). */
export interface AveragedScores {
  readonly validationLoss?: number;
  readonly validationAccuracy?: number;
  readonly testLoss?: number;
  readonly testAccuracy?: number;
}

/** The loss became NaN or ±Infinity: names the epoch and batch (1-based) where it happened. */
export class TrainingDivergedError extends Error {
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  constructor(epoch: number, batch: number, batches: number, loss: number, learningRate: number) {
    super(
      `fit: the loss became ${loss} at epoch ${epoch}, batch ${batch} of ${batches} (learning rate ${learningRate}): training diverged; lower the learning rate or clip gradients`,
    );
    this.name = 'TrainingDivergedError';
    this.epoch = epoch;
    this.batch = batch;
    this.loss = loss;
  }
}

function positiveInteger(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) throw new RangeError(`fit: ${name} must be a positive integer, got ${String(value)}`);
  return value as number;
}

function checkLabelled(dataset: Dataset, what: string, classes: number): void {
  if (dataset.unlabelled) throw new RangeError(`fit: ${what} (${dataset.name}) has no labels; score it with predict instead`);
  const { labels } = dataset;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw new RangeError(`fit: ${what} (${dataset.name}) image ${i} has label ${labels[i]}, but the model has ${classes} outputs`);
    }
  }
}

/** Training and validation image indices into `data.train` after the validation split. */
function splitTrainingIndices(
  count: number,
  split: FitOptions['validationSplit'],
  rng: Rng,
): { train: Int32Array; validation: Int32Array | null } {
  if (split === undefined) return { train: rangeOf(count), validation: null };
  const spec = typeof split === 'number' ? { fraction: split } : split;
  let held: number;
  if (spec.count !== undefined) {
    held = spec.count;
    if (!Number.isInteger(held) || held <= 0 || held >= count) {
      throw new RangeError(`fit: validationSplit.count must be an integer in [1, ${count - 1}] (the training set has ${count} images), got ${held}`);
    }
  } else {
    const fraction = spec.fraction;
    if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
      throw new RangeError(`fit: validationSplit must be a fraction in (0, 1) or {count}, got ${JSON.stringify(split)}`);
    }
    held = Math.ceil(fraction * count);
    if (held >= count) throw new RangeError(`fit: validationSplit ${fraction} leaves no training images out of ${count}`);
  }
  const order = spec.shuffle ? rng.permutation(count) : rangeOf(count);
  return { train: order.slice(0, count - held), validation: order.slice(count - held) };
}


/** Everything `fit` settles before its first batch: checked options, the split, the optimizer, schedule, early stopping and run state. */
export interface RunPlan {
  readonly epochs: number;
  readonly batchSize: number;
  readonly batchEndEvery: number;
  readonly threads: number;
  readonly kernels: Kernels;
  /** Training image indices into `data.train` (after any validation split), and the held-out ones. */
  readonly trainIndices: Int32Array;
  readonly heldOut: Int32Array | null;
  /** The run's datasets by name, and which images are scored after every epoch. */
  readonly datasets: Partial<Record<DatasetId, Dataset>>;
  readonly validation: ScoreTarget | null;
  /** Validation is scored after epochs n, 2n, … and the last (`FitOptions.validateEvery`). */
  readonly validateEvery: number;
  readonly test: ScoreTarget | null;
  readonly optimizer: Optimizer;
  readonly schedule: Schedule;
  readonly earlyStopping: EarlyStopping | null;
  readonly averaging: WeightAveraging | null;
  readonly state: RunState;
  /** Seed text of the dropout stream (each thread's masks fork from it). */
  readonly dropoutSeed: string;
}

/** Checks `fit`'s arguments and builds its plan; throws a one-line RangeError naming the option on bad input. */
export function planRun(model: TrainableModel, data: FitData, options: FitOptions): RunPlan {
  const epochs = positiveInteger(options.epochs, 'epochs');
  const batchSize = positiveInteger(options.batchSize, 'batchSize');
  const batchEndEvery = positiveInteger(options.batchEndEvery ?? 1, 'batchEndEvery');
  const validateEvery = positiveInteger(options.validateEvery ?? 1, 'validateEvery');
  if (options.clipGradientNorm !== undefined && !(options.clipGradientNorm > 0)) {
    throw new RangeError(`fit: clipGradientNorm must be a number > 0, got ${options.clipGradientNorm}`);
  }
  const kernels = options.kernels ?? jsKernels;
  const threads = positiveInteger(options.threads ?? 1, 'threads');
  if (threads > 1 && options.parallel === undefined) {
    throw new RangeError(`fit: threads ${threads} needs options.parallel: nodeWorkers({workerUrl}) from @nnkit/train/node, or webWorkers(create) in a browser`);
  }
  placeParams(model.params, kernels);
  const { train } = data;
  const classes = sizeOf(model.outputShape);
  checkDatasetFits(model, train, 'fit: data.train');
  checkLabelled(train, 'data.train', classes);
  if (data.validation) {
    checkDatasetFits(model, data.validation, 'fit: data.validation');
    checkLabelled(data.validation, 'data.validation', classes);
    if (options.validationSplit !== undefined) throw new RangeError('fit: give either data.validation or validationSplit, not both');
  }
  const evaluateTest = data.test !== undefined && options.evaluateTest !== false;
  if (data.test && evaluateTest) {
    checkDatasetFits(model, data.test, 'fit: data.test');
    checkLabelled(data.test, 'data.test', classes);
  }

  // One seed, separate streams: drawing more numbers for one purpose never shifts another.
  const seed = options.resume?.seed ?? String(options.seed ?? 0);
  if (options.resume && options.seed !== undefined && String(options.seed) !== options.resume.seed) {
    throw new RangeError(`fit: resume: the checkpoint was made with seed "${options.resume.seed}", not "${options.seed}"`);
  }
  const root = createRng(seed);
  const split = splitTrainingIndices(train.count, options.validationSplit, root.fork('split'));
  const trainCount = split.train.length;
  const validation: ScoreTarget | null = data.validation
    ? { dataset: 'validation', indexList: 'all' }
    : split.validation
      ? { dataset: 'train', indexList: 'heldOut' }
      : null;

  const optimizer = ((): Optimizer => {
    if (!('kind' in options.optimizer)) return options.optimizer;
    const spec = options.optimizer;
    const needsN = (spec.l1 ?? 0) > 0 || (spec.l2 ?? 0) > 0;
    return createOptimizer(needsN && spec.trainingSize === undefined ? { ...spec, trainingSize: trainCount } : spec);
  })();
  const schedule = createSchedule(options.schedule ?? { kind: 'constant' }, optimizer.learningRate, { epochs });
  if (schedule.monitor === 'validationAccuracy' && validation === null) {
    throw new RangeError(`fit: schedule ${schedule.config.kind} watches validation accuracy: give data.validation or validationSplit`);
  }
  const earlyStopping =
    options.earlyStopping === undefined || options.earlyStopping === false
      ? null
      : new EarlyStopping(options.earlyStopping === true ? {} : options.earlyStopping, validation !== null);
  if (validateEvery > 1) {
    // These decide after every epoch from its validation score.
    if (schedule.monitor === 'validationAccuracy') throw new RangeError(`fit: schedule ${schedule.config.kind} watches validation accuracy after every epoch: validateEvery must be 1, got ${validateEvery}`);
    if (earlyStopping?.monitor === 'validationAccuracy') throw new RangeError(`fit: earlyStopping watches validation accuracy after every epoch: validateEvery must be 1, got ${validateEvery}`);
  }
  if (options.averaging !== undefined && earlyStopping !== null) throw new RangeError('fit: give either averaging or earlyStopping, not both (each decides which weights the run ends with)');
  const averaging = options.averaging === undefined ? null : new WeightAveraging(options.averaging, [...model.params, ...(model.state ?? [])], epochs);
  const state = new RunState({ model, optimizer, schedule, earlyStopping, batchSize, trainCount, threads, averaging }, seed, root);
  if (options.resume) state.resume(options.resume);
  return {
    epochs,
    batchSize,
    batchEndEvery,
    threads,
    kernels,
    trainIndices: split.train,
    heldOut: split.validation,
    datasets: { train, ...(data.validation ? { validation: data.validation } : {}), ...(evaluateTest ? { test: data.test! } : {}) },
    validation,
    validateEvery,
    test: evaluateTest ? { dataset: 'test', indexList: 'all' } : null,
    optimizer,
    schedule,
    earlyStopping,
    averaging,
    state,
    dropoutSeed: root.fork('dropout').seed,
  };
}
