import { checkClassIndices } from './validate.js';

/** One off-diagonal cell of the confusion matrix: `count` examples of `label` predicted as `predicted`. */
export interface Confusion {
  readonly label: number;
  readonly predicted: number;
  readonly count: number;
}

/**
 * The `k` most frequent mistakes: the (label, predicted) pairs with label ≠ predicted and a
 * non-zero count, sorted by count descending, then label ascending, then predicted ascending.
 */
export function topConfusions(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  options: { k?: number; classes?: number } = {},
): Confusion[] {
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 0) throw new Error(`topConfusions: k = ${k} must be a non-negative integer`);
  const largest = checkClassIndices(labels, predictions, 'topConfusions', options.classes);
  const size = largest + 1;
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === predictions[i]) continue;
    const key = labels[i] * size + predictions[i];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const pairs: Confusion[] = [];
  for (const [key, count] of counts) {
    pairs.push({ label: Math.floor(key / size), predicted: key % size, count });
  }
  pairs.sort((a, b) => b.count - a.count || a.label - b.label || a.predicted - b.predicted);
  return pairs.slice(0, k);
}
