import { sliceDataset, type Dataset, type Normalization } from '@nnkit/datasets';
import { jsKernels, type Kernels } from '@nnkit/tensor';
import { type EvaluateResult, evaluateMembersWithTta, evaluateMembersWithTtaParallel, type MembersEvaluation, type WorkerTransport } from '@nnkit/train';
import { limitDataset, loadData, splitData } from './data-spec.js';
import { modelClassNames } from './classes.js';
import { ensembleMembers } from './ensemble.js';
import { UserError } from './errors.js';
import { type ModelFile, assertModelFits, classCount, modelInputFiles, modelNormalization, modelTestTimeViews, readModelFile } from './model-file.js';
import { readTrainSettings } from './saved-settings.js';
import { loadTrainingData, type TrainSettings } from './settings.js';

/** Which images `nnkit eval --on` scores. */
export const evaluationSets = ['test', 'validation'] as const;

/** A model (or an ensemble of models) scored on a data source's evaluation images. */
export interface Evaluation {
  /** The first model file (the only one, unless an ensemble was scored). */
  readonly file: ModelFile;
  /** Every model file scored, in the order given: their probabilities are averaged. */
  readonly files: readonly ModelFile[];
  readonly dataset: Dataset;
  /** What `dataset` is: `"MNIST test set"`, `"25 % held out of csv:train.csv (seed 0)"`. */
  readonly description: string;
  readonly classes: number;
  /** Name of each class (the first model's `meta.classNames`, else `0, 1, …`). */
  readonly classNames: readonly string[];
  readonly result: EvaluateResult;
  /** Each model file alone over the same views (one entry, `result`, for a single model). */
  readonly members: readonly EvaluateResult[];
  /** Test-time views the probabilities were averaged over (1: the image alone). */
  readonly views: number;
}

/** How `evaluateModelFiles` scores: kernels, test-time views, threads. */
export interface EvaluationOptions {
  readonly kernels?: Kernels;
  /** Test-time views averaged per image (default: the first model's own, `modelTestTimeViews`: 1 unless it was trained to be scored over more). */
  readonly views?: number;
  /** Threads the images are split over (default 1); `parallel` starts them. */
  readonly threads?: number;
  readonly parallel?: WorkerTransport;
  /** Leave out unreadable images of a `folder:`. */
  readonly skipBad?: boolean;
  /**
   * Which images: `test` (default), the data source's test set; `validation`, the images the
   * models' training held out for validation (`heldOutValidation`), rebuilt from their settings.
   */
  readonly on?: (typeof evaluationSets)[number];
}

/**
 * The images a model's training held out for validation, rebuilt from its `meta.settings` the
 * way `nnkit train` chose them: the preset's split of the embedded MNIST (`record`: the last
 * 5 000 training images) or the last `--val-split` fraction of the training images, after
 * `--limit`. The test set chooses nothing; these images may (views, members, how to combine).
 */
export function heldOutValidation(file: ModelFile): { dataset: Dataset; description: string } {
  return validationOf(file.path, settingsOf(file));
}

function settingsOf(file: ModelFile): TrainSettings {
  const raw = file.meta?.settings;
  if (raw === undefined) throw new UserError(`${file.path}: no meta.settings recording how it was trained, so its validation images are unknown: score it on the test set (--on test)`);
  return readTrainSettings(raw, `${file.path}: meta.settings`);
}

/** The settings that decide which images a run held out (and nothing else). */
const validationKey = (settings: TrainSettings) => JSON.stringify([settings.data, settings.preset, settings.limit, settings.validationSplit, settings.skipBad]);

function validationOf(path: string, settings: TrainSettings): { dataset: Dataset; description: string } {
  const { data } = loadTrainingData(settings);
  if (data.validation !== undefined) {
    return { dataset: data.validation, description: `validation images of ${settings.data}: the last ${data.validation.count.toLocaleString('en-US')} training images, held out by preset ${settings.preset}` };
  }
  if (settings.validationSplit !== null) {
    // fit's split without shuffling: the last ⌈fraction · count⌉ of the training images.
    const held = Math.ceil(settings.validationSplit * data.train.count);
    return {
      dataset: sliceDataset(data.train, data.train.count - held, data.train.count, `${data.train.name} validation`),
      description: `validation images of ${settings.data}: the last ${held.toLocaleString('en-US')} training images, held out by --val-split ${settings.validationSplit}`,
    };
  }
  throw new UserError(`${path}: its training held out no validation images (preset ${settings.preset} holds none out and no --val-split was given): score it on the test set (--on test)`);
}

/**
 * The validation images every model file held out, the same for each (an ensemble's members must
 * agree): loaded once for the members whose settings choose them alike, compared byte for byte
 * only across settings that differ.
 */
function commonValidation(files: readonly ModelFile[]): { dataset: Dataset; description: string } {
  const loaded = new Map<string, { dataset: Dataset; description: string }>();
  const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  let first: { dataset: Dataset; description: string } | undefined;
  for (const file of files) {
    const settings = settingsOf(file);
    const key = validationKey(settings);
    let held = loaded.get(key);
    if (held === undefined) {
      held = validationOf(file.path, settings);
      loaded.set(key, held);
    }
    if (first === undefined) first = held;
    else if (held !== first && (held.dataset.count !== first.dataset.count || !sameBytes(held.dataset.images, first.dataset.images) || !sameBytes(held.dataset.labels, first.dataset.labels))) {
      throw new UserError(`${file.path}: held out other validation images than ${files[0].path}: an ensemble is scored on validation images none of its members trained on`);
    }
  }
  return first!;
}

/** The model files a command scores with, and the input normalization they share. */
export interface ScoringModels {
  /** Every model file, in the order given, an ensemble file replaced by its members. */
  readonly files: readonly ModelFile[];
  readonly normalization: Normalization | undefined;
}

/**
 * Reads the model files `paths` name (an ensemble file, `nnkit train --ensemble K --out FILE` or
 * `nnkit eval --save-ensemble FILE`, stands for its members): several make an ensemble, whose
 * models must read the same images (normalization) into the same classes.
 */
export function readScoringModels(paths: readonly string[]): ScoringModels {
  const files = paths.flatMap((path) => ensembleMembers(path) ?? [path]).map((path) => readModelFile(path));
  return { files, normalization: commonNormalization(files) };
}

/**
 * The files a command given `paths` reads, which no output may overwrite: each path, the members
 * an ensemble file lists, and the weight shards of models in binary form (`modelInputFiles`).
 */
export function scoringInputFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    const members = ensembleMembers(path);
    return members === null ? modelInputFiles(path) : [path, ...members.flatMap(modelInputFiles)];
  });
}

/** How a dataset is scored: kernels, test-time views, threads. */
export type ScoringRun = Omit<EvaluationOptions, 'skipBad' | 'on'>;

/** The views `models` are scored over: `views` when given, else the first model's own (`modelTestTimeViews`). */
export const scoringViews = (models: ScoringModels, views?: number): number => views ?? modelTestTimeViews(models.files[0]);

/**
 * Scores `models` on `dataset` (checked to fit each): the probabilities averaged over every model
 * and over `scoringViews` fixed views of each image (test-time augmentation), the images split
 * over `threads` threads; with each model's own result beside.
 */
export async function scoreModels(models: ScoringModels, dataset: Dataset, options: ScoringRun = {}): Promise<MembersEvaluation> {
  for (const file of models.files) assertModelFits(file, dataset);
  const scoring = {
    kernels: options.kernels ?? jsKernels,
    views: scoringViews(models, options.views),
    ...(models.normalization ? { normalization: models.normalization } : {}),
  };
  const networks = models.files.map((file) => file.model);
  const threads = options.threads ?? 1;
  return threads > 1 && options.parallel
    ? evaluateMembersWithTtaParallel(networks, dataset, { ...scoring, threads, parallel: options.parallel })
    : evaluateMembersWithTta(networks, dataset, scoring);
}

/**
 * Loads the model files and `--data`, picks the evaluation images (the source's test set, or its
 * seeded 25 % held-out part; the first `limit` of them) and scores the models on them
 * (`scoreModels`). Several models make an ensemble (`readScoringModels`).
 */
export async function evaluateModelFiles(modelPaths: readonly string[], spec: string, limit: number | undefined, options: EvaluationOptions = {}): Promise<Evaluation> {
  const models = readScoringModels(modelPaths);
  const { files } = models;
  const scored = options.on === 'validation' ? commonValidation(files) : null;
  const split = scored === null ? splitData(spec, loadData(spec, { skipBad: options.skipBad })) : null;
  const dataset = limitDataset(scored?.dataset ?? split!.test, limit);
  const results = await scoreModels(models, dataset, options);
  const file = files[0];
  return {
    file,
    files,
    dataset,
    description: scored?.description ?? split!.testDescription,
    classes: classCount(file.model),
    classNames: modelClassNames(file),
    result: results.combined,
    members: results.members,
    views: scoringViews(models, options.views),
  };
}

/** The one normalization every member expects; members that disagree cannot share their images. */
function commonNormalization(files: readonly ModelFile[]): Normalization | undefined {
  const normalizations = files.map((file) => modelNormalization(file));
  const key = (n: Normalization | undefined) => JSON.stringify(n ?? null);
  const classes = classCount(files[0].model);
  files.forEach((file, index) => {
    if (classCount(file.model) !== classes) {
      throw new UserError(`${file.path}: scores ${classCount(file.model)} classes, ${files[0].path} ${classes}: an ensemble's models must share their classes`);
    }
    if (key(normalizations[index]) !== key(normalizations[0])) {
      throw new UserError(`${file.path}: its inputs are normalized differently from ${files[0].path}'s: an ensemble's models must read the same images`);
    }
  });
  return normalizations[0];
}
