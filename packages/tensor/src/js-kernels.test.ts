import { describe, expect, it } from 'vitest';
import { kernelConformanceChecks } from './conformance.js';
import { conv2dGeometry, pool2dGeometry } from './geometry.js';
import { jsKernels } from './js-kernels.js';
import { createPackedMatmul } from './js-matmul.js';
import type { Kernels, Pool2dGeometry } from './kernels.js';
import { referenceKernels } from './reference.js';

describe('jsKernels conformance', () => {
  for (const check of kernelConformanceChecks(jsKernels)) it(check.name, check.run);
});

describe('jsKernels conformance with tiny cache blocks', () => {
  // Blocks of 4–8 make the random cases cross every row, depth and column block boundary
  // (the default blocks are larger than most conformance cases).
  const tinyBlocks: Kernels = {
    ...jsKernels,
    name: 'js (tiny blocks)',
    matmul: createPackedMatmul({ rowBlock: 8, depthBlock: 5, columnBlock: 8 }),
  };
  const matmulChecks = kernelConformanceChecks(tinyBlocks, { numRuns: 25 }).filter((check) => check.name.startsWith('matmul'));
  for (const check of matmulChecks) it(check.name, check.run);
});

describe('the conformance suite catches broken kernels', () => {
  const run = (kernels: Kernels, prefix: string): void => {
    for (const check of kernelConformanceChecks(kernels, { numRuns: 20 })) if (check.name.startsWith(prefix)) check.run();
  };

  it('a matmul that ignores transposeB', () => {
    const broken: Kernels = { ...jsKernels, name: 'broken', matmul: (a, b, out, p) => jsKernels.matmul(a, b, out, { ...p, transposeB: false }) };
    expect(() => run(broken, 'matmul: out = A·Bᵀ')).toThrow(/broken\.matmul: element \d+ is/);
  });

  it('a col2im that overwrites instead of adding', () => {
    const broken: Kernels = {
      ...jsKernels,
      name: 'broken',
      col2im: (columns, inputGrad, g) => {
        inputGrad.fill(0, 0, g.batch * g.inputHeight * g.inputWidth * g.inputChannels);
        jsKernels.col2im(columns, inputGrad, g);
      },
    };
    expect(() => run(broken, 'col2im')).toThrow(/broken\.col2im/);
  });

  it('a max pool that lets the last maximum win ties', () => {
    const broken: Kernels = {
      ...jsKernels,
      name: 'broken',
      maxPool2d: lastMaximumPool,
    };
    expect(() => run(broken, 'maxPool2d:')).toThrow(/broken\.maxPool2d argmax/);
  });

  it('a relu that turns NaN into 0, and one that keeps the sign of −0', () => {
    const swallowsNaN: Kernels = {
      ...jsKernels,
      name: 'broken',
      relu: (x, y, length) => {
        for (let i = 0; i < length; i++) y[i] = x[i] > 0 ? x[i] : 0;
      },
    };
    expect(() => run(swallowsNaN, 'relu:')).toThrow(/broken\.relu: element \d+ is 0, expected NaN/);
    const leaksNegative: Kernels = {
      ...jsKernels,
      name: 'broken',
      relu: (x, y, length) => {
        for (let i = 0; i < length; i++) y[i] = x[i] >= 0 || Number.isNaN(x[i]) ? x[i] : Math.max(x[i], -1e-45);
      },
    };
    expect(() => run(leaksNegative, 'relu:')).toThrow(/broken\.relu/);
  });

  it('a reluBackward that passes the gradient at x = 0', () => {
    const broken: Kernels = {
      ...jsKernels,
      name: 'broken',
      reluBackward: (x, dy, dx, length) => {
        for (let i = 0; i < length; i++) dx[i] = x[i] >= 0 ? dy[i] : 0;
      },
    };
    expect(() => run(broken, 'reluBackward')).toThrow(/broken\.reluBackward/);
  });

  it('an axpy in float32 arithmetic', () => {
    const float32: Kernels = {
      ...jsKernels,
      name: 'broken',
      axpy: (alpha, x, y, length) => {
        for (let i = 0; i < length; i++) y[i] = Math.fround(y[i] + Math.fround(Math.fround(alpha) * x[i]));
      },
    };
    expect(() => run(float32, 'axpy')).toThrow(/broken\.axpy: element \d+ is/);
  });

  it('optimizer updates that round their state before using it, or ignore the penalties', () => {
    const roundsMoment: Kernels = {
      ...jsKernels,
      name: 'broken',
      adamUpdate: (w, grad, m, v, length, c) => {
        jsKernels.adamUpdate(w, grad, m, v, length, c);
        // Recomputes the step from the float32 moments: off by a rounding in some elements.
        for (let i = 0; i < length; i++) w[i] = Math.fround(w[i] + 1e-7 * m[i]);
      },
    };
    expect(() => run(roundsMoment, 'adamUpdate')).toThrow(/broken\.adamUpdate \(operand 0\): element \d+ is/);
    const noPenalty: Kernels = {
      ...jsKernels,
      name: 'broken',
      momentumUpdate: (w, grad, velocity, length, c) => jsKernels.momentumUpdate(w, grad, velocity, length, { ...c, l2: 0, l1: 0 }),
    };
    expect(() => run(noPenalty, 'momentumUpdate')).toThrow(/broken\.momentumUpdate/);
    const noMoment: Kernels = {
      ...jsKernels,
      name: 'broken',
      rmspropUpdate: (w, grad, meanSquare, _moment, length, c) => jsKernels.rmspropUpdate(w, grad, meanSquare, null, length, c),
    };
    expect(() => run(noMoment, 'rmspropUpdate')).toThrow(/broken\.rmspropUpdate/);
  });

  it('a kernel that writes past its output', () => {
    const broken: Kernels = {
      ...jsKernels,
      name: 'broken',
      sumRows: (a, out, m, n, accumulate) => {
        jsKernels.sumRows(a, out, m, n, accumulate);
        out[n] = 0;
      },
    };
    expect(() => run(broken, 'sumRows')).toThrow(/broken\.sumRows: wrote element/);
  });
});

/** Max pooling with `>=`: ties go to the last maximum in window order (the wrong one). */
function lastMaximumPool(input: Float32Array, out: Float32Array, argmax: Int32Array, g: Pool2dGeometry): void {
  let o = 0;
  for (let image = 0; image < g.batch; image++) {
    for (let oy = 0; oy < g.outputHeight; oy++) {
      for (let ox = 0; ox < g.outputWidth; ox++) {
        for (let c = 0; c < g.channels; c++, o++) {
          let best = -1;
          for (let py = 0; py < g.poolHeight; py++) {
            for (let px = 0; px < g.poolWidth; px++) {
              const index = ((image * g.inputHeight + oy * g.strideHeight + py) * g.inputWidth + ox * g.strideWidth + px) * g.channels + c;
              if (best < 0 || input[index] >= input[best]) best = index;
            }
          }
          out[o] = input[best];
          argmax[o] = best;
        }
      }
    }
  }
}

describe('referenceKernels on hand-computed cases', () => {
  it('matmul in all four transpose layouts', () => {
    // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]]:
    // AB = [[1·7+2·9+3·11, 1·8+2·10+3·12], [4·7+5·9+6·11, 4·8+5·10+6·12]] = [[58, 64], [139, 154]].
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const aT = new Float32Array([1, 4, 2, 5, 3, 6]);
    const b = new Float32Array([7, 8, 9, 10, 11, 12]);
    const bT = new Float32Array([7, 9, 11, 8, 10, 12]);
    const expected = [58, 64, 139, 154];
    for (const [left, right, transposeA, transposeB] of [
      [a, b, false, false],
      [aT, b, true, false],
      [a, bT, false, true],
      [aT, bT, true, true],
    ] as const) {
      const out = new Float32Array(4);
      referenceKernels.matmul(left, right, out, { m: 2, k: 3, n: 2, transposeA, transposeB });
      expect([...out]).toEqual(expected);
    }
  });

  it('matmul with accumulate adds to what is there', () => {
    const out = new Float32Array([1, 1, 1, 1]);
    referenceKernels.matmul(new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([7, 8, 9, 10, 11, 12]), out, { m: 2, k: 3, n: 2, accumulate: true });
    expect([...out]).toEqual([59, 65, 140, 155]);
  });

  it('im2col of a 3×3 image, 2×2 kernel, padding 1 on the top and left, stride 2', () => {
    // Image [[1,2,3],[4,5,6],[7,8,9]], one channel. Padded on top/left, windows start at
    // (-1,-1), (-1,1), (1,-1), (1,1): rows are [0,0,0,1], [0,0,2,3], [0,4,0,7], [5,6,8,9].
    const g = conv2dGeometry({ batch: 1, inputHeight: 3, inputWidth: 3, inputChannels: 1, kernelHeight: 2, kernelWidth: 2, strideHeight: 2, strideWidth: 2, pads: [1, 0, 1, 0] });
    expect([g.outputHeight, g.outputWidth]).toEqual([2, 2]);
    const columns = new Float32Array(16);
    referenceKernels.im2col(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), columns, g);
    expect([...columns]).toEqual([0, 0, 0, 1, 0, 0, 2, 3, 0, 4, 0, 7, 5, 6, 8, 9]);
  });

  it('im2col orders columns (ky, kx, channel) with channels innermost', () => {
    // 1×2 image with 2 channels: pixel 0 = (1, 2), pixel 1 = (3, 4); a 1×2 kernel sees both pixels.
    const g = conv2dGeometry({ batch: 1, inputHeight: 1, inputWidth: 2, inputChannels: 2, kernelHeight: 1, kernelWidth: 2 });
    const columns = new Float32Array(4);
    referenceKernels.im2col(new Float32Array([1, 2, 3, 4]), columns, g);
    expect([...columns]).toEqual([1, 2, 3, 4]);
  });

  it('col2im adds overlapping patches back: each pixel gets the count of windows covering it', () => {
    // 3×3 image, 2×2 kernel, stride 1: corners are in 1 window, edges in 2, the centre in 4.
    const g = conv2dGeometry({ batch: 1, inputHeight: 3, inputWidth: 3, inputChannels: 1, kernelHeight: 2, kernelWidth: 2 });
    const inputGrad = new Float32Array(9).fill(10);
    referenceKernels.col2im(new Float32Array(16).fill(1), inputGrad, g);
    expect([...inputGrad]).toEqual([11, 12, 11, 12, 14, 12, 11, 12, 11]);
  });

  it('max pool: overlapping 2×2 windows with stride 1, ties go to the first in window order', () => {
    // [[1, 3, 3], [2, 3, 0], [5, 5, 1]]: window (0,0) = {1,3,2,3} → 3 at index 1 (not 4);
    // (0,1) = {3,3,3,0} → index 1; (1,0) = {2,3,5,5} → index 6; (1,1) = {3,0,5,1} → index 7.
    const g = pool2dGeometry({ batch: 1, inputHeight: 3, inputWidth: 3, channels: 1, poolHeight: 2, poolWidth: 2, strideHeight: 1, strideWidth: 1 });
    const out = new Float32Array(4);
    const argmax = new Int32Array(4);
    referenceKernels.maxPool2d(new Float32Array([1, 3, 3, 2, 3, 0, 5, 5, 1]), out, argmax, g);
    expect([...out]).toEqual([3, 3, 5, 5]);
    expect([...argmax]).toEqual([1, 1, 6, 7]);
    const inputGrad = new Float32Array(9);
    referenceKernels.maxPool2dBackward(new Float32Array([1, 10, 100, 1000]), argmax, inputGrad, g);
    expect([...inputGrad]).toEqual([0, 11, 0, 0, 0, 0, 100, 1000, 0]);
  });

  it('average pool and its backward pass, two channels', () => {
    // 2×2 image, channels interleaved: channel 0 = [1, 2, 3, 4] (mean 2.5), channel 1 = [10, 20, 30, 40] (mean 25).
    const g = pool2dGeometry({ batch: 1, inputHeight: 2, inputWidth: 2, channels: 2, poolHeight: 2, poolWidth: 2 });
    const out = new Float32Array(2);
    referenceKernels.avgPool2d(new Float32Array([1, 10, 2, 20, 3, 30, 4, 40]), out, g);
    expect([...out]).toEqual([2.5, 25]);
    const inputGrad = new Float32Array(8).fill(1);
    referenceKernels.avgPool2dBackward(new Float32Array([4, 8]), inputGrad, g);
    expect([...inputGrad]).toEqual([2, 3, 2, 3, 2, 3, 2, 3]);
  });

  it('sumRows and addRowVector', () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const sums = new Float32Array([100, 100, 100]);
    referenceKernels.sumRows(a, sums, 2, 3);
    expect([...sums]).toEqual([5, 7, 9]);
    referenceKernels.sumRows(a, sums, 2, 3, true);
    expect([...sums]).toEqual([10, 14, 18]);
    referenceKernels.addRowVector(a, new Float32Array([10, 20, 30]), 2, 3);
    expect([...a]).toEqual([11, 22, 33, 14, 25, 36]);
  });
});

describe('jsKernels specifics', () => {
  it('matmul rejects buffers too small for m, k, n', () => {
    expect(() => jsKernels.matmul(new Float32Array(5), new Float32Array(6), new Float32Array(4), { m: 2, k: 3, n: 2 })).toThrow(
      'matmul: a has 5 values, needs m·k = 2·3 = 6',
    );
    expect(() => jsKernels.matmul(new Float32Array(6), new Float32Array(6), new Float32Array(4), { m: 2, k: 3.5, n: 2 })).toThrow(
      'matmul: k must be a non-negative integer, got 3.5',
    );
  });

  it('matmul gives the same answer on repeated calls of changing sizes (the scratch buffer is reused)', () => {
    const sizes = [[70, 300, 40], [9, 5, 13], [70, 300, 40]] as const;
    const results = sizes.map(([m, k, n]) => {
      const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
      const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
      const out = new Float32Array(m * n);
      jsKernels.matmul(a, b, out, { m, k, n });
      return out;
    });
    expect(firstDifference(results[2], results[0])).toBe(-1);
  });

  it('im2col and col2im on the MNIST first convolution shape agree with the reference', () => {
    // 28×28×1 → 5×5 kernel, valid: 24×24 rows of 25 columns (BENCHMARKS.md bench-cnn).
    const g = conv2dGeometry({ batch: 2, inputHeight: 28, inputWidth: 28, inputChannels: 1, kernelHeight: 5, kernelWidth: 5 });
    const input = Float32Array.from({ length: 2 * 28 * 28 }, (_, i) => (i % 17) / 17);
    const columns = new Float32Array(2 * 24 * 24 * 25);
    const expected = new Float32Array(columns.length);
    jsKernels.im2col(input, columns, g);
    referenceKernels.im2col(input, expected, g);
    expect(firstDifference(columns, expected)).toBe(-1);
    const inputGrad = new Float32Array(input.length);
    const expectedGrad = new Float32Array(input.length);
    jsKernels.col2im(columns, inputGrad, g);
    referenceKernels.col2im(columns, expectedGrad, g);
    expect(firstDifference(inputGrad, expectedGrad)).toBe(-1);
  });
});

/** The first index where the arrays differ, or -1 (cheaper than deep equality on big arrays). */
function firstDifference(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  return actual.findIndex((value, i) => value !== expected[i]);
}
