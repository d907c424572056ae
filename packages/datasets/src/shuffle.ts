import type { Rng } from '@nnkit/tensor';
import { type Dataset, createDataset } from './dataset.js';

/** A seeded random permutation of 0..count−1 (Fisher–Yates), the order of one epoch. */
export function shuffledIndices(count: number, rng: Rng): Int32Array {
  if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`shuffledIndices: count must be a non-negative integer, got ${count}`);
  return rng.permutation(count);
}

/** 0..count−1 in order, for `fillBatch` over a whole dataset or a batch made by `augmentBatch`. */
export function rangeIndices(count: number): Int32Array {
  const indices = new Int32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  return indices;
}

/**
 * A new dataset with the same images and its labels randomly permuted (Zhang et al. 2017's
 * sanity check: a network can memorise random labels). The input is never mutated.
 */
export function shuffleLabels(dataset: Dataset, rng: Rng): Dataset {
  const labels = rng.shuffle(dataset.labels.slice());
  return createDataset({ images: dataset.images, labels, imageShape: dataset.imageShape, name: `${dataset.name}:shuffled-labels`, unlabelled: dataset.unlabelled });
}
