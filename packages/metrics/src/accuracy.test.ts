import { describe, expect, it } from 'vitest';
import { accuracy, topKAccuracy } from './accuracy.js';
import { argmaxRows } from './argmax-rows.js';

describe('accuracy', () => {
  it('counts matching entries (hand-computed: 3 of 4)', () => {
    expect(accuracy([0, 1, 2, 3], [0, 1, 2, 0])).toBe(0.75);
    expect(accuracy(new Uint8Array([7]), new Uint8Array([7]))).toBe(1);
  });

  it('rejects mismatched lengths, empty input and non-indices with one clear line', () => {
    expect(() => accuracy([0, 1], [0])).toThrow('accuracy: labels has 2 entries but predictions has 1');
    expect(() => accuracy([], [])).toThrow('accuracy: labels and predictions are empty');
    expect(() => accuracy([0, 1.5], [0, 1])).toThrow('accuracy: labels[1] = 1.5 is not a non-negative integer');
  });
});

describe('topKAccuracy', () => {
  // Hand-computed: row 0 ranks the label first, row 1 second, row 2 third.
  const scores = [0.7, 0.2, 0.1, 0.5, 0.3, 0.2, 0.5, 0.4, 0.1];
  const labels = [0, 1, 2];

  it('counts labels among the k highest scores', () => {
    expect(topKAccuracy(labels, scores, 1)).toBeCloseTo(1 / 3, 15);
    expect(topKAccuracy(labels, scores, 2)).toBeCloseTo(2 / 3, 15);
    expect(topKAccuracy(labels, scores, 3)).toBe(1);
    expect(topKAccuracy(labels, scores, 10)).toBe(1);
  });

  it('breaks ties like scikit-learn: the higher class index ranks first', () => {
    // Row [0.5, 0.5, 0]: scikit-learn's reversed stable argsort orders classes 1, 0, 2.
    expect(topKAccuracy([1], [0.5, 0.5, 0], 1)).toBe(1);
    expect(topKAccuracy([0], [0.5, 0.5, 0], 1)).toBe(0);
    expect(topKAccuracy([0], [0.5, 0.5, 0], 2)).toBe(1);
  });

  it('rejects scores that do not split into rows and labels outside the columns', () => {
    expect(() => topKAccuracy([0, 1], [0.1, 0.2, 0.3], 1)).toThrow(
      'topKAccuracy: scores has 3 entries, not a multiple of the 2 labels',
    );
    expect(() => topKAccuracy([3], [0.1, 0.9], 1)).toThrow('topKAccuracy: labels[0] = 3 is not a class index in [0, 2)');
    expect(() => topKAccuracy([0], [0.1, 0.9], 0)).toThrow('topKAccuracy: k = 0 must be a positive integer');
  });
});

describe('argmaxRows', () => {
  it('returns the first maximum of each row', () => {
    expect([...argmaxRows([0.1, 0.9, 0.3, 0.3, 0.2, 0.1], 3)]).toEqual([1, 0]);
    expect(() => argmaxRows([1, 2, 3], 2)).toThrow('argmaxRows: 3 scores do not split into rows of 2 classes');
  });
});
