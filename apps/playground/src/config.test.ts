import { describe, expect, it } from 'vitest';
import { type PlaygroundConfig, decodeConfig, defaultConfig, encodeConfig, normalizeDistortions, normalizeScheduleText } from './config.js';
import { buildDefinition } from './model-definition.js';
import { type ScheduleSpec, createSchedule, formatAugmentSpec, presets as trainPresets } from './nnkit.js';
import { notInThePage, playgroundPresets, scheduleTextOf } from './presets.js';

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

  it('carries the weight average there and back; a link without it keeps the last weights', () => {
    const setup: PlaygroundConfig = { ...defaultConfig, preset: 'custom', ema: 0.995 };
    expect(new URLSearchParams(encodeConfig(setup)).get('ema')).toBe('0.995');
    expect(decodeConfig(encodeConfig(setup))).toEqual(setup);
    expect(decodeConfig(oldLink).ema).toBe(0);
    expect(decodeConfig('ema=1').ema).toBe(0); // a decay of 1 would never move: refused, the base value kept
  });

  it('carries the test-time views there and back; a link without them scores one view', () => {
    const setup: PlaygroundConfig = { ...defaultConfig, preset: 'custom', tta: 5 };
    expect(new URLSearchParams(encodeConfig(setup)).get('tta')).toBe('5');
    expect(decodeConfig(encodeConfig(setup))).toEqual(setup);
    expect(decodeConfig(oldLink).tta).toBe(1);
    expect(decodeConfig('tta=10').tta).toBe(1); // more views than the nine shifts: refused, the base value kept
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

  // One-cycle's peak written out (the text form must name it to name what follows) equals the default.
  const filled = (spec: ScheduleSpec, learningRate: number): ScheduleSpec => (spec.kind === 'onecycle' ? { ...spec, maxLearningRate: spec.maxLearningRate ?? learningRate } : spec);

  it('gives every preset its own loss and, where the Schedule field can say it, its own schedule', () => {
    for (const preset of Object.values(trainPresets)) {
      const config = playgroundPresets[preset.name].config;
      expect(buildDefinition(config).loss, preset.name).toEqual(preset.model.loss);
      // The schedule the field holds is the preset's, once parsed and filled in for its epochs.
      const learningRate = (preset.optimizer as { learningRate?: number }).learningRate ?? 0.001;
      if (config.schedule === '') expect(['constant', undefined], preset.name).toContain(preset.schedule?.kind);
      else expect(filled(createSchedule(config.schedule, learningRate, { epochs: config.epochs }).config, learningRate), preset.name).toEqual(filled(createSchedule(preset.schedule!, learningRate, { epochs: preset.epochs }).config, learningRate));
      // And a link to it says so.
      expect(decodeConfig(encodeConfig(config), config), preset.name).toEqual(config);
    }
    expect(playgroundPresets.record.config.schedule).toBe('onecycle:0.003,0.25');
    expect(playgroundPresets.fast.config.schedule).toBe('cosine:3');
    expect(playgroundPresets.small.config.labelSmoothing).toBe(0);
    expect(playgroundPresets.record.config.labelSmoothing).toBe(0.1);
  });

  it("fills the Distortions field with a preset's random distortions, and says what of its recipe the page leaves out", () => {
    for (const preset of Object.values(trainPresets)) {
      const config = playgroundPresets[preset.name].config;
      expect(config.distortions, preset.name).toBe(preset.augment ? normalizeDistortions(formatAugmentSpec(preset.augment)) : '');
    }
    expect(playgroundPresets.record.config.distortions).toBe('rotate:10,scale:0.1,translate:2');
    // The average of the weights and the test-time views are the form's own fields: the page does all of record.
    expect(playgroundPresets.record.config.ema).toBe(0.999);
    expect(playgroundPresets.cnn.config.ema).toBe(0);
    expect(playgroundPresets.record.config.tta).toBe(5);
    expect(playgroundPresets.cnn.config.tta).toBe(1);
    expect(notInThePage(trainPresets.record)).toEqual([]);
    expect(playgroundPresets.record.description).toBe(trainPresets.record.description);
    expect(notInThePage(trainPresets['record-ensemble'])[0]).toBe('the ensemble (it trains one network of the 5)');
    expect(notInThePage(trainPresets['nielsen-ch6-dropout'])).toEqual(['the ×5 expansion of the training images by one-pixel shifts']);
    expect(notInThePage(trainPresets['sklearn-mlp'])).toEqual(['early stopping']);
    // A preset the page trains as it is keeps its description.
    expect(notInThePage(trainPresets.cnn)).toEqual([]);
    expect(playgroundPresets.cnn.description).toBe(trainPresets.cnn.description);
  });

  it('writes a schedule the text form cannot say as constant', () => {
    expect(scheduleTextOf(undefined, 0.1)).toBe('');
    expect(scheduleTextOf({ kind: 'onecycle' }, 0.1)).toBe('onecycle');
    expect(scheduleTextOf({ kind: 'onecycle', divFactor: 10 }, 0.1)).toBe('onecycle:0.1,0.3,10');
    expect(scheduleTextOf({ kind: 'onecycle', epochs: 4 }, 0.1)).toBe('');
    expect(scheduleTextOf({ kind: 'step', every: 10, factor: 0.5 }, 0.1)).toBe('step:10,0.5');
    expect(scheduleTextOf({ kind: 'warmup', epochs: 1 }, 0.1)).toBe('');
    expect(scheduleTextOf({ kind: 'plateau', patience: 3 }, 0.1)).toBe('');
  });
});
