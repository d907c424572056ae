import { fillBatch, fillLabels, type Dataset, type Normalization } from '@nnkit/datasets';
import { createRng, formatShape, jsKernels, sizeOf, type Kernels, type Tensor } from '@nnkit/tensor';
import { argmaxRow, type RunContext, type TrainableModel } from './model.js';

/** Options of `evaluate`: inference batch size (default 1000), backend, pixel normalization, a subset of images. */
export interface EvaluateOptions {
  readonly batchSize?: number;
  readonly kernels?: Kernels;
  readonly normalization?: Normalization;
  /** Evaluate only these images, in this order (default: all). */
  readonly indices?: ArrayLike<number>;
}

/**
 * Scores over a dataset: mean loss and accuracy (NaN when the dataset is unlabelled), the
 * predicted class of each image (argmax) and the class probabilities `[count, classes]`.
 */
export interface EvaluateResult {
  readonly count: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly predictions: Uint8Array;
  readonly probabilities: Float32Array;
}

/** Throws unless images of `dataset` fit the model's input (same number of values per image). */
export function checkDatasetFits(model: TrainableModel, dataset: Dataset, what: string): void {
  if (sizeOf(dataset.imageShape) !== sizeOf(model.inputShape)) {
    throw new RangeError(
      `${what}: ${dataset.name} has images of ${formatShape(dataset.imageShape)} but the model takes ${formatShape(model.inputShape)}`,
    );
  }
}

function checkBatchSize(batchSize: number, what: string): number {
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`${what}: batchSize must be a positive integer, got ${String(batchSize)}`);
  return batchSize;
}

/**
 * Batched inference with buffers allocated once: `run` fills a preallocated float32 batch,
 * runs the model in inference mode (dropout off, batch norm on running statistics) and keeps
 * the probabilities. The training loop keeps one for validation and test scores.
 */
export class Evaluator {
  private readonly model: TrainableModel;
  private readonly batchSize: number;
  private readonly normalization: Normalization | undefined;
  private readonly context: RunContext;
  private readonly inputSize: number;
  private readonly classes: number;
  private readonly input: Float32Array;
  private readonly labels: Uint8Array;

  constructor(model: TrainableModel, options: Omit<EvaluateOptions, 'indices'> = {}) {
    this.model = model;
    this.batchSize = checkBatchSize(options.batchSize ?? 1000, 'evaluate');
    this.normalization = options.normalization;
    // Inference draws no random numbers; the stream is there because the contract asks for one.
    this.context = { kernels: options.kernels ?? jsKernels, training: false, rng: createRng('evaluate') };
    this.inputSize = sizeOf(model.inputShape);
    this.classes = sizeOf(model.outputShape);
    this.input = new Float32Array(this.batchSize * this.inputSize);
    this.labels = new Uint8Array(this.batchSize);
  }

  run(dataset: Dataset, indices?: ArrayLike<number>): EvaluateResult {
    checkDatasetFits(this.model, dataset, 'evaluate');
    const order = indices ?? rangeOf(dataset.count);
    const count = order.length;
    const labelled = dataset.unlabelled !== true;
    const predictions = new Uint8Array(count);
    const probabilities = new Float32Array(count * this.classes);
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < count; start += this.batchSize) {
      const end = Math.min(count, start + this.batchSize);
      const rows = end - start;
      fillBatch(dataset, order, start, end, this.input, this.normalization);
      const output = this.model.forward(
        { shape: [rows, ...this.model.inputShape], data: this.input.subarray(0, rows * this.inputSize) },
        this.context,
      );
      const batchProbabilities = probabilities.subarray(start * this.classes, end * this.classes);
      this.model.loss.probabilities(output, batchProbabilities);
      for (let r = 0; r < rows; r++) predictions[start + r] = argmaxRow(output.data, r, this.classes);
      if (labelled) {
        fillLabels(dataset, order, start, end, this.labels);
        const labels = this.labels.subarray(0, rows);
        lossSum += this.model.loss.compute(output, labels, null) * rows;
        for (let r = 0; r < rows; r++) if (predictions[start + r] === labels[r]) correct++;
      }
    }
    return {
      count,
      loss: labelled && count > 0 ? lossSum / count : NaN,
      accuracy: labelled && count > 0 ? correct / count : NaN,
      predictions,
      probabilities,
    };
  }
}

/** 0, 1, …, count − 1. */
export function rangeOf(count: number): Int32Array {
  const indices = new Int32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  return indices;
}

/**
 * Mean loss, accuracy, predicted classes and probabilities `[count, classes]` of `model` on
 * `dataset` (or `options.indices` of it), in inference mode, `batchSize` images at a time.
 */
export function evaluate(model: TrainableModel, dataset: Dataset, options: EvaluateOptions = {}): EvaluateResult {
  return new Evaluator(model, options).run(dataset, options.indices);
}

/** Class predictions and probabilities for a batch of inputs. */
export interface Prediction {
  /** argmax class per example, `[batch]`. */
  readonly predictions: Uint8Array;
  /** Class probabilities `[batch, classes]`, row-major. */
  readonly probabilities: Float32Array;
}

/**
 * Runs `model` in inference mode on already-normalised `input` `[batch, ...inputShape]` (or one
 * example `[...inputShape]`), 1000 rows at a time, and returns classes and probabilities.
 */
export function predict(model: TrainableModel, input: Tensor, kernels: Kernels = jsKernels): Prediction {
  const inputSize = sizeOf(model.inputShape);
  const classes = sizeOf(model.outputShape);
  const single = input.shape.length === model.inputShape.length && sizeOf(input.shape) === inputSize;
  const rows = single ? 1 : input.shape[0];
  if (!single && (input.shape.length < 2 || sizeOf(input.shape.slice(1)) !== inputSize || input.data.length !== rows * inputSize)) {
    throw new RangeError(
      `predict: input ${formatShape(input.shape)} is neither [batch, ...${formatShape(model.inputShape)}] nor one example ${formatShape(model.inputShape)}`,
    );
  }
  const context: RunContext = { kernels, training: false, rng: createRng('predict') };
  const predictions = new Uint8Array(rows);
  const probabilities = new Float32Array(rows * classes);
  const chunk = 1000;
  for (let start = 0; start < rows; start += chunk) {
    const end = Math.min(rows, start + chunk);
    const output = model.forward(
      { shape: [end - start, ...model.inputShape], data: input.data.subarray(start * inputSize, end * inputSize) },
      context,
    );
    model.loss.probabilities(output, probabilities.subarray(start * classes, end * classes));
    for (let r = 0; r < end - start; r++) predictions[start + r] = argmaxRow(output.data, r, classes);
  }
  return { predictions, probabilities };
}
