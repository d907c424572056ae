import type { Conv2dGeometry, Kernels, MatmulParams, Pool2dGeometry } from './kernels.js';

function matmul(a: Float32Array, b: Float32Array, out: Float32Array, p: MatmulParams): void {
  const { m, k, n } = p;
  if (!p.accumulate) out.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    for (let q = 0; q < k; q++) {
      const aiq = p.transposeA ? a[q * m + i] : a[i * k + q];
      if (aiq === 0) continue;
      const outRow = i * n;
      if (p.transposeB) {
        for (let j = 0; j < n; j++) out[outRow + j] += aiq * b[j * k + q];
      } else {
        const bRow = q * n;
        for (let j = 0; j < n; j++) out[outRow + j] += aiq * b[bRow + j];
      }
    }
  }
}

function im2col(input: Float32Array, columns: Float32Array, g: Conv2dGeometry): void {
  const patch = g.kernelHeight * g.kernelWidth * g.inputChannels;
  let row = 0;
  for (let b = 0; b < g.batch; b++) {
    const imageBase = b * g.inputHeight * g.inputWidth * g.inputChannels;
    for (let oy = 0; oy < g.outputHeight; oy++) {
      for (let ox = 0; ox < g.outputWidth; ox++, row++) {
        let col = row * patch;
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          const y = oy * g.strideHeight - g.padTop + ky;
          for (let kx = 0; kx < g.kernelWidth; kx++) {
            const x = ox * g.strideWidth - g.padLeft + kx;
            const inside = y >= 0 && y < g.inputHeight && x >= 0 && x < g.inputWidth;
            const base = imageBase + (y * g.inputWidth + x) * g.inputChannels;
            for (let c = 0; c < g.inputChannels; c++, col++) columns[col] = inside ? input[base + c] : 0;
          }
        }
      }
    }
  }
}

function col2im(columns: Float32Array, inputGrad: Float32Array, g: Conv2dGeometry): void {
  const patch = g.kernelHeight * g.kernelWidth * g.inputChannels;
  let row = 0;
  for (let b = 0; b < g.batch; b++) {
    const imageBase = b * g.inputHeight * g.inputWidth * g.inputChannels;
    for (let oy = 0; oy < g.outputHeight; oy++) {
      for (let ox = 0; ox < g.outputWidth; ox++, row++) {
        let col = row * patch;
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          const y = oy * g.strideHeight - g.padTop + ky;
          for (let kx = 0; kx < g.kernelWidth; kx++, col += g.inputChannels) {
            const x = ox * g.strideWidth - g.padLeft + kx;
            if (y < 0 || y >= g.inputHeight || x < 0 || x >= g.inputWidth) continue;
            const base = imageBase + (y * g.inputWidth + x) * g.inputChannels;
            for (let c = 0; c < g.inputChannels; c++) inputGrad[base + c] += columns[col + c];
          }
        }
      }
    }
  }
}

function maxPool2d(input: Float32Array, out: Float32Array, argmax: Int32Array, g: Pool2dGeometry): void {
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    const imageBase = b * g.inputHeight * g.inputWidth * g.channels;
    for (let oy = 0; oy < g.outputHeight; oy++) {
      for (let ox = 0; ox < g.outputWidth; ox++) {
        for (let c = 0; c < g.channels; c++, o++) {
          let best = -Infinity;
          let bestIndex = -1;
          for (let py = 0; py < g.poolHeight; py++) {
            const y = oy * g.strideHeight + py;
            for (let px = 0; px < g.poolWidth; px++) {
              const index = imageBase + (y * g.inputWidth + ox * g.strideWidth + px) * g.channels + c;
              // Strictly greater: ties go to the first element in row-major window order.
              if (input[index] > best || bestIndex < 0) {
                best = input[index];
                bestIndex = index;
              }
            }
          }
          out[o] = best;
          argmax[o] = bestIndex;
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
  const scale = 1 / (g.poolHeight * g.poolWidth);
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    const imageBase = b * g.inputHeight * g.inputWidth * g.channels;
    for (let oy = 0; oy < g.outputHeight; oy++) {
      for (let ox = 0; ox < g.outputWidth; ox++) {
        for (let c = 0; c < g.channels; c++, o++) {
          let sum = 0;
          for (let py = 0; py < g.poolHeight; py++) {
            const y = oy * g.strideHeight + py;
            for (let px = 0; px < g.poolWidth; px++) {
              sum += input[imageBase + (y * g.inputWidth + ox * g.strideWidth + px) * g.channels + c];
            }
          }
          out[o] = sum * scale;
        }
      }
    }
  }
}

function avgPool2dBackward(outputGrad: Float32Array, inputGrad: Float32Array, g: Pool2dGeometry): void {
  const scale = 1 / (g.poolHeight * g.poolWidth);
  let o = 0;
  for (let b = 0; b < g.batch; b++) {
    const imageBase = b * g.inputHeight * g.inputWidth * g.channels;
    for (let oy = 0; oy < g.outputHeight; oy++) {
      for (let ox = 0; ox < g.outputWidth; ox++) {
        for (let c = 0; c < g.channels; c++, o++) {
          const share = outputGrad[o] * scale;
          for (let py = 0; py < g.poolHeight; py++) {
            const y = oy * g.strideHeight + py;
            for (let px = 0; px < g.poolWidth; px++) {
              inputGrad[imageBase + (y * g.inputWidth + ox * g.strideWidth + px) * g.channels + c] += share;
            }
          }
        }
      }
    }
  }
}

function sumRows(a: Float32Array, out: Float32Array, m: number, n: number, accumulate = false): void {
  if (!accumulate) out.fill(0, 0, n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) out[j] += a[row + j];
  }
}

function addRowVector(a: Float32Array, bias: Float32Array, m: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) a[row + j] += bias[j];
  }
}

/** The reference backend in plain JavaScript: the executable specification of `Kernels`. */
export const jsKernels: Kernels = {
  name: 'js',
  matmul,
  im2col,
  col2im,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  sumRows,
  addRowVector,
};
