import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRng } from '@nnkit/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { mnistSample } from '../test/mnist-sample.js';
import { DatasetError } from './dataset-error.js';
import { encodeIdxImages, encodeIdxLabels } from './idx.js';
import { encodeKaggleCsv } from './kaggle-csv.js';
import { decodePng, encodePng } from '@nnkit/picture/node';
import {
  loadDataSpec,
  loadMnist,
  readDatasetFile,
  readDigitImage,
  readIdxPair,
  writeDataSpec,
  writeFileAtomic,
  writeIdxPair,
  writePng,
  writeSubmissionFile,
} from './node.js';
import { digitGrid } from './digit-grid.js';
import { trainTestSplit } from './splits.js';

/** Byte equality without vitest's element-by-element diffing, which is slow on large arrays. */
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => Buffer.compare(Buffer.from(Uint8Array.from(a)), Buffer.from(Uint8Array.from(b))) === 0;

const directory = mkdtempSync(join(tmpdir(), 'nnkit-datasets-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('@nnkit/datasets/node', () => {
  it('loads MNIST from @nnkit/mnist: labels start 5 0 4 1 9 (train) and 7 2 1 0 4 (test)', () => {
    const { train, test } = loadMnist({ limit: 100 });
    expect([train.count, test.count]).toEqual([100, 100]);
    expect(train.name).toBe('mnist:train');
    expect([...train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect([...test.labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
    expect(same(train.images, mnistSample(100).images)).toBe(true);
  });

  it('converts IDX (gzip) → CSV → IDX through data specs, bytes unchanged', () => {
    const train = mnistSample(50);
    const test = mnistSample(20, 't10k');
    const idxDirectory = join(directory, 'idx-gz');
    rmSync(idxDirectory, { recursive: true, force: true });
    writeFileSync(join(directory, 'placeholder'), '');
    writeDataSpec(`idx:${idxDirectory}`, { train, test }, { gzip: true });
    expect(readdirSync(idxDirectory).sort()).toEqual([
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
    ]);
    const loaded = loadDataSpec(`idx:${idxDirectory}`);
    expect(same(loaded.train.images, train.images)).toBe(true);
    expect(loaded.test?.labels).toEqual(test.labels);
    const csvPath = join(directory, 'train.csv');
    expect(writeDataSpec(`csv:${csvPath}`, loaded)).toEqual([csvPath, join(directory, 'train-test.csv')]);
    const fromCsv = loadDataSpec(`csv:${csvPath}`, { limit: 30 });
    expect(fromCsv.train.count).toBe(30);
    expect(fromCsv.train.labels).toEqual(train.labels.subarray(0, 30));
    const [imagesPath] = writeIdxPair(directory, 'train', fromCsv.train);
    expect(same(readIdxPair(imagesPath, join(directory, 'train-labels-idx1-ubyte')).images, train.images.subarray(0, 30 * 784))).toBe(true);
  });

  it('readDatasetFile finds labels beside an IDX images file and reads CSV test layout', () => {
    const sample = mnistSample(10);
    writeFileSync(join(directory, 'mine-images-idx3-ubyte.gz'), gzipSync(encodeIdxImages(sample)));
    writeFileSync(join(directory, 'mine-labels-idx1-ubyte'), encodeIdxLabels(sample));
    expect(readDatasetFile(join(directory, 'mine-images-idx3-ubyte.gz')).labels).toEqual(sample.labels);
    writeFileSync(join(directory, 'alone.idx'), encodeIdxImages(sample));
    expect(readDatasetFile(join(directory, 'alone.idx')).unlabelled).toBe(true);
    writeFileSync(join(directory, 'test.csv'), encodeKaggleCsv(sample, { layout: 'test' }));
    const test = readDatasetFile(join(directory, 'test.csv'));
    expect([test.count, test.unlabelled]).toEqual([10, true]);
  });

  it('rejects bad specs and files with one-line errors', () => {
    expect(() => loadDataSpec('mnsit')).toThrow('data "mnsit": expected mnist, idx:DIR or csv:FILE');
    expect(() => loadDataSpec(`idx:${join(directory, 'nope')}`)).toThrow(DatasetError);
    expect(() => loadDataSpec(`csv:${join(directory, 'test.csv')}`)).toThrow('expected a label column first (train layout)');
    writeFileSync(join(directory, 'broken.gz'), gzipSync(new Uint8Array(100)).subarray(0, 15));
    expect(() => readDatasetFile(join(directory, 'broken.gz'))).toThrow(/broken\.gz: found corrupt gzip data/);
    expect(() => readDatasetFile(join(directory, 'missing.csv'))).toThrow(/missing\.csv: found no such file; expected a readable file/);
  });

  it('writes files atomically, leaving no temporary file', () => {
    const path = join(directory, 'atomic.bin');
    writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    writeFileAtomic(path, new Uint8Array([4, 5]));
    expect([...readFileSync(path)]).toEqual([4, 5]);
    expect(readdirSync(directory).some((file) => file.endsWith('.tmp'))).toBe(false);
    writeSubmissionFile(join(directory, 'submission.csv'), [3, 1]);
    expect(readFileSync(join(directory, 'submission.csv'), 'utf8')).toBe('ImageId,Label\n1,3\n2,1\n');
  });

  it('writes a digit grid PNG and reads a drawn digit back MNIST-style', () => {
    const sample = mnistSample(4);
    const images = [0, 1, 2, 3].map((k) => sample.images.subarray(k * 784, (k + 1) * 784));
    const raster = digitGrid(images, { columns: 2, scale: 3, captions: ['5', '0', '4', '1'] });
    const path = join(directory, 'grid.png');
    writePng(path, raster);
    const back = decodePng(readFileSync(path), path);
    expect([back.width, back.height]).toEqual([raster.width, raster.height]);
    expect(same(back.data, raster.data)).toBe(true);
    // One cell cut out of the paper-style grid is a dark-on-light drawing of a 5.
    const cell = digitGrid([images[0]], { scale: 3, gap: 10 });
    writeFileSync(join(directory, 'five.png'), encodePng(cell));
    const digit = readDigitImage(join(directory, 'five.png'));
    expect(digit.length).toBe(784);
    const overlap = digit.reduce((sum, v, i) => sum + Math.min(v, images[0][i]), 0) / images[0].reduce((a, b) => a + b, 0);
    expect(overlap).toBeGreaterThan(0.7);
    expect(() => decodePng(new Uint8Array([1, 2, 3]), 'x.png')).toThrow(/^x\.png: found an unreadable image .*; expected a PNG image$/);
  });

  it('splits reproducibly from a seed', () => {
    const { train } = loadMnist({ limit: 100 });
    const a = trainTestSplit(train, 0.25, createRng(1));
    const b = trainTestSplit(train, 0.25, createRng(1));
    expect([a.train.count, a.test.count]).toEqual([75, 25]);
    expect(a.test.labels).toEqual(b.test.labels);
  });
});
