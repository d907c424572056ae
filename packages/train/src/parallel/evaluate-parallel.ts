import type { Dataset } from '@nnkit/datasets';
import { jsKernels, sizeOf } from '@nnkit/tensor';
import { checkDatasetFits, evaluate, Evaluator, type EvaluateOptions, type EvaluateResult } from '../evaluate.js';
import type { TrainableModel } from '../model.js';
import { ParallelTrainer } from './parallel-trainer.js';
import type { WorkerTransport } from './protocol.js';

/** Options of `evaluateParallel`: those of `evaluate`, plus the threads and how to start them. */
export interface EvaluateParallelOptions extends EvaluateOptions {
  /** Threads scoring contiguous shares of the images (default 1: `evaluate` on this thread). */
  readonly threads?: number;
  /** How to start the workers when `threads` > 1: `nodeWorkers({workerUrl})` from `@nnkit/train/node`, or `webWorkers(create)`. */
  readonly parallel?: WorkerTransport;
}

/** Options of `ParallelEvaluator.start`: the threads, how to start them, and the most images one call scores. */
export interface ParallelEvaluatorOptions extends Omit<EvaluateParallelOptions, 'indices'> {
  /** The most images one `evaluate(indices)` call scores (default: the dataset's count). */
  readonly maxImages?: number;
}

function checkThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads <= 0) throw new RangeError(`evaluate: threads must be a positive integer, got ${String(threads)}`);
}

/**
 * Inference over `threads` threads whose workers start once and stay parked between calls:
 * score lists of images of one dataset many times (the model's current weights are copied to
 * the workers at every call, so it may train in between). Each call splits its images into
 * contiguous shares, this thread taking the first. `close()` stops the workers.
 */
export class ParallelEvaluator {
  /** Null on one thread: `evaluate` runs on this thread alone (no shared memory needed). */
  private readonly trainer: ParallelTrainer | null;
  /** One thread's evaluator, kept between calls with its buffers (null with workers). */
  private readonly own: Evaluator | null;
  private readonly options: ParallelEvaluatorOptions;
  private readonly model: TrainableModel;
  private readonly dataset: Dataset;
  private readonly maxImages: number;

  private constructor(trainer: ParallelTrainer | null, options: ParallelEvaluatorOptions, model: TrainableModel, dataset: Dataset, maxImages: number) {
    this.trainer = trainer;
    this.own = trainer === null ? new Evaluator(model, options) : null;
    this.options = options;
    this.model = model;
    this.dataset = dataset;
    this.maxImages = maxImages;
  }

  /** Starts `options.threads − 1` workers (each rebuilds the model from its `definition`) for `dataset`. */
  static async start(model: TrainableModel, dataset: Dataset, options: ParallelEvaluatorOptions): Promise<ParallelEvaluator> {
    const threads = options.threads ?? 1;
    checkThreads(threads);
    if (threads > 1 && options.parallel === undefined) throw new RangeError(`evaluate: threads ${threads} needs options.parallel: nodeWorkers({workerUrl}) from @nnkit/train/node, or webWorkers(create) in a browser`);
    checkDatasetFits(model, dataset, 'evaluate');
    const batchSize = options.batchSize ?? 1000;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`evaluate: batchSize must be a positive integer, got ${String(batchSize)}`);
    const maxImages = options.maxImages ?? dataset.count;
    if (!Number.isInteger(maxImages) || maxImages < 0) throw new RangeError(`evaluate: maxImages must be a non-negative integer, got ${String(maxImages)}`);
    if (threads === 1) return new ParallelEvaluator(null, options, model, dataset, maxImages);
    const trainer = await ParallelTrainer.start({
      threads,
      transport: options.parallel!,
      model,
      kernels: options.kernels ?? jsKernels,
      normalization: options.normalization,
      batchSize: 1,
      evaluationBatchSize: batchSize,
      dropoutSeed: 'evaluate',
      // The scored dataset travels as the run's training set; a call's images as its order.
      datasets: { train: dataset },
      heldOut: null,
      trainCount: maxImages,
      outputCount: Math.max(maxImages, dataset.count),
    });
    return new ParallelEvaluator(trainer, options, model, dataset, maxImages);
  }

  /** Mean loss, accuracy (NaN when unlabelled), predictions and probabilities of the dataset's images `indices` (default: all, in order). */
  async evaluate(indices?: ArrayLike<number>): Promise<EvaluateResult> {
    const count = indices === undefined ? this.dataset.count : indices.length;
    if (this.trainer === null) return this.own!.run(this.dataset, indices);
    if (indices !== undefined) {
      if (count > this.maxImages) throw new RangeError(`evaluate: ${count} images, the evaluator was started for at most ${this.maxImages}`);
      for (let i = 0; i < count; i++) {
        const index = indices[i];
        if (!(Number.isInteger(index) && index >= 0 && index < this.dataset.count)) throw new RangeError(`evaluate: index ${index} is outside ${this.dataset.name} (${this.dataset.count} images)`);
      }
      this.trainer.setOrder(indices instanceof Int32Array ? indices : Int32Array.from(indices));
    }
    const score = await this.trainer.evaluate({ dataset: 'train', indexList: indices === undefined ? 'all' : 'order' }, true, count);
    const outputs = this.trainer.evaluationOutputs;
    const labelled = this.dataset.unlabelled !== true;
    return {
      count,
      loss: labelled && count > 0 ? score.loss : NaN,
      accuracy: labelled && count > 0 ? score.accuracy : NaN,
      predictions: outputs.predictions.slice(0, count),
      probabilities: outputs.probabilities.slice(0, count * sizeOf(this.model.outputShape)),
    };
  }

  /** Stops the workers; safe to call twice. */
  async close(): Promise<void> {
    await this.trainer?.close();
  }
}

/**
 * `evaluate` with the images split into `threads` contiguous shares scored at once (this thread
 * takes the first; workers rebuild the model from its `definition`). Predictions and
 * probabilities equal `evaluate`'s up to float rounding of the kernels (the inference batches
 * start at other images); loss sums in another order. Workers start and stop inside the call;
 * `ParallelEvaluator` keeps them for many calls.
 */
export async function evaluateParallel(model: TrainableModel, dataset: Dataset, options: EvaluateParallelOptions = {}): Promise<EvaluateResult> {
  const threads = options.threads ?? 1;
  checkThreads(threads);
  if (threads === 1) return evaluate(model, dataset, options);
  const indices = options.indices === undefined ? undefined : Int32Array.from(options.indices);
  const evaluator = await ParallelEvaluator.start(model, dataset, { ...options, maxImages: indices?.length ?? 0 });
  try {
    return await evaluator.evaluate(indices);
  } finally {
    await evaluator.close();
  }
}
