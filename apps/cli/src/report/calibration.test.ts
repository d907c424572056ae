import { describe, expect, it } from 'vitest';
import { precisionRecallCurve, reliability, topClasses, wilsonInterval } from './calibration.js';

describe('calibration numbers', () => {
  it('bins the top probability and measures the calibration error', () => {
    // Two classes; four examples at 0.95 (three right) and two at 0.55 (one right).
    const labels = [0, 0, 0, 1, 1, 0];
    const probabilities = [0.95, 0.05, 0.95, 0.05, 0.95, 0.05, 0.95, 0.05, 0.45, 0.55, 0.45, 0.55];
    const { bins, expectedCalibrationError } = reliability(labels, probabilities, 2, 10);
    expect(bins[9]).toMatchObject({ count: 4, accuracy: 0.75 });
    expect(bins[9].confidence).toBeCloseTo(0.95);
    expect(bins[5]).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(bins[0].count).toBe(0);
    expect(expectedCalibrationError).toBeCloseTo((4 / 6) * 0.2 + (2 / 6) * 0.05);
  });

  it('traces precision against recall and sums average precision like scikit-learn', () => {
    // Scores for class 1: 0.9 (pos), 0.8 (neg), 0.7 (pos), 0.1 (neg).
    const labels = [1, 0, 1, 0];
    const probabilities = [0.1, 0.9, 0.2, 0.8, 0.3, 0.7, 0.9, 0.1];
    const curve = precisionRecallCurve(labels, probabilities, 2, 1);
    expect(curve.points).toEqual([
      [0.5, 1],
      [0.5, 0.5],
      [1, 2 / 3],
      [1, 0.5],
    ]);
    // sklearn.metrics.average_precision_score([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]) = 0.8333…
    expect(curve.averagePrecision).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3));
  });

  it('gives the Wilson interval and the top classes', () => {
    const { low, high } = wilsonInterval(9_900, 10_000);
    expect(low).toBeCloseTo(0.98785, 4);
    expect(high).toBeCloseTo(0.99181, 4);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(topClasses([0.1, 0.6, 0.3], 3, 0, 2)).toEqual([
      { label: 1, probability: 0.6 },
      { label: 2, probability: 0.3 },
    ]);
  });
});
