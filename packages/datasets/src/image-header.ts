import { DatasetError } from './dataset-error.js';
import { defaultMaxPixels } from './image-size.js';

/** What an image file's header says, read without decoding a pixel. */
export interface ImageHeader {
  readonly format: 'png' | 'jpeg';
  readonly width: number;
  readonly height: number;
}

/** The largest image `readImageHeader` lets through by default: `defaultMaxPixels` (25 million), the one pixel cap of every image loader. */
export const DEFAULT_MAX_IMAGE_PIXELS = defaultMaxPixels;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic): they hold the size. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(bytes: Uint8Array, fileName: string): { width: number; height: number } {
  const fail = (offset: number, found: string): never => {
    throw new DatasetError({ file: fileName, offset, found, expected: 'a JPEG frame header (SOF) before the image data' });
  };
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) fail(at, `byte 0x${bytes[at].toString(16)} where a marker belongs`);
    let marker = bytes[at + 1];
    while (marker === 0xff && at + 2 < bytes.length) marker = bytes[++at + 1];
    // Standalone markers carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) fail(at, marker === 0xd9 ? 'the end of the image' : 'the image data');
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    if (length < 2) fail(at + 2, `a segment length of ${length}`);
    if (isStartOfFrame(marker)) {
      if (at + 9 > bytes.length) break;
      return { height: (bytes[at + 5] << 8) | bytes[at + 6], width: (bytes[at + 7] << 8) | bytes[at + 8] };
    }
    at += 2 + length;
  }
  return fail(bytes.length, 'the end of the file');
}

/**
 * Reads the format and size of a PNG (IHDR) or JPEG (start-of-frame segment) from its first
 * bytes, so a huge image can be refused before anything is decoded. Throws a `DatasetError`
 * naming `fileName` when the bytes are neither, when the size is zero, or when
 * `width · height > maxPixels` (default `DEFAULT_MAX_IMAGE_PIXELS`).
 */
export function readImageHeader(bytes: Uint8Array, fileName: string, options: { maxPixels?: number } = {}): ImageHeader {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS;
  let header: ImageHeader;
  if (bytes.length >= 24 && PNG_SIGNATURE.every((value, i) => bytes[i] === value)) {
    if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
      throw new DatasetError({ file: fileName, offset: 12, found: 'no IHDR chunk', expected: 'a PNG starting with its IHDR chunk' });
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    header = { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  } else if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    header = { format: 'jpeg', ...jpegSize(bytes, fileName) };
  } else {
    throw new DatasetError({ file: fileName, offset: 0, found: bytes.length === 0 ? 'an empty file' : 'neither a PNG nor a JPEG signature', expected: 'a PNG or JPEG image' });
  }
  if (header.width === 0 || header.height === 0) {
    throw new DatasetError({ file: fileName, found: `a ${header.width}×${header.height} ${header.format.toUpperCase()} image`, expected: 'an image of at least 1×1 pixels' });
  }
  if (header.width * header.height > maxPixels) {
    throw new DatasetError({
      file: fileName,
      found: `a ${header.width}×${header.height} image (${(header.width * header.height).toLocaleString('en-US')} pixels)`,
      expected: `at most ${maxPixels.toLocaleString('en-US')} pixels`,
    });
  }
  return header;
}
