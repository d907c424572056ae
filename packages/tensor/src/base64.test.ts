import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeFloat32, encodeBase64, encodeFloat32 } from './base64.js';

describe('base64', () => {
  it('matches the RFC 4648 test vectors', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
    for (const [text, encoded] of vectors) {
      const bytes = new TextEncoder().encode(text);
      expect(encodeBase64(bytes)).toBe(encoded);
      expect(decodeBase64(encoded)).toEqual(bytes);
    }
  });

  it('agrees with btoa and round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const encoded = encodeBase64(bytes);
        expect(encoded).toBe(btoa(String.fromCharCode(...bytes)));
        expect(decodeBase64(encoded)).toEqual(bytes);
      }),
      { seed: 1 },
    );
  });

  it('rejects text that is not base64, naming what was decoded', () => {
    for (const bad of ['Zg=', 'Z===', 'Zm9*', 'Zg==Zg==', 'Zm 9v']) expect(() => decodeBase64(bad, 'payload')).toThrow(/^payload: /);
    expect(() => decodeBase64('AA*A', 'p')).toThrow('p: invalid base64 character at offset 2');
  });

  it('round-trips float32 values bit for bit, including -0, ±Infinity and NaN payloads (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 50 }), (bits) => {
        const values = new Float32Array(Uint32Array.from(bits).buffer);
        const decoded = decodeFloat32(encodeFloat32(values), 'values', values.length);
        expect(new Uint32Array(decoded.buffer)).toEqual(Uint32Array.from(bits));
      }),
      { seed: 2 },
    );
  });

  it('encodes little-endian IEEE-754 bytes: 1.0 is 00 00 80 3f, also from a view into a larger buffer', () => {
    expect(encodeFloat32(Float32Array.of(1))).toBe('AACAPw==');
    expect(encodeFloat32(Float32Array.of(2, 1, 3).subarray(1, 2))).toBe('AACAPw==');
  });

  it('rejects bad text and wrong lengths, naming the field', () => {
    expect(() => decodeFloat32('AAC', 'slots.m[0]')).toThrow(/slots\.m\[0\]: expected base64/);
    expect(() => decodeFloat32('AA*A', 'p')).toThrow('p: invalid base64 character at offset 2');
    expect(() => decodeFloat32('AAAA', 'p')).toThrow(RangeError);
    expect(() => decodeFloat32('AAAA', 'p')).toThrow('p: 3 bytes is not a whole number of float32 values');
    expect(() => decodeFloat32('AAAA', 'p', 1)).toThrow('p: expected 1 float32 values (4 bytes), got 3 bytes');
    expect(() => decodeFloat32('AA*A', 'p', 1)).toThrow(TypeError);
    expect(() => decodeFloat32('AACAPw==', 'p', 2)).toThrow('p: expected 2 float32 values (8 bytes), got 4 bytes');
  });
});
