import { BLUES, REDS, type Rgb, interpolate } from './colors.js';

/**
 * Fill of a confusion-matrix cell, shared by the SVG and PNG pictures: null (blank) for 0,
 * blues by the share of its row on the diagonal, orange-reds by count relative to the largest
 * off-diagonal count elsewhere, so rare mistakes stay visible next to a ~99 % diagonal.
 */
export function confusionCellColor(value: number, rowTotal: number, diagonal: boolean, largestError: number): Rgb | null {
  if (value === 0) return null;
  return diagonal
    ? interpolate(BLUES, 0.15 + 0.85 * (value / rowTotal))
    : interpolate(REDS, 0.12 + 0.88 * (value / largestError));
}

/** The largest count off the diagonal (0 when there is no mistake). */
export function largestError(matrix: readonly (readonly number[])[]): number {
  let largest = 0;
  matrix.forEach((row, i) => row.forEach((value, j) => i !== j && value > largest && (largest = value)));
  return largest;
}
