import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm } from './batch-norm.js';
import { checkLayer } from './test.js';

const training = { kernels: jsKernels, training: true, rng: createRng(0) };
const inference = { ...training, training: false };

describe('BatchNorm', () => {
  it('normalises per channel with batch statistics, updates running ones, and uses those at inference (hand-computed)', () => {
    const layer = new BatchNorm({ kind: 'batchNorm', momentum: 0.9, epsilon: 0 + 1e-3 }, [2]);
    layer.gamma.value.data.set([2, 1]);
    layer.beta.value.data.set([0, 10]);
    // Channel 0: {1, 3}: μ 2, σ² 1. Channel 1: {5, 5}: μ 5, σ² 0.
    const input = tensor([2, 2], [1, 5, 3, 5]);
    const s = 1 / Math.sqrt(1 + 1e-3);
    const output = layer.forward(input, training).data;
    expect(output[0]).toBeCloseTo(-2 * s, 6);
    expect(output[2]).toBeCloseTo(2 * s, 6);
    expect(output[1]).toBe(10);
    expect(output[3]).toBe(10);
    // running = 0.9·initial + 0.1·batch (initial mean 0, variance 1).
    expect(layer.runningMean.value.data[0]).toBeCloseTo(0.2, 6);
    expect(layer.runningMean.value.data[1]).toBeCloseTo(0.5, 6);
    expect(layer.runningVariance.value.data[0]).toBeCloseTo(1, 6);
    expect(layer.runningVariance.value.data[1]).toBeCloseTo(0.9, 6);
    // dγ = Σ dy·x̂, dβ = Σ dy.
    layer.backward(tensor([2, 2], [1, 1, 0, 1]), training);
    expect(layer.gamma.grad.data[0]).toBeCloseTo(-s, 6);
    expect(layer.beta.grad.data[0]).toBe(1);
    expect(layer.beta.grad.data[1]).toBe(2);
    // Inference: (x − 0.2)/√(1 + ε)·2 for channel 0.
    const atInference = layer.forward(tensor([1, 2], [1.2, 0.5]), inference).data;
    expect(atInference[0]).toBeCloseTo(2 * s, 6);
    expect(atInference[1]).toBeCloseTo(10, 6);
    // Backward after an inference forward (a frozen layer): dγ = Σ dy·x̂ with the running
    // statistics, x̂ = (1.2 − 0.2)/√(1 + ε) = s; dx = γ/σ_run·dy.
    layer.gamma.grad.data.fill(0);
    const inputGrad = layer.backward(tensor([1, 2], [3, 1]), inference).data;
    expect(layer.gamma.grad.data[0]).toBeCloseTo(3 * s, 6);
    expect(layer.gamma.grad.data[1]).toBeCloseTo(0, 6);
    expect(inputGrad[0]).toBeCloseTo(2 * s * 3, 6);
    // The next training batch keeps its own x̂ again.
    layer.forward(input, training);
    layer.gamma.grad.data.fill(0);
    layer.backward(tensor([2, 2], [1, 1, 0, 1]), training);
    expect(layer.gamma.grad.data[0]).toBeCloseTo(-s, 6);
  });

  it('keeps gamma and beta unregularised and running statistics out of the trainable params', () => {
    const layer = new BatchNorm({ kind: 'batchNorm' }, [4, 4, 3]);
    expect(layer.params.map((p) => [p.name, p.regularize])).toEqual([
      ['gamma', false],
      ['beta', false],
    ]);
    expect(layer.state.map((s) => s.name)).toEqual(['runningMean', 'runningVariance']);
    expect(layer.config).toEqual({ kind: 'batchNorm', momentum: 0.99, epsilon: 1e-3 });
  });

  it('passes checkLayer on dense and convolutional outputs', () => {
    const randomise = (layer: BatchNorm): BatchNorm => {
      const rng = createRng(3);
      layer.gamma.value.data.forEach((_, i, data) => (data[i] = rng.uniform(0.5, 1.5)));
      layer.beta.value.data.forEach((_, i, data) => (data[i] = rng.normal()));
      return layer;
    };
    checkLayer(randomise(new BatchNorm({ kind: 'batchNorm' }, [4])), { batch: 5 });
    checkLayer(randomise(new BatchNorm({ kind: 'batchNorm', momentum: 0.5 }, [3, 2, 3])), { batch: 2 });
  });
});
