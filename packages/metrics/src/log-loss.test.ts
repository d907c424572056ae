import { describe, expect, it } from 'vitest';
import { FLOAT32_EPSILON, logLoss } from './log-loss.js';

describe('logLoss', () => {
  it('is the mean of −log p(true class) (hand-computed)', () => {
    // −(ln 0.8 + ln 0.5) / 2
    expect(logLoss([0, 1], [0.8, 0.2, 0.5, 0.5])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.5)) / 2, 15);
  });

  it('clips with the dtype epsilon: 2⁻²³ for Float32Array, 2⁻⁵² for plain numbers', () => {
    expect(logLoss([1], [1, 0])).toBeCloseTo(-Math.log(Number.EPSILON), 12); // 36.04
    expect(logLoss([1], new Float32Array([1, 0]))).toBeCloseTo(-Math.log(FLOAT32_EPSILON), 12); // 15.94
    expect(logLoss([0], [1, 0])).toBeCloseTo(-Math.log(1 - Number.EPSILON), 20);
    expect(logLoss([1], [1, 0], { eps: 1e-15 })).toBeCloseTo(-Math.log(1e-15), 12);
  });

  it('does not renormalise rows (scikit-learn ≥ 1.5)', () => {
    expect(logLoss([0], [0.5, 0.25])).toBeCloseTo(Math.log(2), 15);
  });

  it('rejects values that are not probabilities and labels outside the columns', () => {
    expect(() => logLoss([0], [1.5, -0.5])).toThrow('logLoss: probabilities[0] = 1.5 is not a probability in [0, 1]');
    expect(() => logLoss([2], [0.5, 0.5])).toThrow('logLoss: labels[0] = 2 is not a class index in [0, 2)');
  });
});
