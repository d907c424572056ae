import { existsSync, statSync } from 'node:fs';
import { parseAugmentSpec, type Normalization } from '@nnkit/datasets';
import { Sequential, type ModelDefinition } from '@nnkit/layers';
import { createRng, type Kernels } from '@nnkit/tensor';
import { distortionHook, evaluate, evaluateWithTtaParallel, fit, parseAveraging, presetFitOptions, type CheckpointState, type EpochRecord, type FitData, type FitOptions } from '@nnkit/train';
import { trainWorkers } from './backend.js';
import type { DataClasses } from './classes.js';
import { startingModel } from './fine-tune.js';
import type { ModelFile } from './model-file.js';
import { UserError } from './errors.js';
import { watchInterrupts } from './interrupts.js';
import { percent, type Output } from './output.js';
import { bestValidationEpoch, TrainingProgress } from './progress.js';
import { readModelFile } from './model-file.js';
import { memberLabel } from './ensemble.js';
import { readRunFile, writeRunFile } from './run-file.js';
import { modelFileSettings } from './saved-settings.js';
import { describeAveraging, resolvePreset, validationWatcher, type TrainSettings } from './settings.js';
import { assertFiniteWeights, saveTrainedModel } from './trained-model.js';

/** One model to train: the run's settings (with this member's seed), its data and where it goes. */
export interface MemberRun {
  readonly settings: TrainSettings;
  readonly definition: ModelDefinition;
  readonly data: FitData;
  /** The data's class count and names (saved in the model file when the data names them). */
  readonly classes: DataClasses;
  /** The saved model whose weights the member starts from (`--init-from`). */
  readonly init?: ModelFile;
  readonly kernels: Kernels;
  readonly backendName: string;
  readonly output: Output;
  /** Where the model is saved; null: not saved. */
  readonly out: string | null;
  /** The run file written after every epoch (and every `checkpointEvery` batches); null: only on Ctrl-C. */
  readonly checkpointPath: string | null;
  readonly checkpointEvery?: number;
  readonly resume?: CheckpointState;
}

/** How a member's training ended. */
export interface MemberResult {
  readonly seed: number;
  readonly model: Sequential;
  readonly accuracy: number;
  /** Accuracy on the held-out validation images (preset split or --val-split), null without one. */
  readonly validationAccuracy: number | null;
  readonly loss: number;
  readonly imagesPerSecond: number;
  readonly history: readonly EpochRecord[];
  readonly interrupted: boolean;
  /** The run file last written, null if none was. */
  readonly checkpointWritten: string | null;
}

/** `fit`'s options for a run's settings: the preset's, overridden by the settings. */
function fitOptionsOf(settings: TrainSettings, kernels: Kernels): FitOptions {
  // `--average none` drops the preset's averaging.
  const { averaging: presetAveraging, ...presetOptions } = presetFitOptions(resolvePreset(settings.preset));
  const averaging = settings.averaging === 'none' ? undefined : settings.averaging ? parseAveraging(settings.averaging) : presetAveraging;
  return {
    ...presetOptions,
    ...(averaging ? { averaging } : {}),
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    optimizer: settings.optimizer,
    seed: settings.seed,
    kernels,
    ...(settings.threads > 1 ? { threads: settings.threads, parallel: trainWorkers(kernels) } : {}),
    ...(settings.schedule ? { schedule: settings.schedule } : {}),
    ...(settings.validationSplit !== null ? { validationSplit: settings.validationSplit } : {}),
    ...(settings.earlyStopping !== null ? { earlyStopping: { nIterNoChange: settings.earlyStopping } } : {}),
    ...(settings.clipGradientNorm !== null ? { clipGradientNorm: settings.clipGradientNorm } : {}),
    ...(settings.augment ? { augment: distortionHook(parseAugmentSpec(settings.augment)) } : {}),
    // The test set after every epoch: the preset's choice unless the command says.
    ...(settings.testEachEpoch !== undefined ? { evaluateTest: settings.testEachEpoch } : {}),
    // Validation: the command's cadence, else every epoch where early stopping or the schedule
    // watches it, else the preset's.
    ...(settings.validateEvery !== undefined
      ? { validateEvery: settings.validateEvery }
      : validationWatcher(settings.earlyStopping, settings.schedule) !== null
        ? { validateEvery: 1 }
        : {}),
    evaluationBatchSize: scoringBatchSize,
    batchEndEvery: 10,
  };
}

// Scoring in batches of 250 keeps activations small (peak memory) at no cost in speed.
const scoringBatchSize = 250;

/** How the end of a run scores its test views: the training's threads and scoring batch. */
export function scoringOptionsOf(settings: TrainSettings, kernels: Kernels): { kernels: Kernels; batchSize: number; threads?: number; parallel?: ReturnType<typeof trainWorkers> } {
  return { kernels, batchSize: scoringBatchSize, ...(settings.threads > 1 ? { threads: settings.threads, parallel: trainWorkers(kernels) } : {}) };
}

/** Where an ensemble member stands on disk: finished (its model saved after its last run file), or a checkpoint to resume. */
export interface MemberProgress {
  readonly finished: boolean;
  readonly checkpoint: CheckpointState;
  readonly history: readonly EpochRecord[];
}

/**
 * The member's run file, if one exists: checked to belong to these settings (one line naming it
 * otherwise), finished when its model file was written after it.
 */
export function memberProgress(member: { readonly settings: TrainSettings; readonly out: string | null; readonly checkpointPath: string | null }): MemberProgress | null {
  const path = member.checkpointPath;
  if (path === null || !existsSync(path)) return null;
  const run = readRunFile(path, '--checkpoint');
  if (JSON.stringify(modelFileSettings(run.settings)) !== JSON.stringify(modelFileSettings(member.settings))) {
    throw new UserError(`${path}: belongs to another run (its settings differ from this command's); remove it or choose another --checkpoint`);
  }
  const finished = savedAfter(member.out, path);
  return { finished, checkpoint: run.checkpoint, history: run.checkpoint.history };
}

/** Whether the model file `out` exists and was written after the run file `runFile` (the run's last save): the member finished. */
export function savedAfter(out: string | null, runFile: string): boolean {
  return out !== null && existsSync(out) && statSync(out).mtimeMs >= statSync(runFile).mtimeMs;
}

/** A member trained by an earlier run of the same command: its saved model, scored again. */
export async function finishedMember(
  member: { readonly settings: TrainSettings; readonly out: string | null },
  history: readonly EpochRecord[],
  data: FitData,
  kernels: Kernels,
  output: Output,
): Promise<MemberResult> {
  const { settings } = member;
  const model = readModelFile(member.out!).model;
  const views = testTimeViewsOf(settings);
  const scoring = { ...scoringOptionsOf(settings, kernels), ...normalizationOf(settings) };
  const test = data.test ? await evaluateWithTtaParallel(model, data.test, { ...scoring, views }) : { accuracy: NaN, loss: NaN };
  const validationAccuracy = data.validation ? (await evaluateWithTtaParallel(model, data.validation, { ...scoring, views: 1 })).accuracy : null;
  const seconds = history.reduce((sum, record) => sum + record.seconds, 0);
  output.progress(`${memberLabel(settings)}: trained earlier (${member.out}) · test accuracy ${output.color('green', percent(test.accuracy))}`);
  return {
    seed: settings.seed,
    model,
    accuracy: test.accuracy,
    validationAccuracy,
    loss: test.loss,
    imagesPerSecond: seconds > 0 ? (data.train.count * history.length) / seconds : 0,
    history,
    interrupted: false,
    checkpointWritten: null,
  };
}

/** Views of the final test score: `--tta`, else the preset's, else 1. */
export function testTimeViewsOf(settings: TrainSettings): number {
  return settings.testTimeViews ?? resolvePreset(settings.preset).testTimeViews ?? 1;
}

/** The preset's pixel normalization, as `evaluate` takes it. */
export function normalizationOf(settings: TrainSettings): { normalization?: Normalization } {
  const normalization = resolvePreset(settings.preset).normalization;
  return normalization ? { normalization } : {};
}

/** Trains one model with `fit`, writing run files as asked (and on Ctrl-C), then scores and saves it. */
export async function trainMember(run: MemberRun): Promise<MemberResult> {
  const { settings, data, output } = run;
  const model = startingModel(run.definition, settings.seed, { ...(run.init ? { init: run.init } : {}), ...(settings.freeze !== undefined ? { freeze: settings.freeze } : {}) });
  const progress = new TrainingProgress(output, settings.epochs);
  let checkpointWritten: string | null = null;
  const interruptPath = run.checkpointPath ?? (run.out ? `${run.out.replace(/\.json$/, '')}.checkpoint.json` : 'nnkit-checkpoint.json');
  const interrupts = watchInterrupts(() => {
    progress.stop();
    output.progress('stopping after this batch; writing a checkpoint (Ctrl-C again to quit at once)');
  });
  const { signal } = interrupts;

  output.progress(
    output.color('bold', `nnkit train — ${settings.arch ? `--arch ${settings.arch}` : `preset ${settings.preset}${settings.network === undefined ? '' : ` · network ${settings.network}`}`}`) +
      output.color('dim', ` · ${data.train.count} training images · ${settings.epochs} epoch(s) · batch ${settings.batchSize} · ${settings.optimizer.kind} η=${settings.optimizer.learningRate ?? ''} · ${run.backendName} kernels × ${settings.threads} thread(s) · seed ${settings.seed}`),
  );
  if (run.resume) output.progress(`resuming after epoch ${run.resume.position.epoch}, batch ${run.resume.position.batch}`);

  const saveCheckpoint = (state: CheckpointState, path: string): void => {
    writeRunFile(path, settings, run.out, state);
    checkpointWritten = path;
  };

  let result;
  try {
    result = await fit(model, data, {
      ...fitOptionsOf(settings, run.kernels),
      ...(run.resume ? { resume: run.resume } : {}),
      signal,
      checkpoint: {
        every: run.checkpointPath ? (run.checkpointEvery ?? 'epoch') : 'epoch',
        save: (state) => {
          // Every epoch when asked for; on Ctrl-C always (fit saves once more when it stops).
          if (run.checkpointPath) saveCheckpoint(state, run.checkpointPath);
          else if (signal.aborted) saveCheckpoint(state, interruptPath);
        },
      },
      onBatchEnd: progress.onBatchEnd,
      onEpochEnd: progress.onEpochEnd,
    });
  } catch (error) {
    progress.stop();
    throw error instanceof Error ? new UserError(error.message) : error;
  } finally {
    interrupts.dispose();
  }
  const imagesPerSecond = progress.imagesPerSecond;
  if (result.stopReason === 'aborted') {
    return { seed: settings.seed, model, accuracy: NaN, validationAccuracy: null, loss: NaN, imagesPerSecond, history: result.history, interrupted: true, checkpointWritten };
  }
  if (result.stopReason === 'earlyStopping') output.progress(`early stopping after epoch ${result.history.length}${result.bestEpoch ? ` (best epoch ${result.bestEpoch})` : ''}`);

  const last = result.history.at(-1);
  const views = testTimeViewsOf(settings);
  // The final weights' test score: the averaged weights' (with --average), else the last
  // epoch's unless early stopping put back an earlier epoch's; with --tta, scored again over the views.
  const averaged = result.averaged;
  const test =
    views > 1 && data.test
      ? await evaluateWithTtaParallel(model, data.test, { ...scoringOptionsOf(settings, run.kernels), views, ...normalizationOf(settings) })
      : averaged?.testAccuracy !== undefined && averaged.testLoss !== undefined
        ? { accuracy: averaged.testAccuracy, loss: averaged.testLoss }
        : last?.testAccuracy !== undefined && last.testLoss !== undefined && !result.restoredBest
          ? { accuracy: last.testAccuracy, loss: last.testLoss }
          : data.test
            ? evaluate(model, data.test, { kernels: run.kernels })
            : { accuracy: NaN, loss: NaN };
  // Likewise the validation score: the averaged weights', the last epoch's, or the restored best epoch's.
  const validationRecord = result.restoredBest && result.bestEpoch !== undefined ? result.history[result.bestEpoch - 1] : last;
  const validationAccuracy = averaged?.validationAccuracy ?? validationRecord?.validationAccuracy ?? null;
  if (averaged) output.progress(`averaged weights (${settings.averaging ?? describeAveraging(resolvePreset(settings.preset).averaging)})${averaged.validationAccuracy === undefined ? '' : `: validation accuracy ${percent(averaged.validationAccuracy)}`}`);
  if (views > 1) output.progress(`test-time augmentation over ${views} views`);
  assertFiniteWeights(model, run.out);
  if (run.out) saveTrainedModel(run.out, model, { settings, trainCount: data.train.count, testAccuracy: test.accuracy, history: result.history, classNames: run.classes.names });
  if (run.checkpointPath && existsSync(run.checkpointPath)) output.progress(`checkpoint: ${run.checkpointPath}`);
  const best = bestValidationEpoch(result.history);
  if (best !== null && result.history.length > 1) {
    output.progress(
      `best validation accuracy ${percent(best.validationAccuracy)} at epoch ${best.epoch}` +
        (best.testAccuracy === undefined ? '' : `, test accuracy there ${percent(best.testAccuracy)} (the figure Nielsen's network3.py reports)`),
    );
  }
  output.line(
    (validationAccuracy === null ? '' : `validation accuracy ${percent(validationAccuracy)} · `) +
      `test accuracy ${output.color('green', percent(test.accuracy))} · test loss ${test.loss.toFixed(4)} · ` +
      `${Math.round(imagesPerSecond).toLocaleString('en-US')} img/s` +
      (run.out ? ` · saved ${run.out}` : ''),
  );
  return { seed: settings.seed, model, accuracy: test.accuracy, validationAccuracy, loss: test.loss, imagesPerSecond, history: result.history, interrupted: false, checkpointWritten };
}
