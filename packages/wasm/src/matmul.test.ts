import { jsKernels, type MatmulParams } from '@nnkit/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWasmKernels, createWasmKernelsSync } from './wasm-kernels.js';

/** Integer-valued inputs in [-4, 4]: every product and sum below 2^24 is exact in float32. */
function integerArray(length: number, seed: number): Float32Array {
  const array = new Float32Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    array[i] = (state >>> 24) % 9 - 4;
  }
  return array;
}

/** The definition, one dot product per entry, in float64. */
function naiveMatmul(a: Float32Array, b: Float32Array, start: Float32Array, p: MatmulParams): Float32Array {
  const out = new Float32Array(p.m * p.n);
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.n; j++) {
      let sum = p.accumulate ? start[i * p.n + j] : 0;
      for (let q = 0; q < p.k; q++) {
        sum += (p.transposeA ? a[q * p.m + i] : a[i * p.k + q]) * (p.transposeB ? b[j * p.k + q] : b[q * p.n + j]);
      }
      out[i * p.n + j] = sum;
    }
  }
  return out;
}

const variants = [
  { relaxedSimd: false, label: 'simd' },
  { relaxedSimd: undefined, label: 'default features' },
];

describe.each(variants)('wasm matmul ($label)', ({ relaxedSimd }) => {
  const kernels = createWasmKernelsSync({ relaxedSimd, memoryPages: 1 });

  it('matches the definition exactly on integer inputs for every size 1..17, both transposes, accumulate', () => {
    for (let m = 1; m <= 17; m++) {
      for (let k = 1; k <= 17; k += m % 3 === 0 ? 1 : 4) {
        for (let n = 1; n <= 17; n++) {
          for (const flags of [0, 1, 2, 3, 4, 7]) {
            const p = { m, k, n, transposeA: (flags & 1) !== 0, transposeB: (flags & 2) !== 0, accumulate: (flags & 4) !== 0 };
            const a = integerArray(m * k, m * 31 + k);
            const b = integerArray(k * n, n * 17 + k);
            const start = integerArray(m * n, m + n);
            const out = start.slice();
            kernels.matmul(a, b, out, p);
            expect(Array.from(out), JSON.stringify(p)).toEqual(Array.from(naiveMatmul(a, b, start, p)));
          }
        }
      }
    }
  });

  it('crosses block boundaries (rows > 64, depth > 256) and grows its memory', () => {
    for (const p of [
      { m: 130, k: 600, n: 35 },
      { m: 67, k: 257, n: 9, transposeA: true, accumulate: true },
      { m: 5, k: 1030, n: 70, transposeB: true },
      { m: 200, k: 513, n: 8, transposeA: true, transposeB: true },
      // Transposed A with many rows and a depth that does not divide the row-block size: the
      // dense weight gradient of a 1152-input layer at batch 50 once stepped off the float grid.
      { m: 1152, k: 50, n: 10, transposeA: true },
      { m: 512, k: 49, n: 10, transposeA: true, accumulate: true },
      // At most 16 rows, B is read in place however wide: dense layers at batch 10.
      { m: 10, k: 1000, n: 1000 },
      { m: 10, k: 640, n: 1000, accumulate: true },
      { m: 16, k: 300, n: 131 },
      { m: 3, k: 257, n: 100, transposeA: true },
      { m: 1, k: 5, n: 999 },
    ]) {
      const a = integerArray(p.m * p.k, 3);
      const b = integerArray(p.k * p.n, 4);
      const start = integerArray(p.m * p.n, 5);
      const out = start.slice();
      kernels.matmul(a, b, out, p);
      expect(Array.from(out), JSON.stringify(p)).toEqual(Array.from(naiveMatmul(a, b, start, p)));
    }
    expect(kernels.memory.buffer.byteLength).toBeGreaterThan(65536);
  });

  it('agrees with jsKernels on random real inputs (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 40 }),
          k: fc.integer({ min: 1, max: 300 }),
          n: fc.integer({ min: 1, max: 40 }),
          transposeA: fc.boolean(),
          transposeB: fc.boolean(),
          accumulate: fc.boolean(),
        }),
        fc.integer(),
        (p, seed) => {
          const a = integerArray(p.m * p.k, seed).map((x) => x * 0.37 + 0.01);
          const b = integerArray(p.k * p.n, seed + 1).map((x) => x * 0.11 - 0.02);
          const expected = integerArray(p.m * p.n, seed + 2);
          const out = expected.slice();
          jsKernels.matmul(a, b, expected, p);
          kernels.matmul(a, b, out, p);
          for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(expected[i], 3);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('handles empty products: k = 0 clears (or keeps) out, m = 0 or n = 0 touch nothing', () => {
    const out = new Float32Array([1, 2, 3, 4]);
    kernels.matmul(new Float32Array(0), new Float32Array(0), out, { m: 2, k: 0, n: 2, accumulate: true });
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    kernels.matmul(new Float32Array(0), new Float32Array(0), out, { m: 2, k: 0, n: 2 });
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    kernels.matmul(new Float32Array(0), new Float32Array(3), out, { m: 0, k: 3, n: 1 });
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it('only writes the m×n prefix of a longer out', () => {
    const out = new Float32Array(7).fill(9);
    kernels.matmul(new Float32Array([1, 2]), new Float32Array([3, 4]), out, { m: 2, k: 1, n: 2 });
    expect(Array.from(out)).toEqual([3, 4, 6, 8, 9, 9, 9]);
  });

  it('rejects buffers that are too short with a one-line error naming the operand', () => {
    expect(() => kernels.matmul(new Float32Array(5), new Float32Array(6), new Float32Array(4), { m: 2, k: 3, n: 2 })).toThrow(
      'wasm kernels: matmul a has 5 elements, needs at least 6',
    );
  });
});

describe('createWasmKernels', () => {
  it('compiles asynchronously to the same backend', async () => {
    const kernels = await createWasmKernels({ relaxedSimd: false });
    expect(kernels.name).toBe('wasm');
    expect(kernels.features).toBe('simd');
    const out = new Float32Array(1);
    kernels.matmul(new Float32Array([1, 2]), new Float32Array([3, 4]), out, { m: 1, k: 2, n: 1 });
    expect(out[0]).toBe(11);
  });

  it('rejects a bad memory size', () => {
    expect(() => createWasmKernelsSync({ memoryPages: 0 })).toThrow('memoryPages must be an integer in [1, 65536], got 0');
  });
});
