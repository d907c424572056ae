// Image folders as data (Node only): DIR/<class>/*.png|jpg, decoded, preprocessed MNIST-style.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { type Dataset, createDataset } from './dataset.js';
import { DatasetError } from './dataset-error.js';
import { readImageHeader } from './image-header.js';
import type { RgbaImage as Raster } from '@nnkit/picture';
import { type PreprocessOptions, preprocessDigit, toGray } from './preprocess.js';

/** File name endings read as images in a class folder; other files are ignored. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

/** An image that could not be read, and why (the one-line message without the file name). */
export interface SkippedImage {
  readonly file: string;
  readonly reason: string;
}

/** Options of `readImageFolder` and `decodeImage`. */
export interface ImageFolderOptions {
  /** Refuse images larger than this many pixels, from the header, before decoding. */
  readonly maxPixels?: number;
  /** List unreadable images in `skipped` and go on, instead of throwing the first one's error. */
  readonly skipBad?: boolean;
  /** How each image becomes 28×28 (see `preprocessDigit`). */
  readonly preprocess?: PreprocessOptions;
}

/** What `readImageFolder` read: the images, the class names by label, and what it skipped. */
export interface ImageFolder {
  readonly train: Dataset;
  /** From `DIR/test/<class>/` when that folder exists. */
  readonly test?: Dataset;
  /** `classNames[label]`: the folder name of each class. */
  readonly classNames: readonly string[];
  readonly skipped: readonly SkippedImage[];
}

/**
 * Decodes a PNG (pngjs) or JPEG (jpeg-js) to RGBA after checking its header against
 * `maxPixels`, so a 20000×20000 image is refused without allocating its pixels. Errors are
 * `DatasetError`s naming `fileName`.
 */
export function decodeImage(bytes: Uint8Array, fileName: string, options: { maxPixels?: number } = {}): Raster {
  const header = readImageHeader(bytes, fileName, options);
  try {
    if (header.format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length) };
    }
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: Math.ceil((header.width * header.height) / 1e6) + 1 });
    return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatasetError({ file: fileName, found: `an unreadable ${header.format === 'png' ? 'PNG' : 'JPEG'} (${reason})`, expected: `a complete ${header.format === 'png' ? 'PNG' : 'JPEG'} image` });
  }
}

/** Reads, decodes and preprocesses one image file to 784 bytes (white ink on black). */
export function readImageAsDigit(path: string, options: Omit<ImageFolderOptions, 'skipBad'> = {}): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new DatasetError({ file: path, found: String((error as NodeJS.ErrnoException).code ?? error), expected: 'a readable image file' });
  }
  const raster = decodeImage(bytes, path, options);
  return preprocessDigit(toGray(raster.data, raster.width, raster.height), raster.width, raster.height, options.preprocess);
}

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/** The class subfolders of `directory` (all but `test/` and hidden ones), sorted. */
function classFolders(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => !name.startsWith('.') && name !== 'test' && isDirectory(join(directory, name)))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Labels by folder name: the number itself when every name is one (0/ … 9/), else sorted order. */
function labelsOf(names: readonly string[], directory: string): Map<string, number> {
  const numeric = names.every((name) => /^\d{1,3}$/.test(name) && Number(name) < 256);
  const labels = new Map(names.map((name, index) => [name, numeric ? Number(name) : index]));
  if (labels.size > 256) throw new DatasetError({ file: directory, found: `${labels.size} class folders`, expected: 'at most 256 classes' });
  return labels;
}

function readSplit(directory: string, labels: Map<string, number>, name: string, options: ImageFolderOptions, skipped: SkippedImage[]): Dataset {
  const images: Uint8Array[] = [];
  const imageLabels: number[] = [];
  for (const [folder, label] of labels) {
    const path = join(directory, folder);
    if (!isDirectory(path)) throw new DatasetError({ file: path, found: 'no such folder', expected: `a class folder like those of ${basename(directory)}'s parent` });
    const files = readdirSync(path)
      .filter((file) => !file.startsWith('.') && IMAGE_EXTENSIONS.includes(extname(file).toLowerCase()))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (files.length === 0) throw new DatasetError({ file: path, found: 'an empty class folder', expected: `PNG or JPEG images (${IMAGE_EXTENSIONS.join(', ')})` });
    for (const file of files) {
      const filePath = join(path, file);
      try {
        images.push(readImageAsDigit(filePath, options));
        imageLabels.push(label);
      } catch (error) {
        if (!(options.skipBad && error instanceof DatasetError)) throw error;
        skipped.push({ file: filePath, reason: error.message.startsWith(`${filePath}: `) ? error.message.slice(filePath.length + 2) : error.message });
      }
    }
  }
  const pixels = new Uint8Array(images.length * 784);
  images.forEach((image, index) => pixels.set(image, index * 784));
  return createDataset({ images: pixels, labels: Uint8Array.from(imageLabels), name });
}

/**
 * Reads an image folder: `DIR/<class>/*.png|jpg|jpeg` (classes `0/ … 9/`, or any names, labelled
 * in sorted order), each image decoded and preprocessed to MNIST's 28×28; `DIR/test/<class>/`,
 * when present, is the test set. A folder without class subfolders, an empty class folder or an
 * unreadable image throws a one-line `DatasetError` (images are listed in `skipped` instead with
 * `skipBad`). Files are read in sorted order, so the result is the same on every machine.
 */
export function readImageFolder(directory: string, options: ImageFolderOptions = {}): ImageFolder {
  if (!isDirectory(directory)) throw new DatasetError({ file: directory, found: 'no such folder', expected: 'a folder of class subfolders (0/ … 9/) holding images' });
  const names = classFolders(directory);
  if (names.length === 0) throw new DatasetError({ file: directory, found: 'no class subfolders', expected: 'subfolders 0/ … 9/ (or one per class) holding PNG or JPEG images' });
  const labels = labelsOf(names, directory);
  const skipped: SkippedImage[] = [];
  const name = basename(directory);
  const train = readSplit(directory, labels, `${name}:train`, options, skipped);
  const testDirectory = join(directory, 'test');
  const test = isDirectory(testDirectory) ? readSplit(testDirectory, labels, `${name}:test`, options, skipped) : undefined;
  const classNames: string[] = [];
  for (const [folder, label] of labels) classNames[label] = folder;
  for (let label = 0; label < classNames.length; label++) classNames[label] ??= String(label);
  return { train, ...(test === undefined ? {} : { test }), classNames, skipped };
}
