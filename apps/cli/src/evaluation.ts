import type { Dataset, Normalization } from '@nnkit/datasets';
import { jsKernels, type Kernels } from '@nnkit/tensor';
import { type EvaluateResult, evaluateMembersWithTta, evaluateMembersWithTtaParallel, type WorkerTransport } from '@nnkit/train';
import { limitDataset, loadData, splitData } from './data-spec.js';
import { modelClassNames } from './classes.js';
import { ensembleMembers } from './ensemble.js';
import { UserError } from './errors.js';
import { type ModelFile, assertModelFits, classCount, modelNormalization, modelTestTimeViews, readModelFile } from './model-file.js';

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
}

/**
 * Loads the model files and `--data`, picks the evaluation images (the source's test set, or its
 * seeded 25 % held-out part; the first `limit` of them) and scores the models on them: the
 * probabilities averaged over every model and over `views` fixed views of each image (test-time
 * augmentation), the images split over `threads` threads. Several models make an ensemble: they
 * must read the same images (shape, normalization) into the same classes; an ensemble file
 * (`nnkit train --ensemble K --out FILE`) is read as the model files it lists.
 */
export async function evaluateModelFiles(modelPaths: readonly string[], spec: string, limit: number | undefined, options: EvaluationOptions = {}): Promise<Evaluation> {
  // An ensemble file (`nnkit train --ensemble K --out FILE`) stands for its members.
  const files = modelPaths.flatMap((path) => ensembleMembers(path) ?? [path]).map((path) => readModelFile(path));
  const normalization = commonNormalization(files);
  const split = splitData(spec, loadData(spec, { skipBad: options.skipBad }));
  const dataset = limitDataset(split.test, limit);
  for (const file of files) assertModelFits(file, dataset);
  const scoring = {
    kernels: options.kernels ?? jsKernels,
    views: options.views ?? modelTestTimeViews(files[0]),
    ...(normalization ? { normalization } : {}),
  };
  const models = files.map((file) => file.model);
  const threads = options.threads ?? 1;
  const scored =
    threads > 1 && options.parallel
      ? await evaluateMembersWithTtaParallel(models, dataset, { ...scoring, threads, parallel: options.parallel })
      : evaluateMembersWithTta(models, dataset, scoring);
  const file = files[0];
  return {
    file,
    files,
    dataset,
    description: split.testDescription,
    classes: classCount(file.model),
    classNames: modelClassNames(file),
    result: scored.combined,
    members: scored.members,
    views: scoring.views,
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
