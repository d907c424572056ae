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

/** Where scored images write their predicted class (position i for image i) and probabilities `[classes]`. */
export interface EvaluationOutputs {
  readonly predictions: Uint8Array;
  readonly probabilities: Float32Array;
}

/** Σ loss · rows and right answers over some scored images. */
export interface ScoreTally {
  lossSum: number;
  correct: number;
}

/**
 * On a backend that owns its memory (`kernels.allocate`: WebAssembly, whose memory only grows),
 * a larger scoring batch runs forward in pieces, so the layers keep activations for a piece
 * only and the memory's high-water mark drops: pieces of as many images as fit
 * `activationBudget` floats of layer outputs (the model's `layers` tell the size of an image's),
 * at least `forwardRows`; 50 when the model does not say. The record network (≈ 274 000 floats
 * an image) runs in pieces of 50, `fast` (≈ 26 000) in pieces of at most 76 (`evenPieceRows`:
 * 50 for batches of 250), and a small dense network (≈ 1 000) its whole batch, where 50-row
 * products would repack the weights twenty times a batch of 1 000. Its kernels compute each
 * output row the same way whatever the number of rows, so the outputs are the same bits; the
 * loss still sums per whole batch. Other backends run the whole batch (their arrays are
 * garbage-collected, and the JavaScript matmul takes another path for small products).
 */
const forwardRows = 50;
/** Floats of layer outputs one forward piece may hold (8 MB). */
const activationBudget = 2_000_000;

/** The images a forward piece of `model` holds at most (see `forwardRows`). */
export function forwardPieceRows(model: TrainableModel): number {
  const layers = model.layers;
  if (layers === undefined || layers.length === 0) return forwardRows;
  let perImage = 0;
  for (const layer of layers) perImage += sizeOf(layer.outputShape);
  return Math.max(forwardRows, Math.floor(activationBudget / Math.max(1, perImage)));
}

/**
 * The rows of each forward piece of a `batchSize` batch, given at most `most` a piece: the
 * largest divisor of the batch from half of `most` up to `most`, so that a full batch runs in
 * pieces of one size and the layers build one set of buffers, not two (`fast` scored batches of
 * 250 in pieces of 76, 76, 76 and 22, holding buffers for 98 rows; now 5 × 50); `most` when no
 * divisor lies there, or when the batch fits in one piece.
 */
export function evenPieceRows(batchSize: number, most: number): number {
  if (batchSize <= most) return most;
  for (let rows = most; 2 * rows >= most; rows--) if (batchSize % rows === 0) return rows;
  return most;
}

/**
 * Batched inference with buffers allocated once: fills a float32 batch, runs the model in
 * inference mode (dropout off, batch norm on running statistics), keeps the probabilities and
 * the argmax. The one evaluation loop: `evaluate`, `predict`, ensembles, `fit`'s validation
 * and test scores and every worker thread's share go through it.
 */
export class Evaluator {
  private readonly model: TrainableModel;
  private readonly batchSize: number;
  private readonly normalization: Normalization | undefined;
  private readonly context: RunContext;
  private readonly inputSize: number;
  private readonly classes: number;
  /** The most images run forward at once on a memory-owning backend (`forwardPieceRows`). */
  private readonly pieceRows: number;
  private input: Float32Array | null = null;
  /** The model's outputs of a batch run forward in pieces. */
  private outputs: Float32Array | null = null;
  private readonly labels: Uint8Array;

  constructor(model: TrainableModel, options: Omit<EvaluateOptions, 'indices'> = {}) {
    this.model = model;
    this.batchSize = checkBatchSize(options.batchSize ?? 1000, 'evaluate');
    this.normalization = options.normalization;
    // Inference draws no random numbers; the stream is there because the contract asks for one.
    this.context = { kernels: options.kernels ?? jsKernels, training: false, rng: createRng('evaluate') };
    this.inputSize = sizeOf(model.inputShape);
    this.classes = sizeOf(model.outputShape);
    this.pieceRows = evenPieceRows(this.batchSize, forwardPieceRows(model));
    this.labels = new Uint8Array(this.batchSize);
  }

  /**
   * Scores images `indices[from..to)` of `dataset`, `batchSize` at a time from `from`: Σ loss
   * and right answers (zero when the dataset is unlabelled); with `outputs`, the class and
   * probabilities of `indices[i]` land at position i of them.
   */
  score(dataset: Dataset, indices: ArrayLike<number>, from: number, to: number, outputs?: EvaluationOutputs): ScoreTally {
    const labelled = dataset.unlabelled !== true;
    const tally: ScoreTally = { lossSum: 0, correct: 0 };
    const { classes } = this;
    // In the kernels' own memory when they have some: the first layer reads it without a copy.
    this.input ??= this.context.kernels.allocate?.(this.batchSize * this.inputSize) ?? new Float32Array(this.batchSize * this.inputSize);
    const input = this.input;
    this.forEachBatch(
      from,
      to,
      (start, end) => {
        fillBatch(dataset, indices, start, end, input, this.normalization, this.context.kernels);
        return input.subarray(0, (end - start) * this.inputSize);
      },
      (output, start, end) => {
        const rows = end - start;
        if (outputs) this.keep(output, start, end, outputs);
        if (!labelled) return;
        fillLabels(dataset, indices, start, end, this.labels);
        const labels = this.labels.subarray(0, rows);
        tally.lossSum += this.model.loss.compute(output, labels, null) * rows;
        for (let r = 0; r < rows; r++) if (argmaxRow(output.data, r, classes) === labels[r]) tally.correct++;
      },
    );
    return tally;
  }

  /** Mean loss, accuracy (NaN when unlabelled), predictions and probabilities of `dataset` (or `indices` of it). */
  run(dataset: Dataset, indices?: ArrayLike<number>): EvaluateResult {
    checkDatasetFits(this.model, dataset, 'evaluate');
    const order = indices ?? rangeOf(dataset.count);
    const count = order.length;
    const outputs = { predictions: new Uint8Array(count), probabilities: new Float32Array(count * this.classes) };
    const tally = this.score(dataset, order, 0, count, outputs);
    const scored = dataset.unlabelled !== true && count > 0;
    return { count, loss: scored ? tally.lossSum / count : NaN, accuracy: scored ? tally.correct / count : NaN, ...outputs };
  }

  /** Classes and probabilities of already-normalised `rows` examples in `data` (`[rows, ...inputShape]`). */
  predict(data: Float32Array, rows: number): Prediction {
    const outputs = { predictions: new Uint8Array(rows), probabilities: new Float32Array(rows * this.classes) };
    this.forEachBatch(
      0,
      rows,
      (start, end) => data.subarray(start * this.inputSize, end * this.inputSize),
      (output, start, end) => this.keep(output, start, end, outputs),
    );
    return outputs;
  }

  private keep(output: Tensor, start: number, end: number, outputs: EvaluationOutputs): void {
    const { classes } = this;
    this.model.loss.probabilities(output, outputs.probabilities.subarray(start * classes, end * classes));
    for (let r = 0; r < end - start; r++) outputs.predictions[start + r] = argmaxRow(output.data, r, classes);
  }

  private forEachBatch(from: number, to: number, inputOf: (start: number, end: number) => Float32Array, visit: (output: Tensor, start: number, end: number) => void): void {
    const { inputSize, classes } = this;
    for (let start = from; start < to; start += this.batchSize) {
      const end = Math.min(to, start + this.batchSize);
      const rows = end - start;
      const input = inputOf(start, end);
      if (rows <= this.pieceRows || this.context.kernels.allocate === undefined) {
        visit(this.model.forward({ shape: [rows, ...this.model.inputShape], data: input }, this.context), start, end);
        continue;
      }
      // The batch runs forward in pieces whose outputs are gathered: the loss and the scores see
      // the whole batch as before, while the layers hold activations for one piece only.
      this.outputs ??= new Float32Array(this.batchSize * classes);
      for (let piece = 0; piece < rows; piece += this.pieceRows) {
        const count = Math.min(this.pieceRows, rows - piece);
        const part = this.model.forward({ shape: [count, ...this.model.inputShape], data: input.subarray(piece * inputSize, (piece + count) * inputSize) }, this.context);
        this.outputs.set(part.data.subarray(0, count * classes), piece * classes);
      }
      visit({ shape: [rows, ...this.model.outputShape], data: this.outputs.subarray(0, rows * classes) }, start, end);
    }
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
  const single = input.shape.length === model.inputShape.length && sizeOf(input.shape) === inputSize;
  const rows = single ? 1 : input.shape[0];
  if (!single && (input.shape.length < 2 || sizeOf(input.shape.slice(1)) !== inputSize || input.data.length !== rows * inputSize)) {
    throw new RangeError(
      `predict: input ${formatShape(input.shape)} is neither [batch, ...${formatShape(model.inputShape)}] nor one example ${formatShape(model.inputShape)}`,
    );
  }
  return new Evaluator(model, { kernels }).predict(input.data, rows);
}
