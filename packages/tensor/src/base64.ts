// Base64 over bytes, identical in Node and browsers: no Buffer, and no btoa/atob (they need
// binary strings, and one huge string built by concatenation is slow to flatten).

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const codes = new Uint8Array(alphabet.length);
for (let i = 0; i < alphabet.length; i++) codes[i] = alphabet.charCodeAt(i);
const values = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
const padCode = 61; // '='

/** Standard base64 (RFC 4648, with '=' padding) of `bytes`: 4 characters per 3 bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  // The characters are written as bytes and decoded once: linear time in every engine.
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const triple = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = codes[triple >> 18];
    out[o++] = codes[(triple >> 12) & 63];
    out[o++] = codes[(triple >> 6) & 63];
    out[o++] = codes[triple & 63];
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const triple = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out[o++] = codes[triple >> 18];
    out[o++] = codes[(triple >> 12) & 63];
    out[o++] = rest === 2 ? codes[(triple >> 6) & 63] : padCode;
    out[o++] = padCode;
  }
  return new TextDecoder().decode(out);
}

/**
 * The bytes of standard padded base64 `text` (3 bytes per 4 characters, less the padding).
 * Throws a TypeError naming `what` when the text is not base64 (bad length or character).
 */
export function decodeBase64(text: string, what = 'base64'): Uint8Array<ArrayBuffer> {
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
      // '=' only as the last one or two characters of the text.
      const isPadding = code === padCode && i + j >= text.length - padding;
      const value = isPadding ? 0 : code < 128 ? values[code] : -1;
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
// payloads; a big-endian host swaps each value's bytes so the text is little-endian everywhere.
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

/** float32 values as base64 of their little-endian IEEE-754 bytes (4 per value): a bit-exact, JSON-safe copy. */
export function encodeFloat32(data: Float32Array): string {
  const bytes = new Uint8Array(data.byteLength);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  if (!littleEndian) swapEveryFour(bytes);
  return encodeBase64(bytes);
}

/**
 * The inverse of `encodeFloat32`, bit for bit. Throws naming `what`: a TypeError when the text is
 * not base64, a RangeError when it holds a wrong number of bytes (not `expectedLength`·4 when
 * given, or not a multiple of 4).
 */
export function decodeFloat32(text: string, what = 'float32 base64', expectedLength?: number): Float32Array {
  const bytes = decodeBase64(text, what);
  // Invalid text is a TypeError (from decodeBase64), a wrong amount of data a RangeError.
  if (expectedLength !== undefined && bytes.length !== expectedLength * 4) {
    throw new RangeError(`${what}: expected ${expectedLength} float32 values (${expectedLength * 4} bytes), got ${bytes.length} bytes`);
  }
  if (bytes.length % 4 !== 0) throw new RangeError(`${what}: ${bytes.length} bytes is not a whole number of float32 values`);
  const count = bytes.length / 4;
  if (!littleEndian) swapEveryFour(bytes);
  return new Float32Array(bytes.buffer, 0, count);
}
