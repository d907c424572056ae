import { type Kernels, type Param, type Shape, type Tensor } from '@nnkit/tensor';
import { BatchCache, BufferPool } from './batch-cache.js';
import type { Context, Layer, LayerConfig } from './layer.js';
import { batchSizeOf } from './validation.js';

interface ActivationBuffers {
  readonly output: Tensor;
  inputGrad: Tensor | null;
}

/**
 * Shared plumbing of the parameter-free activations (shape = input shape, per-batch-size
 * buffers, the forward's input and output kept for backward). A subclass writes only the math:
 * `activate` (y from x) and `differentiate` (dx from x, y and dy), each over whole arrays.
 */
export abstract class Activation<C extends LayerConfig> implements Layer<C> {
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: readonly Param[] = [];
  /** This layer's per-batch arrays: a smaller batch's are views into the largest batch's. */
  private readonly arrays = new BufferPool();
  private readonly buffers: BatchCache<ActivationBuffers>;
  private input: Tensor | null = null;
  private output: Tensor | null = null;
  // Error-message owners, built once so that a pass allocates no strings.
  private readonly forwardName: string;
  private readonly backwardName: string;

  constructor(
    readonly config: C,
    inputShape: Shape,
  ) {
    this.inputShape = [...inputShape];
    this.outputShape = [...inputShape];
    this.buffers = new BatchCache((batch, kernels) => ({ output: this.arrays.tensor(kernels, 'output', [batch, ...inputShape]), inputGrad: null }));
    this.forwardName = `${config.kind} forward`;
    this.backwardName = `${config.kind} backward`;
  }

  /**
   * y = f(x) elementwise (or per row of `rowLength` values, e.g. softmax over the last axis);
   * `kernels` is the pass's backend, for activations that have a kernel (ReLU).
   */
  protected abstract activate(x: Float32Array, y: Float32Array, rowLength: number, kernels: Kernels): void;

  /** dx = f'(x)·dy (or the row-wise Jacobian product), given the forward's x and y. */
  protected abstract differentiate(x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, rowLength: number, kernels: Kernels): void;

  forward(input: Tensor, context: Context): Tensor {
    const batch = batchSizeOf(input, this.inputShape, this.forwardName);
    const buffers = this.buffers.get(batch, context.kernels);
    this.activate(input.data, buffers.output.data, this.inputShape[this.inputShape.length - 1], context.kernels);
    this.input = input;
    this.output = buffers.output;
    return buffers.output;
  }

  backward(outputGrad: Tensor, context: Context): Tensor {
    const input = this.input;
    const output = this.output;
    if (input === null || output === null) throw new Error(`${this.backwardName}: call forward first`);
    const batch = batchSizeOf(outputGrad, this.outputShape, this.backwardName);
    if (batch !== input.shape[0]) throw new RangeError(`${this.backwardName}: batch ${batch} differs from the forward batch ${input.shape[0]}`);
    const buffers = this.buffers.get(batch, context.kernels);
    buffers.inputGrad ??= this.arrays.tensor(context.kernels, 'inputGrad', [batch, ...this.inputShape]);
    this.differentiate(input.data, output.data, outputGrad.data, buffers.inputGrad.data, this.inputShape[this.inputShape.length - 1], context.kernels);
    return buffers.inputGrad;
  }
}
