import { type Param, type Pool2dGeometry, type Shape, type Tensor, zeroFloats } from '@nnkit/tensor';
import { BatchCache, BufferPool } from './batch-cache.js';
import type { Context, Layer } from './layer.js';
import { pool2dFields, resolvePool, type Pool2dOptions } from './pool-config.js';
import { defineLayer } from './schema.js';
import { batchSizeOf } from './validation.js';

/** Config of max pooling: window `size`, `stride` (default: the size). */
export interface MaxPool2dConfig extends Pool2dOptions {
  readonly kind: 'maxPool2d';
}

/** The maxPool2d layer's fields, defaults and ranges. */
export const maxPool2dSchema = defineLayer({
  kind: 'maxPool2d',
  summary: 'max pooling over windows',
  fields: pool2dFields,
  create: (config: MaxPool2dConfig, inputShape: Shape) => new MaxPool2d(config, inputShape),
});

interface MaxPoolBuffers {
  readonly geometry: Pool2dGeometry;
  readonly output: Tensor;
  readonly argmax: Int32Array;
  inputGrad: Tensor | null;
}

/**
 * Max pooling, NHWC, per channel: y = max over each window. Backward routes each output
 * gradient to its window's maximum (the first one on ties), recorded as `argmax` in forward.
 */
export class MaxPool2d implements Layer<MaxPool2dConfig> {
  readonly config: MaxPool2dConfig;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: readonly Param[] = [];
  /** This layer's per-batch arrays: a smaller batch's are views into the largest batch's. */
  private readonly arrays = new BufferPool();
  private readonly buffers: BatchCache<MaxPoolBuffers>;
  private batch = 0;

  constructor(config: MaxPool2dConfig, inputShape: Shape) {
    const pool = resolvePool(maxPool2dSchema, config, inputShape);
    this.config = { kind: 'maxPool2d', size: pool.size, stride: pool.stride };
    this.inputShape = pool.inputShape;
    this.outputShape = pool.outputShape;
    this.buffers = new BatchCache((batch, kernels) => {
      const output = this.arrays.tensor(kernels, 'output', [batch, ...pool.outputShape]);
      return { geometry: pool.geometry(batch), output, argmax: this.arrays.ints('argmax', output.data.length), inputGrad: null };
    });
  }

  forward(input: Tensor, context: Context): Tensor {
    const batch = batchSizeOf(input, this.inputShape, 'maxPool2d forward');
    const buffers = this.buffers.get(batch, context.kernels);
    context.kernels.maxPool2d(input.data, buffers.output.data, buffers.argmax, buffers.geometry);
    this.batch = batch;
    return buffers.output;
  }

  backward(outputGrad: Tensor, context: Context): Tensor {
    const batch = batchSizeOf(outputGrad, this.outputShape, 'maxPool2d backward');
    if (batch !== this.batch) throw new RangeError(`maxPool2d backward: batch ${batch} differs from the forward batch ${this.batch}`);
    const buffers = this.buffers.get(batch, context.kernels);
    buffers.inputGrad ??= this.arrays.tensor(context.kernels, 'inputGrad', [batch, ...this.inputShape]);
    zeroFloats(context.kernels, buffers.inputGrad.data);
    context.kernels.maxPool2dBackward(outputGrad.data, buffers.argmax, buffers.inputGrad.data, buffers.geometry);
    return buffers.inputGrad;
  }
}
