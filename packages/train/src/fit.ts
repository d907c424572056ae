import { clipGradientNorm, regularizationPenalty } from '@nnkit/optim';
import { sizeOf, zeroGrads } from '@nnkit/tensor';
import { copyBatchBytes, type BatchRequest } from './batch-source.js';
import { isLossDiverged } from './divergence.js';
import { startFineTuning } from './fine-tune.js';
import { planRun, TrainingDivergedError, type AveragedScores, type FitData, type FitOptions, type FitResult, type RunPlan, type StopReason } from './fit-options.js';
import type { EpochRecord } from './history.js';
import { now, type TrainableModel } from './model.js';
import { ParallelTrainer } from './parallel/parallel-trainer.js';
import { LocalReplica, type Replicas } from './replicas.js';

const yieldInterval = 100; // ms of work between returns to the event loop (abort signals, UI)

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Trains `model` by mini-batch gradient descent, following Nielsen's `SGD`/`update_mini_batch`:
 * every epoch shuffles the training indices with the seeded 'shuffle' stream, slices them into
 * mini-batches, and for each runs forward, the loss (mean over the batch, so gradients are
 * batch means), backward, one optimizer step, and zeroes the gradients; then scores
 * validation/test data, steps the schedule and early stopping, and reports through callbacks.
 * The caller's datasets are never modified. Same seed, data and options ⇒ the same
 * parameters, byte for byte, including across a checkpoint and resume.
 *
 * With kernels that own memory (`kernels.allocate`, the wasm kernels), the parameters' value
 * and gradient arrays are first moved there (same numbers, new arrays): read them through
 * `model.params` after `fit`, not through arrays taken before it.
 */
export async function fit(model: TrainableModel, data: FitData, options: FitOptions): Promise<FitResult> {
  startFineTuning(model, options);
  const plan = planRun(model, data, options);
  const replicas = await startReplicas(model, plan, options);
  try {
    return await trainEpochs({ model, plan, replicas, options, batches: Math.ceil(plan.trainIndices.length / plan.batchSize) });
  } finally {
    await replicas.close();
  }
}

/** A run in progress: the model, its plan, the threads it trains on, the caller's options, batches per epoch. */
interface Run {
  readonly model: TrainableModel;
  readonly plan: RunPlan;
  readonly replicas: Replicas;
  readonly options: FitOptions;
  readonly batches: number;
}

/** The epoch loop: shuffle, mini-batches, then score, record, and let the schedule and early stopping decide. */
async function trainEpochs(run: Run): Promise<FitResult> {
  const { model, plan, replicas, options, batches } = run;
  const { state, schedule, earlyStopping, optimizer } = plan;
  const savedTensors = [...model.params, ...(model.state ?? [])];
  let stopReason: StopReason = earlyStopping?.exhausted ? 'earlyStopping' : schedule.stopRequested ? 'schedule' : 'completed';
  let lastYield = now();
  let batchesDone = 0; // in this call, for checkpoints every n batches
  zeroGrads(model.params, plan.kernels);

  epochs: for (let epoch = state.start.epoch; epoch < plan.epochs && stopReason === 'completed'; epoch++) {
    const { order, firstBatch } = state.beginEpoch(epoch, plan.trainIndices, options.shuffle !== false);
    replicas.setOrder(order);
    optimizer.learningRate = schedule.learningRate;
    const epochStart = now() - state.progress.seconds * 1000;
    const saveCheckpoint = async (position: number): Promise<void> => {
      state.progress.seconds = (now() - epochStart) / 1000;
      await options.checkpoint?.save(state.checkpoint(epoch, position));
    };

    for (let b = firstBatch; b < batches; b++) {
      if (options.signal?.aborted === true) {
        await saveCheckpoint(b);
        stopReason = 'aborted';
        break epochs;
      }
      const loss = await updateMiniBatch(run, order, epoch, b);
      plan.averaging?.afterStep(epoch);
      batchesDone++;
      const time = now();
      if (options.onBatchEnd && ((b + 1) % plan.batchEndEvery === 0 || b + 1 === batches)) {
        const { lossSum, correct, seen } = state.progress;
        const seconds = (time - epochStart) / 1000;
        await options.onBatchEnd({
          epoch: epoch + 1,
          batch: b + 1,
          batches,
          loss: lossSum / seen,
          accuracy: correct / seen,
          batchLoss: loss,
          imagesPerSecond: seconds > 0 ? seen / seconds : 0,
          learningRate: optimizer.learningRate,
        });
      }
      const every = options.checkpoint?.every;
      if (typeof every === 'number' && batchesDone % every === 0 && b + 1 < batches) await saveCheckpoint(b + 1);
      if (time - lastYield > yieldInterval) {
        await yieldToEventLoop();
        lastYield = now();
      }
    }

    const record = await scoreEpoch(run, epoch, epochStart);
    state.endEpoch(record);
    plan.averaging?.afterEpoch(epoch);
    schedule.epochEnd({ epoch: epoch + 1, samplesSeen: (epoch + 1) * plan.trainIndices.length, trainLoss: record.trainLoss, validationAccuracy: record.validationAccuracy });
    if (earlyStopping && earlyStopping.update(record, savedTensors)) stopReason = 'earlyStopping';
    else if (schedule.stopRequested) stopReason = 'schedule';
    await options.checkpoint?.save(state.checkpoint(epoch + 1, 0));
    if (options.onEpochEnd) await options.onEpochEnd(record);
    lastYield = now();
    await yieldToEventLoop();
  }

  const restoredBest = stopReason !== 'aborted' && earlyStopping !== null && earlyStopping.restore(savedTensors);
  const averaged = stopReason !== 'aborted' && plan.averaging !== null && plan.averaging.apply() ? await scoreHeldOut(run) : null;
  return {
    history: state.history,
    stopReason,
    optimizer,
    ...(earlyStopping ? { bestEpoch: earlyStopping.bestEpochNumber } : {}),
    restoredBest,
    ...(averaged ? { averaged } : {}),
  };
}

/**
 * Nielsen's `update_mini_batch`: back-propagate batch `b` of the epoch's order on every
 * replica (param.grad receives the batch mean), add the regularization penalty to the loss,
 * take one optimizer step and zero the gradients. Returns the batch's loss.
 */
async function updateMiniBatch(run: Run, order: Int32Array, epoch: number, b: number): Promise<number> {
  const { model, plan, replicas, options } = run;
  const { state, optimizer, batchSize, schedule } = plan;
  // Warm-up and one-cycle schedules set η every step; the others only between epochs.
  if (schedule.stepRate) optimizer.learningRate = schedule.stepRate(epoch * run.batches + b, run.batches);
  const position = b * batchSize;
  const rows = Math.min(order.length, position + batchSize) - position;
  const request: BatchRequest = { epoch, batch: b, position, rows, images: options.augment ? 'augmented' : 'dataset' };
  if (request.images === 'augmented') {
    // The hook changes a copy of the batch's bytes, never the dataset.
    const train = plan.datasets.train!;
    const bytes = copyBatchBytes(train, order, position, rows, replicas.augmented, sizeOf(model.inputShape));
    options.augment!(bytes, state.augment, train.imageShape);
  }
  const share = await replicas.step(request);
  let loss = share.loss;
  const penalty = optimizer.config;
  if ((penalty.l1 ?? 0) > 0 || (penalty.l2 ?? 0) > 0) loss += regularizationPenalty(model.params, penalty);
  if (isLossDiverged(loss)) throw new TrainingDivergedError(epoch + 1, b + 1, run.batches, loss, optimizer.learningRate);
  const clip = options.clipGradientNorm;
  if (clip !== undefined) clipGradientNorm(model.params, clip);
  optimizer.step(model.params, plan.kernels);
  zeroGrads(model.params, plan.kernels);
  state.addBatch(loss, rows, share.correct);
  return loss;
}

/** The epoch's record: the running training sums, then validation (when its turn) and test scores from the replicas. */
async function scoreEpoch(run: Run, epoch: number, epochStart: number): Promise<EpochRecord> {
  const { plan } = run;
  const { lossSum, correct, seen } = plan.state.progress;
  const validate = (epoch + 1) % plan.validateEvery === 0 || epoch + 1 === plan.epochs;
  return {
    epoch: epoch + 1,
    trainLoss: lossSum / seen,
    trainAccuracy: correct / seen,
    ...(await scoreHeldOut(run, validate)),
    learningRate: run.plan.optimizer.learningRate,
    seconds: (now() - epochStart) / 1000,
  };
}

/** Validation (unless `validate` is false) and test scores of the model's weights as they are (the replicas copy them before scoring). */
async function scoreHeldOut({ plan, replicas }: Run, validate = true): Promise<AveragedScores> {
  const validation = plan.validation && validate ? await replicas.score(plan.validation) : null;
  const test = plan.test ? await replicas.score(plan.test) : null;
  return {
    ...(validation ? { validationLoss: validation.loss, validationAccuracy: validation.accuracy } : {}),
    ...(test ? { testLoss: test.loss, testAccuracy: test.accuracy } : {}),
  };
}

/** One thread (the whole batch is its share), or the calling thread plus `threads − 1` workers started last, after every check. */
async function startReplicas(model: TrainableModel, plan: RunPlan, options: FitOptions): Promise<Replicas> {
  const setup = {
    model,
    kernels: plan.kernels,
    normalization: options.normalization,
    batchSize: plan.batchSize,
    evaluationBatchSize: options.evaluationBatchSize ?? 1000,
    datasets: plan.datasets,
    heldOut: plan.heldOut,
  };
  if (plan.threads === 1) return new LocalReplica(setup, () => plan.state.dropout);
  return ParallelTrainer.start({ ...setup, threads: plan.threads, transport: options.parallel!, dropoutSeed: plan.dropoutSeed, trainCount: plan.trainIndices.length });
}
