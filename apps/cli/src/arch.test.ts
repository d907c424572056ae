import { Sequential } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { parseArchitecture } from './arch.js';

describe('parseArchitecture', () => {
  it("reads Nielsen's layer sizes as dense layers", () => {
    const definition = parseArchitecture('784-30-10', { activation: 'sigmoid', loss: 'quadratic', init: 'normal' });
    expect(definition.layers).toEqual([
      { kind: 'flatten' },
      { kind: 'dense', units: 30, init: 'normal' },
      { kind: 'sigmoid' },
      { kind: 'dense', units: 10, init: 'normal' },
      { kind: 'sigmoid' },
    ]);
    expect(definition.loss).toEqual({ kind: 'quadratic' });
  });

  it('reads the bench-cnn network and builds a model with its shapes', () => {
    const definition = parseArchitecture('conv20x5-pool2-conv40x5-pool2-fc100-fc10');
    expect(definition.layers.map((layer) => layer.kind)).toEqual([
      'conv2d', 'relu', 'maxPool2d', 'conv2d', 'relu', 'maxPool2d', 'flatten', 'dense', 'relu', 'dense',
    ]);
    const model = new Sequential(definition, createRng(1));
    expect(model.summary().map((row) => row.outputShape)).toEqual([
      [24, 24, 20], [24, 24, 20], [12, 12, 20], [8, 8, 40], [8, 8, 40], [4, 4, 40], [640], [100], [100], [10],
    ]);
  });

  it('reads strides, padding, dropout, batch norm and explicit activations', () => {
    const definition = parseArchitecture('conv32x3same-bn-relu-conv32x3s2-drop0.25-fc128-tanh-fc10');
    expect(definition.layers).toEqual([
      { kind: 'conv2d', filters: 32, kernelSize: 3, padding: 'same', init: 'he' },
      { kind: 'batchNorm' },
      { kind: 'relu' },
      { kind: 'conv2d', filters: 32, kernelSize: 3, stride: 2, init: 'he' },
      { kind: 'relu' },
      { kind: 'dropout', rate: 0.25 },
      { kind: 'flatten' },
      { kind: 'dense', units: 128, init: 'he' },
      { kind: 'tanh' },
      { kind: 'dense', units: 10, init: 'he' },
    ]);
  });

  it.each([
    ['', /empty architecture/],
    ['785-10', /must be 784/],
    ['784-30-11', /last layer must have 10 units/],
    ['conv20x5-pool2', /must end with the output layer fc10/],
    ['conv20x5-fc100-conv10x3-fc10', /convolutions need images/],
    ['conv20x5-blah-fc10', /unknown part 'blah'/],
  ])('rejects %j with a clear message', (spec, message) => {
    expect(() => parseArchitecture(spec)).toThrow(message);
  });
});
