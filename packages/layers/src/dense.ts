import { createParam, type MatmulParams, type Param, type Rng, type Shape, type Tensor } from '@nnkit/tensor';
import { BatchCache, BufferPool } from './batch-cache.js';
import { initBiases, initNames, initWeights, type InitName } from './init.js';
import type { Context, Layer } from './layer.js';
import { defineLayer, readConfig } from './schema.js';
import { batchSizeOf, checkInputRank } from './validation.js';

/** Config of a fully connected layer: `units` outputs, weights initialised by `init` (default 'glorot'). */
export interface DenseConfig {
  readonly kind: 'dense';
  readonly units: number;
  readonly init?: InitName;
}

/** The dense layer's fields, defaults and ranges. */
export const denseSchema = defineLayer({
  kind: 'dense',
  summary: 'fully connected layer y = x·W + b',
  fields: {
    units: { type: 'integer', min: 1, max: 65536, initial: 100, description: 'outputs' },
    init: { type: 'enum', values: initNames, default: 'glorot', description: 'weight initialiser' },
  },
  create: (config: DenseConfig, inputShape: Shape, rng: Rng) => new Dense(config, inputShape, rng),
});

interface DenseBuffers {
  readonly output: Tensor;
  inputGrad: Tensor | null;
  readonly forwardProduct: MatmulParams;
  readonly weightsGradProduct: MatmulParams;
  readonly inputGradProduct: MatmulParams;
}

/**
 * Fully connected layer: y = x·W + b for x `[batch, in]`, W `[in, units]` (`weights`),
 * b `[units]` (`bias`). Backward: dW += xᵀ·dy, db += Σ_batch dy, dx = dy·Wᵀ.
 */
export class Dense implements Layer<DenseConfig> {
  readonly config: DenseConfig;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: readonly Param[];
  readonly weights: Param;
  readonly bias: Param;
  /** This layer's per-batch arrays: a smaller batch's are views into the largest batch's. */
  private readonly arrays = new BufferPool();
  private readonly buffers: BatchCache<DenseBuffers>;
  private input: Tensor | null = null;

  constructor(config: DenseConfig, inputShape: Shape, rng: Rng) {
    const { units, init } = readConfig(denseSchema, config);
    checkInputRank('dense', inputShape, [1], '[features]', "; add {kind: 'flatten'} before it");
    const inputSize = inputShape[0];
    this.config = { kind: 'dense', units, init };
    this.inputShape = [inputSize];
    this.outputShape = [units];
    this.weights = createParam('weights', [inputSize, units], initWeights(init, inputSize * units, inputSize, units, rng), true);
    this.bias = createParam('bias', [units], initBiases(init, units, rng), false);
    this.params = [this.weights, this.bias];
    this.buffers = new BatchCache((batch, kernels) => ({
      output: this.arrays.tensor(kernels, 'output', [batch, units]),
      inputGrad: null,
      forwardProduct: { m: batch, k: inputSize, n: units },
      weightsGradProduct: { m: inputSize, k: batch, n: units, transposeA: true, accumulate: true },
      inputGradProduct: { m: batch, k: units, n: inputSize, transposeB: true },
    }));
  }

  forward(input: Tensor, context: Context): Tensor {
    const batch = batchSizeOf(input, this.inputShape, 'dense forward');
    const buffers = this.buffers.get(batch, context.kernels);
    const output = buffers.output.data;
    context.kernels.matmul(input.data, this.weights.value.data, output, buffers.forwardProduct);
    context.kernels.addRowVector(output, this.bias.value.data, batch, this.outputShape[0]);
    this.input = input;
    return buffers.output;
  }

  backward(outputGrad: Tensor, context: Context, needInputGrad = true): Tensor {
    const input = this.input;
    if (input === null) throw new Error('dense backward: call forward first');
    const batch = batchSizeOf(outputGrad, this.outputShape, 'dense backward');
    if (batch !== input.shape[0]) throw new RangeError(`dense backward: batch ${batch} differs from the forward batch ${input.shape[0]}`);
    const buffers = this.buffers.get(batch, context.kernels);
    const kernels = context.kernels;
    kernels.matmul(input.data, outputGrad.data, this.weights.grad.data, buffers.weightsGradProduct);
    kernels.sumRows(outputGrad.data, this.bias.grad.data, batch, this.outputShape[0], true);
    buffers.inputGrad ??= this.arrays.tensor(kernels, 'inputGrad', [batch, ...this.inputShape]);
    if (needInputGrad) kernels.matmul(outputGrad.data, this.weights.value.data, buffers.inputGrad.data, buffers.inputGradProduct);
    return buffers.inputGrad;
  }
}

