import { saveModel, type Sequential } from '@nnkit/layers';
import type { EpochRecord } from '@nnkit/train';
import { UserError } from './errors.js';
import { modelFileSettings } from './saved-settings.js';
import type { TrainSettings } from './settings.js';
import { writeOutputFile } from './write-file.js';

/** Refuses weights that diverged (NaN or Infinity) before anything is saved. */
export function assertFiniteWeights(model: Sequential, out: string | null): void {
  if (model.params.some((param) => !param.value.data.every(Number.isFinite))) {
    throw new UserError(`training produced non-finite weights (NaN or Infinity); try a smaller --lr${out ? `; ${out} was not written` : ''}`);
  }
}

/**
 * Saves a trained model with its settings, what it was trained on, its test accuracy and its
 * history (and the class names when the data names them). Wall-clock seconds stay out of the file: the same command and seed give the same bytes.
 */
export function saveTrainedModel(
  path: string,
  model: Sequential,
  run: {
    readonly settings: TrainSettings;
    readonly trainCount: number;
    readonly testAccuracy: number;
    readonly history: readonly EpochRecord[];
    /** Saved as `meta.classNames` when given. */
    readonly classNames?: readonly string[] | undefined;
  },
): void {
  const meta = {
    settings: modelFileSettings(run.settings),
    trainedOn: `${run.trainCount} images of ${run.settings.data}`,
    testAccuracy: run.testAccuracy,
    ...(run.classNames ? { classNames: run.classNames } : {}),
  };
  const history = run.history.map(({ seconds: _seconds, ...record }) => record);
  writeOutputFile(path, saveModel(model, { history, meta }));
}
