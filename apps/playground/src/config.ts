// The whole training setup as one plain object, and its round trip through the page URL so a
// setup can be shared as a link (layers in the architecture grammar of @nnkit/layers).
import {
  type LayerSpec,
  type LossSpec,
  type OptimizerKind,
  formatAugmentSpec,
  formatLayers,
  lossKinds,
  optimizerKinds,
  parseAugmentSpec,
  parseLayers,
  parseSchedule,
} from './nnkit.js';

/** Optimizer kinds the playground offers: every kind @nnkit/optim's `createOptimizer` builds. */
export { optimizerKinds, type OptimizerKind } from './nnkit.js';
/** Loss kinds: every loss in @nnkit/layers' registry. */
export { lossKinds } from './nnkit.js';

/** Everything that decides a training run; the URL hash carries every field. */
export interface PlaygroundConfig {
  /** The preset this setup started from, or 'custom'. */
  preset: string;
  layers: LayerSpec[];
  /** The loss kind alone: its label smoothing is `labelSmoothing` (see `lossOf`). */
  loss: LossSpec;
  /** Label smoothing ε of the softmax cross-entropy; 0 for none, and for every other loss. */
  labelSmoothing: number;
  optimizer: OptimizerKind;
  /** The optimizer's rate; with a schedule, the rate the schedule starts from (one-cycle's peak). */
  learningRate: number;
  /**
   * Learning-rate schedule in the text form of the command line's `--schedule` (@nnkit/optim's
   * `parseSchedule`), e.g. `onecycle` or `warmup:1,cosine`; '' keeps the rate constant.
   */
  schedule: string;
  batchSize: number;
  epochs: number;
  /** L2 strength λ (Nielsen's rule: w ← (1 − ηλ/n)w − η·grad). */
  l2: number;
  /** Rate of a dropout layer inserted before the last dense layer; 0 leaves the network as it is. */
  dropout: number;
  /**
   * Random distortions of the training images as @nnkit/datasets' text form, e.g.
   * `rotate:10,scale:0.1,translate:1.5`; '' trains on the images as they are.
   */
  distortions: string;
  /**
   * Decay of an exponential moving average of the weights (@nnkit/train's `averaging: { kind:
   * 'ema' }`), which becomes the model when training ends; 0 keeps the last weights.
   */
  ema: number;
  /**
   * Views of each test image the test score averages the probabilities over (@nnkit/train's
   * test-time augmentation): the image and N − 1 one-pixel shifts; 1 scores the image alone.
   */
  tta: number;
  seed: number;
  /** How many training images to use (the first n of the 60 000). */
  trainSize: number;
  /** How many test images to evaluate on (the first n of the 10 000). */
  testSize: number;
}

/** A moderate distortion set: what the preview shows when training uses none. */
export const suggestedDistortions = 'rotate:10,scale:0.1,shear:8,translate:1.5';

/** Normalises a distortion text (throws a one-line error naming the bad part). */
export function normalizeDistortions(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return '';
  return formatAugmentSpec(parseAugmentSpec(trimmed));
}

/**
 * Normalises a schedule text: '' for none (empty or `constant`), else the text without spaces.
 * Throws @nnkit/optim's one-line error naming the text, what is wrong and the expected form.
 */
export function normalizeScheduleText(text: string): string {
  const compact = text.replace(/\s+/g, '');
  if (compact === '') return '';
  return parseSchedule(compact).kind === 'constant' ? '' : compact;
}

/** The loss a setup trains with: its kind, with the label smoothing when it is the softmax cross-entropy's. */
export function lossOf(config: PlaygroundConfig): LossSpec {
  return config.loss.kind === 'softmaxCrossEntropy' && config.labelSmoothing > 0
    ? { kind: 'softmaxCrossEntropy', labelSmoothing: config.labelSmoothing }
    : { kind: config.loss.kind };
}

/** The default setup: a small fully connected network that reaches 90 % in seconds. */
export const defaultConfig: PlaygroundConfig = {
  preset: 'small',
  layers: [{ kind: 'flatten' }, { kind: 'dense', units: 100 }, { kind: 'relu' }, { kind: 'dense', units: 10 }],
  loss: { kind: 'softmaxCrossEntropy' },
  labelSmoothing: 0,
  optimizer: 'adam',
  learningRate: 0.001,
  schedule: '',
  batchSize: 32,
  epochs: 1,
  l2: 0,
  dropout: 0,
  distortions: '',
  ema: 0,
  tta: 1,
  seed: 1,
  trainSize: 60000,
  testSize: 10000,
};

/**
 * The most parameters a network built or imported in the page may have: 20 million float32
 * values (80 MB, twelve times nielsen-ch6-dropout), so a link or file declaring a huge layer is
 * refused before the tab fills gigabytes.
 */
export const maxParameters = 20_000_000;

/** Encodes a setup as URL hash parameters (readable, so a shared link says what it trains). */
export function encodeConfig(config: PlaygroundConfig): string {
  const parameters = new URLSearchParams();
  parameters.set('preset', config.preset);
  parameters.set('layers', formatLayers(config.layers));
  parameters.set('loss', config.loss.kind);
  parameters.set('smooth', String(config.labelSmoothing));
  parameters.set('optimizer', config.optimizer);
  parameters.set('lr', String(config.learningRate));
  parameters.set('schedule', config.schedule === '' ? 'constant' : config.schedule);
  parameters.set('batch', String(config.batchSize));
  parameters.set('epochs', String(config.epochs));
  parameters.set('l2', String(config.l2));
  parameters.set('dropout', String(config.dropout));
  parameters.set('distort', config.distortions === '' ? 'none' : config.distortions);
  parameters.set('ema', String(config.ema));
  parameters.set('tta', String(config.tta));
  parameters.set('seed', String(config.seed));
  parameters.set('train', String(config.trainSize));
  parameters.set('test', String(config.testSize));
  return parameters.toString();
}

function numberIn(parameters: URLSearchParams, name: string, fallback: number, low: number, high: number): number {
  const text = parameters.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  return Number.isFinite(value) && value >= low && value <= high ? value : fallback;
}

/** Decodes URL hash parameters over `base`; unknown or malformed fields keep the base value. */
export function decodeConfig(hash: string, base: PlaygroundConfig = defaultConfig): PlaygroundConfig {
  const parameters = new URLSearchParams(hash.replace(/^#/, ''));
  const config: PlaygroundConfig = { ...base, layers: [...base.layers] };
  const layers = parameters.get('layers');
  if (layers !== null) {
    try {
      config.layers = parseLayers(layers);
    } catch {
      // A damaged link falls back to the base architecture instead of breaking the page.
    }
  }
  const preset = parameters.get('preset');
  if (preset !== null) config.preset = preset;
  const loss = parameters.get('loss');
  const lossNamed = loss !== null && (lossKinds as readonly string[]).includes(loss);
  if (lossNamed) config.loss = { kind: loss } as LossSpec;
  // A link's loss is its kind alone: without `smooth` (every link made before the field) it
  // trains without label smoothing, as such links always did.
  config.labelSmoothing = numberIn(parameters, 'smooth', lossNamed ? 0 : base.labelSmoothing, 0, 0.5);
  const optimizer = parameters.get('optimizer');
  if (optimizer !== null && (optimizerKinds as readonly string[]).includes(optimizer)) config.optimizer = optimizer as OptimizerKind;
  config.learningRate = numberIn(parameters, 'lr', base.learningRate, 1e-6, 100);
  const schedule = parameters.get('schedule');
  if (schedule !== null) {
    try {
      config.schedule = normalizeScheduleText(schedule);
    } catch {
      // A damaged schedule keeps the base value.
    }
  }
  config.batchSize = Math.round(numberIn(parameters, 'batch', base.batchSize, 1, 4096));
  config.epochs = Math.round(numberIn(parameters, 'epochs', base.epochs, 1, 1000));
  config.l2 = numberIn(parameters, 'l2', base.l2, 0, 1e4);
  config.dropout = numberIn(parameters, 'dropout', base.dropout, 0, 0.95);
  const distort = parameters.get('distort');
  if (distort !== null) {
    try {
      config.distortions = normalizeDistortions(distort);
    } catch {
      // A damaged distortion list keeps the base value.
    }
  }
  // Links made before the field have no `ema`: they keep the base value (0 for the default setup).
  config.ema = numberIn(parameters, 'ema', base.ema, 0, 0.9999);
  // Likewise `tta`: links made before it score one view (their base's).
  config.tta = Math.round(numberIn(parameters, 'tta', base.tta, 1, 9));
  config.seed = Math.round(numberIn(parameters, 'seed', base.seed, 0, 2 ** 31));
  config.trainSize = Math.round(numberIn(parameters, 'train', base.trainSize, 10, 60000));
  config.testSize = Math.round(numberIn(parameters, 'test', base.testSize, 10, 10000));
  return config;
}
