import { describe, expect, it } from 'vitest';
import { epochLine, formatDuration } from './progress.js';

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

describe('epochLine', () => {
  const record = { epoch: 2, trainLoss: 0.25, trainAccuracy: 0.9, validationAccuracy: 0.875, learningRate: 0.1, seconds: 20 };

  it('lists the scores and the time left from the mean of the last three epochs', () => {
    // 3 epochs left × mean(20, 40, 60) s = 120 s.
    expect(epochLine(record, 5, [10, 20, 40, 60])).toBe('epoch 2/5: loss 0.2500, train acc 90.00%, validation acc 87.50%, η 0.100, 20.0 s · ≈ 2m 00s to go');
  });

  it('says nothing of time left after the last epoch', () => {
    expect(epochLine({ ...record, epoch: 5 }, 5, [20])).toBe('epoch 5/5: loss 0.2500, train acc 90.00%, validation acc 87.50%, η 0.100, 20.0 s');
  });
});
