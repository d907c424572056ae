import { conv2dGeometry, jsKernels, pool2dGeometry } from '@nnkit/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { supportsWasmFeatures } from './binary.js';
import { createWasmKernelsSync } from './wasm-kernels.js';

const kernels = createWasmKernelsSync({ memoryPages: 1 });

/** Values in [-1, 1) from a linear congruential generator (tests need values, not statistics). */
function randomArray(length: number, seed: number): Float32Array {
  const array = new Float32Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    array[i] = state / 2147483648 - 1;
  }
  return array;
}

const convolutions = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  inputHeight: fc.integer({ min: 1, max: 9 }),
  inputWidth: fc.integer({ min: 1, max: 9 }),
  inputChannels: fc.integer({ min: 1, max: 6 }),
  kernelHeight: fc.integer({ min: 1, max: 4 }),
  kernelWidth: fc.integer({ min: 1, max: 4 }),
  strideHeight: fc.integer({ min: 1, max: 3 }),
  strideWidth: fc.integer({ min: 1, max: 3 }),
  pads: fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3)),
});

const pools = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  inputHeight: fc.integer({ min: 1, max: 9 }),
  inputWidth: fc.integer({ min: 1, max: 9 }),
  channels: fc.integer({ min: 1, max: 9 }),
  poolHeight: fc.integer({ min: 1, max: 3 }),
  poolWidth: fc.integer({ min: 1, max: 3 }),
  strideHeight: fc.integer({ min: 1, max: 3 }),
  strideWidth: fc.integer({ min: 1, max: 3 }),
});

describe('wasm im2col and col2im', () => {
  it('equal jsKernels exactly on random geometries with padding and strides', () => {
    fc.assert(
      fc.property(convolutions, fc.integer(), (options, seed) => {
        const g = conv2dGeometry(options);
        const inputSize = g.batch * g.inputHeight * g.inputWidth * g.inputChannels;
        const columnsSize = g.batch * g.outputHeight * g.outputWidth * g.kernelHeight * g.kernelWidth * g.inputChannels;
        const input = randomArray(inputSize, seed);
        const expected = new Float32Array(columnsSize).fill(7);
        const actual = new Float32Array(columnsSize).fill(-7);
        jsKernels.im2col(input, expected, g);
        kernels.im2col(input, actual, g);
        expect(actual).toEqual(expected);
        // col2im adds into what is there; the order of additions is the reference's, so exact.
        const columns = randomArray(columnsSize, seed + 1);
        const expectedGrad = randomArray(inputSize, seed + 2);
        const actualGrad = expectedGrad.slice();
        jsKernels.col2im(columns, expectedGrad, g);
        kernels.col2im(columns, actualGrad, g);
        expect(actualGrad).toEqual(expectedGrad);
      }),
      { numRuns: 150 },
    );
  });

  it('unfolds a 3×3 image with one channel and padding 1 (hand-written golden values)', () => {
    const g = conv2dGeometry({ batch: 1, inputHeight: 3, inputWidth: 3, inputChannels: 1, kernelHeight: 3, kernelWidth: 3, pads: [1, 1, 1, 1], strideHeight: 2, strideWidth: 2 });
    const columns = new Float32Array(4 * 9);
    kernels.im2col(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), columns, g);
    // Output pixels at (0,0), (0,2), (2,0), (2,2); each window centred on an image corner.
    expect(Array.from(columns)).toEqual([
      0, 0, 0, 0, 1, 2, 0, 4, 5,
      0, 0, 0, 2, 3, 0, 5, 6, 0,
      0, 4, 5, 0, 7, 8, 0, 0, 0,
      5, 6, 0, 8, 9, 0, 0, 0, 0,
    ]);
  });
});

describe('wasm max pooling', () => {
  it('equals jsKernels exactly (values and argmax) and scatters gradients back', () => {
    fc.assert(
      fc.property(pools, fc.integer(), fc.boolean(), (options, seed, coarse) => {
        const g = pool2dGeometry(options);
        const inputSize = g.batch * g.inputHeight * g.inputWidth * g.channels;
        const outSize = g.batch * g.outputHeight * g.outputWidth * g.channels;
        // Coarse values (a few levels) make ties common: the first maximum must win.
        const input = randomArray(inputSize, seed).map((x) => (coarse ? Math.round(x * 2) : x));
        const expected = new Float32Array(outSize);
        const expectedArgmax = new Int32Array(outSize);
        const actual = new Float32Array(outSize);
        const actualArgmax = new Int32Array(outSize);
        jsKernels.maxPool2d(input, expected, expectedArgmax, g);
        kernels.maxPool2d(input, actual, actualArgmax, g);
        expect(actual).toEqual(expected);
        expect(actualArgmax).toEqual(expectedArgmax);
        const outputGrad = randomArray(outSize, seed + 1);
        const expectedGrad = randomArray(inputSize, seed + 2);
        const actualGrad = expectedGrad.slice();
        jsKernels.maxPool2dBackward(outputGrad, expectedArgmax, expectedGrad, g);
        kernels.maxPool2dBackward(outputGrad, actualArgmax, actualGrad, g);
        expect(actualGrad).toEqual(expectedGrad);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps -Infinity and the first of tied maxima, like the reference', () => {
    const g = pool2dGeometry({ batch: 1, inputHeight: 2, inputWidth: 2, channels: 5, poolHeight: 2, poolWidth: 2 });
    const input = new Float32Array(20).fill(-Infinity);
    input.set([3, 1, 1, 1, 1], 5); // pixel (0, 1)
    input.set([3, 1, 1, 1, 2], 15); // pixel (1, 1)
    const out = new Float32Array(5);
    const argmax = new Int32Array(5);
    kernels.maxPool2d(input, out, argmax, g);
    expect(Array.from(out)).toEqual([3, 1, 1, 1, 2]);
    expect(Array.from(argmax)).toEqual([5, 6, 7, 8, 19]);
  });

  it('rejects a window that ends outside the input', () => {
    const g = { ...pool2dGeometry({ batch: 1, inputHeight: 4, inputWidth: 4, channels: 1, poolHeight: 2, poolWidth: 2 }), outputWidth: 3 };
    expect(() => kernels.maxPool2d(new Float32Array(16), new Float32Array(6), new Int32Array(6), g)).toThrow(
      'wasm kernels: maxPool2d: a 2×2 window at the last output ends outside the 4×4 input',
    );
  });
});

describe('wasm row-vector kernels', () => {
  it('addRowVector and sumRows equal jsKernels exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 23 }), fc.boolean(), fc.integer(), (m, n, accumulate, seed) => {
        const a = randomArray(m * n, seed);
        const bias = randomArray(n, seed + 1);
        const expected = a.slice();
        const actual = a.slice();
        jsKernels.addRowVector(expected, bias, m, n);
        kernels.addRowVector(actual, bias, m, n);
        expect(actual).toEqual(expected);
        const expectedSum = randomArray(n + 2, seed + 2);
        const actualSum = expectedSum.slice();
        jsKernels.sumRows(a, expectedSum, m, n, accumulate);
        kernels.sumRows(a, actualSum, m, n, accumulate);
        expect(actualSum).toEqual(expectedSum);
      }),
      { numRuns: 100 },
    );
  });
});

describe('wasm kernels object', () => {
  it('is a full backend named wasm that inherits average pooling from jsKernels', () => {
    expect(kernels.name).toBe('wasm');
    expect(kernels.avgPool2d).toBe(jsKernels.avgPool2d);
    expect(kernels.avgPool2dBackward).toBe(jsKernels.avgPool2dBackward);
    // What the backend accelerates, by name: a kernel that silently falls back to JavaScript
    // (an override lost in the spread) or a new override without its conformance cases fails here.
    const overridden = (Object.keys(jsKernels) as (keyof typeof jsKernels)[]).filter((key) => kernels[key] !== jsKernels[key]);
    expect(overridden).toEqual(['name', 'matmul', 'im2col', 'col2im', 'maxPool2d', 'maxPool2dBackward', 'sumRows', 'addRowVector', 'relu', 'reluBackward', 'axpy', 'adamUpdate', 'momentumUpdate', 'rmspropUpdate', 'gatherBytes']);
  });
});

describe('allocated arrays (shared memory)', () => {
  it('stay valid and in place while memory grows, and kernels on them equal jsKernels', () => {
    const shared = createWasmKernelsSync({ memoryPages: 1, sharedMemory: true });
    const allocate = shared.allocate;
    if (allocate === undefined) throw new Error('expected allocate over a shared memory');
    const m = 300;
    const k = 70;
    const n = 50;
    const a = allocate(m * k);
    a.set(randomArray(m * k, 1));
    const pagesBefore = shared.memory.buffer.byteLength / 65536;
    // Larger than the first page: memory grows, and `a` must keep its values.
    const b = allocate(k * n);
    b.set(randomArray(k * n, 2));
    const out = allocate(m * n);
    const big = allocate(1 << 20);
    expect(shared.memory.buffer.byteLength / 65536).toBeGreaterThan(pagesBefore);
    expect(Array.from(a.subarray(0, 5))).toEqual(Array.from(randomArray(5, 1)));
    expect(big.every((value) => value === 0)).toBe(true);
    shared.matmul(a, b, out, { m, k, n });
    const expected = new Float32Array(m * n);
    jsKernels.matmul(a.slice(), b.slice(), expected, { m, k, n });
    for (let i = 0; i < m * n; i++) expect(Math.abs(out[i] - expected[i])).toBeLessThan(1e-4);
    // In place, through views too: relu on the second half of `out`.
    const half = out.subarray((m * n) / 2);
    shared.relu(half, half, half.length);
    expect(half.every((value) => value >= 0)).toBe(true);
    for (let i = 0; i < (m * n) / 2; i++) expect(Math.abs(out[i] - expected[i])).toBeLessThan(1e-4);
    for (let i = (m * n) / 2; i < m * n; i++) expect(out[i]).toBe(Math.max(0, out[i]));
  });

  it('is offered only over a shared memory', () => {
    expect(createWasmKernelsSync({ sharedMemory: false }).allocate).toBeUndefined();
    expect(typeof createWasmKernelsSync({ sharedMemory: true }).allocate).toBe('function');
    expect(() => createWasmKernelsSync({ sharedMemory: true }).allocate?.(-1)).toThrow('wasm kernels: allocate: length must be a non-negative integer, got -1');
  });
});

describe('instruction sets', () => {
  it('uses relaxed SIMD by default where the engine accepts it, plain SIMD on request', () => {
    expect(createWasmKernelsSync().features).toBe(supportsWasmFeatures('relaxed-simd') ? 'relaxed-simd' : 'simd');
    expect(createWasmKernelsSync({ relaxedSimd: false }).features).toBe('simd');
  });
});
