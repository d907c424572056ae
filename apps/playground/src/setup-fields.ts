// The setup form's fields: each one's accepted range, and the reading of a field's text (or a
// link's value) into a number or a one-line reason it is refused. The form and links share it,
// so a value the form refuses is refused in a link too, and neither is ever silently ignored.
import { type PlaygroundConfig, decodeConfig, normalizeDistortions, normalizeScheduleText } from './config.js';
import { createSchedule, parseLayers, parseSchedule } from './nnkit.js';
import type { SetupField } from './page-state.js';

/** A numeric field: its name in the URL, its bounds, whether it takes whole numbers. */
export interface NumberField {
  readonly field: SetupField & keyof PlaygroundConfig;
  readonly parameter: string;
  readonly label: string;
  readonly low: number;
  readonly high: number;
  readonly integer: boolean;
}

/** Every numeric field of the setup, with the same bounds as the URL decoding. */
export const numberFields: readonly NumberField[] = [
  { field: 'learningRate', parameter: 'lr', label: 'Learning rate', low: 1e-6, high: 100, integer: false },
  { field: 'batchSize', parameter: 'batch', label: 'Batch size', low: 1, high: 4096, integer: true },
  { field: 'epochs', parameter: 'epochs', label: 'Epochs', low: 1, high: 1000, integer: true },
  { field: 'l2', parameter: 'l2', label: 'L2', low: 0, high: 1e4, integer: false },
  { field: 'dropout', parameter: 'dropout', label: 'Dropout', low: 0, high: 0.95, integer: false },
  { field: 'labelSmoothing', parameter: 'smooth', label: 'Label smoothing', low: 0, high: 0.5, integer: false },
  { field: 'ema', parameter: 'ema', label: 'Weight average (EMA)', low: 0, high: 0.9999, integer: false },
  { field: 'tta', parameter: 'tta', label: 'Test-time views', low: 1, high: 9, integer: true },
  { field: 'seed', parameter: 'seed', label: 'Seed', low: 0, high: 2 ** 31, integer: true },
  { field: 'trainSize', parameter: 'train', label: 'Training images', low: 10, high: 60000, integer: true },
  { field: 'testSize', parameter: 'test', label: 'Test images', low: 10, high: 10000, integer: true },
];

/** Reads a numeric field's text: its value, or why it is refused. */
export function readNumber(spec: NumberField, text: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) return { error: `${spec.label}: "${text}" is not a number.` };
  if (spec.integer && !Number.isInteger(value)) return { error: `${spec.label}: ${trimmed} is not a whole number.` };
  if (value < spec.low || value > spec.high) return { error: `${spec.label}: ${trimmed} is outside ${spec.low} to ${spec.high}.` };
  return { value };
}

/**
 * A parser's one-line message as the field's error: the parser names its input after its own
 * word for it (`schedule "foo": …`, `augment "rotate:abc": "rotate:abc": …`), which the field's
 * label replaces, and a single item quoted twice is quoted once.
 */
function fieldError(label: string, parserWord: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!message.startsWith(`${parserWord} `)) return `${label}: ${message}`;
  return `${label} ${message.slice(parserWord.length + 1).replace(/^("[^"]*"): \1: /, '$1: ')}`;
}

/** Reads a distortion text: its normal form, or why it is refused. */
export function readDistortions(text: string): { value: string } | { error: string } {
  try {
    return { value: normalizeDistortions(text) };
  } catch (error) {
    return { error: fieldError('Distortions', 'augment', error) };
  }
}

/**
 * Reads a schedule text for a run of `epochs` epochs: its normal form ('' for a constant rate),
 * or why it is refused: @nnkit/optim's one-line message for a text it cannot parse or a run it
 * does not fit (a warm-up as long as the run), so `fit` never refuses it at Start.
 *
 * Schedules that watch validation accuracy (`plateau`) are refused. The playground trains on
 * every image the Training images field names and scores its test images: holding some out
 * for validation would train on fewer than the field says, and steering the rate by the test
 * images would tune on the test set. `adaptive` watches the training loss and is accepted.
 */
export function readSchedule(text: string, epochs: number): { value: string } | { error: string } {
  try {
    const value = normalizeScheduleText(text);
    if (value !== '' && createSchedule(value, 1, { epochs }).monitor === 'validationAccuracy') {
      return { error: `Schedule: "${value}" watches validation accuracy, and the playground holds no validation images out; try cosine, onecycle or adaptive.` };
    }
    return { value };
  } catch (error) {
    return { error: fieldError('Schedule', 'schedule', error) };
  }
}

/** Why a label smoothing cannot go with the loss `kind`, or null when it can. */
export function smoothingProblem(labelSmoothing: number, kind: PlaygroundConfig['loss']['kind']): string | null {
  return labelSmoothing > 0 && kind !== 'softmaxCrossEntropy' ? 'Label smoothing: only softmax cross-entropy takes it; set 0 or change the loss.' : null;
}

/**
 * What the learning rate means under the schedule `schedule` (a valid text), and that a change
 * applies from the next Start or Reset: the schedule sets the rate from it at every epoch or
 * batch, so the rate cannot change under a running schedule. '' without a schedule.
 */
export function scheduleRateNote(schedule: string): string {
  if (schedule === '') return '';
  const spec = parseSchedule(schedule);
  const later = 'a change to it applies from the next Start or Reset.';
  if (spec.kind === 'onecycle') {
    if (spec.maxLearningRate !== undefined) return `Learning rate is not used: onecycle sets its own peak, ${spec.maxLearningRate}.`;
    return `Learning rate is the one-cycle peak (training starts at a 25th of it); ${later}`;
  }
  if (spec.kind === 'warmup') return `Learning rate is the rate the warm-up rises to; ${later}`;
  return `Learning rate is the schedule's starting rate; ${later}`;
}

/**
 * What a link's hash sets that the page cannot accept: each refused field with the text as
 * given and the reason (the layers by their whole list), so the page can show them instead of
 * falling back to defaults in silence.
 */
export function linkProblems(hash: string, setup: PlaygroundConfig = decodeConfig(hash)): Partial<Record<SetupField, { text: string; error: string }>> {
  const parameters = new URLSearchParams(hash.replace(/^#/, ''));
  const problems: Partial<Record<SetupField, { text: string; error: string }>> = {};
  for (const spec of numberFields) {
    const text = parameters.get(spec.parameter);
    if (text === null) continue;
    const read = readNumber(spec, text);
    if ('error' in read) problems[spec.field] = { text, error: read.error };
  }
  const distort = parameters.get('distort');
  if (distort !== null) {
    const read = readDistortions(distort === 'none' ? '' : distort);
    if ('error' in read) problems.distortions = { text: distort, error: read.error };
  }
  // The schedule and the label smoothing are read against the setup's epochs and loss.
  const schedule = parameters.get('schedule');
  if (schedule !== null) {
    const read = readSchedule(schedule, setup.epochs);
    if ('error' in read) problems.schedule = { text: schedule, error: read.error };
  }
  const smoothing = smoothingProblem(setup.labelSmoothing, setup.loss.kind);
  if (problems.labelSmoothing === undefined && smoothing !== null) problems.labelSmoothing = { text: String(setup.labelSmoothing), error: smoothing };
  const layers = parameters.get('layers');
  if (layers !== null) {
    try {
      parseLayers(layers);
    } catch (error) {
      problems.layers = { text: layers, error: `The link's layer list is not valid: ${error instanceof Error ? error.message : String(error)}. Showing the preset's layers instead: edit them to go on.` };
    }
  }
  return problems;
}
