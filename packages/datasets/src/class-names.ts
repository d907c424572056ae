import type { Dataset } from './dataset.js';
import { DatasetError } from './dataset-error.js';

/**
 * Class names from a `classes.txt` (one name a line, label 0 first; surrounding spaces and
 * trailing blank lines ignored), e.g. Fashion-MNIST's `T-shirt/top`, `Trouser`, …. A blank or
 * repeated name is a `DatasetError` naming the line.
 */
export function parseClassNames(text: string, fileName: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const names = lines.map((line) => line.trim());
  names.forEach((name, index) => {
    if (name === '') throw new DatasetError({ file: fileName, line: index + 1, found: 'a blank line', expected: 'one class name a line' });
    const first = names.indexOf(name);
    if (first < index) throw new DatasetError({ file: fileName, line: index + 1, found: `"${name}" again (line ${first + 1})`, expected: 'a different name for each class' });
  });
  if (names.length < 2) throw new DatasetError({ file: fileName, found: `${names.length} class name(s)`, expected: 'at least 2 class names, one a line' });
  if (names.length > 256) throw new DatasetError({ file: fileName, found: `${names.length} class names`, expected: 'at most 256 classes (labels are bytes)' });
  return names;
}

/**
 * How many classes a model for these datasets needs: the number of `classNames` when given,
 * else the largest label + 1 but at least 10 (digit data without some digit keeps ten outputs).
 * Checks every label against the names.
 */
export function classCountOf(datasets: readonly (Dataset | undefined)[], classNames?: readonly string[]): number {
  let largest = 0;
  for (const dataset of datasets) {
    if (dataset === undefined || dataset.unlabelled) continue;
    for (let i = 0; i < dataset.count; i++) {
      const label = dataset.labels[i];
      if (classNames !== undefined && label >= classNames.length) {
        throw new DatasetError({ file: dataset.name, found: `label ${label} at image ${i}`, expected: `a label 0–${classNames.length - 1} (one of its ${classNames.length} class names)` });
      }
      largest = Math.max(largest, label);
    }
  }
  return classNames?.length ?? Math.max(10, largest + 1);
}
