import { createPackedMatmul } from './js-matmul.js';
import type { Conv2dGeometry, Kernels, Pool2dGeometry } from './kernels.js';
import { adamUpdate, momentumUpdate, rmspropUpdate } from './optimizer-updates.js';

// Convolution and pooling loops walk NHWC memory in order: for a fixed pixel all channels are
// adjacent, and for a fixed image row a whole kernel row (kernelWidth·channels values) is one
// contiguous run, so the inner loops are plain copies or additions over runs.

/**
 * From this many floats on, a run is copied with `TypedArray.set` (a native memmove): 2.3× faster
 * for the 100-float runs of a 5×5×20 kernel, while for 5-float runs the view it needs costs
 * five times the loop.
 */
const LONG_RUN = 32;

function im2col(input: Float32Array, columns: Float32Array, g: Conv2dGeometry): void {
  const { inputHeight, inputWidth, inputChannels, kernelHeight, kernelWidth, strideHeight, strideWidth } = g;
  const run = kernelWidth * inputChannels;
  const imageSize = inputHeight * inputWidth * inputChannels;
  const rowSize = inputWidth * inputChannels;
  let col = 0;
  for (let image = 0; image < g.batch; image++) {
    const imageBase = image * imageSize;
    for (let oy = 0; oy < g.outputHeight; oy++) {
      const y0 = oy * strideHeight - g.padTop;
      for (let ox = 0; ox < g.outputWidth; ox++) {
        const x0 = ox * strideWidth - g.padLeft;
        const wholeRowsInside = x0 >= 0 && x0 + kernelWidth <= inputWidth;
        for (let ky = 0; ky < kernelHeight; ky++) {
          const y = y0 + ky;
          if (y < 0 || y >= inputHeight) {
            columns.fill(0, col, col + run);
            col += run;
          } else if (wholeRowsInside) {
            const source = imageBase + y * rowSize + x0 * inputChannels;
            if (run >= LONG_RUN) {
              columns.set(input.subarray(source, source + run), col);
              col += run;
            } else {
              const offset = source - col;
              const end = col + run;
              for (; col + 4 <= end; col += 4) {
                columns[col] = input[offset + col];
                columns[col + 1] = input[offset + col + 1];
                columns[col + 2] = input[offset + col + 2];
                columns[col + 3] = input[offset + col + 3];
              }
              for (; col < end; col++) columns[col] = input[offset + col];
            }
          } else {
            for (let kx = 0; kx < kernelWidth; kx++) {
              const x = x0 + kx;
              if (x < 0 || x >= inputWidth) {
                columns.fill(0, col, col + inputChannels);
                col += inputChannels;
              } else {
                let source = imageBase + y * rowSize + x * inputChannels;
                for (let c = 0; c < inputChannels; c++) columns[col++] = input[source++];
              }
            }
          }
        }
      }
    }
  }
}

function col2im(columns: Float32Array, inputGrad: Float32Array, g: Conv2dGeometry): void {
  const { inputHeight, inputWidth, inputChannels, kernelHeight, kernelWidth, strideHeight, strideWidth } = g;
  const run = kernelWidth * inputChannels;
  const imageSize = inputHeight * inputWidth * inputChannels;
  const rowSize = inputWidth * inputChannels;
  let col = 0;
  for (let image = 0; image < g.batch; image++) {
    const imageBase = image * imageSize;
    for (let oy = 0; oy < g.outputHeight; oy++) {
      const y0 = oy * strideHeight - g.padTop;
      for (let ox = 0; ox < g.outputWidth; ox++) {
        const x0 = ox * strideWidth - g.padLeft;
        const wholeRowsInside = x0 >= 0 && x0 + kernelWidth <= inputWidth;
        for (let ky = 0; ky < kernelHeight; ky++) {
          const y = y0 + ky;
          if (y < 0 || y >= inputHeight) {
            col += run;
          } else if (wholeRowsInside) {
            const target = imageBase + y * rowSize + x0 * inputChannels - col;
            const end = col + run;
            // Four adds per step while they fit (the loop overhead dominates short steps).
            for (; col + 4 <= end; col += 4) {
              inputGrad[target + col] += columns[col];
              inputGrad[target + col + 1] += columns[col + 1];
              inputGrad[target + col + 2] += columns[col + 2];
              inputGrad[target + col + 3] += columns[col + 3];
            }
            for (; col < end; col++) inputGrad[target + col] += columns[col];
          } else {
            for (let kx = 0; kx < kernelWidth; kx++) {
              const x = x0 + kx;
              if (x < 0 || x >= inputWidth) {
                col += inputChannels;
              } else {
                let target = imageBase + y * rowSize + x * inputChannels;
                for (let c = 0; c < inputChannels; c++) inputGrad[target++] += columns[col++];
              }
            }
          }
        }
      }
    }
  }
}

// Pooling visits each output pixel once and, for each window element in row-major window order,
// sweeps the contiguous channels; `out`/`argmax` hold the running maxima (or sums).

function maxPool2d(input: Float32Array, out: Float32Array, argmax: Int32Array, g: Pool2dGeometry): void {
  const { channels, inputWidth, poolHeight, poolWidth } = g;
  const imageSize = g.inputHeight * inputWidth * channels;
  const rowSize = inputWidth * channels;
  let o = 0;
  for (let image = 0; image < g.batch; image++) {
    const imageBase = image * imageSize;
    for (let oy = 0; oy < g.outputHeight; oy++) {
      for (let ox = 0; ox < g.outputWidth; ox++, o += channels) {
        const windowBase = imageBase + oy * g.strideHeight * rowSize + ox * g.strideWidth * channels;
        for (let c = 0; c < channels; c++) {
          out[o + c] = input[windowBase + c];
          argmax[o + c] = windowBase + c;
        }
        for (let py = 0; py < poolHeight; py++) {
          for (let px = py === 0 ? 1 : 0; px < poolWidth; px++) {
            const pixel = windowBase + py * rowSize + px * channels;
            for (let c = 0; c < channels; c++) {
              const value = input[pixel + c];
              // Strictly greater: ties keep the first element in window order.
              if (value > out[o + c]) {
                out[o + c] = value;
                argmax[o + c] = pixel + c;
              }
            }
          }
        }
      }
    }
  }
}

function maxPool2dBackward(outputGrad: Float32Array, argmax: Int32Array, inputGrad: Float32Array, g: Pool2dGeometry): void {
  const size = g.batch * g.outputHeight * g.outputWidth * g.channels;
  for (let o = 0; o < size; o++) inputGrad[argmax[o]] += outputGrad[o];
}

function avgPool2d(input: Float32Array, out: Float32Array, g: Pool2dGeometry): void {
  const { channels, inputWidth, poolHeight, poolWidth } = g;
  const imageSize = g.inputHeight * inputWidth * channels;
  const rowSize = inputWidth * channels;
  const scale = 1 / (poolHeight * poolWidth);
  let o = 0;
  for (let image = 0; image < g.batch; image++) {
    const imageBase = image * imageSize;
    for (let oy = 0; oy < g.outputHeight; oy++) {
      for (let ox = 0; ox < g.outputWidth; ox++, o += channels) {
        const windowBase = imageBase + oy * g.strideHeight * rowSize + ox * g.strideWidth * channels;
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let py = 0; py < poolHeight; py++) {
            let pixel = windowBase + py * rowSize + c;
            for (let px = 0; px < poolWidth; px++, pixel += channels) sum += input[pixel];
          }
          out[o + c] = sum * scale;
        }
      }
    }
  }
}

function avgPool2dBackward(outputGrad: Float32Array, inputGrad: Float32Array, g: Pool2dGeometry): void {
  const { channels, inputWidth, poolHeight, poolWidth } = g;
  const imageSize = g.inputHeight * inputWidth * channels;
  const rowSize = inputWidth * channels;
  const scale = 1 / (poolHeight * poolWidth);
  let o = 0;
  for (let image = 0; image < g.batch; image++) {
    const imageBase = image * imageSize;
    for (let oy = 0; oy < g.outputHeight; oy++) {
      for (let ox = 0; ox < g.outputWidth; ox++, o += channels) {
        const windowBase = imageBase + oy * g.strideHeight * rowSize + ox * g.strideWidth * channels;
        for (let py = 0; py < poolHeight; py++) {
          for (let px = 0; px < poolWidth; px++) {
            const pixel = windowBase + py * rowSize + px * channels;
            for (let c = 0; c < channels; c++) inputGrad[pixel + c] += outputGrad[o + c] * scale;
          }
        }
      }
    }
  }
}

// The row kernels take four columns per step (2.3× faster on 20 columns than one: the loop
// overhead of short rows dominates); every element still sees the same additions in the same
// order, so results are bit-identical to the one-at-a-time loops.

function sumRows(a: Float32Array, out: Float32Array, m: number, n: number, accumulate = false): void {
  if (!accumulate) out.fill(0, 0, n);
  const n4 = n & ~3;
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let j = 0;
    for (; j < n4; j += 4) {
      const r = row + j;
      out[j] += a[r];
      out[j + 1] += a[r + 1];
      out[j + 2] += a[r + 2];
      out[j + 3] += a[r + 3];
    }
    for (; j < n; j++) out[j] += a[row + j];
  }
}

function addRowVector(a: Float32Array, bias: Float32Array, m: number, n: number): void {
  const n4 = n & ~3;
  for (let i = 0; i < m; i++) {
    const row = i * n;
    let j = 0;
    for (; j < n4; j += 4) {
      const r = row + j;
      a[r] += bias[j];
      a[r + 1] += bias[j + 1];
      a[r + 2] += bias[j + 2];
      a[r + 3] += bias[j + 3];
    }
    for (; j < n; j++) a[row + j] += bias[j];
  }
}

// ReLU on the float bits, through Int32Array views: a comparison per element becomes a branch
// that the processor mispredicts half the time on activations (measured 6 ms against 1 ms for
// 737 280 values), so these kernels use sign and exponent masks instead.
const intViews = new WeakMap<Float32Array, Int32Array>();

function intView(array: Float32Array): Int32Array {
  let view = intViews.get(array);
  if (view === undefined) {
    view = new Int32Array(array.buffer, array.byteOffset, array.length);
    intViews.set(array, view);
  }
  return view;
}

/** 0x7f800000: the bits of +∞; |bits| above it is a NaN. */
const INFINITY_BITS = 0x7f800000;

function relu(x: Float32Array, y: Float32Array, length: number): void {
  const xi = intView(x);
  const yi = intView(y);
  for (let i = 0; i < length; i++) {
    const v = xi[i];
    // Keep v when its sign bit is clear (v >> 31 is 0) or when it is a NaN (0x7f800000 − |v| < 0).
    yi[i] = v & (~(v >> 31) | ((INFINITY_BITS - (v & 0x7fffffff)) >> 31));
  }
}

function reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, length: number): void {
  const xi = intView(x);
  const dyi = intView(dy);
  const dxi = intView(dx);
  for (let i = 0; i < length; i++) {
    // x > 0 exactly when its bits minus one lie in [0, +∞'s bits): not ±0, negative or NaN.
    const t = xi[i] - 1;
    dxi[i] = dyi[i] & ~(t >> 31) & ((t - INFINITY_BITS) >> 31);
  }
}

function axpy(alpha: number, x: Float32Array, y: Float32Array, length: number): void {
  for (let i = 0; i < length; i++) y[i] = y[i] + alpha * x[i];
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const wordViews = new WeakMap<Uint8Array, Uint32Array>();

/** `bytes` read 32 bits at a time (cached per array), or null when unaligned or on a big-endian machine. */
function wordsOf(bytes: Uint8Array): Uint32Array | null {
  if (!littleEndian || bytes.byteOffset % 4 !== 0) return null;
  let words = wordViews.get(bytes);
  if (words === undefined) {
    words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
    wordViews.set(bytes, words);
  }
  return words;
}

function gatherBytes(bytes: Uint8Array, indices: ArrayLike<number>, start: number, end: number, size: number, table: Float32Array, out: Float32Array): void {
  const words = size % 4 === 0 ? wordsOf(bytes) : null;
  for (let r = 0; r < end - start; r++) {
    const index = indices[start + r];
    let target = r * size;
    if (words !== null) {
      // Four pixels per 32-bit read (little-endian: the first pixel is the low byte): half the
      // time of a read per byte, the same table lookups.
      let source = (index * size) >> 2;
      const stop = source + (size >> 2);
      while (source < stop) {
        const word = words[source++];
        out[target] = table[word & 255];
        out[target + 1] = table[(word >>> 8) & 255];
        out[target + 2] = table[(word >>> 16) & 255];
        out[target + 3] = table[word >>> 24];
        target += 4;
      }
      continue;
    }
    let source = index * size;
    const stop = target + size;
    while (target < stop) out[target++] = table[bytes[source++]];
  }
}

/**
 * The default backend, plain JavaScript that runs anywhere: a packed, register-blocked matmul
 * (`createPackedMatmul`) and run-copying im2col/col2im. Faster backends spread it and override
 * what they accelerate. Checked against `referenceKernels` by the conformance suite.
 */
export const jsKernels: Kernels = {
  name: 'js',
  matmul: createPackedMatmul(),
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
