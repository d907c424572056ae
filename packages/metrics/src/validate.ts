/**
 * Which classes a metric reports on: a count `n` means the class indices `0 … n-1` (scikit-learn's
 * `labels=list(range(n))`); a list means exactly those class indices, in that order (scikit-learn's
 * `labels=[…]`), and labels or predictions outside the list are then allowed and simply not reported.
 */
export type ClassSelection = number | readonly number[];

/** The class indices a selection stands for, checked once. */
export function resolveClasses(classes: ClassSelection, where: string): number[] {
  if (typeof classes === 'number') {
    if (!Number.isInteger(classes) || classes < 1) {
      throw new Error(`${where}: classes = ${classes} must be a positive integer`);
    }
    return Array.from({ length: classes }, (_, index) => index);
  }
  if (classes.length === 0) throw new Error(`${where}: classes is an empty list`);
  const seen = new Set<number>();
  classes.forEach((value, index) => {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`${where}: classes[${index}] = ${value} is not a non-negative integer`);
    }
    if (seen.has(value)) throw new Error(`${where}: classes[${index}] = ${value} appears twice`);
    seen.add(value);
  });
  return [...classes];
}

/**
 * Checks that `labels` and `predictions` are equally long, non-empty and hold class indices:
 * integers in `[0, limit)` when `limit` is given, non-negative integers otherwise.
 * Returns the largest value seen (or -1).
 */
export function checkClassIndices(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  where: string,
  limit?: number,
): number {
  if (labels.length !== predictions.length) {
    throw new Error(
      `${where}: labels has ${labels.length} entries but predictions has ${predictions.length}`,
    );
  }
  if (labels.length === 0) throw new Error(`${where}: labels and predictions are empty`);
  return Math.max(checkIndexArray(labels, 'labels', where, limit), checkIndexArray(predictions, 'predictions', where, limit));
}

/** Checks one array of class indices (see `checkClassIndices`); returns its largest value. */
export function checkIndexArray(
  values: ArrayLike<number>,
  name: string,
  where: string,
  limit?: number,
): number {
  let largest = -1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isInteger(value) || value < 0 || (limit !== undefined && value >= limit)) {
      const range = limit === undefined ? 'a non-negative integer' : `a class index in [0, ${limit})`;
      throw new Error(`${where}: ${name}[${i}] = ${value} is not ${range}`);
    }
    if (value > largest) largest = value;
  }
  return largest;
}
