import { checkClassIndices, checkIndexArray } from './validate.js';

/** Fraction of examples whose prediction equals the label: `#{i : predictions[i] = labels[i]} / n`. */
export function accuracy(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  checkClassIndices(labels, predictions, 'accuracy');
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predictions[i]) correct++;
  return correct / labels.length;
}

/**
 * Fraction of examples whose label is among the `k` highest scores of its row (scikit-learn's
 * `top_k_accuracy_score`). `scores` is row-major `[n, classes]` (probabilities or logits).
 * Ties are broken like scikit-learn (a reversed stable argsort): among equal scores the higher
 * class index ranks first.
 */
export function topKAccuracy(labels: ArrayLike<number>, scores: ArrayLike<number>, k: number): number {
  const classes = scoreColumns(labels, scores, 'topKAccuracy');
  if (!Number.isInteger(k) || k < 1) throw new Error(`topKAccuracy: k = ${k} must be a positive integer`);
  checkIndexArray(labels, 'labels', 'topKAccuracy', classes);
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    const base = i * classes;
    const label = labels[i];
    const own = scores[base + label];
    // Rank of the true class = classes strictly above it, plus equal ones that rank first.
    let rank = 0;
    for (let c = 0; c < classes; c++) {
      const score = scores[base + c];
      if (score > own || (score === own && c > label)) rank++;
    }
    if (rank < k) hits++;
  }
  return hits / labels.length;
}

/** Number of columns of a row-major `[n, classes]` score matrix with one row per label. */
export function scoreColumns(labels: ArrayLike<number>, scores: ArrayLike<number>, where: string): number {
  if (labels.length === 0) throw new Error(`${where}: labels is empty`);
  const classes = scores.length / labels.length;
  if (!Number.isInteger(classes) || classes < 1) {
    throw new Error(
      `${where}: scores has ${scores.length} entries, not a multiple of the ${labels.length} labels`,
    );
  }
  return classes;
}
