import type { Conv2dGeometry, Kernels, MatmulParams, Pool2dGeometry } from './kernels.js';
import { adamUpdate, momentumUpdate, rmspropUpdate } from './optimizer-updates.js';

// The oracle every backend is checked against: each kernel is written straight from its
// definition, one output (or one input) at a time, with no blocking, packing or hoisting,
// so that it can be verified by reading. Never use it for speed.

/** op(a)[i][p]: `a` is m×k, or k×m read transposed. */
function readA(a: Float32Array, i: number, p: number, params: MatmulParams): number {
  return params.transposeA ? a[p * params.m + i] : a[i * params.k + p];
}

/** op(b)[p][j]: `b` is k×n, or n×k read transposed. */
function readB(b: Float32Array, p: number, j: number, params: MatmulParams): number {
  return params.transposeB ? b[j * params.k + p] : b[p * params.n + j];
}

function matmul(a: Float32Array, b: Float32Array, out: Float32Array, params: MatmulParams): void {
  const { m, k, n } = params;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += readA(a, i, p, params) * readB(b, p, j, params);
      out[i * n + j] = params.accumulate ? out[i * n + j] + sum : sum;
    }
  }
}

/** Flat NHWC index of input pixel (y, x) channel c of image `image`, or -1 in the zero padding. */
function convInputIndex(g: Conv2dGeometry, image: number, y: number, x: number, c: number): number {
  if (y < 0 || y >= g.inputHeight || x < 0 || x >= g.inputWidth) return -1;
  return ((image * g.inputHeight + y) * g.inputWidth + x) * g.inputChannels + c;
}

/**
 * Visits every entry of the im2col matrix with the input index it reads (-1 for padding):
 * row (image, oy, ox), column (ky, kx, c).
 */
function forEachColumnEntry(g: Conv2dGeometry, visit: (columnIndex: number, inputIndex: number) => void): void {
  const patch = g.kernelHeight * g.kernelWidth * g.inputChannels;
  for (let image = 0; image < g.batch; image++) {
    for (let oy = 0; oy < g.outputHeight; oy++) {
      for (let ox = 0; ox < g.outputWidth; ox++) {
        const row = (image * g.outputHeight + oy) * g.outputWidth + ox;
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          for (let kx = 0; kx < g.kernelWidth; kx++) {
            for (let c = 0; c < g.inputChannels; c++) {
              const column = (ky * g.kernelWidth + kx) * g.inputChannels + c;
              const y = oy * g.strideHeight - g.padTop + ky;
              const x = ox * g.strideWidth - g.padLeft + kx;
              visit(row * patch + column, convInputIndex(g, image, y, x, c));
            }
          }
        }
      }
    }
  }
}

function im2col(input: Float32Array, columns: Float32Array, g: Conv2dGeometry): void {
  forEachColumnEntry(g, (columnIndex, inputIndex) => {
    columns[columnIndex] = inputIndex < 0 ? 0 : input[inputIndex];
  });
}

function col2im(columns: Float32Array, inputGrad: Float32Array, g: Conv2dGeometry): void {
  forEachColumnEntry(g, (columnIndex, inputIndex) => {
    if (inputIndex >= 0) inputGrad[inputIndex] += columns[columnIndex];
  });
}

/**
 * Visits every pooling window: `output` is the flat NHWC output index, `inputs` the flat input
 * indices of its window in row-major window order (py outer, px inner).
 */
function forEachPoolWindow(g: Pool2dGeometry, visit: (output: number, inputs: number[]) => void): void {
  for (let image = 0; image < g.batch; image++) {
    for (let oy = 0; oy < g.outputHeight; oy++) {
      for (let ox = 0; ox < g.outputWidth; ox++) {
        for (let c = 0; c < g.channels; c++) {
          const inputs: number[] = [];
          for (let py = 0; py < g.poolHeight; py++) {
            for (let px = 0; px < g.poolWidth; px++) {
              const y = oy * g.strideHeight + py;
              const x = ox * g.strideWidth + px;
              inputs.push(((image * g.inputHeight + y) * g.inputWidth + x) * g.channels + c);
            }
          }
          visit(((image * g.outputHeight + oy) * g.outputWidth + ox) * g.channels + c, inputs);
        }
      }
    }
  }
}

function maxPool2d(input: Float32Array, out: Float32Array, argmax: Int32Array, g: Pool2dGeometry): void {
  forEachPoolWindow(g, (output, inputs) => {
    // The first maximum in window order wins ties, so gradients go to one well-defined input.
    let best = inputs[0];
    for (const index of inputs) if (input[index] > input[best]) best = index;
    out[output] = input[best];
    argmax[output] = best;
  });
}

function maxPool2dBackward(outputGrad: Float32Array, argmax: Int32Array, inputGrad: Float32Array, g: Pool2dGeometry): void {
  forEachPoolWindow(g, (output) => {
    inputGrad[argmax[output]] += outputGrad[output];
  });
}

function avgPool2d(input: Float32Array, out: Float32Array, g: Pool2dGeometry): void {
  forEachPoolWindow(g, (output, inputs) => {
    let sum = 0;
    for (const index of inputs) sum += input[index];
    out[output] = sum / inputs.length;
  });
}

function avgPool2dBackward(outputGrad: Float32Array, inputGrad: Float32Array, g: Pool2dGeometry): void {
  forEachPoolWindow(g, (output, inputs) => {
    for (const index of inputs) inputGrad[index] += outputGrad[output] / inputs.length;
  });
}

function sumRows(a: Float32Array, out: Float32Array, m: number, n: number, accumulate = false): void {
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += a[i * n + j];
    out[j] = accumulate ? out[j] + sum : sum;
  }
}

function addRowVector(a: Float32Array, bias: Float32Array, m: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) a[i * n + j] += bias[j];
  }
}

function relu(x: Float32Array, y: Float32Array, length: number): void {
  for (let i = 0; i < length; i++) y[i] = x[i] > 0 || Number.isNaN(x[i]) ? x[i] : 0;
}

function reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, length: number): void {
  for (let i = 0; i < length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
}

function axpy(alpha: number, x: Float32Array, y: Float32Array, length: number): void {
  for (let i = 0; i < length; i++) {
    const sum: number = y[i] + alpha * x[i]; // a float64, rounded to float32 by the store
    y[i] = sum;
  }
}

function gatherBytes(bytes: Uint8Array, indices: ArrayLike<number>, start: number, end: number, size: number, table: Float32Array, out: Float32Array): void {
  for (let r = 0; r < end - start; r++) {
    for (let i = 0; i < size; i++) out[r * size + i] = table[bytes[indices[start + r] * size + i]];
  }
}

/**
 * Naive, obviously-correct kernels written straight from each definition: the oracle that the
 * conformance suite compares every backend with (slow; for tests only).
 */
export const referenceKernels: Kernels = {
  name: 'reference',
  matmul,
  im2col,
  col2im,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  sumRows,
  addRowVector,
  relu,
  reluBackward,
  axpy,
  adamUpdate,
  momentumUpdate,
  rmspropUpdate,
  gatherBytes,
};
