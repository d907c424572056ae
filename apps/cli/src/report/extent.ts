/**
 * The smallest and largest of `values` (Infinity and -Infinity when empty), in one pass:
 * `Math.min(...values)` passes every value as an argument and overflows the stack on a
 * history of some hundred thousand epochs.
 */
export function extent(values: readonly number[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}
