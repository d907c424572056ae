import { describe, expect, it } from 'vitest';
import { median, timeIt } from './timing.js';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('does not reorder its argument', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('timeIt', () => {
  it('runs the warm-up untimed, then the timed runs, and reports their median', () => {
    let calls = 0;
    const timing = timeIt(() => calls++, { warmup: 2, runs: 4 });
    expect(calls).toBe(6);
    expect(timing.milliseconds).toHaveLength(4);
    expect(timing.medianMilliseconds).toBe(median(timing.milliseconds));
  });

  it('keeps running until the minimum time is covered, up to maximumRuns', () => {
    let calls = 0;
    const timing = timeIt(() => calls++, { warmup: 0, runs: 1, minimumMilliseconds: 1e9, maximumRuns: 7 });
    expect(calls).toBe(7);
    expect(timing.milliseconds).toHaveLength(7);
  });
});
