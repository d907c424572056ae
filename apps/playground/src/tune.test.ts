import { describe, expect, it } from 'vitest';
import { createDataset } from './nnkit.js';
import { defaultTuneSettings, tuningSet } from './tune.js';

/** 1 000 fake MNIST images: image i is filled with i mod 250, labelled i mod 10. */
const mnist = createDataset({
  images: Uint8Array.from({ length: 1000 * 784 }, (_, p) => Math.floor(p / 784) % 250),
  labels: Uint8Array.from({ length: 1000 }, (_, i) => i % 10),
  name: 'fake-mnist',
});

describe('the fine-tuning set', () => {
  it('repeats the samples to about a third of the mix, then adds MNIST images drawn by the seed', () => {
    const images = new Uint8Array(40 * 784).fill(7);
    const labels = Uint8Array.from({ length: 40 }, (_, i) => i % 10);
    const { dataset, repeats } = tuningSet(images, labels, mnist, { ...defaultTuneSettings, mnistImages: 400 });
    expect(repeats).toBe(5);
    expect(dataset.count).toBe(40 * 5 + 400);
    expect(Array.from(dataset.labels.subarray(0, 200))).toEqual(Array.from({ length: 200 }, (_, i) => i % 10));
    expect(dataset.images.subarray(0, 200 * 784).every((value) => value === 7)).toBe(true);
    // Each MNIST image keeps its label, and the same seed draws the same ones.
    for (let slot = 200; slot < dataset.count; slot++) expect(dataset.labels[slot]).toBe(dataset.images[slot * 784] % 10);
    const again = tuningSet(images, labels, mnist, { ...defaultTuneSettings, mnistImages: 400 }).dataset;
    expect(Array.from(again.labels)).toEqual(Array.from(dataset.labels));
    const other = tuningSet(images, labels, mnist, { ...defaultTuneSettings, mnistImages: 400, seed: 2 }).dataset;
    expect(Array.from(other.images.subarray(200 * 784))).not.toEqual(Array.from(dataset.images.subarray(200 * 784)));
  });

  it('keeps every sample once without MNIST, and refuses an empty set', () => {
    const { dataset, repeats } = tuningSet(new Uint8Array(3 * 784), Uint8Array.of(1, 2, 3), mnist, { ...defaultTuneSettings, mnistImages: 0 });
    expect([repeats, dataset.count]).toEqual([1, 3]);
    expect(() => tuningSet(new Uint8Array(0), new Uint8Array(0), mnist, defaultTuneSettings)).toThrow('fine-tuning: no training samples');
  });
});
