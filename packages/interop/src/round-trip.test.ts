import { type LayerSpec, saveModel, Sequential } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { createPresetModel, presets } from '@nnkit/train';
import { describe, expect, it } from 'vitest';
import { fromNnkitBinary, toNnkitBinary } from './nnkit-binary.js';
import { fromOnnx, toOnnx } from './onnx.js';
import { everyLayerModel } from './test-models.js';
import { fromTfjs, toTfjs } from './tfjs.js';

const models: { name: string; build: () => Sequential }[] = [
  ...Object.values(presets).map((preset) => ({ name: `preset ${preset.name}`, build: () => createPresetModel(preset, 1) })),
  { name: 'every layer kind', build: () => everyLayerModel() },
  { name: 'every layer kind, sigmoid head', build: () => everyLayerModel({ kind: 'sigmoidCrossEntropy' }) },
];

function throughTfjs(model: Sequential, meta?: Record<string, unknown>) {
  const { modelJson, weightData } = toTfjs(model, { meta, normalization: 'standardize:0.1307/0.3081' });
  // Through JSON text, as the file would go.
  const json = JSON.parse(JSON.stringify(modelJson));
  return fromTfjs({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData, userDefinedMetadata: json.userDefinedMetadata });
}

describe.each(models)('$name', ({ build }) => {
  const model = build();
  const original = saveModel(model);

  it('comes back from TensorFlow.js layers-model with the same file bytes (weights and configs)', () => {
    const imported = throughTfjs(model, { note: 'kept' });
    expect(saveModel(imported.model)).toBe(original);
    expect(imported.meta).toMatchObject({ note: 'kept', normalization: 'standardize:0.1307/0.3081', importedFrom: 'tfjs layers-model' });
  });

  it('comes back from ONNX with the same file bytes (weights and configs)', () => {
    const imported = fromOnnx(toOnnx(model, { meta: { note: 'kept' } }));
    expect(saveModel(imported.model)).toBe(original);
    expect(imported.meta).toMatchObject({ note: 'kept', normalization: 'scale', importedFrom: 'onnx' });
  });

  it("comes back from nnkit's binary form with the same file bytes", () => {
    const { json, weightData } = toNnkitBinary(original);
    expect(json).not.toContain('"data"');
    expect(JSON.stringify(JSON.parse(fromNnkitBinary(json, weightData)), null, 2) + '\n').toBe(original);
  });
});

it('an ELU with α ≠ 1 comes back from ONNX, and TensorFlow.js export refuses it in one line naming the layer', () => {
  const model = everyLayerModel({ kind: 'softmaxCrossEntropy' }, 0.7);
  expect(saveModel(fromOnnx(toOnnx(model)).model)).toBe(saveModel(model));
  expect(() => toTfjs(model, { source: 'm.json' })).toThrow("m.json: layer 4 (elu, alpha 0.7): TensorFlow.js's ELU layer supports only alpha 1");
});

it('writes explicit pads as ZeroPadding2D + Conv2D and a softmax head that says so', () => {
  const model = new Sequential(
    {
      inputShape: [28, 28, 1],
      layers: [{ kind: 'conv2d', filters: 2, kernelSize: 3, padding: [0, 2, 1, 0] }, { kind: 'flatten' }, { kind: 'dense', units: 10 }] as LayerSpec[],
      loss: { kind: 'softmaxCrossEntropy' },
    },
    createRng(3),
  );
  const { modelJson } = toTfjs(model);
  const layers = modelJson.modelTopology.config.layers;
  expect(layers.map((layer) => layer.class_name)).toEqual(['ZeroPadding2D', 'Conv2D', 'Flatten', 'Dense', 'Activation']);
  expect(layers[0].config.padding).toEqual([
    [0, 2],
    [1, 0],
  ]);
  expect(layers[4].config.activation).toBe('softmax');
  expect(modelJson.userDefinedMetadata.nnkit.output).toContain('probabilities');
  expect(modelJson.userDefinedMetadata.nnkit.input).toContain('x = pixel / 255');
});
