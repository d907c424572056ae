import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mnistSample } from '../test/mnist-sample.js';
import { DatasetError } from './dataset-error.js';
import { gzipBytes } from './gzip.js';
import {
  encodeIdx,
  encodeIdxImages,
  encodeIdxLabels,
  parseIdx,
  parseIdxDataset,
  parseIdxImages,
  parseIdxLabels,
  readIdxDataset,
} from './idx.js';

const names = { images: 'images.idx', labels: 'labels.idx' };

function thrown(run: () => unknown): DatasetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('IDX', () => {
  it('reads a hand-written labels file', () => {
    // 00 00 08 01 | count 3 | labels 7 2 1
    const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]);
    expect([...parseIdxLabels(bytes, 'l')]).toEqual([7, 2, 1]);
  });

  it('reads a hand-written images file with its shape', () => {
    // 2 images of 2 rows × 3 columns
    const bytes = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, ...Array.from({ length: 12 }, (_, i) => i * 20)]);
    const images = parseIdxImages(bytes, 'i');
    expect(images.count).toBe(2);
    expect(images.imageShape).toEqual([2, 3, 1]);
    expect(images.images[11]).toBe(220);
  });

  it('reads the real MNIST headers: first labels 5 0 4 1 9 (the well-known start of train)', () => {
    const sample = mnistSample(5);
    const dataset = parseIdxDataset(encodeIdxImages(sample), encodeIdxLabels(sample), names);
    expect([...dataset.labels]).toEqual([5, 0, 4, 1, 9]);
  });

  it('round-trips any dataset through encode and parse, plain and gzip', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        fc.nat(),
        async (count, rows, columns, compress, seed) => {
          const images = Uint8Array.from({ length: count * rows * columns }, (_, i) => (seed + i * 37) % 256);
          const labels = Uint8Array.from({ length: count }, (_, i) => (seed + i) % 10);
          const dataset = { images, labels, count, imageShape: [rows, columns, 1], name: 'd' };
          let imageBytes = encodeIdxImages(dataset);
          let labelBytes = encodeIdxLabels(dataset);
          if (compress) [imageBytes, labelBytes] = await Promise.all([gzipBytes(imageBytes), gzipBytes(labelBytes)]);
          const back = await readIdxDataset(imageBytes, labelBytes, names);
          expect(back.imageShape).toEqual([rows, columns, 1]);
          expect([...back.images]).toEqual([...images]);
          expect([...back.labels]).toEqual([...labels]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('names file and offset for each malformed input', () => {
    const good = encodeIdx([2], new Uint8Array([3, 4]));
    expect(thrown(() => parseIdxLabels(new Uint8Array(0), 'a')).message).toBe('a: found an empty file; expected an IDX header');
    expect(thrown(() => parseIdxLabels(encodeIdx([1, 1, 1], new Uint8Array([1])), 'a')).message).toBe(
      'a: byte 0: found 0x00000803; expected magic number 0x00000801 (labels)',
    );
    expect(thrown(() => parseIdxLabels(new Uint8Array([1, 2, 3, 4, 5]), 'a')).offset).toBe(0);
    expect(thrown(() => parseIdxLabels(good.subarray(0, 9), 'labels')).message).toBe(
      'labels: byte 9: found end of file after 1 data bytes; expected 2 data bytes for dimensions [2] (file truncated)',
    );
    expect(thrown(() => parseIdxLabels(good.subarray(0, 6), 'a')).offset).toBe(6);
    expect(thrown(() => parseIdxLabels(Uint8Array.from([...good, 0]), 'a')).offset).toBe(10);
    expect(thrown(() => parseIdxLabels(encodeIdx([2], new Uint8Array([3, 10])), 'a')).message).toBe(
      'a: byte 9: found label 10; expected a label 0–9',
    );
    expect(thrown(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0]), 'x.gz')).message).toContain('gzip');
  });

  it('rejects an image/label count mismatch, naming the labels file', () => {
    const sample = mnistSample(3);
    const error = thrown(() => parseIdxDataset(encodeIdxImages(sample), encodeIdx([2], new Uint8Array([1, 2])), names));
    expect(error.message).toBe('labels.idx: byte 4: found 2 labels; expected 3 labels, one for each image in images.idx');
  });

  it('raises only DatasetError on random corruptions', () => {
    const sample = mnistSample(2);
    const images = encodeIdxImages(sample);
    const labels = encodeIdxLabels(sample);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        fc.integer({ min: 0, max: 3 }),
        (corruptImages, edits, cut, mode) => {
          const source = corruptImages ? images : labels;
          let bytes = source.slice();
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          if (mode === 1) bytes = bytes.subarray(0, cut % bytes.length);
          if (mode === 2) bytes = Uint8Array.from([...bytes.subarray(0, 24), ...bytes.subarray(24 + (cut % 8))]);
          try {
            parseIdxDataset(corruptImages ? bytes : images, corruptImages ? labels : bytes, names);
          } catch (error) {
            expect(error).toBeInstanceOf(DatasetError);
            expect((error as Error).message).not.toContain('\n');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('raises DatasetError on corrupt gzip', async () => {
    const packed = await gzipBytes(encodeIdxLabels(mnistSample(20)));
    await expect(readIdxDataset(encodeIdxImages(mnistSample(20)), packed.subarray(0, packed.length - 12), names)).rejects.toBeInstanceOf(DatasetError);
    const flipped = packed.slice();
    flipped[12] ^= 0xff;
    await expect(readIdxDataset(encodeIdxImages(mnistSample(20)), flipped, names)).rejects.toBeInstanceOf(DatasetError);
  });
});
