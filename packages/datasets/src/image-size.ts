import { DatasetError } from './dataset-error.js';

/**
 * The most pixels (width × height) an image may have before it is decoded: 25 million (a
 * 5000 × 5000 photo, 100 MB as RGBA). A digit needs 28 × 28; the limit only stops decompression
 * bombs, whose few hundred kilobytes of PNG unpack to gigabytes.
 */
export const defaultMaxPixels = 25_000_000;

/**
 * Refuses an image of `width × height` pixels past `maxPixels` (or with a zero side), naming
 * `source`. Image loaders call it with the size read from the header, before decoding.
 */
export function checkImageSize(size: { readonly width: number; readonly height: number }, source: string, maxPixels: number = defaultMaxPixels): void {
  const { width, height } = size;
  if (!(width > 0 && height > 0)) throw new DatasetError({ file: source, found: `an image of ${width}×${height} pixels`, expected: 'a width and height of at least 1' });
  if (width * height > maxPixels) {
    throw new DatasetError({
      file: source,
      found: `an image of ${width}×${height} pixels`,
      expected: `at most ${maxPixels.toLocaleString('en-US')} pixels (raise the limit for larger images)`,
    });
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Width and height from a PNG's header (the IHDR chunk right after the signature), without
 * decoding anything; a `DatasetError` naming `source` when the bytes do not start like a PNG.
 */
export function pngSize(bytes: Uint8Array, source: string): { width: number; height: number } {
  if (bytes.length === 0) throw new DatasetError({ file: source, found: 'an empty file', expected: 'a PNG image' });
  if (bytes.length < 24 || PNG_SIGNATURE.some((byte, i) => bytes[i] !== byte)) {
    throw new DatasetError({ file: source, offset: 0, found: bytes.length < 24 ? `${bytes.length} bytes` : 'no PNG signature', expected: 'a PNG image (signature 89 50 4E 47 0D 0A 1A 0A, then IHDR)' });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const chunk = String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]);
  if (chunk !== 'IHDR') throw new DatasetError({ file: source, offset: 12, found: 'another chunk', expected: 'the IHDR chunk first' });
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
