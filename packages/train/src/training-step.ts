import { fillBatch, fillLabels, type Normalization } from '@nnkit/datasets';
import { createRng, sizeOf, type Kernels, type Rng } from '@nnkit/tensor';
import type { BatchSource } from './batch-source.js';
import { argmaxRow, type RunContext, type TrainableModel } from './model.js';

/** Rows [from, to) of `count` that thread `thread` of `threads` takes: contiguous, sizes differing by at most one. */
export function shareOf(count: number, threads: number, thread: number): { from: number; to: number } {
  return { from: Math.floor((count * thread) / threads), to: Math.floor((count * (thread + 1)) / threads) };
}

/** What one share of a step reports: its mean loss and how many of its rows were classified right. */
export interface ShareResult {
  loss: number;
  correct: number;
}

class StepContext implements RunContext {
  training = true;
  rng: Rng = createRng('training step');
  constructor(readonly kernels: Kernels) {}
}

/**
 * Nielsen's `update_mini_batch` without the update: back-propagation over one share of a
 * mini-batch. One thread runs the whole batch as its share; with T threads each runs
 * `shareOf(rows, T, t)` on its own replica of the model. Buffers are allocated once.
 */
export class TrainingStep {
  readonly model: TrainableModel;
  private readonly context: StepContext;
  private readonly normalization: Normalization | undefined;
  private readonly inputSize: number;
  private readonly classes: number;
  private readonly input: Float32Array;
  private readonly labels: Uint8Array;
  private readonly outputGrad: Float32Array;
  private readonly result: ShareResult = { loss: 0, correct: 0 };

  constructor(model: TrainableModel, kernels: Kernels, options: { readonly batchSize: number; readonly normalization?: Normalization | undefined }) {
    this.model = model;
    this.context = new StepContext(kernels);
    this.normalization = options.normalization;
    this.inputSize = sizeOf(model.inputShape);
    this.classes = sizeOf(model.outputShape);
    // In the kernels' own memory when they have some: the first layer reads it without a copy.
    this.input = kernels.allocate?.(options.batchSize * this.inputSize) ?? new Float32Array(options.batchSize * this.inputSize);
    this.labels = new Uint8Array(options.batchSize);
    this.outputGrad = new Float32Array(options.batchSize * this.classes);
  }

  /**
   * Fills rows [from, to) of `batch`, runs forward (training mode, dropout masks from `rng`),
   * the loss and backward, adding dLoss/dθ · (to − from)/batch.rows into every param.grad: the
   * share's mean gradient weighted by its part of the batch, so the shares of all threads add
   * up to the batch mean. Returns the share's mean loss and right answers (reused object).
   */
  run(batch: BatchSource, from: number, to: number, rng: Rng): ShareResult {
    const rows = to - from;
    const result = this.result;
    result.loss = 0;
    result.correct = 0;
    if (rows === 0) return result;
    const { model, context, classes } = this;
    fillBatch(batch.images, batch.imageOrder, batch.imageStart + from, batch.imageStart + to, this.input, this.normalization, context.kernels);
    fillLabels(batch.labelled, batch.labelOrder, batch.labelStart + from, batch.labelStart + to, this.labels);
    const labels = this.labels.subarray(0, rows);
    context.rng = rng;
    const output = model.forward({ shape: [rows, ...model.inputShape], data: this.input.subarray(0, rows * this.inputSize) }, context);
    const gradient = this.outputGrad.subarray(0, rows * classes);
    result.loss = model.loss.compute(output, labels, gradient);
    // The loss divides by this share's rows; the batch mean divides by all of the batch's rows.
    if (rows !== batch.rows) {
      const weight = rows / batch.rows;
      for (let i = 0; i < gradient.length; i++) gradient[i] *= weight;
    }
    for (let r = 0; r < rows; r++) if (argmaxRow(output.data, r, classes) === labels[r]) result.correct++;
    model.backward({ shape: output.shape, data: gradient }, context, { inputGrad: false });
    return result;
  }
}
