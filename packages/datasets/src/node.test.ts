import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRng } from '@nnkit/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { mnistSample } from '../test/mnist-sample.js';
import { blankPng } from '../test/png-bomb.js';
import { DatasetError } from './dataset-error.js';
import { encodeIdxImages, encodeIdxLabels } from './idx.js';
import { encodeKaggleCsv } from './kaggle-csv.js';
import { decodePng, encodePng } from '@nnkit/picture/node';
import {
  loadDataSpec,
  loadMnist,
  decodeImage,
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
import { createDataset } from './dataset.js';
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
    // The whole set is read into shared memory once, which worker threads use without copies.
    const full = loadMnist();
    expect([full.train.images.buffer, full.train.labels.buffer, full.test.images.buffer].map((buffer) => buffer instanceof SharedArrayBuffer)).toEqual([true, true, true]);
    expect(same(full.train.images.subarray(0, 100 * 784), train.images)).toBe(true);
  });

  it('loads MNIST into shared memory, so training threads read one copy', () => {
    const whole = loadMnist();
    const limited = loadMnist({ limit: 100 });
    for (const dataset of [whole.train, whole.test, limited.train, limited.test]) {
      expect(dataset.images.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(dataset.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    expect(same(limited.train.images, whole.train.images.subarray(0, 100 * 784))).toBe(true);
  });

  it('reads an IDX pair into shared memory unless told not to, gzip or not, with the same bytes', () => {
    const sample = mnistSample(30);
    const [plainImages, plainLabels] = writeIdxPair(join(directory, 'shared'), 'plain', sample);
    const [gzipImages, gzipLabels] = writeIdxPair(join(directory, 'shared'), 'packed', sample, { gzip: true });
    const fromPlain = readIdxPair(plainImages, plainLabels, 'plain', { shared: true });
    const fromGzip = readIdxPair(gzipImages, gzipLabels, 'gz', { shared: true });
    const unshared = readIdxPair(plainImages, plainLabels, 'unshared', { shared: false });
    for (const dataset of [fromPlain, fromGzip]) {
      expect(dataset.images.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(same(dataset.images, sample.images)).toBe(true);
      expect(same(dataset.labels, sample.labels)).toBe(true);
    }
    expect(unshared.images.buffer).not.toBeInstanceOf(SharedArrayBuffer);
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
    expect(loaded.train.images.buffer instanceof SharedArrayBuffer).toBe(true); // inflated, then in shared memory
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
    expect(() => loadDataSpec('mnsit')).toThrow('data "mnsit": expected mnist, idx:DIR, csv:FILE or folder:DIR');
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
    expect(() => decodeImage(new Uint8Array([1, 2, 3]), 'x.png')).toThrow(/^x\.png: byte 0: found neither a PNG nor a JPEG signature; expected a PNG or JPEG image/);
  });

  it('splits reproducibly from a seed', () => {
    const { train } = loadMnist({ limit: 100 });
    const a = trainTestSplit(train, 0.25, createRng(1));
    const b = trainTestSplit(train, 0.25, createRng(1));
    expect([a.train.count, a.test.count]).toEqual([75, 25]);
    expect(a.test.labels).toEqual(b.test.labels);
  });
});

describe('PNG size read from the header first', () => {
  const folder = mkdtempSync(join(tmpdir(), 'nnkit-png-size-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('refuses an image past the pixel limit before decoding it', () => {
    const path = join(folder, 'bomb.png');
    writeFileSync(path, blankPng(6000, 6000)); // 36 million pixels, 144 MB decoded
    expect(() => readDigitImage(path)).toThrow(DatasetError);
    expect(() => readDigitImage(path)).toThrow(`${path}: found a 6000×6000 image (36,000,000 pixels); expected at most 25,000,000 pixels`);
    expect(() => readDigitImage(path, { maxPixels: 1000 })).toThrow('at most 1,000 pixels');
  });

  it('decodes an image within the limit, and the limit is overridable', () => {
    expect(decodeImage(blankPng(30, 20), 'small.png')).toMatchObject({ width: 30, height: 20 });
    expect(() => decodeImage(blankPng(30, 20), 'small.png', { maxPixels: 599 })).toThrow('small.png: found a 30×20 image (600 pixels); expected at most 599 pixels');
  });

  it('names an empty file and a file that is not a PNG', () => {
    expect(() => decodeImage(new Uint8Array(0), 'empty.png')).toThrow(/^empty\.png: .*found an empty file; expected a PNG or JPEG image$/);
    expect(() => decodeImage(new TextEncoder().encode('GIF89a, certainly not a PNG'), 'x.png')).toThrow('x.png: byte 0: found neither a PNG nor a JPEG signature; expected a PNG or JPEG image');
  });
});

describe('writeFileAtomic keeps what is not ours to replace', () => {
  const folder = mkdtempSync(join(tmpdir(), 'nnkit-write-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('follows a symbolic link to its target instead of replacing the link', () => {
    const target = join(folder, 'target.json');
    const link = join(folder, 'link.json');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    writeFileAtomic(link, new TextEncoder().encode('new'));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new');
  });

  // A null device of the test's own (mknod needs root), never the system's /dev/null.
  const device = join(folder, 'null');
  const haveDevice = spawnSync('mknod', ['-m', '666', device, 'c', '1', '3']).status === 0;
  it.skipIf(!haveDevice)('writes through a character device (a null device stays a device)', () => {
    writeFileAtomic(device, new TextEncoder().encode('nothing'));
    expect(statSync(device).isCharacterDevice()).toBe(true);
  });

  it('removes temporary files a killed writer left for the same name, and only those', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid; // a process that has exited
    const path = join(folder, 'model.json');
    const stale = join(folder, `.model.json.${gone}.1.tmp`);
    const other = join(folder, `.other.json.${gone}.1.tmp`);
    writeFileSync(stale, 'half');
    writeFileSync(other, 'half');
    writeFileAtomic(path, new Uint8Array([1]));
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(other)).toBe(true);
  });

  it('names the file in a write error', () => {
    writeFileSync(join(folder, 'plain'), '');
    expect(() => writeFileAtomic(join(folder, 'plain', 'out.json'), new Uint8Array([1]))).toThrow(`${join(folder, 'plain', 'out.json')}: cannot write (ENOTDIR: not a directory)`);
  });
});

describe('gzip files are inflated within what their content declares', () => {
  const folder = mkdtempSync(join(tmpdir(), 'nnkit-gzip-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('a CSV bomb stops at its bad first line, long before it is inflated', () => {
    const path = join(folder, 'bomb.csv.gz');
    // 200 MB of "0" without a line end: a first line no CSV has.
    writeFileSync(path, gzipSync(Buffer.alloc(200 * 1024 * 1024, 0x30), { level: 9 }));
    const before = process.memoryUsage().rss;
    expect(() => readDatasetFile(path)).toThrow(/bomb\.csv\.gz: line 1: found more than [\d,]+ bytes without a line end; expected a CSV header or row/);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('an IDX file expanding past its declared size is refused at that size', () => {
    const path = join(folder, 'train-images-idx3-ubyte.gz');
    const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28]);
    writeFileSync(path, gzipSync(Buffer.concat([header, Buffer.alloc(50 * 1024 * 1024)])));
    expect(() => readDatasetFile(path)).toThrow(/train-images-idx3-ubyte\.gz: found gzip data expanding past 1,584 bytes; expected exactly the size its header declares/);
    const huge = join(folder, 'huge-images-idx3-ubyte.gz');
    writeFileSync(huge, gzipSync(Buffer.from([0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28])));
    expect(() => readDatasetFile(huge)).toThrow(/found a header declaring [\d,]+ bytes; expected at most 1,073,741,824/);
  });

  it('names UTF-16 text', () => {
    const path = join(folder, 'utf16.csv');
    writeFileSync(path, Buffer.from(`\ufefflabel,pixel0\n`, 'utf16le'));
    expect(() => readDatasetFile(path)).toThrow(`${path}: byte 0: found UTF-16 text; expected UTF-8 (or ASCII) text: save the file as UTF-8`);
  });
});

describe('writeDataSpec writes only what loadDataSpec reads back', () => {
  const folder = mkdtempSync(join(tmpdir(), 'nnkit-write-spec-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const images = (count: number, side: number) => createDataset({ images: new Uint8Array(count * side * side), labels: new Uint8Array(count), imageShape: [side, side, 1], name: `${count} images` });

  it('refuses an empty set and non-28×28 images for CSV, writing nothing', () => {
    const out = join(folder, 'empty-idx');
    expect(() => writeDataSpec(`idx:${out}`, { train: images(0, 28) })).toThrow(`output "idx:${out}": 0 images has no images; nothing written`);
    expect(existsSync(out)).toBe(false);
    const csv = join(folder, 'small.csv');
    expect(() => writeDataSpec(`csv:${csv}`, { train: images(3, 20) })).toThrow('has 20×20×1 images, a Kaggle CSV holds 28×28 ones; write idx:DIR instead');
    expect(existsSync(csv)).toBe(false);
  });

  it('removes a folder it made when a write fails', () => {
    const out = join(folder, 'new-folder');
    // A test set whose labels cannot be encoded (a label past 255) fails after the training files are written.
    const bad = createDataset({ images: new Uint8Array(784), labels: new Uint8Array(1), imageShape: [28, 28, 1], name: 'bad' });
    Object.defineProperty(bad, 'count', { value: -1 });
    expect(() => writeDataSpec(`idx:${out}`, { train: images(2, 28), test: bad })).toThrow();
    expect(existsSync(out)).toBe(false);
  });
});
