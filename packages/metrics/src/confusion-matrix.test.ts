import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confusionMatrix, errorsPerClass } from './confusion-matrix.js';
import { topConfusions } from './top-confusions.js';

const labels = [0, 0, 1, 1, 1, 2, 2, 2];
const predictions = [0, 1, 1, 1, 0, 2, 0, 1];

describe('confusionMatrix', () => {
  it('puts true labels in rows and predictions in columns (hand-computed)', () => {
    expect(confusionMatrix(labels, predictions, 4)).toEqual([
      [1, 1, 0, 0],
      [1, 2, 0, 0],
      [1, 1, 1, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('keeps only listed classes, in list order, like scikit-learn labels=', () => {
    expect(confusionMatrix(labels, predictions, [2, 0])).toEqual([
      [1, 1],
      [0, 1],
    ]);
  });

  it('rejects class indices outside [0, classes)', () => {
    expect(() => confusionMatrix([0, 10], [0, 1])).toThrow('confusionMatrix: labels[1] = 10 is not a class index in [0, 10)');
    expect(() => confusionMatrix([0], [0], 0)).toThrow('confusionMatrix: classes = 0 must be a positive integer');
  });

  it('has rows summing to the label counts and columns to the prediction counts', () => {
    const pairs = fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })), { minLength: 1 });
    fc.assert(
      fc.property(pairs, (list) => {
        const truth = list.map(([label]) => label);
        const guess = list.map(([, predicted]) => predicted);
        const matrix = confusionMatrix(truth, guess, 5);
        for (let c = 0; c < 5; c++) {
          expect(matrix[c].reduce((a, b) => a + b, 0)).toBe(truth.filter((t) => t === c).length);
          expect(matrix.reduce((a, row) => a + row[c], 0)).toBe(guess.filter((g) => g === c).length);
        }
        const errors = errorsPerClass(truth, guess, 5);
        errors.forEach((count, c) => expect(count).toBe(matrix[c].reduce((a, b) => a + b, 0) - matrix[c][c]));
      }),
    );
  });
});

describe('errorsPerClass', () => {
  it('counts misclassified examples per true class (hand-computed)', () => {
    expect(errorsPerClass(labels, predictions, 4)).toEqual([1, 1, 2, 0]);
  });
});

describe('topConfusions', () => {
  it('sorts by count descending, then label, then prediction (hand-computed)', () => {
    const truth = [3, 3, 5, 5, 1, 1, 2, 4, 4, 4];
    const guess = [5, 5, 3, 3, 7, 1, 0, 9, 9, 4];
    expect(topConfusions(truth, guess)).toEqual([
      { label: 3, predicted: 5, count: 2 },
      { label: 4, predicted: 9, count: 2 },
      { label: 5, predicted: 3, count: 2 },
      { label: 1, predicted: 7, count: 1 },
      { label: 2, predicted: 0, count: 1 },
    ]);
    expect(topConfusions(truth, guess, { k: 2 })).toHaveLength(2);
    expect(topConfusions([1, 2], [1, 2])).toEqual([]);
  });
});
