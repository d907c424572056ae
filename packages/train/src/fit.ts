import { fillBatch, fillLabels, type Dataset, type Normalization } from '@nnkit/datasets';
import {
  clipGradientNorm,
  createOptimizer,
  createSchedule,
  decodeFloat32,
  encodeFloat32,
  regularizationPenalty,
  type Optimizer,
  type OptimizerSpec,
  type ScheduleSpec,
} from '@nnkit/optim';
import { createRng, formatShape, jsKernels, sizeOf, zeroGrads, type Kernels, type Rng, type Shape } from '@nnkit/tensor';
import type { CheckpointState, TensorRecord } from './checkpoint.js';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
import { checkDatasetFits, Evaluator, rangeOf } from './evaluate.js';
import type { EpochRecord } from './history.js';
import { argmaxRow, now, type RunContext, type TrainableModel } from './model.js';
import type { WorkerKernelsSpec, WorkerTransport } from './parallel-protocol.js';
import { ParallelTrainer } from './parallel-trainer.js';
import { placeParams } from './place-params.js';

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
  /** Clip the global gradient norm to this value before each step. */
  readonly clipGradientNorm?: number;
  readonly augment?: AugmentHook;
  /** Checked after every batch; when it turns true `fit` saves a checkpoint (if configured) and returns with 'aborted'. */
  readonly signal?: { readonly aborted: boolean };
  /** Score `data.test` after every epoch (default true when given). */
  readonly evaluateTest?: boolean;
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
  /** How to start the workers when `threads` > 1: `nodeWorkers()` from `@nnkit/train/node`, or `webWorkers(create)`. */
  readonly parallel?: WorkerTransport;
  /**
   * The kernels each worker builds for itself: 'js', 'wasm', or a `WorkerKernelsSpec`.
   * Default: the backend of `kernels` by its name ('wasm' with the same SIMD features, else 'js').
   */
  readonly backend?: 'js' | 'wasm' | WorkerKernelsSpec;
}

/** What `fit` returns: the per-epoch history, why it stopped, and the optimizer (its state included). */
export interface FitResult {
  readonly history: EpochRecord[];
  readonly stopReason: StopReason;
  readonly optimizer: Optimizer;
  /** With early stopping: the best epoch (1-based), and whether its parameters were put back. */
  readonly bestEpoch?: number;
  readonly restoredBest: boolean;
}

/** The kernels workers build: `backend`, or the main thread's `kernels` by name ('wasm' with the same SIMD features). */
export function workerKernelsOf(backend: FitOptions['backend'], kernels: Kernels, what = 'fit'): WorkerKernelsSpec {
  if (backend === 'js' || backend === 'wasm') return { backend };
  if (typeof backend === 'object' && backend !== null) {
    const kind = (backend as { backend?: unknown }).backend;
    if (kind !== 'js' && kind !== 'wasm') throw new RangeError(`${what}: backend.backend must be 'js' or 'wasm', got ${JSON.stringify(kind)}`);
    return backend;
  }
  if (backend !== undefined) throw new RangeError(`${what}: backend must be 'js' or 'wasm', got ${JSON.stringify(backend)}`);
  if (kernels.name === 'js') return { backend: 'js' };
  if (kernels.name === 'wasm') {
    const features = (kernels as { features?: unknown }).features;
    return features === 'relaxed-simd' || features === 'simd' ? { backend: 'wasm', relaxedSimd: features === 'relaxed-simd' } : { backend: 'wasm' };
  }
  throw new RangeError(`${what}: workers cannot rebuild the kernels "${kernels.name}": give backend 'js' or 'wasm' for them`);
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

function tensorRecords(tensors: readonly { name: string; value: { shape: readonly number[]; data: Float32Array } }[]): TensorRecord[] {
  return tensors.map((tensor) => ({ name: tensor.name, shape: [...tensor.value.shape], data: encodeFloat32(tensor.value.data) }));
}

function restoreTensors(
  records: readonly TensorRecord[],
  tensors: readonly { name: string; value: { shape: readonly number[]; data: Float32Array } }[],
  what: string,
): void {
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

const yieldInterval = 100; // ms of work between returns to the event loop (abort signals, UI)

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Trains `model` by mini-batch gradient descent, following Nielsen's `SGD`/`update_mini_batch`:
 * every epoch shuffles the training indices with the seeded 'shuffle' stream, slices them into
 * mini-batches, fills a preallocated float32 batch, runs forward, the loss (mean over the
 * batch, so gradients are batch means), backward, one optimizer step, and zeroes the gradients;
 * then scores validation/test data, steps the schedule and early stopping, and reports through
 * callbacks. The caller's datasets are never modified. Same seed, data and options ⇒ the same
 * parameters, byte for byte, including across a checkpoint and resume.
 *
 * With kernels that own memory (`kernels.allocate`, the wasm kernels), the parameters' value
 * and gradient arrays are first moved there (same numbers, new arrays): read them through
 * `model.params` after `fit`, not through arrays taken before it.
 */
export async function fit(model: TrainableModel, data: FitData, options: FitOptions): Promise<FitResult> {
  const epochs = positiveInteger(options.epochs, 'epochs');
  const batchSize = positiveInteger(options.batchSize, 'batchSize');
  const batchEndEvery = positiveInteger(options.batchEndEvery ?? 1, 'batchEndEvery');
  if (options.clipGradientNorm !== undefined && !(options.clipGradientNorm > 0)) {
    throw new RangeError(`fit: clipGradientNorm must be a number > 0, got ${options.clipGradientNorm}`);
  }
  const kernels = options.kernels ?? jsKernels;
  const threads = positiveInteger(options.threads ?? 1, 'threads');
  if (threads > 1 && options.parallel === undefined) {
    throw new RangeError(`fit: threads ${threads} needs options.parallel: nodeWorkers() from @nnkit/train/node, or webWorkers(create) in a browser`);
  }
  placeParams(model.params, kernels);
  const { train } = data;
  const classes = sizeOf(model.outputShape);
  const inputSize = sizeOf(model.inputShape);
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
  const trainIndices = split.train;
  const trainCount = trainIndices.length;
  const validation = data.validation
    ? { dataset: data.validation, indices: undefined }
    : split.validation
      ? { dataset: train, indices: split.validation }
      : null;

  const optimizer = ((): Optimizer => {
    if (!('kind' in options.optimizer)) return options.optimizer;
    const spec = options.optimizer;
    const needsN = (spec.l1 ?? 0) > 0 || (spec.l2 ?? 0) > 0;
    return createOptimizer(needsN && spec.trainingSize === undefined ? { ...spec, trainingSize: trainCount } : spec);
  })();
  const penaltyOptions = optimizer.config;
  const hasPenalty = (penaltyOptions.l1 ?? 0) > 0 || (penaltyOptions.l2 ?? 0) > 0;
  const schedule = createSchedule(options.schedule ?? { kind: 'constant' }, optimizer.learningRate, { epochs });
  if (schedule.monitor === 'validationAccuracy' && validation === null) {
    throw new RangeError(`fit: schedule ${schedule.config.kind} watches validation accuracy: give data.validation or validationSplit`);
  }
  const earlyStopping =
    options.earlyStopping === undefined || options.earlyStopping === false
      ? null
      : new EarlyStopping(options.earlyStopping === true ? {} : options.earlyStopping, validation !== null);
  const layerState = model.state ?? [];
  const savedTensors = [...model.params, ...layerState];

  let shuffleRng = root.fork('shuffle');
  let dropoutRng = root.fork('dropout');
  let augmentRng = root.fork('augment');
  let history: EpochRecord[] = [];
  let startEpoch = 0;
  let startBatch = 0;
  let progress = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };

  const resume = options.resume;
  if (resume) {
    if (resume.batchSize !== batchSize) throw new RangeError(`fit: resume: the checkpoint used batchSize ${resume.batchSize}, not ${batchSize}`);
    if (resume.trainCount !== trainCount) {
      throw new RangeError(`fit: resume: the checkpoint trained on ${resume.trainCount} images per epoch, this run has ${trainCount}`);
    }
    // Checkpoints from before the count was recorded carry none: nothing to check.
    if (resume.threads !== undefined && resume.threads !== threads) {
      throw new RangeError(
        `fit: resume: the checkpoint split its batches over ${resume.threads} thread(s), this run over ${threads}; another count sums gradients in another order, so the run would not continue exactly (pass threads: ${resume.threads})`,
      );
    }
    restoreTensors(resume.params, model.params, 'params');
    restoreTensors(resume.state, layerState, 'state');
    optimizer.setState(resume.optimizer);
    schedule.setState(resume.schedule);
    if (earlyStopping && resume.earlyStopping) earlyStopping.setState(resume.earlyStopping, savedTensors);
    shuffleRng = createRng(resume.rng.shuffle.seed, resume.rng.shuffle);
    dropoutRng = createRng(resume.rng.dropout.seed, resume.rng.dropout);
    augmentRng = createRng(resume.rng.augment.seed, resume.rng.augment);
    history = resume.history.map((record) => ({ ...record }));
    startEpoch = resume.position.epoch;
    startBatch = resume.position.batch;
    progress = { ...resume.epochProgress };
  }

  // Workers start last, after every check that could reject the options.
  const parallel =
    threads > 1
      ? await ParallelTrainer.start({
          threads,
          transport: options.parallel!,
          model,
          kernels,
          workerKernels: workerKernelsOf(options.backend, kernels),
          normalization: options.normalization,
          batchSize,
          evaluationBatchSize: options.evaluationBatchSize ?? 1000,
          dropoutSeed: root.fork('dropout').seed,
          datasets: [train, data.validation ?? null, evaluateTest ? data.test! : null],
          trainCount,
          validationIndices: split.validation,
        })
      : null;
  try {
    return await trainLoop();
  } finally {
    await parallel?.close();
  }

  async function trainLoop(): Promise<FitResult> {
    const context: RunContext = {
      kernels,
      training: true,
      get rng() {
        return dropoutRng;
      },
    };
    const input = new Float32Array(batchSize * inputSize);
    const labels = new Uint8Array(batchSize);
    const outputGrad = new Float32Array(batchSize * classes);
    const augmentBytes = options.augment ? (parallel?.augmented ?? new Uint8Array(batchSize * inputSize)) : null;
    const batchIndices = rangeOf(batchSize);
    const evaluator = new Evaluator(model, { batchSize: options.evaluationBatchSize ?? 1000, kernels, normalization: options.normalization });
    const batches = Math.ceil(trainCount / batchSize);
    const params = model.params;
    zeroGrads(params);

    let shuffleStateAtEpochStart = shuffleRng.getState();
    const makeCheckpoint = (epoch: number, batch: number): CheckpointState => ({
      format: 'nnkit-checkpoint',
      version: 1,
      seed,
      batchSize,
      trainCount,
      threads,
      position: { epoch, batch },
      params: tensorRecords(model.params),
      state: tensorRecords(layerState),
      optimizer: optimizer.getState(),
      schedule: schedule.getState(),
      rng: { shuffle: shuffleStateAtEpochStart, dropout: dropoutRng.getState(), augment: augmentRng.getState() },
      epochProgress: { ...progress },
      earlyStopping: earlyStopping ? earlyStopping.getState() : null,
      history: history.map((record) => ({ ...record })),
    });

    let stopReason: StopReason = 'completed';
    let lastYield = now();
    let batchesDone = 0; // in this call, for checkpoints every n batches
    const stopRequested = (): boolean => options.signal?.aborted === true;

    if (earlyStopping?.exhausted) stopReason = 'earlyStopping';
    else if (schedule.stopRequested) stopReason = 'schedule';
    epochLoop: for (let epoch = startEpoch; epoch < epochs && stopReason === 'completed'; epoch++) {
      shuffleStateAtEpochStart = shuffleRng.getState();
      const order = trainIndices.slice();
      if (options.shuffle !== false) shuffleRng.shuffle(order);
      parallel?.setOrder(order);
      optimizer.learningRate = schedule.learningRate;
      const epochStart = now() - progress.seconds * 1000;
      const firstBatch = epoch === startEpoch ? startBatch : 0;
      if (epoch !== startEpoch) progress = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };

      for (let b = firstBatch; b < batches; b++) {
        if (stopRequested()) {
          progress.seconds = (now() - epochStart) / 1000;
          if (options.checkpoint) await options.checkpoint.save(makeCheckpoint(epoch, b));
          stopReason = 'aborted';
          break epochLoop;
        }
        const start = b * batchSize;
        const end = Math.min(trainCount, start + batchSize);
        const rows = end - start;
        let loss: number;
        if (augmentBytes) {
          // Copy the batch's bytes so the hook can change them without touching the dataset.
          for (let r = 0; r < rows; r++) {
            const from = order[start + r] * inputSize;
            augmentBytes.set(train.images.subarray(from, from + inputSize), r * inputSize);
          }
          const bytes = augmentBytes.subarray(0, rows * inputSize);
          options.augment!(bytes, augmentRng, train.imageShape);
          if (!parallel) {
            const batchSet: Dataset = { images: bytes, labels: train.labels, count: rows, imageShape: train.imageShape, name: `${train.name}:augmented` };
            fillBatch(batchSet, batchIndices, 0, rows, input, options.normalization);
          }
        } else if (!parallel) {
          fillBatch(train, order, start, end, input, options.normalization);
        }
        if (parallel) {
          // Every thread fills, runs and back-propagates its share; param.grad receives the sum.
          const share = await parallel.train(epoch, b, start, rows, augmentBytes !== null, order);
          loss = share.loss;
          if (hasPenalty) loss += regularizationPenalty(params, penaltyOptions);
          if (!Number.isFinite(loss)) throw new TrainingDivergedError(epoch + 1, b + 1, batches, loss, optimizer.learningRate);
          progress.correct += share.correct;
        } else {
          fillLabels(train, order, start, end, labels);
          const batchLabels = labels.subarray(0, rows);

          const output = model.forward({ shape: [rows, ...model.inputShape], data: input.subarray(0, rows * inputSize) }, context);
          const gradient = outputGrad.subarray(0, rows * classes);
          loss = model.loss.compute(output, batchLabels, gradient);
          if (hasPenalty) loss += regularizationPenalty(params, penaltyOptions);
          if (!Number.isFinite(loss)) throw new TrainingDivergedError(epoch + 1, b + 1, batches, loss, optimizer.learningRate);
          for (let r = 0; r < rows; r++) if (argmaxRow(output.data, r, classes) === batchLabels[r]) progress.correct++;
          model.backward({ shape: output.shape, data: gradient }, context, { inputGrad: false });
        }
        if (options.clipGradientNorm !== undefined) clipGradientNorm(params, options.clipGradientNorm);
        optimizer.step(params, kernels);
        zeroGrads(params);
        progress.lossSum += loss * rows;
        progress.seen += rows;
        batchesDone++;

        const time = now();
        if (options.onBatchEnd && ((b + 1) % batchEndEvery === 0 || b + 1 === batches)) {
          const seconds = (time - epochStart) / 1000;
          await options.onBatchEnd({
            epoch: epoch + 1,
            batch: b + 1,
            batches,
            loss: progress.lossSum / progress.seen,
            accuracy: progress.correct / progress.seen,
            batchLoss: loss,
            imagesPerSecond: seconds > 0 ? progress.seen / seconds : 0,
            learningRate: optimizer.learningRate,
          });
        }
        if (options.checkpoint && typeof options.checkpoint.every === 'number' && batchesDone % options.checkpoint.every === 0 && b + 1 < batches) {
          progress.seconds = (now() - epochStart) / 1000;
          await options.checkpoint.save(makeCheckpoint(epoch, b + 1));
        }
        if (time - lastYield > yieldInterval) {
          await yieldToEventLoop();
          lastYield = now();
        }
      }

      // End of epoch: score, record, let the schedule and early stopping decide.
      const validationScore = !validation
        ? null
        : parallel
          ? await parallel.evaluate(validation.indices ? 0 : 1, validation.indices ? 1 : -1, validation.indices?.length ?? validation.dataset.count)
          : evaluator.run(validation.dataset, validation.indices);
      const testScore = !evaluateTest ? null : parallel ? await parallel.evaluate(2, -1, data.test!.count) : evaluator.run(data.test!);
      const record: EpochRecord = {
        epoch: epoch + 1,
        trainLoss: progress.lossSum / progress.seen,
        trainAccuracy: progress.correct / progress.seen,
        ...(validationScore ? { validationLoss: validationScore.loss, validationAccuracy: validationScore.accuracy } : {}),
        ...(testScore ? { testLoss: testScore.loss, testAccuracy: testScore.accuracy } : {}),
        learningRate: optimizer.learningRate,
        seconds: (now() - epochStart) / 1000,
      };
      history.push(record);
      schedule.epochEnd({
        epoch: epoch + 1,
        samplesSeen: (epoch + 1) * trainCount,
        trainLoss: record.trainLoss,
        validationAccuracy: record.validationAccuracy,
      });
      if (earlyStopping && earlyStopping.update(record, savedTensors)) stopReason = 'earlyStopping';
      else if (schedule.stopRequested) stopReason = 'schedule';
      progress = { lossSum: 0, correct: 0, seen: 0, seconds: 0 };
      // The next epoch starts from the shuffle stream as it is now.
      shuffleStateAtEpochStart = shuffleRng.getState();
      if (options.checkpoint) await options.checkpoint.save(makeCheckpoint(epoch + 1, 0));
      if (options.onEpochEnd) await options.onEpochEnd(record);
      lastYield = now();
      await yieldToEventLoop();
    }

    const restoredBest = stopReason !== 'aborted' && earlyStopping !== null && earlyStopping.restore(savedTensors);
    return {
      history,
      stopReason,
      optimizer,
      ...(earlyStopping ? { bestEpoch: earlyStopping.bestEpochNumber } : {}),
      restoredBest,
    };
  }
}
