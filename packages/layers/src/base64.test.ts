import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToFloat32, decodeBase64, encodeBase64, float32ToBytes } from './base64.js';

describe('base64', () => {
  it('matches RFC 4648 test vectors', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map((s) => encodeBase64(text(s)))).toEqual([
      '',
      'Zg==',
      'Zm8=',
      'Zm9v',
      'Zm9vYg==',
      'Zm9vYmE=',
      'Zm9vYmFy',
    ]);
    expect(new TextDecoder().decode(decodeBase64('Zm9vYmE=') ?? undefined)).toBe('fooba');
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

  it('rejects invalid text', () => {
    for (const bad of ['Zg=', 'Z===', 'Zm9*', 'Zg==Zg==', 'Zm 9v']) expect(decodeBase64(bad)).toBeNull();
  });

  it('stores float32 little-endian, bit for bit', () => {
    const values = Float32Array.of(1, -0, 3.4028234663852886e38, 1.401298464324817e-45, Math.PI);
    expect([...float32ToBytes(Float32Array.of(1))]).toEqual([0, 0, 0x80, 0x3f]);
    const back = bytesToFloat32(float32ToBytes(values));
    expect([...back].map((x, i) => Object.is(x, values[i]))).toEqual([true, true, true, true, true]);
  });
});
