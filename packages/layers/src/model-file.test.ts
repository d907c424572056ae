import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from './errors.js';
import { loadModel, saveModel } from './model-file.js';
import { buildSequential } from './parameter-budget.js';
import { Sequential, type ModelDefinition } from './sequential.js';

const definition = {
  inputShape: [6, 6, 1],
  layers: [
    { kind: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' },
    { kind: 'batchNorm' },
    { kind: 'relu' },
    { kind: 'maxPool2d', size: 2 },
    { kind: 'flatten' },
    { kind: 'dropout', rate: 0.3 },
    { kind: 'dense', units: 4, init: 'scaledNormal' },
  ],
  loss: { kind: 'softmaxCrossEntropy' },
} satisfies ModelDefinition;

function trainedModel(): Sequential {
  const model = new Sequential(definition, createRng(1));
  const rng = createRng(2);
  const input = tensor([5, 6, 6, 1], Float32Array.from({ length: 180 }, () => rng.normal()));
  // A few training passes move the batch-norm running statistics away from their initial values.
  for (let i = 0; i < 3; i++) model.forward(input, { kernels: jsKernels, training: true, rng });
  return model;
}

const predict = (model: Sequential) => {
  const rng = createRng(9);
  const input = tensor([4, 6, 6, 1], Float32Array.from({ length: 144 }, () => rng.normal()));
  return model.forward(input, { kernels: jsKernels, training: false, rng }).data.slice();
};

function corrupt(edit: (file: any) => void): string {
  const file = JSON.parse(saveModel(trainedModel()));
  edit(file);
  return JSON.stringify(file);
}

describe('saveModel / loadModel', () => {
  it('reproduces predictions bit for bit, with history and meta', () => {
    const model = trainedModel();
    const text = saveModel(model, { history: [{ epoch: 1, loss: 0.5 }], meta: { note: 'test' } });
    const loaded = loadModel(text, 'model.json');
    expect(loaded.model.definition).toEqual(model.definition);
    const expected = predict(model);
    const actual = predict(loaded.model);
    expect([...actual].every((x, i) => Object.is(x, expected[i]))).toBe(true);
    expect(loaded.history).toEqual([{ epoch: 1, loss: 0.5 }]);
    expect(loaded.meta).toEqual({ note: 'test' });
    expect(saveModel(loaded.model, { history: loaded.history, meta: loaded.meta })).toBe(text);
  });

  it('writes the documented structure', () => {
    const file = JSON.parse(saveModel(trainedModel()));
    expect(file.format).toBe('nnkit-model');
    expect(file.version).toBe(1);
    expect(file.inputShape).toEqual([6, 6, 1]);
    expect(file.loss).toEqual({ kind: 'softmaxCrossEntropy' });
    expect(Object.keys(file.layers[1].params)).toEqual(['gamma', 'beta', 'runningMean', 'runningVariance']);
    expect(file.layers[0].params.weights.shape).toEqual([3, 3, 1, 3]);
    expect(file.layers[0].params.weights.data).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  const cases: [string, string | (() => string), string][] = [
    ['truncated JSON', () => saveModel(trainedModel()).slice(0, 200), 'model.json: not valid JSON (truncated or corrupted?)'],
    ['not an object', '[1, 2]', 'model.json: expected a JSON object, got [1,2]'],
    ['wrong format', () => corrupt((f) => (f.format = 'keras')), 'model.json: format: expected "nnkit-model", got "keras"'],
    ['newer version', () => corrupt((f) => (f.version = 2)), 'model.json: version: expected 1, got 2 (written by a newer nnkit)'],
    ['unknown kind', () => corrupt((f) => (f.layers[2].config.kind = 'gelu')), 'model.json: layers[2].config.kind: expected one of dense, conv2d'],
    ['bad config', () => corrupt((f) => (f.layers[6].config.units = 'ten')), 'model.json: layers[6].config.units: expected a positive integer, got "ten" (dense)'],
    ['missing config', () => corrupt((f) => delete f.layers[3].config), 'model.json: layers[3].config: expected an object, got nothing'],
    ['missing param', () => corrupt((f) => delete f.layers[0].params.bias), 'model.json: layers[0].params.bias: missing'],
    ['unexpected param', () => corrupt((f) => (f.layers[2].params.alpha = {})), 'model.json: layers[2].params.alpha: unexpected parameter (relu has no parameters)'],
    [
      'wrong shape',
      () => corrupt((f) => (f.layers[6].params.weights.shape = [2, 4])),
      'model.json: layers[6].params.weights.shape: expected [27, 4], got [2, 4]',
    ],
    ['bad base64', () => corrupt((f) => (f.layers[6].params.bias.data = 'abc$')), 'model.json: layers[6].params.bias.data: not valid base64'],
    [
      'wrong data length',
      () => corrupt((f) => (f.layers[6].params.bias.data = 'AAAAAAAAAAA=')),
      'model.json: layers[6].params.bias.data: expected 4 float32 values (16 bytes), got 8 bytes',
    ],
    ['non-finite value', () => corrupt((f) => (f.layers[6].params.bias.data = 'AADAfwAAAAAAAAAAAAAAAA==')), 'model.json: layers[6].params.bias.data: value 0 is NaN'],
    ['bad input shape', () => corrupt((f) => (f.inputShape = [6, 6])), 'model.json: layers[0]: conv2d: expected an input of shape [height, width, channels], got [6, 6]'],
    ['bad loss', () => corrupt((f) => (f.loss = { kind: 'hinge' })), 'model.json: loss: kind: expected one of'],
  ];
  for (const [name, text, message] of cases) {
    it(`rejects ${name} with a one-line ModelFormatError`, () => {
      let error: unknown;
      try {
        loadModel(typeof text === 'function' ? text() : text, 'model.json');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain('\n');
    });
  }
});

describe('loadModel within what the file stores', () => {
  const bomb = (units: number) =>
    JSON.stringify({
      format: 'nnkit-model',
      version: 1,
      inputShape: [784],
      loss: { kind: 'softmaxCrossEntropy' },
      layers: [{ config: { kind: 'dense', units, init: 'he' }, params: { weights: { shape: [784, units], data: 'AAAAAA==' } } }],
    });

  it('refuses a layer declaring more parameters than the file stores, before filling them', () => {
    const before = process.memoryUsage().rss;
    expect(() => loadModel(bomb(60_000), 'bomb.json')).toThrow('bomb.json: layers[0]: declares more parameters than the file stores (1 values)');
    // 47 million weights would be 188 MB once filled (and 65 536 units, the schema's most, 206 MB).
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses a file storing more values than maxParams', () => {
    const text = saveModel(trainedModel());
    expect(() => loadModel(text, 'model.json', { maxParams: 50 })).toThrow(/^model\.json: layers: stores \d+ parameter values, more than the limit of 50$/);
    expect(loadModel(text, 'model.json', { maxParams: 1000 }).model.params.length).toBeGreaterThan(0);
  });

  it('buildSequential gives the same parameters as new Sequential, and names the layer past the limit', () => {
    const built = buildSequential(definition, createRng(1), 1000);
    expect(built.params.map((param) => [...param.value.data])).toEqual(new Sequential(definition, createRng(1)).params.map((param) => [...param.value.data]));
    expect(() => buildSequential(definition, createRng(1), 100)).toThrow(/^layers\[6\]: declares more than 100 parameter values$/);
  });
});

describe('loadModel on hostile JSON', () => {
  it('refuses nesting past 64 levels, which recursive readers of meta and history cannot take', () => {
    const file = JSON.parse(saveModel(trainedModel()));
    const text = JSON.stringify(file).replace(/}$/, `,"meta":{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`);
    expect(() => loadModel(text, 'deep.json')).toThrow('deep.json: meta: nested more than 64 levels deep');
    file.meta = { fine: [[[{ a: 1 }]]] };
    expect(loadModel(JSON.stringify(file), 'ok.json').meta).toEqual({ fine: [[[{ a: 1 }]]] });
  });
});
