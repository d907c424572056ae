import { describe, expect, it } from 'vitest';
import { defaultConfig } from './config.js';
import {
  type PageAction,
  type PageState,
  buttonStates,
  initialState,
  isStale,
  learningRateAppliesLive,
  modelInUse,
  modelStatusText,
  needsNewNetwork,
  progressFraction,
  reduce,
  remainingSeconds,
  runStatusText,
  setupNoticeText,
} from './page-state.js';
import type { WorkerMessage } from './protocol.js';

const apply = (state: PageState, ...actions: PageAction[]): PageState => actions.reduce(reduce, state);
const worker = (message: WorkerMessage): PageAction => ({ type: 'worker', message });
const progress = (runId: number, epoch: number, batch: number, batches = 100): Extract<WorkerMessage, { type: 'progress' }> => ({
  type: 'progress',
  runId,
  epoch,
  batch,
  batches,
  position: epoch + batch / batches,
  loss: 0.5,
  meanLoss: 0.6,
  imagesPerSecond: 1000,
  imagesSeen: (epoch * batches + batch) * 32,
  trainImages: (epoch * batches + batch) * 32,
  trainSeconds: 1,
  elapsedSeconds: 2,
  threads: 1,
  learningRate: 0.001,
});

/** A page with the bundled model loaded and a run of `epochs` epochs training. */
function training(epochs = 3): PageState {
  const config = { ...defaultConfig, epochs };
  return apply(
    initialState(config, true),
    { type: 'modelLoaded', source: 'bundled', text: '{"bundled":1}', recordedAccuracy: 0.99 },
    { type: 'runConfigured', id: 1, config },
    worker({ type: 'ready', runId: 1, backend: 'wasm', backendNote: '', trainCount: 3200, testCount: 500, summary: 's', parameterCount: 10, batches: 100 }),
    worker({ type: 'state', runId: 1, state: 'ready' }),
    worker({ type: 'state', runId: 1, state: 'running' }),
    worker(progress(1, 1, 40)),
  );
}

describe('page state', () => {
  it('words status and progress from the run, not from the setup being edited', () => {
    let state = training(3);
    expect(runStatusText(state)).toMatch(/^Training: epoch 2 of 3, batch 40 of 100\./);
    expect(progressFraction(state.run)).toBeCloseTo(1.4 / 3);
    state = reduce(state, { type: 'setupEdited', setup: { ...state.setup, epochs: 1 }, invalid: {} });
    expect(runStatusText(state)).toMatch(/epoch 2 of 3/);
    expect(progressFraction(state.run)).toBeCloseTo(1.4 / 3);
    // The notice that the setup changed is its own text: later progress does not overwrite it.
    state = reduce(state, worker(progress(1, 1, 60)));
    expect(setupNoticeText(state)).toContain('The setup changed');
    expect(isStale(state)).toBe(true);
    expect(needsNewNetwork(state)).toBe(true);
    expect(buttonStates(state).startLabel).toBe('Start');
  });

  it('says elapsed time and time left', () => {
    const state = training(3);
    expect(runStatusText(state)).toContain('Elapsed 2 s');
    // 1.4 epochs took 4 480 images: 1.6 epochs (5 120 images) left at 1 000 images/s.
    expect(remainingSeconds(state.run!)).toBeCloseTo(5.12);
    expect(runStatusText(state)).toContain('about 5 s left');
  });

  it('ignores messages of a run that was replaced', () => {
    let state = training(3);
    state = reduce(state, { type: 'runConfigured', id: 2, config: { ...defaultConfig, epochs: 1 } });
    const late = reduce(state, worker(progress(1, 2, 99)));
    expect(late.run).toBe(state.run);
    expect(runStatusText(late)).toBe('Building the network…');
  });

  it('keeps the pre-trained model for drawing while a network trains, until the user switches', () => {
    let state = training(3);
    state = reduce(state, worker({ type: 'model', runId: 1, modelKey: 'run1-100', text: '{"training":1}' }));
    expect(modelInUse(state)?.source).toBe('bundled');
    expect(modelStatusText(state)).toContain('pre-trained model (99.00 %');
    state = reduce(state, { type: 'predictWith', source: 'training' });
    expect(modelInUse(state)?.source).toBe('training');
    expect(modelStatusText(state)).toContain('being trained here (epoch 2, batch 40 of 100)');
    expect(modelStatusText(state)).not.toContain('untrained');
  });

  it('files an evaluation under the model it was computed for', () => {
    let state = training(3);
    const bundledKey = state.models.bundled!.key;
    const confusion = Array.from({ length: 10 }, (_, row) => Array.from({ length: 10 }, (_, column) => (row === column ? 50 : 0)));
    state = apply(
      state,
      worker({ type: 'model', runId: 1, modelKey: 'run1-100', text: '{}' }),
      worker({ type: 'evaluation', modelKey: bundledKey, position: null, loss: 0.1, accuracy: 0.98, count: 500, confusion }),
    );
    expect(state.models.bundled?.evaluation?.accuracy).toBe(0.98);
    expect(state.models.training?.evaluation).toBeNull();
    // The training panel's accuracy is the run's only.
    expect(state.run?.testAccuracy).toBeNull();
    state = reduce(state, worker({ type: 'evaluation', runId: 1, modelKey: 'run1-100', position: 1, loss: 0.3, accuracy: 0.9, count: 500, confusion }));
    expect(state.run?.testAccuracy).toBe(0.9);
    expect(state.models.training?.evaluation?.accuracy).toBe(0.9);
    expect(state.models.bundled?.evaluation?.accuracy).toBe(0.98);
    // A selected cell belongs to the model it was selected on.
    state = reduce(state, { type: 'cellSelected', actual: 4, predicted: 9 });
    expect(state.selectedCell).toEqual({ key: bundledKey, actual: 4, predicted: 9 });
  });

  it('drops labels that no longer describe the page', () => {
    let state = training(3);
    state = apply(state, { type: 'sampleShown', index: 97, label: 4 });
    expect(modelStatusText(state)).toContain('Showing test digit #97, labelled 4.');
    state = reduce(state, { type: 'padChanged' });
    expect(modelStatusText(state)).not.toContain('labelled');
    state = apply(state, { type: 'modelLoaded', source: 'imported', text: '{}', fileName: 'mine.json' }, { type: 'filesMessage', text: 'Loaded mine.json.' });
    expect(modelStatusText(state)).toContain('the imported model mine.json');
    state = reduce(state, { type: 'predictWith', source: 'bundled' });
    expect(state.filesMessage).toBeNull();
  });

  it('disables Start and Step while a field is refused or the architecture is wrong', () => {
    let state = apply(training(1), worker({ type: 'state', runId: 1, state: 'paused' }));
    expect(buttonStates(state)).toMatchObject({ start: true, step: true, startLabel: 'Resume' });
    state = reduce(state, { type: 'setupEdited', setup: state.setup, invalid: { learningRate: 'Learning rate: 0 is outside 0.000001 to 100.' } });
    expect(buttonStates(state)).toMatchObject({ start: false, step: false, reset: false });
    state = reduce(state, { type: 'setupEdited', setup: state.setup, invalid: {} });
    state = reduce(state, { type: 'architectureChecked', error: 'The last layer gives 5 outputs; a digit classifier needs 10.' });
    expect(buttonStates(state).start).toBe(false);
  });

  it('applies a new learning rate to the run instead of calling the setup changed', () => {
    let state = training(3);
    state = apply(state, { type: 'setupEdited', setup: { ...state.setup, learningRate: 0.0005, preset: 'custom' }, invalid: {} }, { type: 'learningRateChanged', learningRate: 0.0005, preset: 'custom' });
    expect(state.run?.learningRate).toBe(0.0005);
    expect(isStale(state)).toBe(false);
    expect(setupNoticeText(state)).toBe('');
    expect(runStatusText(state)).toMatch(/epoch 2 of 3/);
  });

  it('leaves the learning rate of a run with a schedule to the schedule: a change is a new setup', () => {
    const config = { ...defaultConfig, epochs: 3, schedule: 'onecycle' };
    let state = apply(
      initialState(config, true),
      { type: 'runConfigured', id: 1, config },
      worker({ type: 'state', runId: 1, state: 'running' }),
      worker({ ...progress(1, 0, 10), learningRate: 0.00012 }),
    );
    // The rate the worker reports is the schedule's.
    expect(state.run?.learningRate).toBe(0.00012);
    state = reduce(state, { type: 'setupEdited', setup: { ...state.setup, learningRate: 0.003, preset: 'custom' }, invalid: {} });
    expect(learningRateAppliesLive(state)).toBe(false);
    expect(reduce(state, { type: 'learningRateChanged', learningRate: 0.003, preset: 'custom' })).toBe(state);
    expect(isStale(state)).toBe(true);
    expect(setupNoticeText(state)).toContain('The setup changed');
    // Without a schedule the same edit applies to the run.
    const plain = reduce(training(3), { type: 'setupEdited', setup: { ...defaultConfig, epochs: 3, learningRate: 0.003, preset: 'custom' }, invalid: {} });
    expect(learningRateAppliesLive(plain)).toBe(true);
    expect(learningRateAppliesLive(reduce(plain, { type: 'setupEdited', setup: plain.setup, invalid: { learningRate: 'Learning rate: 0 is outside 0.000001 to 100.' } }))).toBe(false);
  });

  it('says when a schedule stopped the run before its last epoch', () => {
    let state = apply(training(20), worker(progress(1, 12, 0)), worker({ type: 'state', runId: 1, state: 'done' }));
    expect(runStatusText(state)).toBe('Done: the schedule stopped training after 12 epochs of 20, in 2 s.');
    state = apply(state, worker(progress(1, 20, 0)));
    expect(runStatusText(state)).toBe('Done: 20 epochs in 2 s.');
  });

  it('keeps a divergence warning and the error with the run', () => {
    let state = training(1);
    state = apply(
      state,
      worker({ type: 'divergence', runId: 1, text: 'This network is not learning: accuracy is stuck at chance.', stopped: false }),
      worker(progress(1, 0, 90)),
    );
    expect(state.run?.warning).toContain('stuck at chance');
    state = apply(state, worker({ type: 'error', runId: 1, message: 'training diverged at epoch 1, batch 3' }), worker({ type: 'state', runId: 1, state: 'failed' }));
    expect(runStatusText(state)).toBe('Error: training diverged at epoch 1, batch 3');
    expect(needsNewNetwork(state)).toBe(true);
  });

  it('predicts with the fine-tuned model once it arrives, keeps it beside a new run, and goes back to the pre-trained one', () => {
    let state = training(1);
    state = reduce(state, { type: 'modelLoaded', source: 'tuned', text: '{"tuned":1}' });
    expect(modelInUse(state)?.source).toBe('tuned');
    expect(modelStatusText(state)).toBe('Predicting with the model fine-tuned on your handwriting.');
    state = reduce(state, { type: 'runConfigured', id: 2, config: state.setup });
    expect(modelInUse(state)?.text).toBe('{"tuned":1}');
    state = reduce(state, { type: 'predictWith', source: 'bundled' });
    expect(modelInUse(state)?.source).toBe('bundled');
    expect(state.models.tuned?.text).toBe('{"tuned":1}');
  });
});
