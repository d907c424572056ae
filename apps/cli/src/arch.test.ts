import { Sequential, formatLayer, initialLayer, layerKinds } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { parseArchitecture, type ArchitectureOptions } from './arch.js';
import { UsageError } from './errors.js';
import shortForms from './arch-short-forms.json' with { type: 'json' };

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

  it('reads gap as global average pooling, with no flatten before the output layer', () => {
    const definition = parseArchitecture('conv16x3same-bn-conv32x3s2-gap-fc10');
    expect(definition.layers.slice(-3)).toEqual([{ kind: 'relu' }, { kind: 'globalAvgPool2d' }, { kind: 'dense', units: 10, init: 'he' }]);
    expect(new Sequential(definition, createRng(1)).summary().map((row) => row.outputShape).slice(-2)).toEqual([[32], [10]]);
  });

  it.each([
    ['', /empty architecture/],
    ['785-10', /must be 784/],
    ['784-30-11', /last layer must have 10 units/],
    ['conv20x5-pool2', /must end with the output layer fc10/],
    ['conv20x5-fc100-conv10x3-fc10', /convolutions need images/],
    ['conv20x5-fc100-gap-fc10', /'gap' .*comes after a dense layer; global average pooling needs images/],
    ['conv20x5-blah-fc10', /unknown part 'blah'/],
  ])('rejects %j with a clear message', (spec, message) => {
    expect(() => parseArchitecture(spec)).toThrow(message);
  });

  // Recorded from the parser before the short forms became aliases of the shared grammar: the same
  // definitions, field for field and in the same order, so trained models keep their bytes.
  it.each(shortForms.map((entry) => [entry.spec, JSON.stringify(entry.options), entry]))('gives %j with %s the recorded definition', (_spec, _options, entry) => {
    const definition = parseArchitecture(entry.spec, entry.options as ArchitectureOptions);
    expect(JSON.stringify(definition)).toBe(JSON.stringify(entry.definition));
  });

  it('reads the layers grammar of @nnkit/layers as written, so every layer is sayable', () => {
    const definition = parseArchitecture('conv2d(8,5,same,he) elu maxPool2d(2) flatten dense(units=32) elu(alpha=0.5) dense(10)');
    expect(definition.layers).toEqual([
      { kind: 'conv2d', filters: 8, kernelSize: 5, padding: 'same', init: 'he' },
      { kind: 'elu' },
      { kind: 'maxPool2d', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 32 },
      { kind: 'elu', alpha: 0.5 },
      { kind: 'dense', units: 10 },
    ]);
    expect(definition.loss).toEqual({ kind: 'softmaxCrossEntropy' });
    expect(parseArchitecture('flatten-dense(10)-sigmoid', { loss: 'quadratic' }).layers.map((layer) => layer.kind)).toEqual(['flatten', 'dense', 'sigmoid']);
  });

  it('mixes grammar layers into short forms: an activation there replaces the automatic one', () => {
    expect(parseArchitecture('conv8x5-elu-pool2-fc32-leakyRelu(0.1)-fc10').layers).toEqual([
      { kind: 'conv2d', filters: 8, kernelSize: 5, init: 'he' },
      { kind: 'elu' },
      { kind: 'maxPool2d', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 32, init: 'he' },
      { kind: 'leakyRelu', alpha: 0.1 },
      { kind: 'dense', units: 10, init: 'he' },
    ]);
    expect(parseArchitecture('fc32-dropout(0.25)-fc10').layers.map((layer) => layer.kind)).toEqual(['flatten', 'dense', 'relu', 'dropout', 'dense']);
  });

  it.each([
    ['flatten dense(0) dense(10)', "--arch flatten dense(0) dense(10): 'dense(0)' (part 2, column 9): dense: units: expected a positive integer, got 0"],
    ['flatten densee(10)', "'densee(10)' (part 2, column 9): unknown layer kind 'densee', expected one of dense, conv2d"],
    ['conv2d(8,5) dense(10)', "'dense(10)' (part 2, column 13): dense: expected an input of shape [features], got [24, 24, 8]; add {kind: 'flatten'} before it"],
    ['flatten dense(12)', 'the network gives 12 outputs, a digit classifier needs 10'],
    ['conv20x5-elu(alpha=0)-fc10', "--arch conv20x5-elu(alpha=0)-fc10: 'elu(alpha=0)' (part 2, column 10): elu: alpha: expected a number in (0, Infinity), got 0"],
    ['conv20x5-gelu-fc10', "unknown part 'gelu' (part 2, column 10), expected convNxK[sS][same]"],
    ['conv20x5--fc10', 'an empty layer at column 10'],
    ['conv99x40-fc10', "'conv99x40' (part 1, column 1): conv2d: kernelSize: a 40×40 kernel does not fit the input [28, 28, 1] with padding \"valid\""],
  ])('names --arch, the part and its position for %j', (spec, message) => {
    expect(() => parseArchitecture(spec)).toThrow(UsageError);
    expect(() => parseArchitecture(spec)).toThrow(message);
  });

  // No table to keep: a layer added to @nnkit/layers is sayable here at once.
  it.each(layerKinds.map((kind) => [kind]))('says every registered layer: %s', (kind) => {
    const layer = formatLayer(initialLayer(kind));
    const attempts = [`conv2d(4,3) ${layer} flatten dense(10)`, `flatten dense(16) ${layer} dense(10)`];
    const built = attempts.flatMap((spec) => {
      try {
        return [parseArchitecture(spec)];
      } catch {
        return [];
      }
    });
    expect(built.length, `${kind} fits neither ${attempts.join(' nor ')}`).toBeGreaterThan(0);
    expect(built[0].layers).toContainEqual(initialLayer(kind));
  });
});
