import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classificationReport, precisionRecallFscoreSupport } from './classification-report.js';

// Hand-computed case over classes 0–3: class 2 is never predicted, class 3 appears nowhere.
//   class 0: tp 1, predicted 2, true 2 → P 1/2, R 1/2, F1 2·1/(2+2) = 1/2
//   class 1: tp 2, predicted 4, true 3 → P 1/2, R 2/3, F1 4/7
//   class 2: tp 0, predicted 0, true 1 → P undefined, R 0, F1 0/(0+1) = 0
//   class 3: tp 0, predicted 0, true 0 → P, R and F1 undefined
const labels = [0, 0, 1, 1, 1, 2];
const predictions = [0, 1, 1, 1, 0, 1];

describe('precisionRecallFscoreSupport', () => {
  it('gives 0 for undefined ratios by default (zero_division="warn")', () => {
    expect(precisionRecallFscoreSupport(labels, predictions, { classes: 4 })).toEqual({
      precision: [1 / 2, 1 / 2, 0, 0],
      recall: [1 / 2, 2 / 3, 0, 0],
      f1: [1 / 2, 4 / 7, 0, 0],
      support: [2, 3, 1, 0],
    });
  });

  it('gives 1 for undefined ratios with zeroDivision 1, and F1 1 only where P and R are both undefined', () => {
    expect(precisionRecallFscoreSupport(labels, predictions, { classes: 4, zeroDivision: 1 })).toEqual({
      precision: [1 / 2, 1 / 2, 1, 1],
      recall: [1 / 2, 2 / 3, 0, 1],
      f1: [1 / 2, 4 / 7, 0, 1],
      support: [2, 3, 1, 0],
    });
  });
});

describe('classificationReport', () => {
  it('averages over every listed class, empty ones included (zeroDivision 0)', () => {
    const report = classificationReport(labels, predictions, { classes: 4, zeroDivision: 0 });
    expect(report.accuracy).toBe(3 / 6);
    expect(report.macroAverage.precision).toBeCloseTo(1 / 4, 15); // (1/2 + 1/2 + 0 + 0) / 4
    expect(report.macroAverage.recall).toBeCloseTo(7 / 24, 15); // (1/2 + 2/3) / 4
    expect(report.macroAverage.f1).toBeCloseTo(15 / 56, 15); // (1/2 + 4/7) / 4
    expect(report.weightedAverage.precision).toBeCloseTo(5 / 12, 15); // (2·1/2 + 3·1/2) / 6
    expect(report.weightedAverage.recall).toBeCloseTo(1 / 2, 15); // (2·1/2 + 3·2/3) / 6
    expect(report.weightedAverage.f1).toBeCloseTo(19 / 42, 15); // (2·1/2 + 3·4/7) / 6
    expect(report.weightedAverage.support).toBe(6);
    expect(report.warnings).toEqual([]);
  });

  it('averages the zero-division value in with zeroDivision 1', () => {
    const report = classificationReport(labels, predictions, { classes: 4, zeroDivision: 1 });
    expect(report.macroAverage.precision).toBeCloseTo(3 / 4, 15); // (1/2 + 1/2 + 1 + 1) / 4
    expect(report.macroAverage.recall).toBeCloseTo(13 / 24, 15); // (1/2 + 2/3 + 0 + 1) / 4
    expect(report.macroAverage.f1).toBeCloseTo(29 / 56, 15); // (1/2 + 4/7 + 0 + 1) / 4
    expect(report.weightedAverage.precision).toBeCloseTo(7 / 12, 15); // (1 + 3/2 + 1) / 6
  });

  it('prints micro avg instead of accuracy when a listed class appears nowhere', () => {
    expect(classificationReport(labels, predictions, { classes: 4 }).microIsAccuracy).toBe(false);
    const present = classificationReport(labels, predictions, { classes: [0, 1, 2] });
    expect(present.microIsAccuracy).toBe(true);
    expect(present.microAverage.f1).toBe(present.accuracy);
  });

  it('records scikit-learn style warnings with the default zero_division="warn"', () => {
    expect(classificationReport(labels, predictions, { classes: 4 }).warnings).toEqual([
      'Precision is ill-defined and set to 0.0 in classes with no predicted samples: 2, 3.',
      'Recall is ill-defined and set to 0.0 in classes with no true samples: 3.',
    ]);
  });

  it('handles a class list without true examples like scikit-learn (weights all zero)', () => {
    // Derived from scikit-learn's code path for average="weighted" with zero total support.
    const none = classificationReport([0, 1], [1, 2], { classes: [3], zeroDivision: 1 }).weightedAverage;
    expect([none.precision, none.recall, none.f1]).toEqual([1, 1, 1]);
    const predicted = classificationReport([0, 1], [3, 2], { classes: [3], zeroDivision: 1 }).weightedAverage;
    expect([predicted.precision, predicted.recall, predicted.f1]).toEqual([0, 1, 0]);
  });

  it('keeps every score in [0, 1], F1 between min and max of P and R, and supports summing to n', () => {
    const pairs = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 1 });
    fc.assert(
      fc.property(pairs, fc.constantFrom<0 | 1>(0, 1), (list, zeroDivision) => {
        const report = classificationReport(
          list.map(([label]) => label),
          list.map(([, predicted]) => predicted),
          { classes: 6, zeroDivision },
        );
        let support = 0;
        for (const scores of report.perClass) {
          support += scores.support;
          for (const value of [scores.precision, scores.recall, scores.f1]) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1);
          }
          expect(scores.f1).toBeLessThanOrEqual(Math.max(scores.precision, scores.recall) + 1e-12);
        }
        expect(support).toBe(list.length);
        // Every example lies in the listed classes, so pooled precision = recall = accuracy.
        expect(report.microAverage.recall).toBeCloseTo(report.accuracy, 12);
      }),
    );
  });
});
