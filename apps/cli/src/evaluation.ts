import type { Dataset } from '@nnkit/datasets';
import { jsKernels, type Kernels } from '@nnkit/tensor';
import { type EvaluateResult, evaluateParallel, evaluateWithTta, type WorkerTransport } from '@nnkit/train';
import { limitDataset, loadData, splitData } from './data-spec.js';
import { modelClassNames } from './classes.js';
import { type ModelFile, assertModelFits, classCount, modelNormalization, readModelFile } from './model-file.js';

/** A model scored on a data source's evaluation images. */
export interface Evaluation {
  readonly file: ModelFile;
  readonly dataset: Dataset;
  /** What `dataset` is: `"MNIST test set"`, `"25 % held out of csv:train.csv (seed 0)"`. */
  readonly description: string;
  readonly classes: number;
  /** Name of each class (the model's `meta.classNames`, else `0, 1, …`). */
  readonly classNames: readonly string[];
  readonly result: EvaluateResult;
}

/**
 * Loads the model file and `--data`, picks the evaluation images (the source's test set, or its
 * seeded 25 % held-out part; the first `limit` of them) and scores the model on them, averaging
 * its probabilities over `views` fixed views of each image (test-time augmentation; 1: none);
 * `skipBad` leaves out unreadable images of a `folder:`.
 */
export function evaluateModelFile(
  modelPath: string,
  spec: string,
  limit: number | undefined,
  kernels: Kernels = jsKernels,
  options: { views?: number; skipBad?: boolean } = {},
): Evaluation {
  const { file, dataset, description, normalization } = loadEvaluation(modelPath, spec, limit, options.skipBad);
  const result = evaluateWithTta(file.model, dataset, { kernels, views: options.views ?? 1, ...(normalization ? { normalization } : {}) });
  return { file, dataset, description, classes: classCount(file.model), classNames: modelClassNames(file), result };
}

/** `evaluateModelFile` without test-time views, its images split over `threads` threads started by `parallel`. */
export async function evaluateModelFileParallel(
  modelPath: string,
  spec: string,
  limit: number | undefined,
  kernels: Kernels,
  options: { threads: number; parallel: WorkerTransport; skipBad?: boolean },
): Promise<Evaluation> {
  const { file, dataset, description, normalization } = loadEvaluation(modelPath, spec, limit, options.skipBad);
  const result = await evaluateParallel(file.model, dataset, { kernels, threads: options.threads, parallel: options.parallel, ...(normalization ? { normalization } : {}) });
  return { file, dataset, description, classes: classCount(file.model), classNames: modelClassNames(file), result };
}

/** The model file, the evaluation images and how to describe them, checked to fit each other. */
function loadEvaluation(modelPath: string, spec: string, limit: number | undefined, skipBad: boolean | undefined) {
  const file = readModelFile(modelPath);
  const split = splitData(spec, loadData(spec, { skipBad }));
  const dataset = limitDataset(split.test, limit);
  assertModelFits(file, dataset);
  return { file, dataset, description: split.testDescription, normalization: modelNormalization(file) };
}
