import { describe, expect, it } from 'vitest';
import { fromFloat16Bits, toFloat16Bits } from './float16.js';
import { decodeWeights, encodeWeights } from './weights.js';

describe('float16', () => {
  it('rounds to the nearest half, ties to even, overflowing to infinity', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(65520)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(2 ** -25)).toBe(0x0000); // a tie between 0 and the smallest subnormal: even is 0
    expect(toFloat16Bits(3 * 2 ** -25)).toBe(0x0002);
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie: stays on the even 1.0
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(fromFloat16Bits(0x3555)).toBeCloseTo(1 / 3, 3);
  });

  it('reads back every finite half exactly', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00) continue; // ∞ and NaN
      expect(toFloat16Bits(fromFloat16Bits(bits))).toBe(bits === 0x8000 ? 0x8000 : bits);
    }
  });
});

describe('weight shards', () => {
  const weights = [
    { name: 'a', shape: [2, 3], data: Float32Array.of(-1.5, 0, 0.25, 3, 2.75, -0.125) },
    { name: 'b', shape: [2], data: Float32Array.of(7, 7) },
  ];

  it('keep float32 values exactly', () => {
    const { specs, data } = encodeWeights(weights);
    expect(data.length).toBe(32);
    const decoded = decodeWeights(specs, data);
    expect(decoded.get('a')?.data).toEqual(weights[0].data);
    expect(decoded.get('b')?.shape).toEqual([2]);
  });

  it('store uint8 affine per tensor (TensorFlow.js convention): zero exact, errors within half a step', () => {
    const { specs, data } = encodeWeights(weights, 'uint8');
    expect(data.length).toBe(8);
    const spec = specs[0].quantization as { dtype: 'uint8'; scale: number; min: number };
    expect(spec.dtype).toBe('uint8');
    expect(spec.scale).toBeCloseTo(4.5 / 255, 12);
    const decoded = decodeWeights(specs, data).get('a')?.data as Float32Array;
    expect(decoded[1]).toBe(0);
    decoded.forEach((value, i) => expect(Math.abs(value - weights[0].data[i])).toBeLessThanOrEqual(spec.scale / 2 + 1e-6));
    expect(decodeWeights(specs, data).get('b')?.data).toEqual(Float32Array.of(7, 7));
  });

  it('store float16 as 2 bytes a value', () => {
    const { specs, data } = encodeWeights(weights, 'float16');
    expect(data.length).toBe(16);
    expect(specs[0].quantization).toEqual({ dtype: 'float16' });
    expect(decodeWeights(specs, data).get('a')?.data).toEqual(weights[0].data); // all exact in half precision
  });

  it('name the weight a short shard cannot hold, and extra bytes', () => {
    const { specs, data } = encodeWeights(weights);
    expect(() => decodeWeights(specs, data.subarray(0, 30))).toThrow('the weight shard is too short: b [2] needs bytes 24–32, the shard has 30');
    expect(() => decodeWeights(specs, new Uint8Array(40))).toThrow('the weight shard has 40 bytes, the manifest describes 32');
    expect(() => decodeWeights([{ name: 'c', shape: [1], dtype: 'int32' }], data)).toThrow('weightsManifest[0].dtype (c): only float32 weights are supported, got "int32"');
  });
});
