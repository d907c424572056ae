// The handwriting samples as files, in the layouts `nnkit` reads: a zip of a folder `0/ … 9/` of
// 28×28 PNG files (`--data folder:DIR`), a zip of an IDX pair (`--data idx:DIR`) or a Kaggle CSV
// (`--data csv:FILE`). Import reads back what export writes; a PNG of another size (a photo, a
// scan) is preprocessed like the pad's drawing. Pure functions of bytes: the same in Node and
// in the browser (fflate for zip, fast-png for PNG, @nnkit/datasets for IDX and CSV).
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { type Unzipped, strToU8, unzipSync, zipSync } from 'fflate';
import {
  createDataset,
  encodeIdxImages,
  encodeIdxLabels,
  encodeKaggleCsv,
  parseIdxImages,
  parseIdxLabels,
  parseKaggleCsv,
  preprocessDigit,
  readImageHeader,
  toGray,
} from '@nnkit/datasets';
import { digitCount, type Sample, samplePixels } from './teach-samples.js';

/** The export formats: a folder of PNGs per digit, an IDX pair, or one CSV file. */
export type SampleFormat = 'folder' | 'idx' | 'csv';

/** The folder inside the zips, and the CSV's name stem: `my-digits/0/ …`. */
export const exportName = 'my-digits';
/** Zip entries get this date (DOS time, local), so the same samples give the same bytes. */
const zipDate = new Date(2020, 0, 1);
/** A PNG larger than this (pixels, from its header) is refused before decoding. */
const maxImagePixels = 4096 * 4096;
/** A file inside a zip larger than this is not unpacked (a zip bomb stays packed). */
const maxEntryBytes = 64 * 1024 * 1024;

/** A file to download: its name, bytes and media type. */
export interface ExportFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly type: string;
}

/** File names in the folder zip: the sample's place in the set, 1-based, zero-padded (order survives). */
const pngName = (position: number, total: number): string => `${String(position + 1).padStart(Math.max(4, String(total).length), '0')}.png`;

/** One sample as an 8-bit grey PNG, white ink on black as the network sees it. */
export function samplePng(pixels: Uint8Array): Uint8Array {
  return encodePng({ width: 28, height: 28, data: pixels, channels: 1, depth: 8 });
}

function asDataset(samples: readonly Sample[]) {
  const images = new Uint8Array(samples.length * samplePixels);
  samples.forEach((sample, index) => images.set(sample.pixels, index * samplePixels));
  return createDataset({ images, labels: Uint8Array.from(samples, (sample) => sample.label), name: exportName });
}

/** The samples as one download in `format`, in the order they were added. */
export function exportSamples(samples: readonly Sample[], format: SampleFormat): ExportFile {
  if (format === 'csv') return { name: `${exportName}.csv`, bytes: encodeKaggleCsv(asDataset(samples), { layout: 'train' }), type: 'text/csv' };
  const entries: Record<string, [Uint8Array, { level: 0 | 6; mtime: Date }]> = {};
  if (format === 'idx') {
    const dataset = asDataset(samples);
    entries[`${exportName}/train-images-idx3-ubyte`] = [encodeIdxImages(dataset), { level: 6, mtime: zipDate }];
    entries[`${exportName}/train-labels-idx1-ubyte`] = [encodeIdxLabels(dataset), { level: 6, mtime: zipDate }];
  } else {
    // PNG is compressed already: stored as is.
    samples.forEach((sample, position) => {
      entries[`${exportName}/${sample.label}/${pngName(position, samples.length)}`] = [samplePng(sample.pixels), { level: 0, mtime: zipDate }];
    });
  }
  entries[`${exportName}/README.txt`] = [strToU8(readme(format, samples.length)), { level: 6, mtime: zipDate }];
  return { name: `${exportName}${format === 'idx' ? '-idx' : ''}.zip`, bytes: zipSync(entries), type: 'application/zip' };
}

function readme(format: SampleFormat, count: number): string {
  const data = format === 'idx' ? `idx:${exportName}` : `folder:${exportName}`;
  return [
    `${count} handwritten digits drawn in the nnkit playground, each the 28×28 image the network sees (white ink on black).`,
    format === 'idx' ? 'train-images-idx3-ubyte and train-labels-idx1-ubyte: an IDX pair, in the order the digits were drawn.' : '0/ … 9/: one folder per digit; the file names keep the order the digits were drawn.',
    `Fine-tune a model on them: nnkit train --init-from model.json --data ${data} --epochs 5 --out tuned.json`,
    'Import the zip in the playground to get the same samples back.',
    '',
  ].join('\n');
}

/** A sample read from a file: label and 28×28 bytes. */
export interface ImportedSample {
  readonly label: number;
  readonly pixels: Uint8Array;
}

/** What an import found: the samples in order and one short line per file it could not use. */
export interface ImportResult {
  readonly samples: ImportedSample[];
  readonly problems: string[];
}

/** A zip starts with a local file header, or with the end record when it is empty. */
const isZip = (bytes: Uint8Array): boolean => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06));
const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The 28×28 bytes of a PNG: a 28×28 image with a dark border is taken as the network's input
 * as it is (what export writes); any other image (dark ink on paper, another size) goes through
 * the MNIST-style preprocessing of the drawing pad.
 */
export function pngToSample(bytes: Uint8Array, fileName: string): Uint8Array {
  const header = readImageHeader(bytes, fileName, { maxPixels: maxImagePixels });
  if (header.format !== 'png') throw new Error(`${fileName}: found a ${header.format.toUpperCase()} image; expected a PNG`);
  let decoded;
  try {
    decoded = decodePng(bytes);
  } catch (error) {
    throw new Error(`${fileName}: found an unreadable PNG (${message(error)}); expected a complete PNG image`);
  }
  const { width, height, channels, depth } = decoded;
  // Down to 8 bits and RGBA, then grey over white paper (transparent pixels read as paper).
  const scale = depth === 16 ? 1 / 257 : depth < 8 ? 255 / (2 ** depth - 1) : 1;
  const rgba = new Uint8ClampedArray(width * height * 4);
  if (decoded.palette !== undefined) throw new Error(`${fileName}: found a palette PNG; expected a grey or colour PNG`);
  for (let i = 0; i < width * height; i++) {
    const at = i * channels;
    const value = (channel: number): number => Math.round(decoded.data[at + channel] * scale);
    const grey = channels <= 2;
    rgba[4 * i] = value(0);
    rgba[4 * i + 1] = grey ? value(0) : value(1);
    rgba[4 * i + 2] = grey ? value(0) : value(2);
    rgba[4 * i + 3] = channels === 2 ? value(1) : channels === 4 ? value(3) : 255;
  }
  const gray = toGray(rgba, width, height, { background: 255 });
  if (width === 28 && height === 28 && borderMean(gray) < 64) return gray;
  return preprocessDigit(gray, width, height);
}

function borderMean(gray: Uint8Array): number {
  let total = 0;
  for (let i = 0; i < 28; i++) total += gray[i] + gray[27 * 28 + i] + gray[i * 28] + gray[i * 28 + 27];
  return total / (4 * 28);
}

/** The label of `path` from its folder (`…/3/0012.png` → 3), or null. */
function folderLabel(path: string): number | null {
  const parts = path.split('/');
  const folder = parts.length >= 2 ? parts[parts.length - 2] : '';
  return /^[0-9]$/.test(folder) ? Number(folder) : null;
}

/** Whether a zip entry is bookkeeping of the zip tool or the readme export writes. */
const ignoredEntry = (path: string): boolean => path.endsWith('/') || path.startsWith('__MACOSX/') || baseName(path).startsWith('.') || /\.(txt|md)$/i.test(path);

function fromIdxPair(imagesBytes: Uint8Array, labelsBytes: Uint8Array, imagesName: string, labelsName: string): ImportedSample[] {
  const images = parseIdxImages(imagesBytes, imagesName);
  if (images.imageShape[0] !== 28 || images.imageShape[1] !== 28) throw new Error(`${imagesName}: found ${images.imageShape[0]}×${images.imageShape[1]} images; expected 28×28`);
  const labels = parseIdxLabels(labelsBytes, labelsName, { classes: digitCount });
  if (labels.length !== images.count) throw new Error(`${labelsName}: found ${labels.length} labels; expected ${images.count}, one for each image in ${imagesName}`);
  return Array.from(labels, (label, index) => ({ label, pixels: images.images.slice(index * samplePixels, (index + 1) * samplePixels) }));
}

function fromCsv(bytes: Uint8Array, fileName: string): ImportedSample[] {
  const dataset = parseKaggleCsv(bytes, fileName, { layout: 'train', classes: digitCount });
  return Array.from(dataset.labels, (label, index) => ({ label, pixels: dataset.images.slice(index * samplePixels, (index + 1) * samplePixels) }));
}

/** Finds the IDX pair among named files (`…images-idx3…` with its `…labels-idx1…`). */
function idxPairOf(files: ReadonlyMap<string, Uint8Array>): { images: string; labels: string } | null {
  for (const name of files.keys()) {
    if (!baseName(name).includes('images-idx3')) continue;
    const labels = name.slice(0, name.length - baseName(name).length) + baseName(name).replace('images-idx3', 'labels-idx1');
    if (files.has(labels)) return { images: name, labels };
  }
  return null;
}

function fromZip(bytes: Uint8Array, zipName: string, problems: string[]): ImportedSample[] {
  let entries: Unzipped;
  const tooLarge: string[] = [];
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        if (file.originalSize <= maxEntryBytes) return true;
        tooLarge.push(file.name);
        return false;
      },
    });
  } catch (error) {
    problems.push(`${zipName}: found an unreadable zip (${message(error)})`);
    return [];
  }
  for (const name of tooLarge) problems.push(`${zipName}: ${name}: larger than ${maxEntryBytes / 2 ** 20} MB unpacked`);
  const files = new Map(Object.entries(entries).filter(([path]) => !ignoredEntry(path)));
  const pair = idxPairOf(files);
  if (pair !== null) {
    try {
      return fromIdxPair(files.get(pair.images)!, files.get(pair.labels)!, `${zipName}: ${pair.images}`, `${zipName}: ${pair.labels}`);
    } catch (error) {
      problems.push(message(error));
      return [];
    }
  }
  // A folder of digit folders: ordered by file name (numbers as numbers), then by path.
  const paths = [...files.keys()].sort((a, b) => baseName(a).localeCompare(baseName(b), 'en', { numeric: true }) || a.localeCompare(b));
  const samples: ImportedSample[] = [];
  for (const path of paths) {
    const where = `${zipName}: ${path}`;
    const label = folderLabel(path);
    if (label === null) {
      problems.push(`${where}: not in a digit folder 0/ … 9/`);
      continue;
    }
    try {
      samples.push({ label, pixels: pngToSample(files.get(path)!, where) });
    } catch (error) {
      problems.push(message(error));
    }
  }
  return samples;
}

/**
 * Reads samples from files picked together: zips (a folder of digit folders of PNGs, or an IDX
 * pair), Kaggle CSV files, or the two files of an IDX pair. Good files are read, in the order
 * given; each bad file adds one short line to `problems` and nothing of it is read.
 */
export function importSamples(files: readonly { name: string; bytes: Uint8Array }[]): ImportResult {
  const samples: ImportedSample[] = [];
  const problems: string[] = [];
  const loose = new Map(files.filter((file) => baseName(file.name).includes('-idx')).map((file) => [file.name, file.bytes]));
  const pair = idxPairOf(loose);
  for (const file of files) {
    try {
      if (isZip(file.bytes)) samples.push(...fromZip(file.bytes, file.name, problems));
      else if (/\.csv$/i.test(file.name)) samples.push(...fromCsv(file.bytes, file.name));
      else if (pair !== null && file.name === pair.images) samples.push(...fromIdxPair(file.bytes, loose.get(pair.labels)!, pair.images, pair.labels));
      else if (pair !== null && file.name === pair.labels) continue;
      else problems.push(`${file.name}: not a zip, a CSV or an IDX pair`);
    } catch (error) {
      problems.push(message(error));
    }
  }
  if (samples.length === 0 && problems.length === 0) problems.push(`${files.map((file) => file.name).join(', ')}: no samples found; expected 0/ … 9/ folders of PNG images, an IDX pair or a CSV`);
  return { samples, problems };
}
