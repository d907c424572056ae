import { type ClassSelection, checkClassIndices, resolveClasses } from './validate.js';

/**
 * Confusion matrix `C` with `C[i][j]` = number of examples whose label is `classes[i]` and whose
 * prediction is `classes[j]` (rows true, columns predicted; scikit-learn's `confusion_matrix`).
 * With a count, every label and prediction must lie in `[0, classes)`; with a list, examples
 * whose label or prediction is not listed are left out, as in scikit-learn.
 */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  classes: ClassSelection = 10,
): number[][] {
  const limit = typeof classes === 'number' ? classes : undefined;
  const selected = resolveClasses(classes, 'confusionMatrix');
  const largest = checkClassIndices(labels, predictions, 'confusionMatrix', limit);
  const position = positions(selected, largest);
  const matrix = selected.map(() => new Array<number>(selected.length).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const row = position[labels[i]];
    const column = position[predictions[i]];
    if (row >= 0 && column >= 0) matrix[row][column]++;
  }
  return matrix;
}

/**
 * Misclassified examples per true class: `errors[i]` = number of examples labelled `i` whose
 * prediction differs (= support − true positives), for `i` in `[0, classes)`.
 */
export function errorsPerClass(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  classes = 10,
): number[] {
  resolveClasses(classes, 'errorsPerClass');
  checkClassIndices(labels, predictions, 'errorsPerClass', classes);
  const errors = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) if (labels[i] !== predictions[i]) errors[labels[i]]++;
  return errors;
}

/** `position[value]` = index of `value` in `selected`, or -1; sized to hold every value seen. */
export function positions(selected: readonly number[], largest: number): Int32Array {
  const size = Math.max(largest, ...selected) + 1;
  const position = new Int32Array(size).fill(-1);
  selected.forEach((value, index) => (position[value] = index));
  return position;
}
