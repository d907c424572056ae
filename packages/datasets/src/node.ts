// The Node entry: files, MNIST from the optional `@nnkit/mnist` package, PNG digits (through
// `@nnkit/picture/node`, whose pngjs is optional too). Everything here is synchronous, because
// the command line reads a handful of files once and zlib/pngjs have sync APIs.
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { type RgbaImage } from '@nnkit/picture';
import { decodePng, encodePng } from '@nnkit/picture/node';
import { sizeOf } from '@nnkit/tensor';
import { classCountOf, parseClassNames } from './class-names.js';
import { type Dataset, createDataset } from './dataset.js';
import { DatasetError } from './dataset-error.js';
import { type DataSpec, parseDataSpec } from './data-spec.js';
import { MNIST_FILES } from './fetch-mnist.js';
import { isGzip } from './gzip.js';
import { checkImageSize, pngSize } from './image-size.js';
import { encodeIdxImages, encodeIdxLabels, idxToDataset, parseIdx, parseIdxImages, parseIdxLabels } from './idx.js';
import { type KaggleCsvLayout, encodeKaggleCsv, encodeSubmissionCsv, parseKaggleCsv } from './kaggle-csv.js';
import { type ImageFolderOptions, type SkippedImage, IMAGE_EXTENSIONS, readImageAsDigit, readImageFolder } from './image-folder.js';
import type { PreprocessOptions } from './preprocess.js';
import { sliceDataset } from './splits.js';

export {
  type ImageFolder,
  type ImageFolderOptions,
  type SkippedImage,
  IMAGE_EXTENSIONS,
  decodeImage,
  readImageAsDigit,
  readImageFolder,
} from './image-folder.js';

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

/** The most bytes a gzip file may expand to when its content declares no size (a CSV): 1 GiB. */
export const defaultMaxInputBytes = 2 ** 30;

/** Options of `readBytes`. */
export interface ReadBytesOptions {
  /**
   * Called on the first (about 64 KiB of) decompressed bytes before the rest of a gzip file is
   * inflated: throws on a bad header or first rows, may return the exact size the content
   * declares (IDX), which then bounds the inflation.
   */
  readonly peek?: (head: Uint8Array, complete: boolean) => number | void;
  /** Bytes a gzip file may expand to when `peek` declares no size (default `defaultMaxInputBytes`). */
  readonly maxBytes?: number;
  /**
   * Return the bytes in a `SharedArrayBuffer` (a plain file is read straight into it), so worker
   * threads read them in place: training threads then hold one copy of a dataset, not one each.
   */
  readonly shared?: boolean;
}

/** `bytes` in a SharedArrayBuffer: as they are when they already live in one, else copied once. */
function inSharedMemory(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}

/** A file's bytes read straight into a SharedArrayBuffer (no intermediate copy). */
function readFileShared(path: string): Uint8Array {
  const descriptor = openSync(path, 'r');
  try {
    const bytes = new Uint8Array(new SharedArrayBuffer(fstatSync(descriptor).size));
    let done = 0;
    while (done < bytes.length) {
      const read = readSync(descriptor, bytes, done, bytes.length - done, done);
      if (read === 0) break;
      done += read;
    }
    return done === bytes.length ? bytes : bytes.subarray(0, done);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * The first ≥ 64 KiB decompressed from gzip `bytes` (all when shorter), inflating ever longer
 * prefixes: deflate expands at most about 1 032 times, so a bomb is stopped within megabytes.
 */
function gunzipHead(bytes: Uint8Array): { head: Uint8Array; complete: boolean } {
  const wanted = 65_536;
  for (let prefix = 256; ; prefix *= 4) {
    const whole = prefix >= bytes.length;
    const head = gunzipSync(bytes.subarray(0, prefix), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1100 * prefix });
    if (whole || head.length >= wanted) return { head, complete: whole };
  }
}

/**
 * Reads a file's bytes, gunzipping when it starts with the gzip magic; errors name the path. A
 * gzip file is inflated in two steps: its head first (checked by `options.peek`), then the
 * rest up to the size the content declares or `options.maxBytes`, so a decompression bomb ends
 * at its first bad bytes or at the limit, never after gigabytes.
 */
export function readBytes(path: string, options: ReadBytesOptions = {}): Uint8Array {
  let bytes: Uint8Array;
  const shared = options.shared === true && typeof SharedArrayBuffer !== 'undefined';
  try {
    bytes = shared ? readFileShared(path) : readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DatasetError({ file: path, found: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : String(code ?? error), expected: 'a readable file' });
  }
  if (!isGzip(bytes)) return bytes;
  if (shared) return inSharedMemory(readBytes(path, { ...options, shared: false }));
  const corrupt = (error: unknown) => new DatasetError({ file: path, found: `corrupt gzip data (${(error as Error).message})`, expected: 'a complete gzip stream' });
  let head: { head: Uint8Array; complete: boolean };
  try {
    head = gunzipHead(bytes);
  } catch (error) {
    throw corrupt(error);
  }
  const declared = options.peek?.(head.head, head.complete);
  const maxBytes = options.maxBytes ?? defaultMaxInputBytes;
  if (declared !== undefined && declared > maxBytes) {
    throw new DatasetError({ file: path, offset: 0, found: `a header declaring ${declared.toLocaleString('en-US')} bytes`, expected: `at most ${maxBytes.toLocaleString('en-US')}` });
  }
  const limit = declared ?? maxBytes;
  try {
    const inflated = gunzipSync(bytes, { maxOutputLength: Math.max(1, limit) });
    return shared ? inSharedMemory(inflated) : inflated;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw corrupt(error);
    throw new DatasetError({ file: path, found: `gzip data expanding past ${limit.toLocaleString('en-US')} bytes`, expected: declared === undefined ? 'a smaller file' : 'exactly the size its header declares' });
  }
}

/** `readBytes` for a Kaggle CSV: the header and first rows are checked before a gzip file is inflated further. */
export function readCsvBytes(path: string): Uint8Array {
  return readBytes(path, {
    peek: (head, complete) => {
      if (complete) return;
      const lastLine = head.lastIndexOf(0x0a);
      if (lastLine < 0) throw new DatasetError({ file: path, line: 1, found: `more than ${head.length.toLocaleString('en-US')} bytes without a line end`, expected: 'a CSV header or row' });
      // With the header and at least one row, parse those; a bad one ends the read here.
      if (head.indexOf(0x0a) < lastLine) parseKaggleCsv(head.subarray(0, lastLine + 1), path);
    },
  });
}

/**
 * `readBytes` for an IDX file: the header's dimensions bound how far a gzip file is inflated.
 * The bytes land in shared memory unless `shared: false`, so threads read them without copies.
 */
export function readIdxBytes(path: string, options: { shared?: boolean } = {}): Uint8Array {
  return readBytes(path, {
    shared: options.shared !== false,
    peek: (head) => {
      const dimensions = head.length >= 4 ? head[3] : 0;
      if (head.length < 4 + 4 * dimensions) return undefined;
      const view = new DataView(head.buffer, head.byteOffset, head.length);
      let values = 1;
      for (let i = 0; i < dimensions; i++) values *= view.getUint32(4 + 4 * i);
      // The element size (byte 2) is 1 for MNIST's unsigned bytes; others are refused by the parser.
      return 4 + 4 * dimensions + values;
    },
  });
}

function limitTo(dataset: Dataset, limit: number | undefined): Dataset {
  if (limit === undefined || limit >= dataset.count) return dataset;
  if (!(Number.isInteger(limit) && limit >= 0)) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  // A copy (in the same kind of memory), so the full file's buffer can be freed.
  const sliced = sliceDataset(dataset, 0, limit, dataset.name);
  const copy = (bytes: Uint8Array): Uint8Array => (bytes.buffer instanceof SharedArrayBuffer ? inSharedMemory(bytes.slice()) : bytes.slice());
  return createDataset({ images: copy(sliced.images), labels: copy(sliced.labels), imageShape: sliced.imageShape, name: sliced.name, unlabelled: sliced.unlabelled });
}

/**
 * Reads an IDX images/labels pair (each plain or .gz) into a `Dataset`; labels below `classes`
 * (default 10); the bytes in shared memory unless `shared: false`.
 */
export function readIdxPair(imagesPath: string, labelsPath: string, name?: string, options: { classes?: number; shared?: boolean } = {}): Dataset {
  const read = (path: string): Uint8Array => readIdxBytes(path, { shared: options.shared });
  return idxToDataset(parseIdxImages(read(imagesPath), imagesPath), parseIdxLabels(read(labelsPath), labelsPath, options), {
    images: imagesPath,
    labels: labelsPath,
    name: name ?? imagesPath,
  });
}

/**
 * MNIST: 60 000 training and 10 000 test images (28×28, labels 0–9), or the first `limit` of
 * each, read from `directory` (default: the `@nnkit/mnist` package's copy). The bytes live in
 * SharedArrayBuffers, so training threads share one copy.
 */
export function loadMnist(options: { limit?: number; directory?: string } = {}): { train: Dataset; test: Dataset } {
  const directory = options.directory ?? mnistDataDirectory();
  const pair = (images: string, labels: string, name: string): Dataset => readIdxPair(join(directory, images), join(directory, labels), name);
  return {
    train: limitTo(pair(MNIST_FILES.trainImages, MNIST_FILES.trainLabels, 'mnist:train'), options.limit),
    test: limitTo(pair(MNIST_FILES.testImages, MNIST_FILES.testLabels, 'mnist:test'), options.limit),
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
  /** `classNames[label]` when the source names its classes (an image folder's subfolders). */
  readonly classNames?: readonly string[];
  /** Images an image folder could not read, with `skipBad`. */
  readonly skipped?: readonly SkippedImage[];
}

/**
 * Loads data named on a command line: `mnist` (the embedded copy), `idx:DIR` (train-… and
 * t10k-… or test-… IDX files, plain or .gz; the test pair is optional; any byte a label, and
 * `DIR/classes.txt`, when present, names the classes) or `csv:FILE` (a labelled
 * Kaggle CSV, to split later) or `folder:DIR` (`readImageFolder`: DIR/0/ … DIR/9/ of PNG and
 * JPEG images, optional DIR/test/); see `parseDataSpec`, whose `DataSpecError` a bad spec raises.
 * `limit` keeps the first images of each set.
 */
export function loadDataSpec(spec: string | DataSpec, options: { limit?: number } & ImageFolderOptions = {}): LoadedData {
  const parsed = typeof spec === 'string' ? parseDataSpec(spec) : spec;
  if (parsed.kind === 'mnist') return loadMnist(options);
  const target = parsed.path;
  if (parsed.kind === 'idx') {
    if (!existsSync(target) || !statSync(target).isDirectory()) throw new DatasetError({ file: target, found: 'no such directory', expected: 'a directory of IDX files' });
    const train = findIdxPair(target, ['train']);
    if (train === undefined) throw new DatasetError({ file: target, found: 'no training files', expected: 'train-images-idx3-ubyte and train-labels-idx1-ubyte (.gz or not)' });
    const test = findIdxPair(target, ['t10k', 'test']);
    const name = basename(target);
    // Any byte is a label (EMNIST letters, Fashion-MNIST …); classes.txt names them.
    const namesPath = join(target, 'classes.txt');
    const classNames = existsSync(namesPath) ? parseClassNames(readFileSync(namesPath, 'utf8'), namesPath) : undefined;
    const loaded = {
      train: limitTo(readIdxPair(train.images, train.labels, `${name}:train`, { classes: 256 }), options.limit),
      ...(test === undefined ? {} : { test: limitTo(readIdxPair(test.images, test.labels, `${name}:test`, { classes: 256 }), options.limit) }),
    };
    if (classNames === undefined) return loaded;
    classCountOf([loaded.train, loaded.test], classNames);
    return { ...loaded, classNames };
  }
  if (parsed.kind === 'folder') {
    const folder = readImageFolder(target, options);
    return {
      train: limitTo(folder.train, options.limit),
      ...(folder.test === undefined ? {} : { test: limitTo(folder.test, options.limit) }),
      classNames: folder.classNames,
      skipped: folder.skipped,
    };
  }
  return { train: limitTo(parseKaggleCsv(readCsvBytes(target), target, { layout: 'train' }), options.limit) };
}

/**
 * Reads one data file by its content and name: a Kaggle CSV (`.csv`, train or test layout), a
 * PNG or JPEG (one unlabelled image, `preprocessDigit`ed to 28×28), or an IDX images file (plain or
 * .gz) with its labels file beside it when there is one (`…images-idx3…` → `…labels-idx1…`).
 */
export function readDatasetFile(path: string, options: { limit?: number } = {}): Dataset {
  const extension = extname(path.replace(/\.gz$/, '')).toLowerCase();
  if (extension === '.csv') return limitTo(parseKaggleCsv(readCsvBytes(path), path), options.limit);
  if (IMAGE_EXTENSIONS.includes(extension)) return createDataset({ images: readDigitImage(path), labels: new Uint8Array(1), name: path, unlabelled: true });
  const bytes = readIdxBytes(path);
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
  return limitTo(idxToDataset(images, parseIdxLabels(readIdxBytes(labelsPath), labelsPath), { images: path, labels: labelsPath, name: path }), options.limit);
}

/** Temporary files of `writeFileAtomic` for `name`: `.NAME.PID.TIME.tmp`. */
const temporaryName = (name: string, pid: number, time: number) => `.${name}.${pid}.${time}.tmp`;

/** Whether process `pid` is running on this machine (one of another user's counts). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files for `name` in `folder` that a killed writer left behind (their process is gone). */
function removeStaleTemporaries(folder: string, name: string): void {
  const pattern = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.\\d+\\.tmp$`);
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = pattern.exec(entry)?.[1];
    if (pid === undefined || Number(pid) === process.pid || isProcessRunning(Number(pid))) continue;
    try {
      unlinkSync(join(folder, entry));
    } catch {
      // Another writer removed it first.
    }
  }
}

/** An error writing `path`, naming it: `out.json: cannot write (ENOSPC: no space left on device)`. */
function writeError(path: string, error: unknown): Error {
  const reason = (error as NodeJS.ErrnoException).code === undefined ? String((error as Error).message ?? error) : (error as Error).message.replace(/, \w+ '.*'$/, '').replace(/, write$/, '');
  return new Error(`${path}: cannot write (${reason})`, { cause: error });
}

/**
 * Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed, then
 * renamed over `path`, so readers never see a half-written file. A symbolic link is followed
 * (its target is replaced, the link stays); a path that is not a regular file (`/dev/null`, a
 * FIFO) is written through, never replaced. Temporary files a killed writer left for the same
 * name are removed first. Errors name `path`.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  let target = path;
  if (existsSync(path)) {
    target = realpathSync(path);
    if (!statSync(target).isFile()) {
      try {
        writeFileSync(target, bytes);
      } catch (error) {
        throw writeError(path, error);
      }
      return;
    }
  }
  removeStaleTemporaries(dirname(target), basename(target));
  const temporary = join(dirname(target), temporaryName(basename(target), process.pid, Date.now()));
  let handle: number | undefined;
  try {
    handle = openSync(temporary, 'w');
    let written = 0;
    while (written < bytes.length) written += writeSync(handle, bytes, written, bytes.length - written);
    fsyncSync(handle);
    closeSync(handle);
    handle = undefined;
    renameSync(temporary, target);
  } catch (error) {
    if (handle !== undefined) closeSync(handle);
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The temporary file was never created (its folder is not one).
    }
    throw writeError(path, error);
  }
}

/**
 * Creates `path` holding `text` only if no file is there (`O_EXCL`, atomic on local file
 * systems), as a lock file needs; false when a file exists.
 */
export function createFileExclusive(path: string, text: string): boolean {
  try {
    writeFileSync(path, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw writeError(path, error);
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
 * test set) IDX files and `classes.txt` when the classes have names other than their labels, `csv:FILE` writes the training set to FILE and a test set beside it as
 * `FILE-test.csv`. Returns the paths written.
 */
export function writeDataSpec(spec: string | DataSpec, data: LoadedData, options: { gzip?: boolean } = {}): string[] {
  const parsed = typeof spec === 'string' ? parseDataSpec(spec, { output: true }) : spec;
  if (parsed.kind === 'mnist' || parsed.kind === 'folder') throw new RangeError(`writeDataSpec: ${parsed.kind === 'mnist' ? 'the embedded mnist' : 'an image folder'} cannot be written; expected idx:DIR or csv:FILE`);
  const target = parsed.path;
  const name = `${parsed.kind}:${target}`;
  // Never write what `loadDataSpec` would refuse to read back.
  for (const set of [data.train, data.test]) {
    if (set !== undefined && set.count === 0) throw new RangeError(`output "${name}": ${set.name} has no images; nothing written`);
    if (set !== undefined && parsed.kind === 'csv' && sizeOf(set.imageShape) !== 784) {
      throw new RangeError(`output "${name}": ${set.name} has ${set.imageShape.join('×')} images, a Kaggle CSV holds 28×28 ones; write idx:DIR instead`);
    }
  }
  if (parsed.kind === 'idx') {
    const created = !existsSync(target);
    try {
      const written = writeIdxPair(target, 'train', data.train, options);
      if (data.test !== undefined) written.push(...writeIdxPair(target, 't10k', data.test, options));
      if (data.classNames !== undefined && data.classNames.some((name, label) => name !== String(label))) {
        const namesPath = join(target, 'classes.txt');
        writeFileAtomic(namesPath, new TextEncoder().encode(`${data.classNames.join('\n')}\n`));
        written.push(namesPath);
      }
      return written;
    } catch (error) {
      // A folder made for this output holds nothing else: leave no half of it behind.
      if (created) rmSync(target, { recursive: true, force: true });
      throw error;
    }
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
 * Reads a photo or drawing of one digit (PNG or JPEG) and returns it MNIST-style: 784 bytes,
 * white ink on black, fitted and centred (see `preprocessDigit`).
 */
export function readDigitImage(path: string, options: PreprocessOptions & { maxPixels?: number } = {}): Uint8Array {
  const { maxPixels, ...preprocess } = options;
  return readImageAsDigit(path, { preprocess, ...(maxPixels === undefined ? {} : { maxPixels }) });
}
