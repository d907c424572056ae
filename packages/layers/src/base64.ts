// Base64 over bytes, identical in Node and browsers (no Buffer; btoa/atob need binary strings).

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const codes = new Uint8Array(alphabet.length);
for (let i = 0; i < alphabet.length; i++) codes[i] = alphabet.charCodeAt(i);
const values = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
const padCode = 61; // '='

/** Standard base64 (RFC 4648, with '=' padding) of `bytes`. */
export function encodeBase64(bytes: Uint8Array): string {
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

/** The bytes of standard base64 `text`, or null when it is not valid base64 (bad character or length). */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let quad = 0;
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      const isPadding = code === padCode && i + 4 === text.length && j >= 4 - padding;
      const value = isPadding ? 0 : code < 128 ? values[code] : -1;
      if (value < 0) return null;
      quad = (quad << 6) | value;
    }
    if (o < out.length) out[o++] = quad >> 16;
    if (o < out.length) out[o++] = (quad >> 8) & 255;
    if (o < out.length) out[o++] = quad & 255;
  }
  return out;
}

/** float32 values as little-endian bytes (the file format's byte order on every platform). */
export function float32ToBytes(data: Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return bytes;
}

/** Little-endian bytes (length a multiple of 4) back to float32 values, bit for bit. */
export function bytesToFloat32(bytes: Uint8Array): Float32Array {
  const data = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(i * 4, true);
  return data;
}
