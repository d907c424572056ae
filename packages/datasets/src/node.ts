// The Node entry: files, MNIST from the optional `@nnkit/mnist` package, PNG digits (through
// `@nnkit/picture/node`, whose pngjs is optional too). Everything here is synchronous, because
// the command line reads a handful of files once and zlib/pngjs have sync APIs.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type RgbaImage } from '@nnkit/picture';
import { decodePng, encodePng } from '@nnkit/picture/node';
import { type Dataset, createDataset } from './dataset.js';
import { DatasetError } from './dataset-error.js';
import { type DataSpec, parseDataSpec } from './data-spec.js';
import { MNIST_FILES } from './fetch-mnist.js';
import { isGzip } from './gzip.js';
import { encodeIdxImages, encodeIdxLabels, idxToDataset, parseIdx, parseIdxImages, parseIdxLabels } from './idx.js';
import { type KaggleCsvLayout, encodeKaggleCsv, encodeSubmissionCsv, parseKaggleCsv } from './kaggle-csv.js';
import { type PreprocessOptions, preprocessDigit, toGray } from './preprocess.js';
import { sliceDataset } from './splits.js';

/**
 * The folder holding MNIST's four uncompressed IDX files, from the `@nnkit/mnist` package (an
 * optional peer dependency: install it to load MNIST from disk).
 */
export function mnistDataDirectory(): string {
  let mnist: { mnistDirectory(): string };
  try {
    const require = createRequire(import.meta.url);
    mnist = require('@nnkit/mnist') as { mnistDirectory(): string };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error('data "mnist": the MNIST files come with the @nnkit/mnist package, an optional peer dependency of @nnkit/datasets: npm install @nnkit/mnist');
  }
  return mnist.mnistDirectory();
}

/** Reads a file's bytes, gunzipping when it starts with the gzip magic; errors name the path. */
export function readBytes(path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DatasetError({ file: path, found: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : String(code ?? error), expected: 'a readable file' });
  }
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new DatasetError({ file: path, found: `corrupt gzip data (${(error as Error).message})`, expected: 'a complete gzip stream' });
  }
}

function limitTo(dataset: Dataset, limit: number | undefined): Dataset {
  if (limit === undefined || limit >= dataset.count) return dataset;
  if (!(Number.isInteger(limit) && limit >= 0)) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  // A copy, so the full file's buffer can be freed.
  const sliced = sliceDataset(dataset, 0, limit, dataset.name);
  return createDataset({ images: sliced.images.slice(), labels: sliced.labels.slice(), imageShape: sliced.imageShape, name: sliced.name, unlabelled: sliced.unlabelled });
}

/** Reads an IDX images/labels pair (each plain or .gz) into a `Dataset`. */
export function readIdxPair(imagesPath: string, labelsPath: string, name?: string): Dataset {
  return idxToDataset(parseIdxImages(readBytes(imagesPath), imagesPath), parseIdxLabels(readBytes(labelsPath), labelsPath), {
    images: imagesPath,
    labels: labelsPath,
    name: name ?? imagesPath,
  });
}

/**
 * MNIST: 60 000 training and 10 000 test images (28×28, labels 0–9), or the first `limit` of
 * each, read from `directory` (default: the `@nnkit/mnist` package's copy).
 */
export function loadMnist(options: { limit?: number; directory?: string } = {}): { train: Dataset; test: Dataset } {
  const directory = options.directory ?? mnistDataDirectory();
  return {
    train: limitTo(readIdxPair(join(directory, MNIST_FILES.trainImages), join(directory, MNIST_FILES.trainLabels), 'mnist:train'), options.limit),
    test: limitTo(readIdxPair(join(directory, MNIST_FILES.testImages), join(directory, MNIST_FILES.testLabels), 'mnist:test'), options.limit),
  };
}

/** Finds `<prefix>-images-idx3-ubyte` (also `.idx3-ubyte`, `.gz`) and its labels in `directory`. */
function findIdxPair(directory: string, prefixes: readonly string[]): { images: string; labels: string } | undefined {
  const files = readdirSync(directory);
  const find = (prefix: string, kind: 'images-idx3' | 'labels-idx1') =>
    files.find((file) => new RegExp(`^${prefix}-${kind.replace('-', '[-.]')}-ubyte(\\.gz)?$`).test(file));
  for (const prefix of prefixes) {
    const images = find(prefix, 'images-idx3');
    const labels = find(prefix, 'labels-idx1');
    if (images !== undefined && labels !== undefined) return { images: join(directory, images), labels: join(directory, labels) };
    if (images !== undefined || labels !== undefined) {
      throw new DatasetError({ file: join(directory, images ?? labels!), found: `no matching ${images === undefined ? 'images' : 'labels'} file`, expected: `both ${prefix}-images-idx3-ubyte and ${prefix}-labels-idx1-ubyte (.gz or not)` });
    }
  }
  return undefined;
}

/** What `loadDataSpec` returns: a training set and, when the source has one, a test set. */
export interface LoadedData {
  readonly train: Dataset;
  readonly test?: Dataset;
}

/**
 * Loads data named on a command line: `mnist` (the embedded copy), `idx:DIR` (train-… and
 * t10k-… or test-… IDX files, plain or .gz; the test pair is optional) or `csv:FILE` (a labelled
 * Kaggle CSV, to split later); see `parseDataSpec`, whose `DataSpecError` a bad spec raises.
 * `limit` keeps the first images of each set.
 */
export function loadDataSpec(spec: string | DataSpec, options: { limit?: number } = {}): LoadedData {
  const parsed = typeof spec === 'string' ? parseDataSpec(spec) : spec;
  if (parsed.kind === 'mnist') return loadMnist(options);
  const target = parsed.path;
  if (parsed.kind === 'idx') {
    if (!existsSync(target) || !statSync(target).isDirectory()) throw new DatasetError({ file: target, found: 'no such directory', expected: 'a directory of IDX files' });
    const train = findIdxPair(target, ['train']);
    if (train === undefined) throw new DatasetError({ file: target, found: 'no training files', expected: 'train-images-idx3-ubyte and train-labels-idx1-ubyte (.gz or not)' });
    const test = findIdxPair(target, ['t10k', 'test']);
    const name = basename(target);
    return {
      train: limitTo(readIdxPair(train.images, train.labels, `${name}:train`), options.limit),
      ...(test === undefined ? {} : { test: limitTo(readIdxPair(test.images, test.labels, `${name}:test`), options.limit) }),
    };
  }
  return { train: limitTo(parseKaggleCsv(readBytes(target), target, { layout: 'train' }), options.limit) };
}

/**
 * Reads one data file by its content and name: a Kaggle CSV (`.csv`, train or test layout), a
 * PNG (one unlabelled image, `preprocessDigit`ed to 28×28), or an IDX images file (plain or
 * .gz) with its labels file beside it when there is one (`…images-idx3…` → `…labels-idx1…`).
 */
export function readDatasetFile(path: string, options: { limit?: number } = {}): Dataset {
  const extension = extname(path.replace(/\.gz$/, '')).toLowerCase();
  if (extension === '.csv') return limitTo(parseKaggleCsv(readBytes(path), path), options.limit);
  if (extension === '.png') return createDataset({ images: readDigitImage(path), labels: new Uint8Array(1), name: path, unlabelled: true });
  const bytes = readBytes(path);
  const header = parseIdx(bytes, path);
  if (header.dimensions.length !== 3) {
    throw new DatasetError({ file: path, offset: 0, found: `an IDX file of rank ${header.dimensions.length}`, expected: 'an IDX images file (magic 0x00000803) or a .csv/.png file' });
  }
  const images = parseIdxImages(bytes, path);
  const directory = dirname(path);
  const labelsName = basename(path).replace('images-idx3', 'labels-idx1').replace('images.idx3', 'labels.idx1');
  const candidates = labelsName === basename(path) ? [] : [labelsName, labelsName.replace(/\.gz$/, ''), `${labelsName.replace(/\.gz$/, '')}.gz`];
  const labelsPath = candidates.map((name) => join(directory, name)).find((candidate) => existsSync(candidate));
  if (labelsPath === undefined) {
    return limitTo(createDataset({ images: images.images, labels: new Uint8Array(images.count), imageShape: images.imageShape, name: path, unlabelled: true }), options.limit);
  }
  return limitTo(idxToDataset(images, parseIdxLabels(readBytes(labelsPath), labelsPath), { images: path, labels: labelsPath, name: path }), options.limit);
}

/**
 * Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed, then
 * renamed over `path`, so readers never see a half-written file.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const handle = openSync(temporary, 'w');
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(handle, bytes, written, bytes.length - written);
    fsyncSync(handle);
  } catch (error) {
    closeSync(handle);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(handle);
  try {
    renameSync(temporary, path);
  } catch (error) {
    unlinkSync(temporary);
    throw error;
  }
}

/**
 * Writes `<prefix>-images-idx3-ubyte` and `<prefix>-labels-idx1-ubyte` (with `.gz` when `gzip`)
 * into `directory`; returns the two paths.
 */
export function writeIdxPair(directory: string, prefix: string, dataset: Dataset, options: { gzip?: boolean } = {}): [string, string] {
  mkdirSync(directory, { recursive: true });
  const suffix = options.gzip ? '.gz' : '';
  const pack = (bytes: Uint8Array) => (options.gzip ? gzipSync(bytes) : bytes);
  const imagesPath = join(directory, `${prefix}-images-idx3-ubyte${suffix}`);
  const labelsPath = join(directory, `${prefix}-labels-idx1-ubyte${suffix}`);
  writeFileAtomic(imagesPath, pack(encodeIdxImages(dataset)));
  writeFileAtomic(labelsPath, pack(encodeIdxLabels(dataset)));
  return [imagesPath, labelsPath];
}

/** Writes a dataset as Kaggle CSV (`train` layout by default, `test` drops the labels). */
export function writeKaggleCsvFile(path: string, dataset: Dataset, options: { layout?: KaggleCsvLayout } = {}): void {
  writeFileAtomic(path, encodeKaggleCsv(dataset, options));
}

/** Writes Kaggle's `ImageId,Label` submission for `predictions` (ImageId counts from 1). */
export function writeSubmissionFile(path: string, predictions: ArrayLike<number>): void {
  writeFileAtomic(path, encodeSubmissionCsv(predictions));
}

/**
 * The inverse of `loadDataSpec`, for conversions: `idx:DIR` writes train-* (and t10k-* for a
 * test set) IDX files, `csv:FILE` writes the training set to FILE and a test set beside it as
 * `FILE-test.csv`. Returns the paths written.
 */
export function writeDataSpec(spec: string | DataSpec, data: LoadedData, options: { gzip?: boolean } = {}): string[] {
  const parsed = typeof spec === 'string' ? parseDataSpec(spec, { output: true }) : spec;
  if (parsed.kind === 'mnist') throw new RangeError('writeDataSpec: the embedded mnist cannot be written; expected idx:DIR or csv:FILE');
  const target = parsed.path;
  if (parsed.kind === 'idx') {
    const written = writeIdxPair(target, 'train', data.train, options);
    if (data.test !== undefined) written.push(...writeIdxPair(target, 't10k', data.test, options));
    return written;
  }
  writeKaggleCsvFile(target, data.train);
  if (data.test === undefined) return [target];
  const testPath = target.replace(/(\.csv)?$/i, '-test.csv');
  writeKaggleCsvFile(testPath, data.test);
  return [target, testPath];
}

/** Writes a raster (e.g. from `digitGrid`) to a PNG file, atomically. */
export function writePng(path: string, image: RgbaImage): void {
  writeFileAtomic(path, encodePng(image));
}

/**
 * Reads a photo or drawing of one digit (PNG) and returns it MNIST-style: 784 bytes, white ink
 * on black, fitted and centred (see `preprocessDigit`).
 */
export function readDigitImage(path: string, options: PreprocessOptions = {}): Uint8Array {
  const raster = decodePng(readBytes(path), path);
  return preprocessDigit(toGray(raster.data, raster.width, raster.height), raster.width, raster.height, options);
}
