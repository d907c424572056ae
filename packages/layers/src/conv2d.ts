import {
  conv2dGeometry,
  createParam,
  formatShape,
  type Conv2dGeometry,
  type Kernels,
  type MatmulParams,
  type Param,
  type Rng,
  type Shape,
  type Tensor,
  zeroFloats,
} from '@nnkit/tensor';
import { BatchCache, BufferPool, scratchFloats } from './batch-cache.js';
import { LayerConfigError } from './errors.js';
import { initBiases, initNames, initWeights, type InitName } from './init.js';
import type { Context, Layer } from './layer.js';
import { defineLayer, pairOf, readConfig } from './schema.js';
import { batchSizeOf, checkInputRank } from './validation.js';

/** Zero padding: 'valid' (none), 'same' (output = ⌈input / stride⌉, as TensorFlow), or explicit [top, bottom, left, right]. */
export type Padding = 'valid' | 'same' | readonly [number, number, number, number];

/**
 * Config of a 2-D convolution: `filters` output channels, `kernelSize` n or [height, width],
 * `stride` (default 1) n or [height, width], `padding` (default 'valid'), `init` (default 'glorot').
 */
export interface Conv2dConfig {
  readonly kind: 'conv2d';
  readonly filters: number;
  readonly kernelSize: number | readonly [number, number];
  readonly stride?: number | readonly [number, number];
  readonly padding?: Padding;
  readonly init?: InitName;
}

/**
 * The [top, bottom, left, right] zero padding for an input of `inputHeight`×`inputWidth`.
 * 'same' pads (output − 1)·stride + kernel − input in total, the odd one at the bottom/right.
 */
export function resolvePadding(
  padding: Padding,
  inputHeight: number,
  inputWidth: number,
  kernel: readonly [number, number],
  stride: readonly [number, number],
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    const total = (size: number, k: number, s: number): number => Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
    const height = total(inputHeight, kernel[0], stride[0]);
    const width = total(inputWidth, kernel[1], stride[1]);
    return [Math.floor(height / 2), height - Math.floor(height / 2), Math.floor(width / 2), width - Math.floor(width / 2)];
  }
  return [padding[0], padding[1], padding[2], padding[3]];
}

/** The convolution's fields, defaults and ranges. */
export const conv2dSchema = defineLayer({
  kind: 'conv2d',
  summary: '2-D convolution (NHWC, im2col + matmul)',
  fields: {
    filters: { type: 'integer', min: 1, max: 4096, initial: 20, description: 'output channels' },
    kernelSize: { type: 'size', min: 1, max: 1024, initial: 5, description: 'kernel n or [height, width]' },
    stride: { type: 'size', min: 1, max: 1024, default: 1, initial: 1, description: 'stride n or [height, width]' },
    padding: {
      type: 'enum',
      values: ['valid', 'same'],
      tuple: { length: 4, min: 0, description: '[top, bottom, left, right] (integers ≥ 0)' },
      default: 'valid',
      description: 'zero padding',
    },
    init: { type: 'enum', values: initNames, default: 'glorot', description: 'weight initialiser' },
  },
  create: (config: Conv2dConfig, inputShape: Shape, rng: Rng) => new Conv2d(config, inputShape, rng),
});

// Inference on large batches unfolds at most this many floats at a time, so the im2col matrix
// stays a few megabytes (and cache-friendly) instead of growing with the batch.
const inferenceColumnsLimit = 1 << 21;

interface Chunk {
  readonly start: number;
  readonly geometry: Conv2dGeometry;
  readonly product: MatmulParams;
  readonly rows: number;
}

interface ConvBuffers {
  readonly geometry: Conv2dGeometry;
  readonly output: Tensor;
  readonly rows: number;
  columns: Float32Array | null;
  inputGrad: Tensor | null;
  readonly forwardProduct: MatmulParams;
  readonly weightsGradProduct: MatmulParams;
  readonly columnsGradProduct: MatmulParams;
  /** Inference in image chunks, when the whole batch's im2col matrix would be too large. */
  readonly chunks: readonly Chunk[] | null;
  chunkInputViews: Float32Array[];
  chunkOutputViews: Float32Array[];
  chunkViewsOf: Float32Array | null;
}

/**
 * 2-D convolution, NHWC, by im2col + matmul: the input `[batch, h, w, inC]` is unfolded into
 * `columns` (one row per output pixel, one column per (ky, kx, c)), then
 * y = columns·W + b with W the HWIO filters `[kh, kw, inC, outC]` (`weights`), b `[outC]` (`bias`).
 * Backward: dW += columnsᵀ·dy, db += Σ dy, dx = col2im(dy·Wᵀ). The training im2col matrix is
 * kept for backward (never unfolded twice); inference on large batches unfolds in chunks.
 */
export class Conv2d implements Layer<Conv2dConfig> {
  readonly config: Conv2dConfig;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: readonly Param[];
  readonly weights: Param;
  readonly bias: Param;
  /** [top, bottom, left, right] zero padding in pixels. */
  readonly pads: readonly [number, number, number, number];
  private readonly kernel: readonly [number, number];
  private readonly stride: readonly [number, number];
  private readonly patchSize: number;
  /** This layer's per-batch arrays: a smaller batch's are views into the largest batch's. */
  private readonly arrays = new BufferPool();
  private readonly buffers: BatchCache<ConvBuffers>;
  private input: Tensor | null = null;
  /** Whether the cached im2col matrix belongs to the latest forward (false after an inference forward). */
  private columnsCurrent = false;

  constructor(config: Conv2dConfig, inputShape: Shape, rng: Rng) {
    const fields = readConfig(conv2dSchema, config);
    const { filters, init } = fields;
    const kernel = pairOf(fields.kernelSize);
    const stride = pairOf(fields.stride);
    const padding = fields.padding as Padding;
    checkInputRank('conv2d', inputShape, [3], '[height, width, channels]');
    const [height, width, channels] = inputShape;
    const pads = resolvePadding(padding, height, width, kernel, stride);
    const geometry = conv2dGeometry({
      batch: 1,
      inputHeight: height,
      inputWidth: width,
      inputChannels: channels,
      kernelHeight: kernel[0],
      kernelWidth: kernel[1],
      strideHeight: stride[0],
      strideWidth: stride[1],
      pads,
    });
    if (geometry.outputHeight <= 0 || geometry.outputWidth <= 0) {
      throw new LayerConfigError(
        'conv2d',
        'kernelSize',
        `a ${kernel[0]}×${kernel[1]} kernel does not fit the input ${formatShape(inputShape)} with padding ${JSON.stringify(padding)}`,
      );
    }
    this.config = {
      kind: 'conv2d',
      filters,
      kernelSize: fields.kernelSize,
      stride: fields.stride,
      padding,
      init,
    };
    this.inputShape = [height, width, channels];
    this.outputShape = [geometry.outputHeight, geometry.outputWidth, filters];
    this.kernel = kernel;
    this.stride = stride;
    this.pads = pads;
    const patchSize = kernel[0] * kernel[1] * channels;
    this.patchSize = patchSize;
    const weightsValues = initWeights(init, patchSize * filters, patchSize, kernel[0] * kernel[1] * filters, rng);
    this.weights = createParam('weights', [kernel[0], kernel[1], channels, filters], weightsValues, true);
    this.bias = createParam('bias', [filters], initBiases(init, filters, rng), false);
    this.params = [this.weights, this.bias];
    this.buffers = new BatchCache((batch, kernels) => this.createBuffers(batch, kernels));
  }

  private geometryFor(batch: number): Conv2dGeometry {
    const [height, width, channels] = this.inputShape;
    return conv2dGeometry({
      batch,
      inputHeight: height,
      inputWidth: width,
      inputChannels: channels,
      kernelHeight: this.kernel[0],
      kernelWidth: this.kernel[1],
      strideHeight: this.stride[0],
      strideWidth: this.stride[1],
      pads: this.pads,
    });
  }

  private createBuffers(batch: number, kernels: Kernels | undefined): ConvBuffers {
    const filters = this.outputShape[2];
    const rowsPerImage = this.outputShape[0] * this.outputShape[1];
    const rows = batch * rowsPerImage;
    const patch = this.patchSize;
    const imagesPerChunk = Math.max(1, Math.floor(inferenceColumnsLimit / (rowsPerImage * patch)));
    let chunks: Chunk[] | null = null;
    if (batch > imagesPerChunk) {
      chunks = [];
      for (let start = 0; start < batch; start += imagesPerChunk) {
        const count = Math.min(imagesPerChunk, batch - start);
        const chunkRows = count * rowsPerImage;
        chunks.push({ start, geometry: this.geometryFor(count), product: { m: chunkRows, k: patch, n: filters }, rows: chunkRows });
      }
    }
    return {
      geometry: this.geometryFor(batch),
      output: this.arrays.tensor(kernels, 'output', [batch, ...this.outputShape]),
      rows,
      columns: null,
      inputGrad: null,
      forwardProduct: { m: rows, k: patch, n: filters },
      weightsGradProduct: { m: patch, k: rows, n: filters, transposeA: true, accumulate: true },
      columnsGradProduct: { m: rows, k: filters, n: patch, transposeB: true },
      chunks,
      chunkInputViews: [],
      chunkOutputViews: [],
      chunkViewsOf: null,
    };
  }

  forward(input: Tensor, context: Context): Tensor {
    const batch = batchSizeOf(input, this.inputShape, 'conv2d forward');
    const kernels = context.kernels;
    const buffers = this.buffers.get(batch, kernels);
    const filters = this.outputShape[2];
    const weights = this.weights.value.data;
    const output = buffers.output.data;
    this.input = input;
    if (context.training) {
      buffers.columns ??= this.arrays.floats(kernels, 'columns', buffers.rows * this.patchSize);
      kernels.im2col(input.data, buffers.columns, buffers.geometry);
      kernels.matmul(buffers.columns, weights, output, buffers.forwardProduct);
      this.columnsCurrent = true;
    } else if (buffers.chunks === null) {
      // Inference keeps no columns for a backward pass: they live in working memory shared with other layers.
      const columns = scratchFloats(kernels, buffers.rows * this.patchSize);
      kernels.im2col(input.data, columns, buffers.geometry);
      kernels.matmul(columns, weights, output, buffers.forwardProduct);
      this.columnsCurrent = false;
    } else {
      const chunks = buffers.chunks;
      const rowsPerImage = this.outputShape[0] * this.outputShape[1];
      if (buffers.chunkViewsOf !== input.data) {
        // Views are rebuilt only when the caller passes a different buffer (upstream layers reuse theirs).
        const imageSize = this.inputShape[0] * this.inputShape[1] * this.inputShape[2];
        buffers.chunkInputViews = chunks.map((chunk) => input.data.subarray(chunk.start * imageSize));
        buffers.chunkOutputViews = chunks.map((chunk) => output.subarray(chunk.start * rowsPerImage * filters));
        buffers.chunkViewsOf = input.data;
      }
      // The chunk's columns live only during this loop: working memory shared with other layers.
      const columns = scratchFloats(kernels, chunks[0].rows * this.patchSize);
      for (let i = 0; i < chunks.length; i++) {
        kernels.im2col(buffers.chunkInputViews[i], columns, chunks[i].geometry);
        kernels.matmul(columns, weights, buffers.chunkOutputViews[i], chunks[i].product);
      }
      this.columnsCurrent = false;
    }
    kernels.addRowVector(output, this.bias.value.data, buffers.rows, filters);
    return buffers.output;
  }

  backward(outputGrad: Tensor, context: Context, needInputGrad = true): Tensor {
    const input = this.input;
    if (input === null) throw new Error('conv2d backward: call forward first');
    const batch = batchSizeOf(outputGrad, this.outputShape, 'conv2d backward');
    if (batch !== input.shape[0]) throw new RangeError(`conv2d backward: batch ${batch} differs from the forward batch ${input.shape[0]}`);
    const kernels = context.kernels;
    const buffers = this.buffers.get(batch, kernels);
    if (!this.columnsCurrent || buffers.columns === null) {
      // Only after an inference forward (which keeps no columns): unfold the batch once for the gradients.
      buffers.columns ??= this.arrays.floats(kernels, 'columns', buffers.rows * this.patchSize);
      kernels.im2col(input.data, buffers.columns, buffers.geometry);
      this.columnsCurrent = true;
    }
    kernels.matmul(buffers.columns, outputGrad.data, this.weights.grad.data, buffers.weightsGradProduct);
    kernels.sumRows(outputGrad.data, this.bias.grad.data, buffers.rows, this.outputShape[2], true);
    buffers.inputGrad ??= this.arrays.tensor(kernels, 'inputGrad', [batch, ...this.inputShape]);
    if (needInputGrad) {
      // The column gradients live only until col2im: working memory shared with other layers.
      const columnsGrad = scratchFloats(kernels, buffers.rows * this.patchSize);
      kernels.matmul(outputGrad.data, this.weights.value.data, columnsGrad, buffers.columnsGradProduct);
      zeroFloats(kernels, buffers.inputGrad.data);
      kernels.col2im(columnsGrad, buffers.inputGrad.data, buffers.geometry);
    }
    return buffers.inputGrad;
  }
}
