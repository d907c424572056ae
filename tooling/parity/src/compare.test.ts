import { describe, expect, it } from 'vitest';
import { assertClose, relativeError, unravelIndex } from './compare.js';

describe('relativeError', () => {
  it('divides the largest difference by max(1, max|expected|)', () => {
    // Hand-computed: differences 0.5, 0, 0.25; max|expected| = 4 → 0.5 / 4.
    expect(relativeError([1.5, 4, -2.25], [1, 4, -2]).error).toBe(0.125);
    // Small values: the scale is clamped at 1, so this is the absolute error 0.001.
    expect(relativeError([0.011], [0.01]).error).toBeCloseTo(0.001, 12);
  });

  it('reports the worst element', () => {
    const report = relativeError([0, 0, 3], [0, 0.1, 1]);
    expect([report.index, report.actual, report.expected]).toEqual([2, 3, 1]);
  });

  it('treats NaN as an infinite error', () => {
    expect(relativeError([0, Number.NaN], [0, 1]).error).toBe(Infinity);
  });
});

describe('assertClose', () => {
  it('passes within tolerance and names the place otherwise', () => {
    expect(() => assertClose('x', { data: [1, 2] }, { data: [1, 2.00001] }, 1e-4)).not.toThrow();
    expect(() => assertClose('dense output', { shape: [2, 2], data: [1, 2, 3, 4] }, { shape: [2, 2], data: [1, 2, 3, 5] }, 1e-4)).toThrow(
      /^dense output: relative error 2\.00e-1 > 0\.0001 at \[1, 1\] of \[2, 2\]: nnkit 4 vs oracle 5/,
    );
  });

  it('rejects different shapes', () => {
    expect(() => assertClose('y', { shape: [2, 3], data: new Float32Array(6) }, { shape: [3, 2], data: new Float32Array(6) }, 1)).toThrow(
      'y: nnkit shape [2, 3] but oracle shape [3, 2]',
    );
  });
});

describe('unravelIndex', () => {
  it('inverts row-major flattening', () => {
    expect(unravelIndex(17, [2, 3, 3])).toEqual([1, 2, 2]);
    expect(unravelIndex(0, [4])).toEqual([0]);
  });
});
