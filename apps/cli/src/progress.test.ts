import { describe, expect, it } from 'vitest';
import { formatDuration } from './progress.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [42_400, '42s'],
    [59_600, '1m 00s'],
    [365_000, '6m 05s'],
    [3_599_000, '59m 59s'],
    [7_830_000, '2h 10m'],
    [-5, '0s'],
  ])('%d ms → %s', (milliseconds, text) => {
    expect(formatDuration(milliseconds)).toBe(text);
  });
});
