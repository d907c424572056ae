import { describe, expect, it } from 'vitest';
import { BLUES, DIVERGING, ORANGE_REDS, contrastRatio, css, diverging, interpolate } from './colors.js';

describe('colour scales', () => {
  it('interpolate hits the stops at their positions and blends between them', () => {
    expect(interpolate(BLUES, 0)).toEqual(BLUES[0]);
    expect(interpolate(BLUES, 1)).toEqual(BLUES[BLUES.length - 1]);
    expect(interpolate(ORANGE_REDS, 0.5)).toEqual(ORANGE_REDS[3]);
    // Halfway between the first two stops of seven: t = 1/12.
    expect(interpolate(BLUES, 1 / 12)).toEqual([219, 231, 247]);
    expect(interpolate(BLUES, -3)).toEqual(BLUES[0]);
    expect(interpolate(BLUES, Number.NaN)).toEqual(BLUES[0]);
    expect(interpolate(BLUES, 7)).toEqual(BLUES[6]);
  });

  it('diverging maps −1, 0, 1 to the ends and the near-white middle', () => {
    expect(diverging(-1)).toEqual(DIVERGING[0]);
    expect(diverging(0)).toEqual([247, 247, 247]);
    expect(diverging(1)).toEqual(DIVERGING[DIVERGING.length - 1]);
  });

  it('contrastRatio follows WCAG: 21 for black on white, 1 for a colour on itself, symmetric', () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 10);
    expect(contrastRatio([118, 118, 118], [118, 118, 118])).toBe(1);
    // #767676 on white is the classic 4.54:1.
    expect(contrastRatio([118, 118, 118], [255, 255, 255])).toBeCloseTo(4.54, 2);
    expect(contrastRatio([255, 255, 255], [118, 118, 118])).toBe(contrastRatio([118, 118, 118], [255, 255, 255]));
  });

  it('css writes rgb()', () => {
    expect(css([1, 2, 3])).toBe('rgb(1,2,3)');
  });
});
