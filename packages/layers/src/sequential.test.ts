import { createRng, jsKernels, tensor, zeroGrads } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { Sequential, type ModelDefinition } from './sequential.js';

const cnn = {
  inputShape: [28, 28, 1],
  layers: [
    { kind: 'conv2d', filters: 20, kernelSize: 5 },
    { kind: 'relu' },
    { kind: 'maxPool2d', size: 2 },
    { kind: 'conv2d', filters: 40, kernelSize: 5 },
    { kind: 'relu' },
    { kind: 'maxPool2d', size: 2 },
    { kind: 'flatten' },
    { kind: 'dense', units: 100, init: 'he' },
    { kind: 'relu' },
    { kind: 'dense', units: 10 },
  ],
  loss: { kind: 'softmaxCrossEntropy' },
} satisfies ModelDefinition;

describe('Sequential', () => {
  it('chains shapes and summarises like Keras', () => {
    const model = new Sequential(cnn, createRng(1));
    expect(model.outputShape).toEqual([10]);
    expect(model.summary().map((row) => [row.name, row.outputShape, row.params])).toEqual([
      ['conv2d_1', [24, 24, 20], 520], // 5·5·1·20 + 20
      ['relu_1', [24, 24, 20], 0],
      ['maxPool2d_1', [12, 12, 20], 0],
      ['conv2d_2', [8, 8, 40], 20040], // 5·5·20·40 + 40
      ['relu_2', [8, 8, 40], 0],
      ['maxPool2d_2', [4, 4, 40], 0],
      ['flatten_1', [640], 0],
      ['dense_1', [100], 64100], // 640·100 + 100
      ['relu_3', [100], 0],
      ['dense_2', [10], 1010],
    ]);
    const table = model.formatSummary();
    expect(table).toContain('conv2d_2     [8, 8, 40]    20,040');
    expect(table).toContain('Total params: 85,670');
    expect(table).toContain('Non-trainable params: 0');
    expect(model.params).toHaveLength(8);
  });

  it('counts batch-norm statistics as non-trainable', () => {
    const model = new Sequential(
      { inputShape: [4], layers: [{ kind: 'dense', units: 3 }, { kind: 'batchNorm' }], loss: { kind: 'quadratic' } },
      createRng(1),
    );
    expect(model.formatSummary()).toMatch(/Total params: 27\nTrainable params: 21\nNon-trainable params: 6/);
    expect(model.state.map((s) => s.name)).toEqual(['runningMean', 'runningVariance']);
  });

  it('initialises each layer from its own fork, so layers added later leave earlier weights alone', () => {
    const short = new Sequential({ inputShape: [5], layers: [{ kind: 'dense', units: 4 }], loss: { kind: 'quadratic' } }, createRng(7));
    const long = new Sequential(
      { inputShape: [5], layers: [{ kind: 'dense', units: 4 }, { kind: 'sigmoid' }, { kind: 'dense', units: 2 }], loss: { kind: 'quadratic' } },
      createRng(7),
    );
    expect(long.params[0].value.data).toEqual(short.params[0].value.data);
  });

  it('learns a small problem with plain gradient descent (loss falls)', () => {
    const model = new Sequential(
      { inputShape: [2], layers: [{ kind: 'dense', units: 8 }, { kind: 'tanh' }, { kind: 'dense', units: 2 }], loss: { kind: 'softmaxCrossEntropy' } },
      createRng(3),
    );
    // XOR-like: class 1 when the signs differ.
    const input = tensor([4, 2], [1, 1, -1, -1, 1, -1, -1, 1]);
    const labels = [0, 0, 1, 1];
    const context = { kernels: jsKernels, training: true, rng: createRng(4) };
    const outputGrad = tensor([4, 2]);
    const losses: number[] = [];
    for (let step = 0; step < 300; step++) {
      zeroGrads(model.params);
      const output = model.forward(input, context);
      losses.push(model.loss.compute(output, labels, outputGrad.data));
      model.backward(outputGrad, context, { inputGrad: false });
      for (const param of model.params) param.value.data.forEach((_, i, v) => (v[i] -= 0.5 * param.grad.data[i]));
    }
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(losses[losses.length - 1]).toBeLessThan(0.05);
  });

  it('rejects bad definitions naming the layer and field', () => {
    const make = (definition: object) => () => new Sequential(definition as ModelDefinition, createRng(1));
    expect(make({ ...cnn, layers: [...cnn.layers.slice(0, 7), { kind: 'dense', units: 0 }] })).toThrow(
      'layers[7].units: expected a positive integer, got 0 (dense)',
    );
    expect(make({ ...cnn, layers: [{ kind: 'dense', units: 10 }] })).toThrow('layers[0]: dense: expected an input of shape [features], got [28, 28, 1]');
    expect(make({ ...cnn, layers: [{ kind: 'dense2' }] })).toThrow('layers[0].kind: expected one of dense, conv2d');
    expect(make({ ...cnn, inputShape: [28, -28] })).toThrow('inputShape: expected a list of positive integers, got [28,-28]');
    expect(make({ ...cnn, loss: { kind: 'mse' } })).toThrow('loss: kind: expected one of');
    expect(make({ ...cnn, layers: [...cnn.layers, { kind: 'softmax' }] })).toThrow('softmaxCrossEntropy takes logits: remove the final softmax layer');
    expect(make({ ...cnn, layers: cnn.layers.slice(0, 3) })).toThrow("the last layer's output [12, 12, 20] must be [classes]");
  });

  it('type-checks definitions against the registry', () => {
    const definition: ModelDefinition = {
      inputShape: [784],
      // @ts-expect-error 'units' is required for dense
      layers: [{ kind: 'dense' }],
      loss: { kind: 'quadratic' },
    };
    // @ts-expect-error unknown layer kind
    const unknownKind: ModelDefinition['layers'][number] = { kind: 'lstm' };
    expect([definition, unknownKind]).toHaveLength(2);
  });
});
