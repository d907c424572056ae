import { describe, expect, it } from 'vitest';
import { type DivergenceWatch, divergenceAdvice, divergenceOf, divergenceRule, isLossDiverged, watchBatch } from './divergence.js';

function watchAll(batches: { loss: number; correct: number; rows: number }[]): DivergenceWatch {
  let watch: DivergenceWatch | null = null;
  for (const batch of batches) watch = watchBatch(watch, batch);
  return watch!;
}

describe('divergence rule', () => {
  it('calls only NaN and infinite losses diverged, as fit does', () => {
    expect(isLossDiverged(Number.NaN)).toBe(true);
    expect(isLossDiverged(Number.POSITIVE_INFINITY)).toBe(true);
    expect(isLossDiverged(Number.NEGATIVE_INFINITY)).toBe(true);
    expect(isLossDiverged(1e30)).toBe(false);
    expect(isLossDiverged(0)).toBe(false);
  });

  it('sees nothing wrong in a loss that falls and an accuracy that rises', () => {
    const batches = Array.from({ length: 400 }, (_, b) => ({ loss: 2.3 / (1 + b / 20), correct: Math.min(32, Math.round(3 + b / 4)), rows: 32 }));
    expect(divergenceOf(watchAll(batches), 10)).toBeNull();
  });

  it('flags a loss that grows past ten times the first one', () => {
    const batches = [{ loss: 2.5, correct: 1, rows: 32 }, ...Array.from({ length: 5 }, () => ({ loss: 70, correct: 3, rows: 32 }))];
    const verdict = divergenceOf(watchAll(batches), 10);
    expect(verdict?.kind).toBe('exploding');
    expect(verdict?.message).toContain('exploded');
    // One spike alone is smoothed away.
    expect(divergenceOf(watchAll([{ loss: 2.5, correct: 1, rows: 32 }, { loss: 40, correct: 3, rows: 32 }, { loss: 2, correct: 9, rows: 32 }]), 10)).toBeNull();
  });

  it('flags accuracy at chance only after enough images', () => {
    const chance = (count: number) => Array.from({ length: count }, () => ({ loss: 2.3, correct: 4, rows: 32 }));
    const early = Math.floor(divergenceRule.minimumImages / 32) - 1;
    expect(divergenceOf(watchAll(chance(early)), 10)).toBeNull();
    const verdict = divergenceOf(watchAll(chance(early + 70)), 10);
    expect(verdict?.kind).toBe('chance');
    expect(verdict?.message).toMatch(/12\.5 %.*guessing gives 10 %/);
  });

  it('flags a non-finite loss and advises a tenth of the learning rate', () => {
    expect(divergenceOf(watchAll([{ loss: 2, correct: 1, rows: 8 }, { loss: Number.NaN, correct: 0, rows: 8 }]), 10)?.kind).toBe('nonFinite');
    expect(divergenceAdvice('exploding', 100)).toContain('try 10 instead of 100');
    expect(divergenceAdvice('chance', 0.5)).toContain('try 0.05 instead of 0.5');
  });
});
