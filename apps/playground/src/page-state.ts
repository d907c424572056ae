// The page's one state model: the setup being edited, the run in progress (its own settings,
// progress and network) and the models that can answer the drawing. Pure data and pure
// functions (no DOM): `reduce` applies an action, the selectors below derive every text the
// views show, so each view is a function of the state and nothing is computed from the form.
import { type PlaygroundConfig, encodeConfig } from './config.js';
import type { RunState, WorkerMessage } from './protocol.js';

/** Where a model that can answer the drawing comes from. */
export type ModelSource = 'bundled' | 'record' | 'training' | 'imported' | 'tuned';

/** A test-set evaluation of one model: what the confusion matrix and its cells show. */
export interface Evaluation {
  readonly accuracy: number;
  readonly loss: number;
  readonly count: number;
  /** rows = true digit, columns = predicted digit. */
  readonly confusion: number[][];
}

/** A model the page can predict with, kept as the nnkit-model text it arrived in. */
export interface ModelEntry {
  readonly source: ModelSource;
  /** Changes whenever the entry's weights change: evaluations and digit lists name it. */
  readonly key: string;
  /** The nnkit-model JSON exactly as loaded, imported or sent by the worker (exported as is). */
  readonly text: string;
  /** The file name of an imported model. */
  readonly fileName?: string;
  /** Test accuracy recorded in the file (`nnkit train` writes it). */
  readonly recordedAccuracy?: number;
  /** The latest test-set evaluation of these weights, or null. */
  readonly evaluation: Evaluation | null;
}

/** The run in progress: the network the worker trains and the settings it was built with. */
export interface Run {
  readonly id: number;
  readonly config: PlaygroundConfig;
  /** The learning rate in use: changed live while training, or by the run's schedule. */
  readonly learningRate: number;
  readonly state: RunState;
  readonly batches: number;
  readonly epoch: number;
  readonly batch: number;
  /** Epochs done as a fraction. */
  readonly position: number;
  /** Running mean of the training loss over the current epoch. */
  readonly meanLoss: number | null;
  readonly imagesPerSecond: number;
  readonly trainImages: number;
  /** Seconds spent training (evaluations left out) and on the wall since Start (pauses left out). */
  readonly trainSeconds: number;
  readonly elapsedSeconds: number;
  /** The last full test evaluation of this run's network. */
  readonly testAccuracy: number | null;
  readonly testCount: number;
  /** The worker's note while loading (e.g. downloading MNIST). */
  readonly note: string | null;
  /** Divergence or a stall at chance: what happened and what to change. */
  readonly warning: string | null;
  readonly error: string | null;
}

/** One field of the setup form, as the validation names it. */
export type SetupField =
  | 'learningRate'
  | 'schedule'
  | 'batchSize'
  | 'epochs'
  | 'l2'
  | 'dropout'
  | 'labelSmoothing'
  | 'ema'
  | 'tta'
  | 'seed'
  | 'trainSize'
  | 'testSize'
  | 'distortions'
  | 'layers'
  | 'threads';

export interface PageState {
  /** The setup being edited (the form and the URL show it). */
  readonly setup: PlaygroundConfig;
  /** Why a field's text is not accepted; Start and Step stay disabled while any is set. */
  readonly invalid: Partial<Record<SetupField, string>>;
  /** Whether the architecture builds and ends in 10 outputs. */
  readonly architectureError: string | null;
  readonly run: Run | null;
  readonly models: Readonly<Partial<Record<ModelSource, ModelEntry>>>;
  /** Which model answers the drawing and is shown under "Look inside". */
  readonly predictWith: ModelSource;
  /** The test digit shown on the pad, until the pad changes. */
  readonly sample: { readonly index: number; readonly label: number } | null;
  /** The confusion cell chosen, for the model it was chosen on. */
  readonly selectedCell: { readonly key: string; readonly actual: number; readonly predicted: number } | null;
  /** A message of the Files panel about the model in use; cleared when another model is chosen. */
  readonly filesMessage: string | null;
  readonly backend: { readonly name: string; readonly note: string } | null;
  readonly threads: { readonly count: number; readonly note: string } | null;
  readonly summary: string;
  /** Whether a bundled model exists in this build. */
  readonly hasBundled: boolean;
}

export type PageAction =
  | { type: 'setupEdited'; setup: PlaygroundConfig; invalid: Partial<Record<SetupField, string>> }
  | { type: 'architectureChecked'; error: string | null }
  | { type: 'runConfigured'; id: number; config: PlaygroundConfig }
  /** The learning rate changed while the run can go on: it applies to the run (which then follows the setup's preset name). */
  | { type: 'learningRateChanged'; learningRate: number; preset: string }
  | { type: 'worker'; message: WorkerMessage }
  | { type: 'modelLoaded'; source: 'bundled' | 'record' | 'imported' | 'tuned'; text: string; fileName?: string; recordedAccuracy?: number }
  | { type: 'predictWith'; source: ModelSource }
  | { type: 'sampleShown'; index: number; label: number }
  | { type: 'padChanged' }
  | { type: 'cellSelected'; actual: number; predicted: number }
  | { type: 'filesMessage'; text: string | null };

let keys = 0;
/** A fresh model key (weights that were not seen before). */
export function newModelKey(source: ModelSource): string {
  return `${source}-${++keys}`;
}

export function initialState(setup: PlaygroundConfig, hasBundled: boolean): PageState {
  return {
    setup,
    invalid: {},
    architectureError: null,
    run: null,
    models: {},
    predictWith: hasBundled ? 'bundled' : 'training',
    sample: null,
    selectedCell: null,
    filesMessage: null,
    backend: null,
    threads: null,
    summary: '',
    hasBundled,
  };
}

function newRun(id: number, config: PlaygroundConfig): Run {
  return {
    id,
    config,
    learningRate: config.learningRate,
    state: 'loading',
    batches: 0,
    epoch: 0,
    batch: 0,
    position: 0,
    meanLoss: null,
    imagesPerSecond: 0,
    trainImages: 0,
    trainSeconds: 0,
    elapsedSeconds: 0,
    testAccuracy: null,
    testCount: 0,
    note: null,
    warning: null,
    error: null,
  };
}

/** Applies `action`; returns the same object when nothing changed. */
export function reduce(state: PageState, action: PageAction): PageState {
  switch (action.type) {
    case 'setupEdited':
      return { ...state, setup: action.setup, invalid: action.invalid };
    case 'architectureChecked':
      return { ...state, architectureError: action.error };
    case 'runConfigured': {
      // A new network: the one trained before it can no longer answer the drawing.
      const models = { ...state.models };
      delete models.training;
      const selectedCell = state.selectedCell?.key === state.models.training?.key ? null : state.selectedCell;
      return { ...state, run: newRun(action.id, action.config), models, selectedCell };
    }
    case 'learningRateChanged':
      return state.run === null || state.run.config.schedule !== ''
        ? state
        : { ...state, run: { ...state.run, learningRate: action.learningRate, config: { ...state.run.config, learningRate: action.learningRate, preset: action.preset } } };
    case 'worker':
      return reduceWorker(state, action.message);
    case 'modelLoaded': {
      const entry: ModelEntry = {
        source: action.source,
        key: newModelKey(action.source),
        text: action.text,
        evaluation: null,
        ...(action.fileName === undefined ? {} : { fileName: action.fileName }),
        ...(action.recordedAccuracy === undefined ? {} : { recordedAccuracy: action.recordedAccuracy }),
      };
      return { ...state, models: { ...state.models, [action.source]: entry }, predictWith: action.source, sample: state.sample };
    }
    case 'predictWith':
      if (state.predictWith === action.source) return state;
      return { ...state, predictWith: action.source, filesMessage: null };
    case 'sampleShown':
      return { ...state, sample: { index: action.index, label: action.label } };
    case 'padChanged':
      return state.sample === null ? state : { ...state, sample: null };
    case 'cellSelected': {
      const model = modelInUse(state);
      return model === null ? state : { ...state, selectedCell: { key: model.key, actual: action.actual, predicted: action.predicted } };
    }
    case 'filesMessage':
      return { ...state, filesMessage: action.text };
  }
}

function updateRun(state: PageState, runId: number, change: (run: Run) => Partial<Run>): PageState {
  if (state.run === null || state.run.id !== runId) return state;
  return { ...state, run: { ...state.run, ...change(state.run) } };
}

function reduceWorker(state: PageState, message: WorkerMessage): PageState {
  switch (message.type) {
    case 'status':
      return updateRun(state, message.runId, () => ({ note: message.text }));
    case 'state':
      return updateRun(state, message.runId, (run) => ({
        state: message.state,
        note: message.state === 'loading' ? run.note : null,
        error: message.state === 'failed' ? run.error : null,
      }));
    case 'ready':
      return {
        ...updateRun(state, message.runId, () => ({ batches: message.batches, testCount: message.testCount })),
        backend: { name: message.backend, note: message.backendNote },
        summary: `${message.summary}\n\n${message.trainCount} training images, ${message.testCount} test images, ${message.batches} batches an epoch.`,
      };
    case 'progress':
      return updateRun(state, message.runId, () => ({
        note: null,
        epoch: message.epoch,
        batch: message.batch,
        batches: message.batches,
        position: message.position,
        meanLoss: message.meanLoss,
        imagesPerSecond: message.imagesPerSecond > 0 ? message.imagesPerSecond : (state.run?.imagesPerSecond ?? 0),
        trainImages: message.trainImages,
        trainSeconds: message.trainSeconds,
        elapsedSeconds: message.elapsedSeconds,
        learningRate: message.learningRate,
      }));
    case 'threads':
      return { ...state, threads: { count: message.threads, note: message.note } };
    case 'trainPoint':
      return state;
    case 'evaluation': {
      const evaluation = message.confusion === null ? null : { accuracy: message.accuracy, loss: message.loss, count: message.count, confusion: message.confusion };
      let next = state;
      if (message.runId !== undefined && message.confusion !== null) {
        next = updateRun(next, message.runId, () => ({ testAccuracy: message.accuracy, testCount: message.count }));
      }
      if (evaluation === null) return next;
      // The evaluation belongs to the model it was asked for, whichever is in use now.
      const source = (Object.keys(next.models) as ModelSource[]).find((each) => next.models[each]?.key === message.modelKey);
      if (source === undefined) return next;
      return { ...next, models: { ...next.models, [source]: { ...next.models[source]!, evaluation } } };
    }
    case 'model': {
      if (state.run === null || state.run.id !== message.runId) return state;
      const previous = state.models.training;
      const entry: ModelEntry = { source: 'training', key: message.modelKey, text: message.text, evaluation: previous?.key === message.modelKey ? previous.evaluation : null };
      return { ...state, models: { ...state.models, training: entry } };
    }
    case 'divergence':
      return updateRun(state, message.runId, () => ({ warning: message.text }));
    case 'error':
      return message.runId === undefined ? state : updateRun(state, message.runId, () => ({ error: message.message }));
    case 'misclassified':
    case 'distortions':
    case 'sample':
    case 'tuneStatus':
    case 'tuneProgress':
    case 'tuned':
    case 'tuneFailed':
      return state;
  }
}

// ---- selectors: what the views show ----

/** The model that answers the drawing: the chosen one, or the first that exists. */
export function modelInUse(state: PageState): ModelEntry | null {
  const order: ModelSource[] = [state.predictWith, 'bundled', 'imported', 'tuned', 'training'];
  for (const source of order) {
    const entry = state.models[source];
    if (entry !== undefined) return entry;
  }
  return null;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
export const formatPercent = (value: number): string => `${(100 * value).toFixed(2)} %`;

/** What the network of the run is, in words: "untrained", "being trained (epoch 1, batch 3 of 60)", "trained here (2 epochs)". */
export function trainingModelLabel(run: Run | null): string {
  if (run === null || (run.epoch === 0 && run.batch === 0 && run.state !== 'running')) return 'an untrained network (press Start to train it)';
  if (run.state === 'running' && run.batch === 0 && run.epoch === 0) return 'the network being trained here (starting)';
  if (run.batch === 0 || run.batch === run.batches) {
    const epochs = run.batch === 0 ? run.epoch : run.epoch + 1;
    return `the network ${run.state === 'running' ? 'being trained' : 'trained'} here (${plural(epochs, 'epoch')})`;
  }
  return `the network ${run.state === 'running' ? 'being trained' : 'trained'} here (epoch ${run.epoch + 1}, batch ${run.batch} of ${run.batches})`;
}

/** The label of a model entry. */
export function modelLabel(entry: ModelEntry, run: Run | null): string {
  switch (entry.source) {
    case 'bundled':
      return entry.recordedAccuracy === undefined ? 'the pre-trained model' : `the pre-trained model (${formatPercent(entry.recordedAccuracy)} on the MNIST test set)`;
    case 'record':
      return entry.recordedAccuracy === undefined ? 'the record network' : `the record network (${formatPercent(entry.recordedAccuracy)} on the MNIST test set)`;
    case 'imported':
      return `the imported model ${entry.fileName ?? ''}`.trim();
    case 'tuned':
      return 'the model fine-tuned on your handwriting';
    case 'training':
      return trainingModelLabel(run);
  }
}

/** The line above the pad: which model answers, and the test digit shown. */
export function modelStatusText(state: PageState): string {
  const entry = modelInUse(state);
  const sample = state.sample === null ? '' : `Showing test digit #${state.sample.index}, labelled ${state.sample.label}. `;
  if (entry === null) {
    return state.hasBundled ? 'Loading the pre-trained model…' : 'No pre-trained model is bundled yet: train one below (a few seconds with the small preset) or import a model file.';
  }
  const prefix = !state.hasBundled && entry.source === 'training' ? 'No pre-trained model is bundled yet: train one below (a few seconds with the small preset) or import a model file. ' : '';
  return `${prefix}${sample}Predicting with ${modelLabel(entry, state.run)}.`;
}

/** Whether the setup differs from the run's (a new network is built at the next Start). */
export function isStale(state: PageState): boolean {
  return state.run === null || encodeConfig(state.setup) !== encodeConfig(state.run.config);
}

/**
 * Whether the learning rate just edited applies to the run at once: the run can go on, the rate
 * is valid, nothing else differs from the run's setup, and the run has no schedule. A schedule
 * sets the rate itself at every epoch or batch from the rate it started with, so under one the
 * field is that starting rate, which a new network takes at the next Start or Reset.
 */
export function learningRateAppliesLive(state: PageState): boolean {
  const run = state.run;
  if (run === null || run.state === 'done' || run.state === 'failed' || run.config.schedule !== '' || state.invalid.learningRate !== undefined) return false;
  return encodeConfig({ ...state.setup, learningRate: run.config.learningRate, preset: run.config.preset }) === encodeConfig(run.config);
}

/** Whether the setup can be trained: every field valid and the architecture builds. */
export function setupValid(state: PageState): boolean {
  return Object.keys(state.invalid).length === 0 && state.architectureError === null;
}

/** Seconds as "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  if (total < 3600) return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
  return `${Math.floor(total / 3600)} h ${String(Math.floor((total % 3600) / 60)).padStart(2, '0')} min`;
}

/** Seconds left at the current speed, or null when unknown. */
export function remainingSeconds(run: Run): number | null {
  if (run.imagesPerSecond <= 0 || run.batches === 0 || run.trainImages === 0) return null;
  const imagesPerEpoch = run.trainImages / Math.max(run.position, 1e-9);
  const left = (run.config.epochs - run.position) * imagesPerEpoch;
  return Math.max(0, left / run.imagesPerSecond);
}

/** The training status line: always about the run, never about the form. */
export function runStatusText(state: PageState): string {
  const run = state.run;
  if (run === null) return 'Loading MNIST…';
  const epochs = run.config.epochs;
  switch (run.state) {
    case 'loading':
      return run.note ?? 'Building the network…';
    case 'ready':
      return 'Ready: press Start to train, or Step to run one batch.';
    case 'running': {
      if (run.batches === 0 || run.batch === 0) return run.note ?? `Training: epoch ${Math.min(run.epoch + 1, epochs)} of ${epochs}…`;
      const left = remainingSeconds(run);
      const time = ` Elapsed ${formatDuration(run.elapsedSeconds)}${left === null ? '' : `, about ${formatDuration(left)} left`}.`;
      return `Training: epoch ${Math.min(run.epoch + 1, epochs)} of ${epochs}, batch ${run.batch} of ${run.batches}.${time}`;
    }
    case 'paused':
      return `Paused at epoch ${Math.min(run.epoch + 1, epochs)} of ${epochs}, batch ${run.batch} of ${run.batches} (elapsed ${formatDuration(run.elapsedSeconds)}).`;
    case 'done': {
      const accuracy = run.testAccuracy === null ? '' : `, test accuracy ${formatPercent(run.testAccuracy)}`;
      // Only a schedule ends a run early (adaptive, once its rate can fall no further).
      if (run.batch === 0 && run.epoch > 0 && run.epoch < epochs) {
        return `Done: the schedule stopped training after ${plural(run.epoch, 'epoch')} of ${epochs}, in ${formatDuration(run.elapsedSeconds)}${accuracy}.`;
      }
      // The worker's note after the end: what the final model is (the average of the weights).
      return `Done: ${plural(epochs, 'epoch')} in ${formatDuration(run.elapsedSeconds)}${accuracy}.${run.note === null ? '' : ` ${run.note}`}`;
    }
    case 'failed':
      return `Error: ${run.error ?? 'training stopped.'}`;
  }
}

/** A notice that the form no longer matches the run, while the run can still go on. */
export function setupNoticeText(state: PageState): string {
  const run = state.run;
  if (run === null || (run.state !== 'running' && run.state !== 'paused') || !isStale(state)) return '';
  return 'The setup changed: the current run goes on with the old one; Reset, or Start after Pause, trains a new network with the new setup.';
}

/** Fraction of the run done, 0–1. */
export function progressFraction(run: Run | null): number {
  if (run === null || run.config.epochs <= 0) return 0;
  return Math.min(1, run.position / run.config.epochs);
}

/** Which buttons can be pressed. */
export function buttonStates(state: PageState): { start: boolean; startLabel: 'Start' | 'Resume'; pause: boolean; step: boolean; reset: boolean } {
  const runState = state.run?.state ?? 'loading';
  const valid = setupValid(state);
  const busy = runState === 'loading';
  return {
    start: !busy && runState !== 'running' && valid,
    startLabel: runState === 'paused' && !isStale(state) ? 'Resume' : 'Start',
    pause: runState === 'running',
    step: !busy && runState !== 'running' && valid,
    reset: !busy && valid,
  };
}

/** Whether Start or Step must first build a new network (setup changed, or the run ended). */
export function needsNewNetwork(state: PageState): boolean {
  const runState = state.run?.state;
  return runState === undefined || runState === 'done' || runState === 'failed' || isStale(state);
}
