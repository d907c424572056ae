import { fillBatch, fillLabels, type Dataset, type Normalization } from '@nnkit/datasets';
import { createRng, sizeOf, type Kernels, type Rng } from '@nnkit/tensor';
import { argmaxRow, type RunContext, type TrainableModel } from './model.js';

/** Sums a thread reports for its share of a batch or of an evaluation: Σ loss · rows and the number classified right. */
export interface ShareResult {
  lossSum: number;
  correct: number;
}

/** Rows [from, to) of `count` that thread `thread` of `threads` takes: contiguous, sizes differing by at most one. */
export function shareOf(count: number, threads: number, thread: number): { from: number; to: number } {
  return { from: Math.floor((count * thread) / threads), to: Math.floor((count * (thread + 1)) / threads) };
}

/** The seed of the dropout stream of one thread in one step: independent of the position in any other stream, so resume is exact. */
export function shareDropoutSeed(dropoutSeed: string, epoch: number, batch: number, thread: number): string {
  return `${dropoutSeed}/epoch ${epoch + 1} batch ${batch + 1} thread ${thread}`;
}

class ReplicaContext implements RunContext {
  training = true;
  rng: Rng;
  constructor(readonly kernels: Kernels) {
    this.rng = createRng('replica');
  }
}

/**
 * One thread's copy of the model with its own kernels and batch buffers: trains on a share of a
 * mini-batch (its gradient scaled so that the shares of all threads add up to the batch mean)
 * or scores a share of a dataset. The main thread keeps one around the caller's model, each
 * worker one around its rebuilt model.
 */
export class Replica {
  readonly model: TrainableModel;
  private readonly context: ReplicaContext;
  private readonly normalization: Normalization | undefined;
  private readonly inputSize: number;
  private readonly classes: number;
  private readonly input: Float32Array;
  private readonly labels: Uint8Array;
  private readonly outputGrad: Float32Array;
  private readonly evaluationBatchSize: number;

  constructor(model: TrainableModel, kernels: Kernels, options: { batchSize: number; evaluationBatchSize: number; normalization?: Normalization }) {
    this.model = model;
    this.context = new ReplicaContext(kernels);
    this.normalization = options.normalization;
    this.inputSize = sizeOf(model.inputShape);
    this.classes = sizeOf(model.outputShape);
    this.evaluationBatchSize = options.evaluationBatchSize;
    const rows = Math.max(options.batchSize, options.evaluationBatchSize);
    this.input = new Float32Array(rows * this.inputSize);
    this.labels = new Uint8Array(rows);
    this.outputGrad = new Float32Array(options.batchSize * this.classes);
  }

  /**
   * Forward, loss and backward on images `indices[from..to)` of `images` (labels
   * `labelIndices[labelFrom…]` of `labelled`), adding dLoss/dθ · (to − from)/batchRows into
   * every param.grad: the chunk's mean gradient weighted by its share of the batch. `rng` draws
   * the dropout masks. Returns Σ loss and the number of right answers (dropout on).
   */
  train(
    images: Dataset,
    indices: ArrayLike<number>,
    from: number,
    to: number,
    labelled: Dataset,
    labelIndices: ArrayLike<number>,
    labelFrom: number,
    batchRows: number,
    rng: Rng,
    result: ShareResult,
  ): ShareResult {
    const rows = to - from;
    result.lossSum = 0;
    result.correct = 0;
    if (rows === 0) return result;
    const { model, context, classes } = this;
    fillBatch(images, indices, from, to, this.input, this.normalization);
    fillLabels(labelled, labelIndices, labelFrom, labelFrom + rows, this.labels);
    const labels = this.labels.subarray(0, rows);
    context.training = true;
    context.rng = rng;
    const output = model.forward({ shape: [rows, ...model.inputShape], data: this.input.subarray(0, rows * this.inputSize) }, context);
    const gradient = this.outputGrad.subarray(0, rows * classes);
    const loss = model.loss.compute(output, labels, gradient);
    // The loss divides by this chunk's rows; the batch mean divides by all of the batch's rows.
    if (rows !== batchRows) {
      const weight = rows / batchRows;
      for (let i = 0; i < gradient.length; i++) gradient[i] *= weight;
    }
    let correct = 0;
    for (let r = 0; r < rows; r++) if (argmaxRow(output.data, r, classes) === labels[r]) correct++;
    model.backward({ shape: output.shape, data: gradient }, context, { inputGrad: false });
    result.lossSum = loss * rows;
    result.correct = correct;
    return result;
  }

  /**
   * Inference on images `indices[from..to)` of `dataset`, `evaluationBatchSize` at a time: Σ loss
   * and right answers; with `outputs`, also the predicted classes and the probabilities
   * `[classes]` of image i at position i of them.
   */
  evaluate(
    dataset: Dataset,
    indices: ArrayLike<number>,
    from: number,
    to: number,
    result: ShareResult,
    outputs?: { readonly predictions: Uint8Array; readonly probabilities: Float32Array },
  ): ShareResult {
    const { model, context, classes } = this;
    context.training = false;
    let lossSum = 0;
    let correct = 0;
    for (let start = from; start < to; start += this.evaluationBatchSize) {
      const end = Math.min(to, start + this.evaluationBatchSize);
      const rows = end - start;
      fillBatch(dataset, indices, start, end, this.input, this.normalization);
      fillLabels(dataset, indices, start, end, this.labels);
      const output = model.forward({ shape: [rows, ...model.inputShape], data: this.input.subarray(0, rows * this.inputSize) }, context);
      const labels = this.labels.subarray(0, rows);
      lossSum += model.loss.compute(output, labels, null) * rows;
      for (let r = 0; r < rows; r++) if (argmaxRow(output.data, r, classes) === labels[r]) correct++;
      if (outputs) {
        model.loss.probabilities(output, outputs.probabilities.subarray(start * classes, end * classes));
        for (let r = 0; r < rows; r++) outputs.predictions[start + r] = argmaxRow(output.data, r, classes);
      }
    }
    result.lossSum = lossSum;
    result.correct = correct;
    return result;
  }
}
