import { createRng } from '@nnkit/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mnistSample } from '../test/mnist-sample.js';
import { shuffledIndices, shuffleLabels } from './shuffle.js';
import { concatDatasets, sliceDataset, subset, trainTestSplit, validationSplit } from './splits.js';

const sample = mnistSample(60);
const histogram = (labels: Uint8Array) => labels.reduce((counts, label) => (counts[label]++, counts), new Array(10).fill(0));

describe('splits', () => {
  it("validationSplit keeps Nielsen's order: the last images validate", () => {
    const { train, validation } = validationSplit(sample, 10);
    expect([train.count, validation.count]).toEqual([50, 10]);
    expect(validation.labels).toEqual(sample.labels.subarray(50));
    expect(validation.images[0]).toBe(sample.images[50 * 784]);
    expect(() => validationSplit(sample, 61)).toThrow("validationSplit: cannot hold out 61 of mnist-sample:train's 60 images");
  });

  it('trainTestSplit partitions the images, seeded, ceil(fraction · count) for test', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.9, noNaN: true }), fc.nat(), (fraction, seed) => {
        const { train, test } = trainTestSplit(sample, fraction, createRng(seed));
        expect(test.count).toBe(Math.ceil(fraction * 60));
        expect(train.count + test.count).toBe(60);
        const together = histogram(concatDatasets([train, test]).labels);
        expect(together).toEqual(histogram(sample.labels));
      }),
      { numRuns: 30 },
    );
  });

  it('sliceDataset shares bytes, subset copies in the given order', () => {
    const slice = sliceDataset(sample, 2, 5);
    expect(slice.images.buffer).toBe(sample.images.buffer);
    expect([...slice.labels]).toEqual([...sample.labels.subarray(2, 5)]);
    const picked = subset(sample, [3, 3, 0]);
    expect([...picked.labels]).toEqual([sample.labels[3], sample.labels[3], sample.labels[0]]);
    expect(picked.images.subarray(1568)).toEqual(sample.images.subarray(0, 784));
    expect(() => subset(sample, [60])).toThrow('subset: index 60 is outside mnist-sample:train (60 images)');
  });
});

describe('shuffling', () => {
  it('shuffledIndices is a seeded permutation', () => {
    const order = shuffledIndices(100, createRng(7));
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect(shuffledIndices(100, createRng(7))).toEqual(order);
    expect(shuffledIndices(100, createRng(8))).not.toEqual(order);
  });

  it('shuffleLabels permutes labels into a new dataset and never mutates the input', () => {
    const before = sample.labels.slice();
    const shuffled = shuffleLabels(sample, createRng(1));
    expect(sample.labels).toEqual(before);
    expect(shuffled.images).toBe(sample.images);
    expect(histogram(shuffled.labels)).toEqual(histogram(sample.labels));
    expect(shuffled.labels).not.toEqual(sample.labels);
  });
});
