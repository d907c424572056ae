import { createDataset, shiftImage, type Dataset } from '@nnkit/datasets';
import { sizeOf } from '@nnkit/tensor';
import { combinePredictions } from './ensemble.js';
import { evaluate, type EvaluateOptions, type EvaluateResult } from './evaluate.js';
import type { TrainableModel } from './model.js';
import { evaluateParallel, type EvaluateParallelOptions } from './parallel/evaluate-parallel.js';

/**
 * The fixed views test-time augmentation averages over, in order: the image itself, then whole-
 * pixel moves (dx right, dy down) by one pixel right, left, down, up and along the diagonals.
 * Shifts move no pixel off a digit's 20×20 box inside the 28×28 frame and need no resampling,
 * so every view is as sharp as the original.
 */
export const ttaShifts: readonly (readonly [number, number])[] = [
  [0, 0],
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [-1, -1],
  [1, -1],
  [-1, 1],
];

/** The first `views` views of `dataset` (see `ttaShifts`): the dataset itself, then shifted copies. */
export function ttaViews(dataset: Dataset, views: number): Dataset[] {
  if (!Number.isInteger(views) || views < 1 || views > ttaShifts.length) {
    throw new RangeError(`test-time augmentation: views must be an integer in [1, ${ttaShifts.length}], got ${String(views)}`);
  }
  const size = sizeOf(dataset.imageShape);
  return ttaShifts.slice(0, views).map(([dx, dy], view) => {
    if (view === 0) return dataset;
    const images = new Uint8Array(dataset.count * size);
    for (let i = 0; i < dataset.count; i++) shiftImage(dataset.images, images, dx, dy, dataset.imageShape, i * size, i * size);
    return createDataset({ images, labels: dataset.labels, imageShape: dataset.imageShape, name: `${dataset.name}:shift(${dx},${dy})`, unlabelled: dataset.unlabelled });
  });
}

/**
 * Test-time augmentation: scores `models` (one or an ensemble) on `views` fixed views of each
 * image (`ttaShifts`) and takes the argmax of the probabilities averaged over every model and
 * view. The loss is the mean of −ln p̄(label) of those averaged probabilities (NaN unlabelled).
 * With one model and `views` 1 it is `evaluate`.
 */
export function evaluateWithTta(models: TrainableModel | readonly TrainableModel[], dataset: Dataset, options: EvaluateOptions & { readonly views: number }): EvaluateResult {
  return evaluateMembersWithTta(models, dataset, options).combined;
}

/** An ensemble scored with test-time augmentation: the ensemble, and each member alone. */
export interface MembersEvaluation {
  /** The probabilities averaged over every member and view: what `evaluateWithTta` returns. */
  readonly combined: EvaluateResult;
  /** Each member over its own views, in the order given: what `evaluateWithTta(member, …)` returns. */
  readonly members: readonly EvaluateResult[];
}

/**
 * `evaluateWithTta`, with each member's own result beside the ensemble's, from the same passes
 * (every member over every view, scored once): how far apart the members are, and which images
 * all of them miss (`sharedMistakes`).
 */
export function evaluateMembersWithTta(models: TrainableModel | readonly TrainableModel[], dataset: Dataset, options: EvaluateOptions & { readonly views: number }): MembersEvaluation {
  const members = membersOf(models);
  const views = ttaViews(dataset, options.views);
  return combineMembers(
    members.map((model) => views.map((view) => evaluate(model, view, options))),
    sizeOf(members[0].outputShape),
    dataset,
    options.indices,
  );
}

/** The ensemble's result and each member's from `results[member][view]`. */
function combineMembers(results: readonly (readonly EvaluateResult[])[], classes: number, dataset: Dataset, indices: ArrayLike<number> | undefined): MembersEvaluation {
  const combined = combineViews(results.flat(), classes, dataset, indices);
  return { combined, members: results.length === 1 ? [combined] : results.map((views) => combineViews(views, classes, dataset, indices)) };
}

/**
 * Images every member gets wrong, the floor under any way of combining them: what no average or
 * vote of these members can mend. Positions in the scored images; `labels` are theirs, in order.
 */
export function sharedMistakes(members: readonly EvaluateResult[], labels: ArrayLike<number>): number[] {
  const count = members[0]?.count ?? 0;
  const missed: number[] = [];
  for (let r = 0; r < count; r++) if (members.every((member) => member.predictions[r] !== labels[r])) missed.push(r);
  return missed;
}

function membersOf(models: TrainableModel | readonly TrainableModel[]): readonly TrainableModel[] {
  return Array.isArray(models) ? (models as readonly TrainableModel[]) : [models as TrainableModel];
}

/**
 * `evaluateWithTta` on `options.threads` threads (`evaluateParallel`): the views of every image
 * are scored as one dataset, so the workers start once per model, not once per view. With one
 * thread it is `evaluateWithTta`. The views are built in shared memory, so the workers read
 * them in place.
 */
export async function evaluateWithTtaParallel(
  models: TrainableModel | readonly TrainableModel[],
  dataset: Dataset,
  options: EvaluateParallelOptions & { readonly views: number },
): Promise<EvaluateResult> {
  return (await evaluateMembersWithTtaParallel(models, dataset, options)).combined;
}

/** `evaluateMembersWithTta` on `options.threads` threads, as `evaluateWithTtaParallel` scores. */
export async function evaluateMembersWithTtaParallel(
  models: TrainableModel | readonly TrainableModel[],
  dataset: Dataset,
  options: EvaluateParallelOptions & { readonly views: number },
): Promise<MembersEvaluation> {
  if ((options.threads ?? 1) === 1) return evaluateMembersWithTta(models, dataset, options);
  const members = membersOf(models);
  const classes = sizeOf(members[0].outputShape);
  const views = ttaViews(dataset, options.views);
  if (members.length === 1 && views.length === 1) {
    const result = await evaluateParallel(members[0], dataset, options);
    return { combined: result, members: [result] };
  }
  const indices = options.indices === undefined ? null : Int32Array.from(options.indices);
  const perView = indices === null ? dataset.count : indices.length;
  const stacked = stackViews(views, indices);
  const results: EvaluateResult[][] = [];
  // The stacked views hold only the scored images: no indices into them.
  const scoreOptions: EvaluateParallelOptions = { ...options, indices: undefined };
  for (const model of members) {
    const scored = await evaluateParallel(model, stacked, scoreOptions);
    const own: EvaluateResult[] = [];
    for (let view = 0; view < views.length; view++) {
      const predictions = scored.predictions.subarray(view * perView, (view + 1) * perView);
      const probabilities = scored.probabilities.subarray(view * perView * classes, (view + 1) * perView * classes);
      own.push({ count: perView, loss: NaN, accuracy: NaN, predictions, probabilities });
    }
    results.push(own);
  }
  return combineMembers(results, classes, dataset, options.indices);
}

/** The views one after another in one dataset (only `indices` of each, when given), in shared memory when there is any. */
function stackViews(views: readonly Dataset[], indices: Int32Array | null): Dataset {
  const first = views[0];
  const size = sizeOf(first.imageShape);
  const perView = indices === null ? first.count : indices.length;
  const bytes = (length: number): Uint8Array => (typeof SharedArrayBuffer === 'undefined' ? new Uint8Array(length) : new Uint8Array(new SharedArrayBuffer(Math.max(length, 1)), 0, length));
  const images = bytes(views.length * perView * size);
  const labels = bytes(views.length * perView);
  views.forEach((view, v) => {
    for (let r = 0; r < perView; r++) {
      const index = indices === null ? r : indices[r];
      const at = v * perView + r;
      images.set(view.images.subarray(index * size, (index + 1) * size), at * size);
      labels[at] = view.labels[index];
    }
  });
  return createDataset({ images, labels, imageShape: first.imageShape, name: `${first.name}:views(${views.length})`, unlabelled: first.unlabelled });
}

/** The argmax of the probabilities averaged over `results` (every model and view), with its loss and accuracy. */
function combineViews(results: readonly EvaluateResult[], classes: number, dataset: Dataset, indices: ArrayLike<number> | undefined): EvaluateResult {
  // A lone view is its own result once scored; one cut out of a stacked pass is not yet.
  if (results.length === 1 && (dataset.unlabelled || !Number.isNaN(results[0].accuracy))) return results[0];
  const combined = combinePredictions(results, classes, 'average');
  const count = combined.predictions.length;
  let correct = 0;
  let lossSum = 0;
  for (let r = 0; r < count; r++) {
    const label = dataset.labels[indices === undefined ? r : indices[r]];
    if (combined.predictions[r] === label) correct++;
    lossSum -= Math.log(Math.max(combined.probabilities[r * classes + label], 1e-30));
  }
  const labelled = !dataset.unlabelled && count > 0;
  return { count, loss: labelled ? lossSum / count : NaN, accuracy: labelled ? correct / count : NaN, predictions: combined.predictions, probabilities: combined.probabilities };
}
