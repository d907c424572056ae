import type { BatchNormKernels } from '@nnkit/tensor';
import type { Workspace } from './workspace.js';

/** The module's batch normalisation entry points (byte pointers; see assembly/batch-norm.ts). */
export interface BatchNormExports {
  batchNormStatistics(x: number, rows: number, channels: number, mean: number, variance: number): void;
  batchNormForward(x: number, rows: number, channels: number, mean: number, inverseStd: number, gamma: number, beta: number, y: number, normalized: number, keep: number): void;
  batchNormGradientSums(dy: number, normalized: number, rows: number, channels: number, sumGrad: number, sumGradNormalized: number): void;
  batchNormInputGradient(dy: number, normalized: number, rows: number, channels: number, gamma: number, inverseStd: number, meanGrad: number, meanGradNormalized: number, dx: number): void;
}

function checkLength(what: string, array: ArrayLike<number>, needed: number): void {
  if (array.length < needed) throw new Error(`wasm kernels: batchNorm ${what} has ${array.length} elements, needs at least ${needed}`);
}

/**
 * Batch normalisation in WebAssembly (`Kernels.batchNorm`): float matrices are read and written
 * in place when they live in linear memory (`allocate`), copied otherwise; the per-channel
 * float64 arrays are copied in and out (a few hundred bytes).
 */
export function createBatchNorm(exports: BatchNormExports, workspace: Workspace, memory: WebAssembly.Memory): BatchNormKernels {
  /** Scratch room for a float matrix unless it is resident. */
  const room = (array: Float32Array, length: number): number => (workspace.address(array) >= 0 ? 0 : length);
  /** Where a kernel writes `length` floats of `target`: its own place, else the scratch region. */
  const outputAt = (target: Float32Array, scratch: number): number => {
    const at = workspace.address(target);
    return at >= 0 ? at : scratch;
  };
  const doubles = (at: number, count: number): Float64Array => new Float64Array(memory.buffer, at, count);

  return {
    statistics(x, rows, channels, mean, variance) {
      const length = rows * channels;
      checkLength('statistics x', x, length);
      checkLength('statistics mean', mean, channels);
      checkLength('statistics variance', variance, channels);
      const [xCopy, meanAt, varianceAt] = workspace.layout(room(x, length), 2 * channels, 2 * channels);
      const xAt = workspace.input(x, length, xCopy);
      exports.batchNormStatistics(xAt, rows, channels, meanAt, varianceAt);
      mean.set(doubles(meanAt, channels));
      variance.set(doubles(varianceAt, channels));
    },
    forward(x, rows, channels, mean, inverseStd, gamma, beta, y, normalized) {
      const length = rows * channels;
      checkLength('forward x', x, length);
      checkLength('forward y', y, length);
      if (normalized !== null) checkLength('forward normalized', normalized, length);
      const [xCopy, yCopy, normalizedCopy, meanAt, inverseStdAt, gammaCopy, betaCopy] = workspace.layout(
        room(x, length),
        room(y, length),
        normalized === null ? 0 : room(normalized, length),
        2 * channels,
        2 * channels,
        channels,
        channels,
      );
      const xAt = workspace.input(x, length, xCopy);
      doubles(meanAt, channels).set(mean.subarray(0, channels));
      doubles(inverseStdAt, channels).set(inverseStd.subarray(0, channels));
      const gammaAt = workspace.input(gamma, channels, gammaCopy);
      const betaAt = workspace.input(beta, channels, betaCopy);
      const yAt = outputAt(y, yCopy);
      const normalizedAt = normalized === null ? 0 : outputAt(normalized, normalizedCopy);
      exports.batchNormForward(xAt, rows, channels, meanAt, inverseStdAt, gammaAt, betaAt, yAt, normalizedAt, normalized === null ? 0 : 1);
      workspace.finish(yAt, y, length);
      if (normalized !== null) workspace.finish(normalizedAt, normalized, length);
    },
    gradientSums(dy, normalized, rows, channels, sumGrad, sumGradNormalized) {
      const length = rows * channels;
      checkLength('gradientSums dy', dy, length);
      checkLength('gradientSums normalized', normalized, length);
      checkLength('gradientSums sumGrad', sumGrad, channels);
      checkLength('gradientSums sumGradNormalized', sumGradNormalized, channels);
      const [dyCopy, normalizedCopy, sumAt, sumNormalizedAt] = workspace.layout(room(dy, length), room(normalized, length), 2 * channels, 2 * channels);
      const dyAt = workspace.input(dy, length, dyCopy);
      const normalizedAt = workspace.input(normalized, length, normalizedCopy);
      exports.batchNormGradientSums(dyAt, normalizedAt, rows, channels, sumAt, sumNormalizedAt);
      sumGrad.set(doubles(sumAt, channels));
      sumGradNormalized.set(doubles(sumNormalizedAt, channels));
    },
    inputGradient(dy, normalized, rows, channels, gamma, inverseStd, meanGrad, meanGradNormalized, dx) {
      const length = rows * channels;
      checkLength('inputGradient dy', dy, length);
      checkLength('inputGradient normalized', normalized, length);
      checkLength('inputGradient dx', dx, length);
      const [dyCopy, normalizedCopy, dxCopy, gammaCopy, inverseStdAt, meanGradAt, meanGradNormalizedAt] = workspace.layout(
        room(dy, length),
        room(normalized, length),
        room(dx, length),
        channels,
        2 * channels,
        2 * channels,
        2 * channels,
      );
      const dyAt = workspace.input(dy, length, dyCopy);
      const normalizedAt = workspace.input(normalized, length, normalizedCopy);
      const gammaAt = workspace.input(gamma, channels, gammaCopy);
      doubles(inverseStdAt, channels).set(inverseStd.subarray(0, channels));
      doubles(meanGradAt, channels).set(meanGrad.subarray(0, channels));
      doubles(meanGradNormalizedAt, channels).set(meanGradNormalized.subarray(0, channels));
      const dxAt = outputAt(dx, dxCopy);
      exports.batchNormInputGradient(dyAt, normalizedAt, rows, channels, gammaAt, inverseStdAt, meanGradAt, meanGradNormalizedAt, dxAt);
      workspace.finish(dxAt, dx, length);
    },
  };
}
