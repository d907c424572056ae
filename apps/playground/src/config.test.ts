import { describe, expect, it } from 'vitest';
import { type PlaygroundConfig, decodeConfig, defaultConfig, encodeConfig, normalizeScheduleText } from './config.js';
import { buildDefinition } from './model-definition.js';
import { presets as trainPresets } from './nnkit.js';
import { playgroundPresets } from './presets.js';

/** A link as the page wrote it before the schedule and label-smoothing fields existed. */
const oldLink =
  'preset=custom&layers=conv2d(20,5) relu maxPool2d(2) flatten dense(100) relu dense(10)&loss=softmaxCrossEntropy&optimizer=adam&lr=0.001&batch=32&epochs=1&l2=0&dropout=0&distort=rotate:10,scale:0.1&seed=1&train=60000&test=10000';

describe('setup URL', () => {
  it('carries the schedule and the label smoothing there and back', () => {
    const setup: PlaygroundConfig = { ...defaultConfig, preset: 'custom', epochs: 3, schedule: 'warmup:1,cosine', labelSmoothing: 0.1 };
    const hash = encodeConfig(setup);
    const parameters = new URLSearchParams(hash);
    expect(parameters.get('schedule')).toBe('warmup:1,cosine');
    expect(parameters.get('smooth')).toBe('0.1');
    expect(decodeConfig(hash)).toEqual(setup);
    expect(buildDefinition(decodeConfig(hash)).loss).toEqual({ kind: 'softmaxCrossEntropy', labelSmoothing: 0.1 });
  });

  it('says schedule=constant and smooth=0 for none, and reads both back as none', () => {
    const parameters = new URLSearchParams(encodeConfig(defaultConfig));
    expect(parameters.get('schedule')).toBe('constant');
    expect(parameters.get('smooth')).toBe('0');
    expect(decodeConfig(encodeConfig(defaultConfig))).toEqual(defaultConfig);
    expect(decodeConfig('schedule=&smooth=0')).toEqual(defaultConfig);
    expect(buildDefinition(defaultConfig).loss).toEqual({ kind: 'softmaxCrossEntropy' });
  });

  it('opens a link made before the two fields exactly as before', () => {
    const setup = decodeConfig(oldLink);
    expect(setup.schedule).toBe('');
    expect(setup.labelSmoothing).toBe(0);
    expect(setup.distortions).toBe('rotate:10,scale:0.1');
    expect(buildDefinition(setup).loss).toEqual({ kind: 'softmaxCrossEntropy' });
    // Its loss parameter named the loss alone, so a record link trained without smoothing, and
    // still does; a link without a loss parameter keeps the preset's loss, smoothing and all.
    const record = playgroundPresets.record.config;
    expect(buildDefinition(decodeConfig('preset=record&loss=softmaxCrossEntropy&lr=0.003', record)).loss).toEqual({ kind: 'softmaxCrossEntropy' });
    expect(buildDefinition(decodeConfig('preset=record&lr=0.003', record)).loss).toEqual({ kind: 'softmaxCrossEntropy', labelSmoothing: 0.1 });
  });

  it('keeps the base value for a damaged schedule or smoothing', () => {
    const base: PlaygroundConfig = { ...defaultConfig, schedule: 'cosine', labelSmoothing: 0.05 };
    expect(decodeConfig('schedule=wobble:3', base).schedule).toBe('cosine');
    expect(decodeConfig('smooth=0.9', base).labelSmoothing).toBe(0.05);
    expect(decodeConfig('smooth=abc&loss=softmaxCrossEntropy', base).labelSmoothing).toBe(0);
  });

  it('normalises schedule texts: no spaces, constant as none', () => {
    expect(normalizeScheduleText(' warmup: 1, cosine ')).toBe('warmup:1,cosine');
    expect(normalizeScheduleText('constant')).toBe('');
    expect(normalizeScheduleText('  ')).toBe('');
    expect(() => normalizeScheduleText('step:10')).toThrow('schedule "step:10": step takes 2 arguments, got 1; expected step:<every epochs>,<factor>  e.g. step:10,0.5');
  });

  it('leaves what every preset trains as it was: its own loss, a constant rate', () => {
    for (const preset of Object.values(trainPresets)) {
      const config = playgroundPresets[preset.name].config;
      expect(config.schedule, preset.name).toBe('');
      expect(buildDefinition(config).loss, preset.name).toEqual(preset.model.loss);
      // And a link to it says so.
      expect(decodeConfig(encodeConfig(config), config), preset.name).toEqual(config);
    }
    expect(playgroundPresets.small.config.labelSmoothing).toBe(0);
    expect(playgroundPresets.record.config.labelSmoothing).toBe(0.1);
  });
});
