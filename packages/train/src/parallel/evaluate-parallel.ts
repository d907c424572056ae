import type { Dataset } from '@nnkit/datasets';
import { jsKernels, sizeOf } from '@nnkit/tensor';
import { checkDatasetFits, evaluate, type EvaluateOptions, type EvaluateResult } from '../evaluate.js';
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

/**
 * `evaluate` with the images split into `threads` contiguous shares scored at once (this thread
 * takes the first; workers rebuild the model from its `definition`). Predictions and
 * probabilities equal `evaluate`'s up to float rounding of the kernels (the inference batches
 * start at other images); loss sums in another order. Workers start and stop inside the call.
 */
export async function evaluateParallel(model: TrainableModel, dataset: Dataset, options: EvaluateParallelOptions = {}): Promise<EvaluateResult> {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads <= 0) throw new RangeError(`evaluate: threads must be a positive integer, got ${String(threads)}`);
  if (threads === 1) return evaluate(model, dataset, options);
  if (options.parallel === undefined) throw new RangeError(`evaluate: threads ${threads} needs options.parallel: nodeWorkers({workerUrl}) from @nnkit/train/node, or webWorkers(create) in a browser`);
  checkDatasetFits(model, dataset, 'evaluate');
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`evaluate: batchSize must be a positive integer, got ${String(batchSize)}`);
  const kernels = options.kernels ?? jsKernels;
  const indices = options.indices === undefined ? null : Int32Array.from(options.indices);
  const count = indices ? indices.length : dataset.count;
  const trainer = await ParallelTrainer.start({
    threads,
    transport: options.parallel,
    model,
    kernels,
    normalization: options.normalization,
    batchSize: 1,
    evaluationBatchSize: batchSize,
    dropoutSeed: 'evaluate',
    // The scored dataset travels as the run's test set; a subset as held-out indices into it.
    datasets: indices ? { train: dataset } : { test: dataset },
    heldOut: indices,
    trainCount: 0,
    outputCount: count,
  });
  try {
    const score = await trainer.evaluate(indices ? { dataset: 'train', indexList: 'heldOut' } : { dataset: 'test', indexList: 'all' }, true);
    const outputs = trainer.evaluationOutputs;
    const labelled = dataset.unlabelled !== true;
    return {
      count,
      loss: labelled && count > 0 ? score.loss : NaN,
      accuracy: labelled && count > 0 ? score.accuracy : NaN,
      predictions: outputs.predictions.slice(0, count),
      probabilities: outputs.probabilities.slice(0, count * sizeOf(model.outputShape)),
    };
  } finally {
    await trainer.close();
  }
}
