import { describe, expect, it } from 'vitest';
import {
  addSample,
  emptySampleSet,
  formatScore,
  heldOutMask,
  nextPrompt,
  removeSample,
  sampleCounts,
  scoreHeldOut,
  splitSamples,
  undoSample,
  withTarget,
} from './teach-samples.js';

/** A 28×28 image whose every byte is `value`. */
const image = (value: number): Uint8Array => new Uint8Array(784).fill(value);

/** A set with `perDigit` samples of each digit, added round by round (0, 1, …, 9, 0, 1, …). */
function roundRobin(perDigit: number) {
  let set = emptySampleSet();
  for (let round = 0; round < perDigit; round++) for (let digit = 0; digit < 10; digit++) set = addSample(set, digit, image(round * 10 + digit));
  return set;
}

describe('the sample set', () => {
  it('counts samples per digit, undoes the last one and removes one by id', () => {
    let set = emptySampleSet();
    set = addSample(set, 3, image(1));
    set = addSample(set, 3, image(2));
    set = addSample(set, 7, image(3));
    expect(sampleCounts(set)).toEqual([0, 0, 0, 2, 0, 0, 0, 1, 0, 0]);
    const undone = undoSample(set);
    expect(sampleCounts(undone)).toEqual([0, 0, 0, 2, 0, 0, 0, 0, 0, 0]);
    expect(undone.samples.map((sample) => sample.pixels[0])).toEqual([1, 2]);
    const removed = removeSample(set, set.samples[0].id);
    expect(removed.samples.map((sample) => sample.pixels[0])).toEqual([2, 3]);
    expect(removeSample(set, 999)).toBe(set);
    expect(undoSample(emptySampleSet()).samples).toEqual([]);
    // Ids are never reused, so a gallery button names one sample for good.
    expect(addSample(undone, 1, image(4)).samples[2].id).toBe(4);
  });

  it('copies the pixels it is given and refuses what is not a 28×28 digit', () => {
    const pixels = image(5);
    const set = addSample(emptySampleSet(), 0, pixels);
    pixels[0] = 9;
    expect(set.samples[0].pixels[0]).toBe(5);
    expect(() => addSample(set, 10, image(0))).toThrow('sample: label 10 is not a digit 0–9');
    expect(() => addSample(set, 1, new Uint8Array(100))).toThrow('sample: 100 pixels; expected 28×28 = 784');
    expect(() => withTarget(set, 0)).toThrow('target: 0 is not a whole number from 1 to 100');
  });

  it('asks for the next digit below the target, cycling 9 → 0, and for none once all are done', () => {
    let set = withTarget(emptySampleSet(), 2);
    expect(nextPrompt(set, -1)).toBe(0);
    expect(nextPrompt(set, 3)).toBe(4);
    expect(nextPrompt(set, 9)).toBe(0);
    set = addSample(addSample(set, 4, image(0)), 4, image(0));
    expect(nextPrompt(set, 3)).toBe(5);
    for (let digit = 0; digit < 10; digit++) while (sampleCounts(set)[digit] < 2) set = addSample(set, digit, image(digit));
    expect(nextPrompt(set, 3)).toBeNull();
    expect(nextPrompt(withTarget(set, 3), 3)).toBe(4);
  });

  it('holds out the 2nd, 7th, 12th … sample of each digit: one digit in five, at least one from two samples on', () => {
    const five = roundRobin(5);
    const { train, heldOut } = splitSamples(five);
    expect(heldOut.length).toBe(10);
    expect(train.length).toBe(40);
    expect(heldOut.map((sample) => sample.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Round 1 (the second sample of each digit) is the held-out one.
    expect(heldOut.map((sample) => sample.pixels[0])).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(splitSamples(roundRobin(1)).heldOut).toEqual([]);
    expect(splitSamples(roundRobin(2)).heldOut.length).toBe(10);
    expect(splitSamples(roundRobin(12)).heldOut.length).toBe(30);
    // Adding samples never moves an earlier one between the parts.
    const before = heldOutMask(roundRobin(7));
    expect(heldOutMask(roundRobin(12)).slice(0, before.length)).toEqual(before);
  });

  it('scores held-out samples with a predictor and formats the score', () => {
    const { heldOut } = splitSamples(roundRobin(5));
    const score = scoreHeldOut(heldOut, (pixels) => (pixels[0] === 13 ? 8 : pixels[0] - 10));
    expect(score).toEqual({ correct: 9, count: 10, predicted: [0, 1, 2, 8, 4, 5, 6, 7, 8, 9] });
    expect(formatScore(score)).toBe('90 % (9 of 10)');
    expect(formatScore({ correct: 2, count: 3, predicted: [] })).toBe('66.7 % (2 of 3)');
    expect(formatScore(null)).toBe('–');
  });
});
