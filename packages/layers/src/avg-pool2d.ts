import { type Param, type Pool2dGeometry, type Shape, type Tensor, zeroFloats } from '@nnkit/tensor';
import { BatchCache, BufferPool } from './batch-cache.js';
import type { Context, Layer } from './layer.js';
import { pool2dFields, resolvePool, type Pool2dOptions } from './pool-config.js';
import { defineLayer } from './schema.js';
import { batchSizeOf } from './validation.js';

/** Config of average pooling: window `size`, `stride` (default: the size). */
export interface AvgPool2dConfig extends Pool2dOptions {
  readonly kind: 'avgPool2d';
}

/** The avgPool2d layer's fields, defaults and ranges. */
export const avgPool2dSchema = defineLayer({
  kind: 'avgPool2d',
  summary: 'average pooling over windows',
  fields: pool2dFields,
  create: (config: AvgPool2dConfig, inputShape: Shape) => new AvgPool2d(config, inputShape),
});

interface AvgPoolBuffers {
  readonly geometry: Pool2dGeometry;
  readonly output: Tensor;
  inputGrad: Tensor | null;
}

/**
 * Average pooling, NHWC, per channel: y = mean over each window. Backward spreads each output
 * gradient evenly over its window (dx += dy / window size).
 */
export class AvgPool2d implements Layer<AvgPool2dConfig> {
  readonly config: AvgPool2dConfig;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: readonly Param[] = [];
  /** This layer's per-batch arrays: a smaller batch's are views into the largest batch's. */
  private readonly arrays = new BufferPool();
  private readonly buffers: BatchCache<AvgPoolBuffers>;
  private batch = 0;

  constructor(config: AvgPool2dConfig, inputShape: Shape) {
    const pool = resolvePool(avgPool2dSchema, config, inputShape);
    this.config = { kind: 'avgPool2d', size: pool.size, stride: pool.stride };
    this.inputShape = pool.inputShape;
    this.outputShape = pool.outputShape;
    this.buffers = new BatchCache((batch) => {
      return { geometry: pool.geometry(batch), output: this.arrays.tensor(undefined, 'output', [batch, ...pool.outputShape]), inputGrad: null };
    });
  }

  forward(input: Tensor, context: Context): Tensor {
    const batch = batchSizeOf(input, this.inputShape, 'avgPool2d forward');
    const buffers = this.buffers.get(batch);
    context.kernels.avgPool2d(input.data, buffers.output.data, buffers.geometry);
    this.batch = batch;
    return buffers.output;
  }

  backward(outputGrad: Tensor, context: Context): Tensor {
    const batch = batchSizeOf(outputGrad, this.outputShape, 'avgPool2d backward');
    if (batch !== this.batch) throw new RangeError(`avgPool2d backward: batch ${batch} differs from the forward batch ${this.batch}`);
    const buffers = this.buffers.get(batch);
    buffers.inputGrad ??= this.arrays.tensor(undefined, 'inputGrad', [batch, ...this.inputShape]);
    zeroFloats(context.kernels, buffers.inputGrad.data);
    context.kernels.avgPool2dBackward(outputGrad.data, buffers.inputGrad.data, buffers.geometry);
    return buffers.inputGrad;
  }
}
