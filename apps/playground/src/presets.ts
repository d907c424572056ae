// Ready-made setups: the playground's quick "small" network first, then every preset of
// @nnkit/train (Nielsen's book, scikit-learn's defaults, the benchmark CNN), as they are
// published there; the playground trains them on the first "Training images" images.
import { type PlaygroundConfig, type OptimizerKind, defaultConfig } from './config.js';
import { type Preset, type ScheduleSpec, formatAugmentSpec, presets as trainPresets } from './nnkit.js';

/** A preset as the playground shows and applies it. */
export interface PlaygroundPreset {
  readonly description: string;
  readonly config: PlaygroundConfig;
}

/**
 * A preset's schedule in the text form of the Schedule field, or '' (constant) when it has none
 * or one the text form cannot say (fixed epochs of a one-cycle, a warm-up, schedules that watch
 * validation accuracy, which the playground cannot feed). `learningRate` is the preset's rate,
 * one-cycle's peak when the spec gives none.
 */
export function scheduleTextOf(spec: ScheduleSpec | undefined, learningRate: number): string {
  switch (spec?.kind) {
    case 'onecycle': {
      if (spec.epochs !== undefined) return '';
      // Positional arguments up to the last one the preset sets (defaults before it written out).
      const values = [spec.maxLearningRate ?? learningRate, spec.pctStart ?? 0.3, spec.divFactor ?? 25, spec.finalDivFactor ?? 1e4];
      const given = [spec.maxLearningRate, spec.pctStart, spec.divFactor, spec.finalDivFactor];
      const count = given.reduce<number>((last, value, index) => (value === undefined ? last : index + 1), 0);
      return count === 0 ? 'onecycle' : `onecycle:${values.slice(0, count).join(',')}`;
    }
    case 'cosine':
      return `cosine${spec.epochs === undefined ? '' : `:${spec.epochs}${spec.minLearningRate === undefined ? '' : `,${spec.minLearningRate}`}`}`;
    case 'step':
      return `step:${spec.every},${spec.factor}`;
    case 'exponential':
      return `exponential:${spec.factor}`;
    default:
      return '';
  }
}

/**
 * A @nnkit/train preset as a playground configuration (data-set handling stays the playground's),
 * with its schedule when the Schedule field can say it (`scheduleTextOf`) and its random
 * distortions in the Distortions field.
 */
export function fromTrainPreset(preset: Preset): PlaygroundConfig {
  const optimizer = preset.optimizer as { kind: OptimizerKind; learningRate?: number; l2?: number };
  return {
    ...defaultConfig,
    preset: preset.name,
    layers: preset.model.layers.map((layer) => ({ ...layer })),
    // The loss kind, and its label smoothing in the form's own field (the record presets' 0.1).
    loss: { kind: preset.model.loss.kind },
    labelSmoothing: preset.model.loss.kind === 'softmaxCrossEntropy' ? (preset.model.loss.labelSmoothing ?? 0) : 0,
    optimizer: optimizer.kind,
    learningRate: optimizer.learningRate ?? 0.001,
    schedule: scheduleTextOf(preset.schedule, optimizer.learningRate ?? 0.001),
    l2: optimizer.l2 ?? 0,
    batchSize: preset.batchSize,
    epochs: preset.epochs,
    distortions: preset.augment ? formatAugmentSpec(preset.augment) : '',
    // The record presets' average of the weights (EMA, decay 0.999) in the form's own field.
    ema: preset.averaging?.kind === 'ema' ? preset.averaging.decay : 0,
    // The record presets' five views of each test image, in the form's own field.
    tta: preset.testTimeViews ?? 1,
  };
}

/**
 * What of a preset's recipe the page does not do, in words ([] when it does all of it): it
 * trains one network on the first "Training images" images.
 */
export function notInThePage(preset: Preset): string[] {
  const missing: string[] = [];
  if ((preset.ensemble ?? 1) > 1) missing.push(`the ensemble (it trains one network of the ${preset.ensemble})`);
  if (preset.expandByShifts) missing.push('the ×5 expansion of the training images by one-pixel shifts');
  if (preset.earlyStopping) missing.push('early stopping');
  if (preset.averaging?.kind === 'ema' && preset.averaging.startEpoch !== undefined) missing.push(`the start of the weight average at epoch ${preset.averaging.startEpoch}`);
  if (preset.averaging?.kind === 'swa') missing.push(`the average of the weights over the last ${preset.averaging.epochs} epochs (SWA)`);
  return missing;
}

/** The preset's description, and what the page leaves out of it (`notInThePage`). */
function pageDescription(preset: Preset): string {
  const missing = notInThePage(preset);
  if (missing.length === 0) return preset.description;
  const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  return `${preset.description}. The page leaves out ${list}; nnkit train --preset ${preset.name} has the whole recipe.`;
}

/** The presets by name; "small" reaches over 90 % test accuracy in one epoch in seconds. */
export const playgroundPresets: Record<string, PlaygroundPreset> = {
  small: {
    description: 'dense 100 ReLU, Adam η = 0.001, batch 32: about 95 % after one epoch',
    config: defaultConfig,
  },
  ...Object.fromEntries(
    Object.values(trainPresets).map((preset) => [preset.name, { description: pageDescription(preset), config: fromTrainPreset(preset) }]),
  ),
};
