import { type Rng, sizeOf } from '@nnkit/tensor';
import { type Dataset, createDataset } from './dataset.js';

/** Images [start, end) of `dataset` as a new dataset sharing its bytes (no copy). */
export function sliceDataset(dataset: Dataset, start: number, end: number = dataset.count, name?: string): Dataset {
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= dataset.count)) {
    throw new RangeError(`sliceDataset: [${start}, ${end}) is not a range inside ${dataset.name} (${dataset.count} images)`);
  }
  const imageSize = sizeOf(dataset.imageShape);
  return createDataset({
    images: dataset.images.subarray(start * imageSize, end * imageSize),
    labels: dataset.labels.subarray(start, end),
    imageShape: dataset.imageShape,
    name: name ?? `${dataset.name}[${start}:${end}]`,
    unlabelled: dataset.unlabelled,
  });
}

/** The images `indices` of `dataset`, in that order, copied into a new dataset (repeats allowed). */
export function subset(dataset: Dataset, indices: ArrayLike<number>, name?: string): Dataset {
  const imageSize = sizeOf(dataset.imageShape);
  const images = new Uint8Array(indices.length * imageSize);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!(Number.isInteger(index) && index >= 0 && index < dataset.count)) {
      throw new RangeError(`subset: index ${index} is outside ${dataset.name} (${dataset.count} images)`);
    }
    images.set(dataset.images.subarray(index * imageSize, (index + 1) * imageSize), i * imageSize);
    labels[i] = dataset.labels[index];
  }
  return createDataset({ images, labels, imageShape: dataset.imageShape, name: name ?? `${dataset.name}[subset of ${indices.length}]`, unlabelled: dataset.unlabelled });
}

/**
 * Nielsen's split: the first `count − validationCount` images train, the last `validationCount`
 * validate (MNIST's 60 000 → 50 000 + 10 000). No copy, no shuffle.
 */
export function validationSplit(dataset: Dataset, validationCount = 10_000): { train: Dataset; validation: Dataset } {
  if (!(Number.isInteger(validationCount) && validationCount >= 0 && validationCount <= dataset.count)) {
    throw new RangeError(`validationSplit: cannot hold out ${validationCount} of ${dataset.name}'s ${dataset.count} images`);
  }
  const cut = dataset.count - validationCount;
  return {
    train: sliceDataset(dataset, 0, cut, `${dataset.name}:train`),
    validation: sliceDataset(dataset, cut, dataset.count, `${dataset.name}:validation`),
  };
}

/**
 * scikit-learn's `train_test_split(shuffle=True)`: a seeded permutation, the first
 * ceil(testFraction · count) images go to test, the rest to train (both copies, in permuted order).
 */
export function trainTestSplit(dataset: Dataset, testFraction: number, rng: Rng): { train: Dataset; test: Dataset } {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  const testCount = Math.ceil(testFraction * dataset.count);
  if (testCount >= dataset.count) {
    throw new RangeError(`trainTestSplit: a test fraction of ${testFraction} leaves no training images in ${dataset.name} (${dataset.count} images)`);
  }
  const order = rng.permutation(dataset.count);
  return {
    train: subset(dataset, order.subarray(testCount), `${dataset.name}:train`),
    test: subset(dataset, order.subarray(0, testCount), `${dataset.name}:test`),
  };
}

/** Concatenates datasets of the same image shape into one (copies). */
export function concatDatasets(datasets: readonly Dataset[], name?: string): Dataset {
  if (datasets.length === 0) throw new RangeError('concatDatasets: needs at least one dataset');
  const imageShape = datasets[0].imageShape;
  const imageSize = sizeOf(imageShape);
  let count = 0;
  for (const dataset of datasets) {
    if (sizeOf(dataset.imageShape) !== imageSize || dataset.imageShape.length !== imageShape.length || dataset.imageShape.some((d, i) => d !== imageShape[i])) {
      throw new RangeError(`concatDatasets: ${dataset.name} has image shape [${dataset.imageShape.join(', ')}], expected [${imageShape.join(', ')}]`);
    }
    count += dataset.count;
  }
  const images = new Uint8Array(count * imageSize);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const dataset of datasets) {
    images.set(dataset.images, at * imageSize);
    labels.set(dataset.labels, at);
    at += dataset.count;
  }
  return createDataset({
    images,
    labels,
    imageShape,
    name: name ?? datasets.map((dataset) => dataset.name).join('+'),
    unlabelled: datasets.some((dataset) => dataset.unlabelled),
  });
}
