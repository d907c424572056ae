const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const codes = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) codes[alphabet.charCodeAt(i)] = i;

/** Standard base64 (RFC 4648, padded) of bytes, without `Buffer` or `btoa` so it runs anywhere. */
export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    chunk += alphabet[a >> 2] + alphabet[((a & 3) << 4) | (b >> 4)];
    chunk += i + 1 < bytes.length ? alphabet[((b & 15) << 2) | (c >> 6)] : '=';
    chunk += i + 2 < bytes.length ? alphabet[c & 63] : '=';
    // Flush now and then: one huge string built by += is slow to flatten in some engines.
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** Bytes of a padded base64 string; throws naming `what` when the text is not base64. */
export function decodeBase64(text: string, what = 'base64'): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 !== 0) {
    throw new TypeError(`${what}: expected base64 text whose length is a multiple of 4`);
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let quad = 0;
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      const isPad = code === 61 && i + j >= text.length - padding;
      const value = isPad ? 0 : code < 128 ? codes[code] : -1;
      if (value < 0) throw new TypeError(`${what}: invalid base64 character at offset ${i + j}`);
      quad = (quad << 6) | value;
    }
    if (o < bytes.length) bytes[o++] = (quad >> 16) & 255;
    if (o < bytes.length) bytes[o++] = (quad >> 8) & 255;
    if (o < bytes.length) bytes[o++] = quad & 255;
  }
  return bytes;
}

// On little-endian hosts (all current ones) bytes are copied as they are, which also keeps NaN
// payloads; a big-endian host swaps each value's bytes so files stay little-endian everywhere.
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function swapEveryFour(bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i += 4) {
    let swap = bytes[i];
    bytes[i] = bytes[i + 3];
    bytes[i + 3] = swap;
    swap = bytes[i + 1];
    bytes[i + 1] = bytes[i + 2];
    bytes[i + 2] = swap;
  }
}

/** Float32 values as base64 of their little-endian IEEE-754 bytes: a bit-exact, JSON-safe copy. */
export function encodeFloat32(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  if (!littleEndian) swapEveryFour(bytes);
  return encodeBase64(bytes);
}

/**
 * The inverse of `encodeFloat32`. `expectedLength` (number of floats), when given, is checked so
 * a state saved for another model fails here with a message naming `what`.
 */
export function decodeFloat32(text: string, what: string, expectedLength?: number): Float32Array {
  const bytes = decodeBase64(text, what);
  if (bytes.length % 4 !== 0) throw new TypeError(`${what}: ${bytes.length} bytes is not a whole number of float32 values`);
  const count = bytes.length / 4;
  if (expectedLength !== undefined && count !== expectedLength) {
    throw new RangeError(`${what}: expected ${expectedLength} float32 values, got ${count}`);
  }
  if (!littleEndian) swapEveryFour(bytes);
  return new Float32Array(bytes.buffer, 0, count);
}
