import { createRng, sizeOf, type Kernels } from '@nnkit/tensor';
import { batchSource, imageSources, type BatchRequest } from '../batch-source.js';
import { Evaluator, type EvaluationOutputs } from '../evaluate.js';
import type { TrainableModel } from '../model.js';
import { datasetIds, indexListIds, resolveTarget, type DatasetId, type ReplicaSetup, type Replicas, type Score, type ScoreTarget } from '../replicas.js';
import { shareOf, TrainingStep, type ShareResult } from '../training-step.js';
import {
  Command,
  Control,
  controlLength,
  resultStride,
  shareDropoutSeed,
  type InitMessage,
  type SharedDataset,
  type WorkerEndpoint,
  type WorkerReply,
  type WorkerTransport,
} from './protocol.js';

/** What a `ParallelTrainer` needs beyond one replica's setup: the threads, how to start them, the dropout seed, the sizes of shared lists. */
export interface ParallelSetup extends ReplicaSetup {
  readonly threads: number;
  readonly transport: WorkerTransport;
  /** Seed text of the run's dropout stream; each thread's masks in each step fork from it. */
  readonly dropoutSeed: string;
  /** Images per epoch (the length of the training order). */
  readonly trainCount: number;
  /** The most images one evaluation that keeps predictions and probabilities scores (0: none does). */
  readonly outputCount?: number;
}

// Datasets copied into shared memory once, reused by later runs on the same arrays (ensembles).
const sharedCopies = new WeakMap<Uint8Array, Uint8Array>();

function sharedBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  let copy = sharedCopies.get(bytes);
  if (!copy) {
    copy = new Uint8Array(new SharedArrayBuffer(bytes.length));
    copy.set(bytes);
    sharedCopies.set(bytes, copy);
  }
  return copy;
}

function sharedFloats(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(4 * Math.max(length, 1)), 0, length);
}

/** `length` zeroed floats in `kernels`' own memory when it is a SharedArrayBuffer (workers can write it), else in a new one. */
function sharedKernelFloats(kernels: Kernels, length: number): Float32Array {
  const array = kernels.allocate?.(length);
  return array !== undefined && array.buffer instanceof SharedArrayBuffer ? array : sharedFloats(length);
}

function concatenatedViews(buffer: Float32Array, sizes: readonly number[]): Float32Array[] {
  let offset = 0;
  return sizes.map((size) => buffer.subarray(offset, (offset += size)));
}

type WaitAsync = (array: Int32Array, index: number, value: number) => { async: boolean; value: Promise<unknown> | string };

/**
 * Whether this thread may block in `Atomics.wait`: Node's main thread and workers may, a
 * browser's main thread may not (it throws before comparing the value).
 */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * How long `finish` blocks in `Atomics.wait` for the workers of one command before it waits
 * asynchronously: a step's workers finish within it, and a worker that died (whose failure
 * arrives as an event) holds the caller up no longer than this.
 */
const BLOCKING_WAIT_MS = 50;

/** The definition a worker rebuilds the model from (`Sequential.definition`), or an error naming what is missing. */
function definitionOf(model: TrainableModel): unknown {
  const definition = (model as { definition?: unknown }).definition;
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError('fit: threads > 1 needs a model built from a definition (Sequential from @nnkit/layers), so that worker threads can rebuild it');
  }
  return definition;
}

/**
 * The main thread's side of data parallelism. Thread 0 is the calling thread itself (its share
 * runs on the caller's model and kernels), threads 1…T−1 are workers, each with a replica of the
 * model. A step: the parameters and layer state are copied into shared memory, the command is
 * published by bumping a generation counter (Atomics.notify), every thread trains on its
 * contiguous share of the batch, and the main thread adds the workers' gradients into
 * param.grad in thread order (so the same thread count gives the same bytes) and combines the
 * layer state as the rows-weighted mean of the threads' states (batch-norm running statistics:
 * each thread normalises by its own share's statistics, like unsynchronised batch norm).
 */
export class ParallelTrainer implements Replicas {
  private readonly setup: ParallelSetup;
  private readonly threads: number;
  private readonly training: TrainingStep;
  private readonly evaluator: Evaluator;
  private readonly endpoints: WorkerEndpoint[] = [];
  private readonly control: Int32Array;
  private readonly results: Float64Array;
  private readonly paramViews: Float32Array[];
  private readonly stateViews: Float32Array[];
  private readonly gradBuffers: Float32Array[];
  private readonly gradViews: Float32Array[][];
  private readonly stateOutViews: Float32Array[][];
  private readonly order: Int32Array;
  private readonly heldOut: Int32Array;
  /** Shared buffer `fit` writes the batch's augmented image bytes into. */
  readonly augmented: Uint8Array;
  private readonly outputs: EvaluationOutputs;
  private readonly waitAsync: WaitAsync | undefined;
  private readonly blocking: boolean;
  private failure: Error | null = null;
  private failed: Promise<never>;
  private fail: (error: Error) => void = () => {};
  private closed = false;

  private constructor(setup: ParallelSetup) {
    if (typeof SharedArrayBuffer === 'undefined') {
      throw new Error('fit: threads > 1 needs SharedArrayBuffer (in a browser: a cross-origin isolated page, served with COOP/COEP headers)');
    }
    this.setup = setup;
    this.threads = setup.threads;
    const { model, threads } = setup;
    this.training = new TrainingStep(model, setup.kernels, setup);
    this.evaluator = new Evaluator(model, { batchSize: setup.evaluationBatchSize, kernels: setup.kernels, normalization: setup.normalization });
    const paramSizes = model.params.map((param) => param.value.data.length);
    const stateSizes = (model.state ?? []).map((entry) => entry.value.data.length);
    const paramTotal = paramSizes.reduce((a, b) => a + b, 0);
    const stateTotal = stateSizes.reduce((a, b) => a + b, 0);
    this.control = new Int32Array(new SharedArrayBuffer(4 * controlLength(threads)));
    this.results = new Float64Array(new SharedArrayBuffer(8 * resultStride * threads));
    const params = sharedFloats(paramTotal);
    const state = sharedFloats(stateTotal);
    this.paramViews = concatenatedViews(params, paramSizes);
    this.stateViews = concatenatedViews(state, stateSizes);
    // The workers' gradients in the kernels' own memory when it is shared (wasm): the sum below
    // then runs as a kernel on them in place. The arrays themselves are kept (their memory is
    // reused once they are garbage-collected).
    this.gradBuffers = Array.from({ length: threads }, (_, thread) => (thread > 0 ? sharedKernelFloats(setup.kernels, paramTotal) : sharedFloats(0)));
    const grads = this.gradBuffers;
    const statesOut = Array.from({ length: threads }, () => sharedFloats(stateTotal));
    this.gradViews = grads.map((grad) => concatenatedViews(grad, paramSizes));
    this.stateOutViews = statesOut.map((stateOut) => concatenatedViews(stateOut, stateSizes));
    this.order = new Int32Array(new SharedArrayBuffer(4 * Math.max(setup.trainCount, 1)), 0, setup.trainCount);
    const imageSize = sizeOf(model.inputShape);
    this.augmented = new Uint8Array(new SharedArrayBuffer(Math.max(setup.batchSize * imageSize, 1)), 0, setup.batchSize * imageSize);
    const heldOutCount = setup.heldOut?.length ?? 0;
    this.heldOut = new Int32Array(new SharedArrayBuffer(4 * Math.max(heldOutCount, 1)), 0, heldOutCount);
    if (setup.heldOut) this.heldOut.set(setup.heldOut);
    const outputCount = setup.outputCount ?? 0;
    const classes = sizeOf(model.outputShape);
    this.outputs = {
      predictions: new Uint8Array(new SharedArrayBuffer(Math.max(outputCount, 1)), 0, outputCount),
      probabilities: sharedFloats(outputCount * classes),
    };
    this.waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
    this.blocking = mayBlock();
    this.failed = new Promise<never>((_resolve, reject) => {
      this.fail = (error) => {
        if (this.failure === null) this.failure = error;
        reject(this.failure);
      };
    });
    this.failed.catch(() => {}); // observed by whoever waits; never an unhandled rejection

    const definition = definitionOf(model);
    const frozenLayers = (model as { frozenLayers?: () => number[] }).frozenLayers?.() ?? [];
    const datasets: Partial<Record<DatasetId, SharedDataset>> = {};
    for (const id of datasetIds) {
      const dataset = setup.datasets[id];
      if (dataset) datasets[id] = { images: sharedBytes(dataset.images), labels: sharedBytes(dataset.labels), count: dataset.count, imageShape: [...dataset.imageShape], name: dataset.name, unlabelled: dataset.unlabelled === true };
    }
    // The app's description of the kernels; by default the workers' factory gets the main thread's kernels' name.
    const kernels = setup.transport.kernels ?? setup.kernels.name;
    for (let thread = 1; thread < threads; thread++) {
      const init: InitMessage = {
        type: 'nnkit-train-init',
        thread,
        threads,
        definition,
        frozenLayers,
        kernels,
        normalization: setup.normalization,
        batchSize: setup.batchSize,
        evaluationBatchSize: setup.evaluationBatchSize,
        dropoutSeed: setup.dropoutSeed,
        control: this.control,
        results: this.results,
        params,
        state,
        grad: grads[thread],
        stateOut: statesOut[thread],
        datasets,
        indexLists: { order: this.order, heldOut: this.heldOut },
        augmented: this.augmented,
        predictions: this.outputs.predictions,
        probabilities: this.outputs.probabilities,
      };
      const endpoint = setup.transport.spawn(thread);
      this.endpoints.push(endpoint);
      endpoint.onFailure((error) => this.fail(new Error(`fit: worker thread ${thread} failed: ${error.message}`)));
      endpoint.postMessage(init);
    }
  }

  /** Starts the workers and waits until every one has rebuilt the model (checking it matches). */
  static async start(setup: ParallelSetup): Promise<ParallelTrainer> {
    await setup.transport.prepare?.();
    const trainer = new ParallelTrainer(setup);
    try {
      await trainer.ready();
    } catch (error) {
      await trainer.close();
      throw error;
    }
    return trainer;
  }

  private ready(): Promise<void> {
    const { model } = this.setup;
    const paramSizes = model.params.map((param) => param.value.data.length);
    const stateSizes = (model.state ?? []).map((entry) => entry.value.data.length);
    const replies = this.endpoints.map(
      (endpoint) =>
        new Promise<void>((resolve) => {
          endpoint.onMessage((message) => {
            const reply = message as WorkerReply;
            if (reply.type === 'nnkit-train-error') this.fail(new Error(`fit: worker thread ${reply.thread}: ${reply.message}`));
            else if (reply.type === 'nnkit-train-ready') {
              const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((value, i) => value === b[i]);
              if (!same(reply.paramSizes, paramSizes) || !same(reply.stateSizes, stateSizes)) {
                this.fail(new Error(`fit: worker thread ${reply.thread} rebuilt a model with other parameters than the one being trained: its definition does not describe it`));
              } else resolve();
            }
          });
        }),
    );
    return Promise.race([Promise.all(replies).then(() => undefined), this.failed]);
  }

  /** Publishes the epoch's training order to the workers. */
  setOrder(order: Int32Array): void {
    this.order.set(order);
  }

  private publish(command: number): number {
    if (this.failure) throw this.failure;
    const { model } = this.setup;
    for (let i = 0; i < this.paramViews.length; i++) this.paramViews[i].set(model.params[i].value.data);
    const state = model.state ?? [];
    for (let i = 0; i < this.stateViews.length; i++) this.stateViews[i].set(state[i].value.data);
    this.control[Control.command] = command;
    const generation = Atomics.add(this.control, Control.generation, 1) + 1;
    Atomics.notify(this.control, Control.generation);
    return generation;
  }

  /**
   * Waits until every worker finished `generation`: first blocking (where the thread may), which
   * wakes within microseconds of the last worker's notify, then through the event loop, where
   * a worker's failure is delivered.
   */
  private async finish(generation: number): Promise<void> {
    const control = this.control;
    const blockUntil = this.blocking ? performance.now() + BLOCKING_WAIT_MS : 0;
    for (let thread = 1; thread < this.threads; thread++) {
      const done = Control.header + thread;
      for (;;) {
        const value = Atomics.load(control, done);
        if (value === generation) break;
        if (this.failure) throw this.failure;
        const left = blockUntil - performance.now();
        if (left > 0) {
          Atomics.wait(control, done, value, left);
        } else if (this.waitAsync) {
          const waiting = this.waitAsync(control, done, value);
          if (waiting.async) await Promise.race([waiting.value, this.failed]);
        } else {
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
      }
      if (control[Control.header + this.threads + thread] !== 0) {
        // The worker posted its error before finishing; wait for the message to arrive.
        await this.failed;
      }
    }
  }

  /**
   * One mini-batch over all threads: thread 0's share runs here on the caller's model while
   * the workers run theirs; the workers' gradients are then added into param.grad (zero
   * before) in thread order and the layer state becomes the rows-weighted mean of the
   * threads' states. Returns the batch's mean loss and right answers.
   */
  async step(request: BatchRequest): Promise<ShareResult> {
    const { control, threads, setup } = this;
    const { rows } = request;
    control[Control.epoch] = request.epoch;
    control[Control.batch] = request.batch;
    control[Control.position] = request.position;
    control[Control.rows] = rows;
    control[Control.images] = imageSources.indexOf(request.images);
    const generation = this.publish(Command.train);
    // Thread 0's share, here, while the workers do theirs.
    const { from, to } = shareOf(rows, threads, 0);
    const batch = batchSource(request, { train: setup.datasets.train!, order: this.order, augmented: this.augmented });
    const share = this.training.run(batch, from, to, createRng(shareDropoutSeed(setup.dropoutSeed, request.epoch, request.batch, 0)));
    let lossSum = share.loss * (to - from);
    let correct = share.correct;
    await this.finish(generation);
    const { model } = setup;
    for (let thread = 1; thread < threads; thread++) {
      const grads = this.gradViews[thread];
      // target + 1·source in float64 rounded to float32 is the float32 sum, bit for bit.
      for (let i = 0; i < grads.length; i++) setup.kernels.axpy(1, grads[i], model.params[i].grad.data, grads[i].length);
      lossSum += this.results[thread * resultStride];
      correct += this.results[thread * resultStride + 1];
    }
    // Layer state: the rows-weighted mean of the threads' states, thread 0 (this model) first.
    const state = model.state ?? [];
    for (let i = 0; i < state.length; i++) {
      const target = state[i].value.data;
      const ownWeight = (to - from) / rows;
      for (let j = 0; j < target.length; j++) target[j] *= ownWeight;
      for (let thread = 1; thread < threads; thread++) {
        const share = shareOf(rows, threads, thread);
        const weight = (share.to - share.from) / rows;
        const source = this.stateOutViews[thread][i];
        for (let j = 0; j < target.length; j++) target[j] += weight * source[j];
      }
    }
    return { loss: lossSum / rows, correct };
  }

  /** Scores the target's images in inference mode, each thread a contiguous share. */
  score(target: ScoreTarget): Promise<Score> {
    return this.evaluate(target, false);
  }

  /**
   * Scores the target's images (the first `limit` of them when given), each thread a contiguous
   * share: mean loss and accuracy; with `keepOutputs`, every thread writes its images'
   * predictions and probabilities into `evaluationOutputs`.
   */
  async evaluate(target: ScoreTarget, keepOutputs: boolean, limit?: number): Promise<Score> {
    const { control, threads, setup } = this;
    const { dataset, indices } = resolveTarget(target, setup.datasets, { order: this.order, heldOut: this.heldOut });
    // The first `limit` images of the list (workers read the count from Control.rows).
    const count = limit === undefined ? indices.length : Math.min(limit, indices.length);
    if (keepOutputs && count > this.outputs.predictions.length) throw new RangeError(`evaluate: ${count} images, outputs sized for ${this.outputs.predictions.length}`);
    control[Control.dataset] = datasetIds.indexOf(target.dataset);
    control[Control.indexList] = indexListIds.indexOf(target.indexList);
    control[Control.rows] = count;
    control[Control.outputs] = keepOutputs ? 1 : 0;
    const generation = this.publish(Command.evaluate);
    const { from, to } = shareOf(count, threads, 0);
    const share = this.evaluator.score(dataset, indices, from, to, keepOutputs ? this.outputs : undefined);
    let lossSum = share.lossSum;
    let correct = share.correct;
    await this.finish(generation);
    for (let thread = 1; thread < threads; thread++) {
      lossSum += this.results[thread * resultStride];
      correct += this.results[thread * resultStride + 1];
    }
    return { loss: count > 0 ? lossSum / count : NaN, accuracy: count > 0 ? correct / count : NaN };
  }

  /** The predictions and probabilities the latest `evaluate(…, true)` wrote (shared memory; copy them). */
  get evaluationOutputs(): EvaluationOutputs {
    return this.outputs;
  }

  /** Tells the workers to exit and terminates them (also after a failure); safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.control[Control.command] = Command.exit;
    Atomics.add(this.control, Control.generation, 1);
    Atomics.notify(this.control, Control.generation);
    await Promise.all(this.endpoints.map((endpoint) => Promise.resolve(endpoint.terminate()).catch(() => undefined)));
  }
}
