/**
 * `value` with `digits` decimals, rounded like Python's `'{:.{digits}f}'.format(value)`: the
 * exact binary value is rounded, and an exact tie goes to the even digit (0.125 → "0.12"),
 * where JavaScript's `toFixed` would round it up ("0.13").
 */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const rounded = value.toFixed(digits);
  if (digits > 80) return rounded;
  // A tie is a value whose exact expansion ends with the digit 5 right after the kept digits.
  // 20 more digits show any double that is not exactly a tie (its distance from the tie is
  // at least one ulp, far above 10^-(digits+20) at these magnitudes).
  const long = Math.abs(value).toFixed(digits + 20);
  const cut = long.length - 20;
  if (long[cut] !== '5' || !/^0*$/.test(long.slice(cut + 1))) return rounded;
  const kept = long.slice(0, cut);
  const lastDigit = Number(kept[kept.length - (kept.endsWith('.') ? 2 : 1)]);
  if (lastDigit % 2 === 1) return rounded; // toFixed rounded away from zero: already even
  const truncated = kept.endsWith('.') ? kept.slice(0, -1) : kept;
  return (value < 0 ? '-' : '') + truncated;
}
