import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { loadModel, saveModel } from './model-file.js';
import { Sequential, type ModelDefinition } from './sequential.js';

const definition = {
  inputShape: [6],
  layers: [{ kind: 'dense', units: 5 }, { kind: 'batchNorm' }, { kind: 'relu' }, { kind: 'dense', units: 3 }],
  loss: { kind: 'softmaxCrossEntropy' },
} satisfies ModelDefinition;

const context = { kernels: jsKernels, training: true, rng: createRng(1) };
const input = tensor([4, 6], Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)));

describe('Sequential.freeze', () => {
  it('marks the params of the first N layers, or of named and indexed layers, not trainable', () => {
    const model = new Sequential(definition, createRng(1));
    expect(model.layerNames()).toEqual(['dense_1', 'batchNorm_1', 'relu_1', 'dense_2']);
    model.freeze(2);
    expect(model.frozenLayers()).toEqual([0, 1]);
    expect(model.params.map((param) => param.trainable)).toEqual([false, false, false, false, true, true]);
    model.freeze(['dense_2', 0]);
    expect(model.frozenLayers()).toEqual([0, 3]);
    expect(model.params.map((param) => param.trainable)).toEqual([false, false, true, true, false, false]);
    expect(model.summary().map((row) => row.trainableParams)).toEqual([0, 10, 0, 0]);
    model.freeze([]);
    expect(model.params.every((param) => param.trainable)).toBe(true);
  });

  it('names what is wrong with a layer list', () => {
    const model = new Sequential(definition, createRng(1));
    expect(() => model.freeze(5)).toThrow('freeze: 5 is not a number of layers from 0 to 4');
    expect(() => model.freeze(['conv2d_1'])).toThrow('freeze: no layer "conv2d_1"; the layers are 0 dense_1, 1 batchNorm_1, 2 relu_1, 3 dense_2');
  });

  it('a frozen batch norm keeps its running statistics in training passes; an unfrozen one updates them', () => {
    const frozen = new Sequential(definition, createRng(1));
    frozen.freeze(2);
    const before = frozen.state.map((entry) => [...entry.value.data]);
    frozen.forward(input, context);
    expect(frozen.state.map((entry) => [...entry.value.data])).toEqual(before);
    const free = new Sequential(definition, createRng(1));
    free.forward(input, context);
    expect(free.state.map((entry) => [...entry.value.data])).not.toEqual(before);
  });

  it('is saved as trainable: false on the frozen layers and restored on load', () => {
    const model = new Sequential(definition, createRng(1));
    model.freeze([0, 3]);
    const text = saveModel(model);
    const layers = (JSON.parse(text) as { layers: { trainable?: boolean }[] }).layers;
    expect(layers.map((layer) => layer.trainable)).toEqual([false, undefined, undefined, false]);
    const loaded = loadModel(text, 'frozen.json').model;
    expect(loaded.frozenLayers()).toEqual([0, 3]);
    expect(loaded.params.map((param) => param.trainable)).toEqual([false, false, true, true, false, false]);
    expect(saveModel(new Sequential(definition, createRng(1)))).not.toContain('trainable');
    const broken = text.replace('"trainable": false', '"trainable": "no"');
    expect(() => loadModel(broken, 'broken.json')).toThrow(/broken\.json: layers\[0\]\.trainable: expected true or false, got "no"/);
  });
});
