import { type Shape, sizeOf } from '@nnkit/tensor';
import { type Dataset, MNIST_IMAGE_SHAPE, createDataset } from './dataset.js';
import { DatasetError } from './dataset-error.js';

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const ZERO = 48;
const NINE = 57;

/** Kaggle "Digit Recognizer" layouts: train.csv has a `label` column first, test.csv has none. */
export type KaggleCsvLayout = 'train' | 'test';

/** Options for `parseKaggleCsv`. */
export interface KaggleCsvOptions {
  /** Required layout; by default it is read from the header (or the column count without one). */
  readonly layout?: KaggleCsvLayout;
  /** Per-image shape; the file must have `sizeOf(imageShape)` pixel columns. Default `[28, 28, 1]`. */
  readonly imageShape?: Shape;
  /** Labels must be below this. Default 10. */
  readonly classes?: number;
}

const decoder = new TextDecoder();
const text = (bytes: Uint8Array, start: number, end: number): string => decoder.decode(bytes.subarray(start, Math.min(end, start + 80)));

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let p = start; p < end; p++) {
    const c = bytes[p];
    if (c !== LF && c !== CR && c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * Parses Kaggle "Digit Recognizer" CSV bytes (`label,pixel0,…,pixel783` rows for train.csv,
 * `pixel0,…` for test.csv) into a `Dataset` of `count` images. Accepts a UTF-8 BOM, CRLF or LF,
 * trailing blank lines, quoted header names and a missing header (layout then from the column
 * count). Fields are unsigned decimal integers (pixels 0–255, labels 0–`classes`−1), read
 * byte by byte without building strings. test.csv gives `unlabelled: true` and zero labels.
 * Any malformed input raises a `DatasetError` naming the line and column.
 */
export function parseKaggleCsv(bytes: Uint8Array, fileName: string, options: KaggleCsvOptions = {}): Dataset {
  const imageShape = options.imageShape ?? MNIST_IMAGE_SHAPE;
  const imageSize = sizeOf(imageShape);
  const classes = options.classes ?? 10;
  const length = bytes.length;
  let position = length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // A byte-order mark FF FE / FE FF, or ASCII with every other byte zero: saved as UTF-16.
  if (length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (length >= 4 && (bytes[1] === 0 || bytes[0] === 0) && (bytes[3] === 0 || bytes[2] === 0)))) {
    throw new DatasetError({ file: fileName, offset: 0, found: 'UTF-16 text', expected: 'UTF-8 (or ASCII) text: save the file as UTF-8' });
  }
  if (isBlank(bytes, position, length)) {
    throw new DatasetError({ file: fileName, found: 'an empty file', expected: `a CSV of digit images (label,pixel0,…,pixel${imageSize - 1})` });
  }

  // The first line decides the layout: a header names it, otherwise the field count does.
  let firstLineEnd = bytes.indexOf(LF, position);
  if (firstLineEnd < 0) firstLineEnd = length;
  const firstChar = bytes[position];
  const hasHeader = !(firstChar >= ZERO && firstChar <= NINE);
  let labelled: boolean;
  if (hasHeader) {
    labelled = readHeader(bytes, position, firstLineEnd, fileName, imageSize);
    position = Math.min(firstLineEnd + 1, length);
  } else {
    let fields = 1;
    for (let p = position; p < firstLineEnd; p++) if (bytes[p] === COMMA) fields++;
    if (fields !== imageSize + 1 && fields !== imageSize) {
      throw new DatasetError({
        file: fileName,
        line: 1,
        found: `${fields} fields`,
        expected: `${imageSize + 1} fields (label and ${imageSize} pixels) or ${imageSize} (pixels only)`,
      });
    }
    labelled = fields === imageSize + 1;
  }
  if (options.layout !== undefined && options.layout !== (labelled ? 'train' : 'test')) {
    throw new DatasetError({
      file: fileName,
      line: 1,
      found: labelled ? 'a label column (train layout)' : 'no label column (test layout)',
      expected: options.layout === 'train' ? 'a label column first (train layout)' : `${imageSize} pixel columns and no label (test layout)`,
    });
  }

  // Upper bound on the rows: one per remaining line feed, plus an unterminated last line.
  let capacity = 1;
  for (let p = bytes.indexOf(LF, position); p >= 0; p = bytes.indexOf(LF, p + 1)) capacity++;
  const images = new Uint8Array(capacity * imageSize);
  const labels = new Uint8Array(capacity);
  const fieldCount = labelled ? imageSize + 1 : imageSize;
  const firstLine = hasHeader ? 2 : 1;
  let count = 0;
  let p = position;
  while (p < length) {
    // A blank line is only allowed as trailing whitespace.
    const c0 = bytes[p];
    if (c0 === LF || c0 === CR) {
      if (isBlank(bytes, p, length)) break;
      throw new DatasetError({ file: fileName, line: firstLine + count, found: 'a blank line', expected: `a row of ${fieldCount} fields` });
    }
    const line = firstLine + count;
    let column = 0;
    if (labelled) {
      let c = bytes[p];
      if (!(c >= ZERO && c <= NINE)) fieldError(bytes, p, fileName, line, 0, labelled, fieldCount, classes);
      let value = c - ZERO;
      c = bytes[++p];
      while (c >= ZERO && c <= NINE) {
        value = value * 10 + (c - ZERO);
        c = bytes[++p];
      }
      if (c !== COMMA || value >= classes) fieldError(bytes, p - 1, fileName, line, 0, labelled, fieldCount, classes, true);
      p++;
      labels[count] = value;
      column = 1;
    }
    // The hot loop: one pixel a turn, digits accumulated straight from the bytes.
    let out = count * imageSize;
    const lastPixel = out + imageSize - 1;
    while (out < lastPixel) {
      let c = bytes[p];
      if (!(c >= ZERO && c <= NINE)) fieldError(bytes, p, fileName, line, column, labelled, fieldCount, classes);
      let value = c - ZERO;
      c = bytes[++p];
      while (c >= ZERO && c <= NINE) {
        value = value * 10 + (c - ZERO);
        c = bytes[++p];
      }
      if (c !== COMMA || value > 255) fieldError(bytes, p - 1, fileName, line, column, labelled, fieldCount, classes, true);
      p++;
      images[out++] = value;
      column++;
    }
    let c = bytes[p];
    if (!(c >= ZERO && c <= NINE)) fieldError(bytes, p, fileName, line, column, labelled, fieldCount, classes);
    let value = c - ZERO;
    c = bytes[++p];
    while (c >= ZERO && c <= NINE) {
      value = value * 10 + (c - ZERO);
      c = bytes[++p];
    }
    const fieldEnd = p;
    if (c === CR) c = bytes[++p];
    if ((c !== LF && p < length) || value > 255) fieldError(bytes, fieldEnd - 1, fileName, line, column, labelled, fieldCount, classes, true);
    p++;
    images[out] = value;
    count++;
  }
  if (count === 0) {
    throw new DatasetError({ file: fileName, line: firstLine, found: 'no data rows after the header', expected: `at least one row of ${fieldCount} fields` });
  }
  return createDataset({
    images: count === capacity ? images : images.slice(0, count * imageSize),
    labels: count === capacity ? labels : labels.slice(0, count),
    imageShape,
    name: fileName,
    unlabelled: !labelled,
  });
}

function columnName(field: number, labelled: boolean): string {
  if (labelled) return field === 0 ? 'label' : `pixel${field - 1}`;
  return `pixel${field}`;
}

/** The slow path: works out what is wrong with the field at `start` and throws. */
function fieldError(
  bytes: Uint8Array,
  start: number,
  file: string,
  line: number,
  field: number,
  labelled: boolean,
  fieldCount: number,
  classes: number,
  atFieldEnd = false,
): never {
  // Called either at a field's first byte or at its last byte; find the start from the latter.
  if (atFieldEnd) while (start > 0 && bytes[start - 1] !== COMMA && bytes[start - 1] !== LF && bytes[start - 1] !== CR) start--;
  const column = columnName(field, labelled);
  let end = start;
  while (end < bytes.length && bytes[end] !== COMMA && bytes[end] !== LF && bytes[end] !== CR) end++;
  const isLabel = labelled && field === 0;
  const expectedValue = isLabel ? `a label 0–${classes - 1}` : 'a pixel value 0–255';
  if (end === start) {
    if (start >= bytes.length || bytes[start] === LF || bytes[start] === CR) {
      throw new DatasetError({ file, line, column, found: `end of line after ${field} fields`, expected: `${fieldCount} fields` });
    }
    throw new DatasetError({ file, line, column, found: 'an empty field', expected: expectedValue });
  }
  const fieldText = text(bytes, start, end);
  if (/^\d+$/.test(fieldText)) {
    const next = bytes[end];
    if (field === fieldCount - 1 && next === COMMA) {
      throw new DatasetError({ file, line, column: columnName(field + 1, labelled), found: `more than ${fieldCount} fields`, expected: `${fieldCount} fields` });
    }
    if (next === CR && bytes[end + 1] !== LF && end + 1 < bytes.length) {
      throw new DatasetError({ file, line, column, found: 'a carriage return inside the line', expected: 'CRLF or LF line endings' });
    }
    if (field < fieldCount - 1 && next !== COMMA) {
      throw new DatasetError({ file, line, column: columnName(field + 1, labelled), found: `end of line after ${field + 1} fields`, expected: `${fieldCount} fields` });
    }
  }
  throw new DatasetError({ file, line, column, found: JSON.stringify(fieldText), expected: `${expectedValue} (an unsigned integer)` });
}

/** Reads and checks the header line; returns true for the train layout (label column first). */
function readHeader(bytes: Uint8Array, start: number, end: number, file: string, imageSize: number): boolean {
  let lineEnd = end;
  if (lineEnd > start && bytes[lineEnd - 1] === CR) lineEnd--;
  const names = decoder.decode(bytes.subarray(start, lineEnd)).split(',').map(unquote);
  const labelled = names[0] === 'label';
  if (!labelled && names[0] !== 'pixel0') {
    throw new DatasetError({ file, line: 1, column: '1', found: JSON.stringify(names[0]), expected: 'header "label" (train layout) or "pixel0" (test layout), or a first row of numbers' });
  }
  const expectedCount = labelled ? imageSize + 1 : imageSize;
  for (let i = 0; i < Math.min(names.length, expectedCount); i++) {
    const wanted = columnName(i, labelled);
    if (names[i] !== wanted) {
      throw new DatasetError({ file, line: 1, column: String(i + 1), found: `header ${JSON.stringify(names[i])}`, expected: `header "${wanted}"` });
    }
  }
  if (names.length !== expectedCount) {
    throw new DatasetError({ file, line: 1, found: `${names.length} header names`, expected: `${expectedCount} (${labelled ? 'label, ' : ''}pixel0…pixel${imageSize - 1})` });
  }
  return labelled;
}

function unquote(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length >= 2 && trimmed.charCodeAt(0) === QUOTE && trimmed.charCodeAt(trimmed.length - 1) === QUOTE) {
    return trimmed.slice(1, -1).replace(/""/g, '"').trim();
  }
  return trimmed;
}

/** ASCII digits of 0–255 packed 3 bytes a value, and their counts: writing a pixel is a lookup. */
const DIGITS = new Uint8Array(256 * 3);
const DIGIT_COUNTS = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  const digits = String(v);
  DIGIT_COUNTS[v] = digits.length;
  for (let d = 0; d < digits.length; d++) DIGITS[v * 3 + d] = digits.charCodeAt(d);
}

/**
 * Encodes a dataset as Kaggle CSV with a header and LF line endings: layout `'train'`
 * (`label,pixel0,…`) by default, `'test'` (pixels only; the default for unlabelled datasets).
 */
export function encodeKaggleCsv(dataset: Dataset, options: { layout?: KaggleCsvLayout } = {}): Uint8Array {
  const layout = options.layout ?? (dataset.unlabelled ? 'test' : 'train');
  const withLabels = layout === 'train';
  const imageSize = sizeOf(dataset.imageShape);
  const names: string[] = withLabels ? ['label'] : [];
  for (let i = 0; i < imageSize; i++) names.push(`pixel${i}`);
  const header = new TextEncoder().encode(`${names.join(',')}\n`);
  const { images, labels, count } = dataset;
  // Exact size first (digits plus one separator a field), so the output is one allocation.
  let size = header.length + count * imageSize;
  for (let i = 0; i < count * imageSize; i++) size += DIGIT_COUNTS[images[i]];
  if (withLabels) for (let i = 0; i < count; i++) size += DIGIT_COUNTS[labels[i]] + 1;
  const out = new Uint8Array(size);
  out.set(header, 0);
  let p = header.length;
  let source = 0;
  for (let n = 0; n < count; n++) {
    if (withLabels) {
      const label = labels[n];
      for (let d = 0; d < DIGIT_COUNTS[label]; d++) out[p++] = DIGITS[label * 3 + d];
      out[p++] = COMMA;
    }
    for (let i = 0; i < imageSize; i++) {
      const value = images[source++];
      const at = value * 3;
      out[p++] = DIGITS[at];
      if (value >= 10) {
        out[p++] = DIGITS[at + 1];
        if (value >= 100) out[p++] = DIGITS[at + 2];
      }
      out[p++] = COMMA;
    }
    out[p - 1] = LF;
  }
  return out;
}

/** Encodes Kaggle's submission file: header `ImageId,Label`, then `i+1,predictions[i]` per line. */
export function encodeSubmissionCsv(predictions: ArrayLike<number>): Uint8Array {
  const lines = ['ImageId,Label'];
  for (let i = 0; i < predictions.length; i++) lines.push(`${i + 1},${predictions[i]}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/**
 * Parses a Kaggle submission (`ImageId,Label`, ImageIds 1, 2, 3, … in order) into its labels.
 */
export function parseSubmissionCsv(bytes: Uint8Array, fileName: string, options: { classes?: number } = {}): Uint8Array {
  const classes = options.classes ?? 10;
  let content = decoder.decode(bytes);
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  if (content.trim() === '') throw new DatasetError({ file: fileName, found: 'an empty file', expected: 'header "ImageId,Label"' });
  const lines = content.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  while (lines.length > 1 && lines[lines.length - 1].trim() === '') lines.pop();
  const header = lines[0].split(',').map(unquote);
  if (header.length !== 2 || header[0] !== 'ImageId' || header[1] !== 'Label') {
    throw new DatasetError({ file: fileName, line: 1, found: JSON.stringify(lines[0]), expected: 'header "ImageId,Label"' });
  }
  const labels = new Uint8Array(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i].split(',');
    if (fields.length !== 2) throw new DatasetError({ file: fileName, line: i + 1, found: `${fields.length} fields`, expected: '2 fields (ImageId,Label)' });
    if (fields[0] !== String(i)) throw new DatasetError({ file: fileName, line: i + 1, column: 'ImageId', found: JSON.stringify(fields[0]), expected: `ImageId ${i}` });
    const label = /^\d+$/.test(fields[1]) ? Number(fields[1]) : Number.NaN;
    if (!(label < classes)) throw new DatasetError({ file: fileName, line: i + 1, column: 'Label', found: JSON.stringify(fields[1]), expected: `a label 0–${classes - 1}` });
    labels[i - 1] = label;
  }
  return labels;
}
