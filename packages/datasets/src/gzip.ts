import { DatasetError } from './dataset-error.js';

/** True when `bytes` start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip `bytes` with the platform's `DecompressionStream` (browsers, Node ≥ 18);
 * bytes without the gzip magic are returned unchanged. Corrupt or truncated gzip data raises a
 * `DatasetError` naming `fileName`.
 */
export async function gunzipIfNeeded(bytes: Uint8Array, fileName: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  if (typeof DecompressionStream !== 'function') {
    throw new DatasetError({ file: fileName, expected: 'uncompressed data (this platform has no DecompressionStream to gunzip it)' });
  }
  try {
    return await pipeBytes(bytes, new DecompressionStream('gzip'));
  } catch (error) {
    throw new DatasetError({
      file: fileName,
      found: `corrupt gzip data (${error instanceof Error ? error.message : String(error)})`,
      expected: 'a complete gzip stream',
    });
  }
}

/** Compresses `bytes` to gzip with the platform's `CompressionStream`. */
export async function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  if (typeof CompressionStream !== 'function') throw new Error('gzipBytes: this platform has no CompressionStream');
  return pipeBytes(bytes, new CompressionStream('gzip'));
}

async function pipeBytes(bytes: Uint8Array, transform: GenericTransformStream): Promise<Uint8Array> {
  // Copy into a fresh ArrayBuffer: Blob wants an ArrayBuffer-backed view, and a Node Buffer may
  // share a larger pooled one.
  const stream = new Blob([bytes.slice()]).stream().pipeThrough(transform as TransformStream<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
