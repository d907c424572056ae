import { createDataset, shiftImage, type Dataset } from '@nnkit/datasets';
import { sizeOf } from '@nnkit/tensor';
import { combinePredictions } from './ensemble.js';
import { evaluate, type EvaluateOptions, type EvaluateResult } from './evaluate.js';
import type { TrainableModel } from './model.js';

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
  const members = Array.isArray(models) ? (models as readonly TrainableModel[]) : [models as TrainableModel];
  const views = ttaViews(dataset, options.views);
  const results = members.flatMap((model) => views.map((view) => evaluate(model, view, options)));
  if (results.length === 1) return results[0];
  const classes = sizeOf(members[0].outputShape);
  const combined = combinePredictions(results, classes, 'average');
  const count = combined.predictions.length;
  const indices = options.indices;
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
