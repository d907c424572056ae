import { createParam, jsBatchNorm, tensor, type Kernels, type Param, type Shape, type Tensor } from '@nnkit/tensor';
import { BatchCache, BufferPool } from './batch-cache.js';
import type { Context, Layer, LayerState } from './layer.js';
import { defineLayer, readConfig } from './schema.js';
import { batchSizeOf, checkInputRank } from './validation.js';

/**
 * Config of batch normalisation: running statistics decay by `momentum` (default 0.99) per
 * training batch, `epsilon` (default 1e-3) keeps the variance away from zero (Keras defaults).
 */
export interface BatchNormConfig {
  readonly kind: 'batchNorm';
  readonly momentum?: number;
  readonly epsilon?: number;
}

/** The batchNorm layer's declaration: fields, defaults and ranges. */
export const batchNormSchema = defineLayer({
  kind: 'batchNorm',
  summary: 'batch normalisation per channel',
  fields: {
    momentum: { type: 'number', min: 0, max: 1, default: 0.99, step: 0.01, description: 'decay of the running statistics' },
    epsilon: { type: 'number', min: 0, max: Infinity, minExclusive: true, default: 1e-3, step: 0.001, description: 'added to the variance' },
  },
  create: (config: BatchNormConfig, inputShape: Shape) => new BatchNorm(config, inputShape),
});

interface BatchNormBuffers {
  readonly output: Tensor;
  /** x̂ = (x − μ)/σ from the latest training forward, for backward (built by the first one: inference needs none). */
  normalized: Float32Array | null;
  inputGrad: Tensor | null;
}

/**
 * Batch normalisation per channel (the last axis: units of a dense output `[units]`, channels
 * of a conv output `[h, w, c]`), over the batch and the spatial positions (N values each):
 * training: μ, σ² = mean and (biased) variance of the batch, x̂ = (x − μ)/√(σ² + ε),
 * y = γ·x̂ + β; running μ ← m·μ_run + (1 − m)·μ (same for σ²). Inference uses the running
 * statistics. Backward (training): dγ += Σ dy·x̂, dβ += Σ dy,
 * dx = γ/√(σ² + ε) · (dy − Σdy/N − x̂·Σ(dy·x̂)/N); (inference): dx = γ/√(σ²_run + ε) · dy.
 * `gamma`, `beta` are parameters (not regularised); `runningMean`, `runningVariance` are
 * `state`, saved with the model. Statistics are accumulated in float64.
 */
export class BatchNorm implements Layer<BatchNormConfig> {
  readonly config: BatchNormConfig;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: readonly Param[];
  readonly state: readonly LayerState[];
  readonly gamma: Param;
  readonly beta: Param;
  readonly runningMean: LayerState;
  readonly runningVariance: LayerState;
  private readonly channels: number;
  /** This layer's per-batch arrays: a smaller batch's are views into the largest batch's. */
  private readonly arrays = new BufferPool();
  private readonly buffers: BatchCache<BatchNormBuffers>;
  // Per-channel scratch, reused by every batch: sums, then means and 1/σ of the latest forward.
  private readonly mean: Float64Array;
  private readonly inverseStd: Float64Array;
  private readonly sumGrad: Float64Array;
  private readonly sumGradNormalized: Float64Array;
  private batch = 0;
  private training = false;
  /** The latest inference forward's input (a training forward keeps x̂ instead). */
  private input: Tensor | null = null;

  constructor(config: BatchNormConfig, inputShape: Shape) {
    const { momentum, epsilon } = readConfig(batchNormSchema, config);
    checkInputRank('batchNorm', inputShape, [1, 3], '[units] or [height, width, channels]');
    const channels = inputShape[inputShape.length - 1];
    this.config = { kind: 'batchNorm', momentum, epsilon };
    this.inputShape = [...inputShape];
    this.outputShape = [...inputShape];
    this.channels = channels;
    this.gamma = createParam('gamma', [channels], new Float32Array(channels).fill(1), false);
    this.beta = createParam('beta', [channels], undefined, false);
    this.params = [this.gamma, this.beta];
    this.runningMean = { name: 'runningMean', value: tensor([channels]) };
    this.runningVariance = { name: 'runningVariance', value: tensor([channels], new Float32Array(channels).fill(1)) };
    this.state = [this.runningMean, this.runningVariance];
    this.mean = new Float64Array(channels);
    this.inverseStd = new Float64Array(channels);
    this.sumGrad = new Float64Array(channels);
    this.sumGradNormalized = new Float64Array(channels);
    this.buffers = new BatchCache((batch, kernels) => ({ output: this.arrays.tensor(kernels, 'output', [batch, ...inputShape]), normalized: null, inputGrad: null }));
  }

  forward(input: Tensor, context: Context): Tensor {
    const batch = batchSizeOf(input, this.inputShape, 'batchNorm forward');
    const kernels = context.kernels;
    const loops = kernels.batchNorm ?? jsBatchNorm;
    const buffers = this.buffers.get(batch, kernels);
    const x = input.data;
    const channels = this.channels;
    const rows = x.length / channels;
    const mean = this.mean;
    const inverseStd = this.inverseStd;
    const epsilon = this.config.epsilon as number;
    if (context.training) {
      const variance = inverseStd;
      loops.statistics(x, rows, channels, mean, variance);
      const momentum = this.config.momentum as number;
      const runningMean = this.runningMean.value.data;
      const runningVariance = this.runningVariance.value.data;
      for (let c = 0; c < channels; c++) {
        runningMean[c] = momentum * runningMean[c] + (1 - momentum) * mean[c];
        runningVariance[c] = momentum * runningVariance[c] + (1 - momentum) * variance[c];
        inverseStd[c] = 1 / Math.sqrt(variance[c] + epsilon);
      }
      buffers.normalized ??= this.arrays.floats(kernels, 'normalized', x.length);
    } else {
      const runningMean = this.runningMean.value.data;
      const runningVariance = this.runningVariance.value.data;
      for (let c = 0; c < channels; c++) {
        mean[c] = runningMean[c];
        inverseStd[c] = 1 / Math.sqrt(runningVariance[c] + epsilon);
      }
    }
    const y = buffers.output.data;
    loops.forward(x, rows, channels, mean, inverseStd, this.gamma.value.data, this.beta.value.data, y, context.training ? buffers.normalized : null);
    this.batch = batch;
    this.training = context.training;
    this.input = context.training ? null : input;
    return buffers.output;
  }

  /**
   * x̂ of the latest forward: kept by a training forward; after an inference forward (a frozen
   * layer in training) recomputed from its input with the same arithmetic, so the bytes match.
   */
  private normalizedOf(buffers: BatchNormBuffers, kernels: Kernels): Float32Array {
    if (this.training && buffers.normalized !== null) return buffers.normalized;
    const x = this.input?.data;
    if (x === undefined) throw new Error('batchNorm backward: call forward first');
    buffers.normalized ??= this.arrays.floats(kernels, 'normalized', x.length);
    const normalized = buffers.normalized;
    const channels = this.channels;
    for (let i = 0; i < x.length; i += channels) {
      for (let c = 0; c < channels; c++) normalized[i + c] = (x[i + c] - this.mean[c]) * this.inverseStd[c];
    }
    return normalized;
  }

  backward(outputGrad: Tensor, context: Context, needInputGrad = true): Tensor {
    const batch = batchSizeOf(outputGrad, this.outputShape, 'batchNorm backward');
    if (batch !== this.batch) throw new RangeError(`batchNorm backward: batch ${batch} differs from the forward batch ${this.batch}`);
    const kernels = context.kernels;
    const loops = kernels.batchNorm ?? jsBatchNorm;
    const buffers = this.buffers.get(batch, kernels);
    const dy = outputGrad.data;
    const normalized = this.normalizedOf(buffers, kernels);
    const channels = this.channels;
    const rows = dy.length / channels;
    const sumGrad = this.sumGrad;
    const sumGradNormalized = this.sumGradNormalized;
    loops.gradientSums(dy, normalized, rows, channels, sumGrad, sumGradNormalized);
    const gammaGrad = this.gamma.grad.data;
    const betaGrad = this.beta.grad.data;
    for (let c = 0; c < channels; c++) {
      gammaGrad[c] += sumGradNormalized[c];
      betaGrad[c] += sumGrad[c];
    }
    buffers.inputGrad ??= this.arrays.tensor(kernels, 'inputGrad', [batch, ...this.inputShape]);
    if (!needInputGrad) return buffers.inputGrad;
    const dx = buffers.inputGrad.data;
    const gamma = this.gamma.value.data;
    const inverseStd = this.inverseStd;
    if (this.training) {
      // The sums above are exactly dβ and dγ: the input gradient reuses them, divided by N.
      for (let c = 0; c < channels; c++) {
        sumGrad[c] /= rows;
        sumGradNormalized[c] /= rows;
      }
      loops.inputGradient(dy, normalized, rows, channels, gamma, inverseStd, sumGrad, sumGradNormalized, dx);
    } else {
      for (let i = 0; i < dy.length; i += channels) {
        for (let c = 0; c < channels; c++) dx[i + c] = gamma[c] * inverseStd[c] * dy[i + c];
      }
    }
    return buffers.inputGrad;
  }
}
