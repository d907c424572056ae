import { createDataset } from '@nnkit/datasets';
import { describe, expect, it } from 'vitest';
import { Sequential } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { createPresetModel, getPreset, presetData, presetFitOptions, presetMembers, presetNames, presetNetwork } from './presets.js';

describe('presets', () => {
  it('each builds its model and names its source and reference', () => {
    expect(presetNames).toEqual(['nielsen-ch1', 'nielsen-ch3', 'sklearn-mlp', 'cnn', 'nielsen-ch6', 'nielsen-ch6-dropout', 'fast', 'smoke', 'record', 'record-ensemble']);
    for (const name of presetNames) {
      const preset = getPreset(name);
      const model = createPresetModel(preset, 0);
      expect(model.outputShape).toEqual([10]);
      expect(preset.source.length).toBeGreaterThan(10);
      expect(preset.reference.accuracy).toBeGreaterThan(80);
      expect(presetFitOptions(preset)).toMatchObject({ epochs: preset.epochs, batchSize: preset.batchSize });
    }
  });

  it('match their published sizes', () => {
    const count = (name: string) => createPresetModel(getPreset(name)).summary().reduce((sum, row) => sum + row.trainableParams, 0);
    expect(count('nielsen-ch1')).toBe(784 * 30 + 30 + 30 * 10 + 10);
    expect(count('nielsen-ch3')).toBe(784 * 100 + 100 + 100 * 10 + 10);
    // 5·5·1·20 + 20, 5·5·20·40 + 40, 640·100 + 100, 100·10 + 10
    expect(count('cnn')).toBe(520 + 20_040 + 64_100 + 1_010);
    // Convolutions k·k·in·out + out, each batch norm 2·channels, then the dense layer:
    // 3·3·1·32 + 32, 3·3·32·32 + 32, 5·5·32·32 + 32 | 3·3·32·64 + 64, 3·3·64·64 + 64, 5·5·64·64 + 64 | 4·4·64·128 + 128.
    const convolutions = 320 + 9_248 + 25_632 + 18_496 + 36_928 + 102_464 + 131_200;
    const norms = 2 * (3 * 32 + 3 * 64 + 128);
    // record: unpadded 3×3 convolutions, 28 → 26 → 24 → 12 → 10 → 8 → 4 → 1: dense 128·10 + 10.
    expect(count('record')).toBe(convolutions + norms + 1_290);
    const shapes = (model: Sequential) => model.summary().map((row) => row.outputShape);
    expect(shapes(createPresetModel(getPreset('record'))).filter((shape) => shape.length === 3).map((shape) => shape[0])).toEqual([26, 26, 26, 24, 24, 24, 12, 12, 12, 12, 10, 10, 10, 8, 8, 8, 4, 4, 4, 4, 1, 1, 1]);
    // The ensemble's same network: 'same' padding keeps 28×28 and 14×14, the 4×4 convolution leaves 4×4: dense 2048·10 + 10.
    const same = new Sequential(presetNetwork(getPreset('record-ensemble'), 'same').model, createRng(0).fork('init'));
    expect(same.summary().reduce((sum, row) => sum + row.trainableParams, 0)).toBe(convolutions + norms + 20_490);
    expect(shapes(same).at(-5)).toEqual([4, 4, 128]);
  });

  it('gives the record presets every ingredient, the test set choosing nothing', () => {
    for (const name of ['record', 'record-ensemble']) {
      const preset = getPreset(name);
      expect(preset.model.loss).toEqual({ kind: 'softmaxCrossEntropy', labelSmoothing: 0.1 });
      expect(preset.validationCount).toBe(5_000);
      expect(preset.earlyStopping).toBeUndefined();
      const options = presetFitOptions(preset);
      expect(options).toMatchObject({ optimizer: { kind: 'adamw' }, schedule: { kind: 'onecycle' }, averaging: { kind: 'ema' } });
      expect(options.augment).toBeTypeOf('function');
    }
    expect(getPreset('record-ensemble').ensemble).toBeGreaterThan(1);
    // record scores the test set once, at the end (its hour has no room for per-epoch scores);
    // every other preset scores it after each epoch as before.
    expect(presetFitOptions(getPreset('record')).evaluateTest).toBe(false);
    for (const name of presetNames.filter((name) => name !== 'record')) expect(presetFitOptions(getPreset(name))).not.toHaveProperty('evaluateTest');
    // Likewise validation every fifth epoch and the last; every other preset every epoch.
    expect(presetFitOptions(getPreset('record')).validateEvery).toBe(5);
    for (const name of presetNames.filter((name) => name !== 'record')) expect(presetFitOptions(getPreset(name))).not.toHaveProperty('validateEvery');
  });

  it('gives each network of an ensemble preset its own seeds, in turn', () => {
    const ensemble = getPreset('record-ensemble');
    const members = presetMembers(ensemble, 5, 7).map((member) => `${member.network?.name}-${member.seed}`);
    expect(members).toEqual(['same-7', 'gap-7', 'same-8', 'gap-8', 'same-9']);
    expect(presetMembers(getPreset('record'), 3, 7)).toEqual([{ seed: 7 }, { seed: 8 }, { seed: 9 }]);
    // The ensemble's same network is the record preset's with 'same' padding on its 3×3 convolutions.
    const record = getPreset('record').model;
    const padded = record.layers.map((layer) => (layer.kind === 'conv2d' && layer.kernelSize === 3 ? { ...layer, padding: 'same' } : layer));
    expect(presetNetwork(ensemble, 'same').model).toEqual({ ...record, layers: padded });
    expect(ensemble.epochs).toBe(20);
    const gap = new Sequential(presetNetwork(ensemble, 'gap').model, createRng(1).fork('init'));
    const rows = gap.summary();
    expect(rows.map((row) => row.outputShape).at(-3)).toEqual([7, 7, 128]);
    expect(rows.at(-2)).toMatchObject({ outputShape: [128] });
    expect(rows.at(-1)).toMatchObject({ outputShape: [10], trainableParams: 128 * 10 + 10 });
    expect(presetNetwork(ensemble, 'gap').model.loss).toEqual({ kind: 'softmaxCrossEntropy', labelSmoothing: 0.1 });
    expect(() => presetNetwork(ensemble, 'vgg')).toThrow('preset record-ensemble has the networks same, gap, not "vgg"');
    expect(() => presetNetwork(getPreset('cnn'), 'gap')).toThrow('preset cnn has no networks of its own, not "gap"');
  });

  it('prepares Nielsen’s data: last 10 000 validate, the rest expanded ×5', () => {
    const images = new Uint8Array(12_000 * 4);
    const train = createDataset({ images, labels: new Uint8Array(12_000), imageShape: [2, 2, 1], name: 'train' });
    const data = presetData(getPreset('nielsen-ch6-dropout'), { train });
    expect(data.train.count).toBe(10_000);
    expect(data.validation?.count).toBe(10_000);
    expect(presetData(getPreset('sklearn-mlp'), { train }).validation).toBeUndefined();
    expect(() => getPreset('lenet')).toThrow('unknown preset "lenet"; expected one of nielsen-ch1, nielsen-ch3, sklearn-mlp, cnn, nielsen-ch6, nielsen-ch6-dropout, fast, smoke, record, record-ensemble');
  });
});
