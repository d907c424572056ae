import { type Shape, formatShape } from '@nnkit/tensor';
import { type Dataset, createDataset } from './dataset.js';
import { DatasetError } from './dataset-error.js';
import { gunzipIfNeeded, isGzip } from './gzip.js';

/** IDX data-type byte for unsigned bytes, the only type MNIST uses (and the only one read here). */
const UNSIGNED_BYTE = 0x08;
/** Magic number of an IDX file of images: unsigned bytes, 3 dimensions (count, rows, columns). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an IDX file of labels: unsigned bytes, 1 dimension (count). */
export const IDX_LABELS_MAGIC = 0x00000801;

/** A decoded IDX file: its dimensions (outermost first) and its unsigned-byte payload. */
export interface IdxArray {
  readonly dimensions: readonly number[];
  /** A view into the input bytes (not a copy), `product(dimensions)` long. */
  readonly data: Uint8Array;
}

/** Images decoded from an IDX file: `count` images of `imageShape` = `[rows, columns, 1]`. */
export interface IdxImages {
  readonly images: Uint8Array;
  readonly count: number;
  readonly imageShape: Shape;
}

const hex = (value: number): string => `0x${value.toString(16).padStart(8, '0')}`;

/**
 * Decodes an uncompressed IDX file (LeCun's format: magic 00 00 08 rank, `rank` big-endian
 * uint32 dimensions, then the bytes row-major). Strict: the length must match the dimensions
 * exactly. Errors are `DatasetError`s naming `fileName` and the byte offset.
 */
export function parseIdx(bytes: Uint8Array, fileName: string, expectedRank?: number): IdxArray {
  if (bytes.length === 0) throw new DatasetError({ file: fileName, found: 'an empty file', expected: 'an IDX header' });
  if (isGzip(bytes)) {
    throw new DatasetError({
      file: fileName,
      offset: 0,
      found: 'gzip data',
      expected: 'uncompressed IDX (use the async readIdx* functions, which gunzip)',
    });
  }
  if (bytes.length < 4) {
    throw new DatasetError({ file: fileName, offset: bytes.length, found: 'end of file', expected: 'a 4-byte IDX magic number' });
  }
  const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const rank = bytes[3];
  const wanted = expectedRank === undefined ? 'magic number 0x000008NN (IDX of unsigned bytes)' : `magic number ${hex(0x800 | expectedRank)}`;
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE || rank === 0) {
    throw new DatasetError({ file: fileName, offset: 0, found: hex(magic), expected: wanted });
  }
  if (expectedRank !== undefined && rank !== expectedRank) {
    throw new DatasetError({ file: fileName, offset: 0, found: hex(magic), expected: `${wanted} (${expectedRank === 3 ? 'images' : expectedRank === 1 ? 'labels' : `rank ${expectedRank}`})` });
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new DatasetError({ file: fileName, offset: bytes.length, found: 'end of file', expected: `${rank} big-endian uint32 dimensions` });
  }
  const dimensions: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const at = 4 + 4 * d;
    const dimension = ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
    dimensions.push(dimension);
    size *= dimension;
  }
  const present = bytes.length - headerLength;
  if (present < size) {
    throw new DatasetError({
      file: fileName,
      offset: bytes.length,
      found: `end of file after ${present} data bytes`,
      expected: `${size} data bytes for dimensions ${formatShape(dimensions)} (file truncated)`,
    });
  }
  if (present > size) {
    throw new DatasetError({
      file: fileName,
      offset: headerLength + size,
      found: `${present - size} extra bytes`,
      expected: `end of file after ${size} data bytes for dimensions ${formatShape(dimensions)}`,
    });
  }
  return { dimensions, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerLength, size) };
}

/** Decodes an uncompressed IDX images file (magic 0x00000803, dimensions count × rows × columns). */
export function parseIdxImages(bytes: Uint8Array, fileName: string): IdxImages {
  const { dimensions, data } = parseIdx(bytes, fileName, 3);
  const [count, rows, columns] = dimensions;
  if (count > 0 && (rows === 0 || columns === 0)) {
    throw new DatasetError({ file: fileName, offset: rows === 0 ? 8 : 12, found: formatShape(dimensions), expected: 'images of at least 1 × 1 pixels' });
  }
  return { images: data, count, imageShape: [rows, columns, 1] };
}

/**
 * Decodes an uncompressed IDX labels file (magic 0x00000801, one byte a label); every label
 * must be below `classes` (10 for digits).
 */
export function parseIdxLabels(bytes: Uint8Array, fileName: string, options: { classes?: number } = {}): Uint8Array {
  const classes = options.classes ?? 10;
  const { data } = parseIdx(bytes, fileName, 1);
  for (let i = 0; i < data.length; i++) {
    if (data[i] >= classes) {
      throw new DatasetError({ file: fileName, offset: 8 + i, found: `label ${data[i]}`, expected: `a label 0–${classes - 1}` });
    }
  }
  return data;
}

/** Names for the two files of an IDX pair, used in errors and as the dataset's `name`. */
export interface IdxPairNames {
  readonly images: string;
  readonly labels: string;
  /** The dataset's name, e.g. `"mnist:train"`; defaults to the images file name. */
  readonly name?: string;
}

/** Joins decoded IDX images and labels into a `Dataset`; their counts must agree. */
export function idxToDataset(images: IdxImages, labels: Uint8Array, names: IdxPairNames): Dataset {
  if (labels.length !== images.count) {
    throw new DatasetError({
      file: names.labels,
      offset: 4,
      found: `${labels.length} labels`,
      expected: `${images.count} labels, one for each image in ${names.images}`,
    });
  }
  return createDataset({ images: images.images, labels, imageShape: images.imageShape, name: names.name ?? names.images });
}

/** Decodes an IDX images/labels pair (uncompressed) into a `Dataset`. */
export function parseIdxDataset(imagesBytes: Uint8Array, labelsBytes: Uint8Array, names: IdxPairNames): Dataset {
  return idxToDataset(parseIdxImages(imagesBytes, names.images), parseIdxLabels(labelsBytes, names.labels), names);
}

/** Like `parseIdxImages`, but gunzips first when the bytes are gzip (async: `DecompressionStream`). */
export async function readIdxImages(bytes: Uint8Array, fileName: string): Promise<IdxImages> {
  return parseIdxImages(await gunzipIfNeeded(bytes, fileName), fileName);
}

/** Like `parseIdxLabels`, but gunzips first when the bytes are gzip. */
export async function readIdxLabels(bytes: Uint8Array, fileName: string, options: { classes?: number } = {}): Promise<Uint8Array> {
  return parseIdxLabels(await gunzipIfNeeded(bytes, fileName), fileName, options);
}

/** Like `parseIdxDataset`, each file plain or gzip. */
export async function readIdxDataset(imagesBytes: Uint8Array, labelsBytes: Uint8Array, names: IdxPairNames): Promise<Dataset> {
  const [images, labels] = await Promise.all([readIdxImages(imagesBytes, names.images), readIdxLabels(labelsBytes, names.labels)]);
  return idxToDataset(images, labels, names);
}

/** Encodes unsigned bytes with `dimensions` as an IDX file: 00 00 08 rank, dimensions, data. */
export function encodeIdx(dimensions: readonly number[], data: Uint8Array): Uint8Array {
  let size = 1;
  for (const dimension of dimensions) size *= dimension;
  if (dimensions.length === 0 || dimensions.length > 255 || size !== data.length) {
    throw new RangeError(`encodeIdx: ${data.length} bytes do not match dimensions ${formatShape(dimensions)}`);
  }
  const headerLength = 4 + 4 * dimensions.length;
  const out = new Uint8Array(headerLength + size);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x800 | dimensions.length);
  dimensions.forEach((dimension, d) => view.setUint32(4 + 4 * d, dimension));
  out.set(data, headerLength);
  return out;
}

/** Encodes a dataset's images as an IDX images file (count × rows × columns; one channel). */
export function encodeIdxImages(dataset: Dataset): Uint8Array {
  const [rows, columns, channels = 1] = dataset.imageShape;
  if (dataset.imageShape.length < 2 || dataset.imageShape.length > 3 || channels !== 1) {
    throw new RangeError(`${dataset.name}: IDX images need a [rows, columns, 1] image shape, got ${formatShape(dataset.imageShape)}`);
  }
  return encodeIdx([dataset.count, rows, columns], dataset.images);
}

/** Encodes a dataset's labels as an IDX labels file. */
export function encodeIdxLabels(dataset: Dataset): Uint8Array {
  return encodeIdx([dataset.count], dataset.labels);
}
