import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFixed } from './format-number.js';

describe('formatFixed', () => {
  it('rounds exact ties to the even digit like Python, not up like toFixed', () => {
    // Expected strings are what python3 prints for '{:.Nf}'.format(x).
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect((0.125).toFixed(2)).toBe('0.13');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(0.0625, 3)).toBe('0.062');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(3.5, 0)).toBe('4');
    expect(formatFixed(-0.125, 2)).toBe('-0.12');
    expect(formatFixed(0.875, 2)).toBe('0.88');
  });

  it('rounds values that only look like ties by their exact binary value', () => {
    // 1.005 is stored as 1.00499999999999989…, so both Python and toFixed give 1.00.
    expect(formatFixed(1.005, 2)).toBe('1.00');
    expect(formatFixed(2 / 3, 4)).toBe('0.6667');
    expect(formatFixed(1, 2)).toBe('1.00');
    expect(formatFixed(0, 0)).toBe('0');
  });

  it('prints non-finite values as Python does', () => {
    expect(formatFixed(Number.NaN, 2)).toBe('nan');
    expect(formatFixed(Number.POSITIVE_INFINITY, 2)).toBe('inf');
  });

  it('differs from toFixed only on exact ties, by one unit in the last place', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 6 }), (value, digits) => {
        const ours = Number(formatFixed(value, digits));
        const theirs = Number(value.toFixed(digits));
        expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(10 ** -digits * 1.000001);
        expect(Math.abs(ours - value)).toBeLessThanOrEqual(0.5 * 10 ** -digits * (1 + 1e-9) + Math.abs(value) * 1e-15);
      }),
    );
  });
});
