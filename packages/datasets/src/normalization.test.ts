import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mnistSample } from '../test/mnist-sample.js';
import { fillBatch, fillLabels, normalizationTable, normalizeBytes, parseNormalization, pixelMeanStd } from './normalization.js';

describe('normalization', () => {
  it('tables map bytes as documented', () => {
    expect(normalizationTable()[255]).toBe(1);
    expect(normalizationTable({ kind: 'scale' })[51]).toBeCloseTo(0.2, 7);
    expect(normalizationTable({ kind: 'raw' })[200]).toBe(200);
    const binary = normalizationTable({ kind: 'binarize', threshold: 0.5 });
    expect([binary[127], binary[128]]).toEqual([0, 1]); // 127/255 < 0.5 ≤ 128/255
    expect(normalizationTable({ kind: 'standardize', mean: 0.5, std: 0.25 })[0]).toBe(-2);
    expect(() => normalizationTable({ kind: 'standardize', mean: 0, std: 0 })).toThrow('standardize: needs a finite mean and a positive std');
  });

  it('fillBatch writes the chosen images, in order, normalized', () => {
    const sample = mnistSample(5);
    const out = new Float32Array(2 * 784).fill(-1);
    fillBatch(sample, [4, 0, 3], 1, 3, out);
    for (let i = 0; i < 784; i++) {
      expect(out[i]).toBe(Math.fround(sample.images[i] / 255));
      expect(out[784 + i]).toBe(Math.fround(sample.images[3 * 784 + i] / 255));
    }
    const labels = new Int32Array(2);
    fillLabels(sample, [4, 0, 3], 1, 3, labels);
    expect([...labels]).toEqual([5, 1]); // MNIST train labels 5 0 4 1 9
    expect(() => fillBatch(sample, [7], 0, 1, out)).toThrow('fillBatch: index 7 is outside mnist-sample:train (5 images)');
    expect(() => fillBatch(sample, [1, 2, 3], 0, 3, out)).toThrow('fillBatch: out holds 1568 floats, the batch needs 2352');
  });

  it('fillBatch agrees with normalizeBytes for any normalization', () => {
    const sample = mnistSample(3);
    const normalization = fc.oneof(
      fc.constant({ kind: 'scale' as const }),
      fc.constant({ kind: 'raw' as const }),
      fc.double({ min: 0, max: 1, noNaN: true }).map((threshold) => ({ kind: 'binarize' as const, threshold })),
      fc.record({ mean: fc.double({ min: -1, max: 1, noNaN: true }), std: fc.double({ min: 0.01, max: 2, noNaN: true }) }).map((m) => ({ kind: 'standardize' as const, ...m })),
    );
    fc.assert(
      fc.property(normalization, (spec) => {
        const batch = new Float32Array(3 * 784);
        fillBatch(sample, [0, 1, 2], 0, 3, batch, spec);
        expect(batch).toEqual(normalizeBytes(sample.images, new Float32Array(3 * 784), spec));
      }),
      { numRuns: 20 },
    );
  });

  it('fillBatch reads aligned and unaligned bytes, whole words or not, alike', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 3 }), fc.uint8Array({ minLength: 6 * 81, maxLength: 6 * 81 }), (side, offset, pixels) => {
        const imageSize = side * side;
        const storage = new Uint8Array(offset + 6 * imageSize);
        const images = storage.subarray(offset);
        images.set(pixels.subarray(0, 6 * imageSize));
        const dataset = { images, count: 6, imageShape: [side, side, 1], name: 'random' };
        const indices = [5, 0, 3, 3, 1];
        const out = new Float32Array(4 * imageSize);
        fillBatch(dataset, indices, 1, 5, out);
        const table = normalizationTable();
        for (let b = 0; b < 4; b++) {
          for (let i = 0; i < imageSize; i++) expect(out[b * imageSize + i]).toBe(table[images[indices[1 + b] * imageSize + i]]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('pixelMeanStd matches a direct two-pass computation', () => {
    const sample = mnistSample(50);
    let sum = 0;
    for (const p of sample.images) sum += p / 255;
    const mean = sum / sample.images.length;
    let squares = 0;
    for (const p of sample.images) squares += (p / 255 - mean) ** 2;
    const result = pixelMeanStd(sample);
    expect(result.mean).toBeCloseTo(mean, 12);
    expect(result.std).toBeCloseTo(Math.sqrt(squares / sample.images.length), 12);
    // Near the full training set's well-known 0.1307 / 0.3081.
    expect(result.mean).toBeGreaterThan(0.1);
    expect(result.mean).toBeLessThan(0.16);
  });

  it('parses normalization names', () => {
    expect(parseNormalization('scale')).toEqual({ kind: 'scale' });
    expect(parseNormalization('binarize')).toEqual({ kind: 'binarize', threshold: 0.5 });
    expect(parseNormalization('binarize:0.3')).toEqual({ kind: 'binarize', threshold: 0.3 });
    expect(parseNormalization('standardize:0.1307/0.3081')).toEqual({ kind: 'standardize', mean: 0.1307, std: 0.3081 });
    expect(() => parseNormalization('standardize')).toThrow('expected standardize:MEAN/STD');
    expect(() => parseNormalization('raw:2')).toThrow('raw takes no argument');
    expect(() => parseNormalization('zscore')).toThrow('unknown name "zscore"');
  });
});
