// Batch normalisation's loops over an `[rows, channels]` matrix (channels the last axis, rows
// every batch and spatial position), with per-channel statistics in float64. These are the
// reference: every backend's `batchNorm` must write the same bits, so each formula is written
// here in the order JavaScript evaluates it (float64 products and sums, no fused multiply-add,
// sums in row order), and a faster backend reproduces exactly that.

/**
 * Batch normalisation kernels (`Kernels.batchNorm`). Destination-passing like every kernel: the
 * per-channel float64 arrays and the outputs belong to the caller and are overwritten.
 */
export interface BatchNormKernels {
  /**
   * mean[c] = (Σ_r x[r·channels + c]) / rows, then variance[c] = (Σ_r d·d) / rows with
   * d = x − mean[c]: float64 sums in row order (two passes keep the variance accurate when
   * |μ| ≫ σ). Biased variance, as batch normalisation uses.
   */
  statistics(x: Float32Array, rows: number, channels: number, mean: Float64Array, variance: Float64Array): void;
  /**
   * v = (x − mean[c])·inverseStd[c] in float64; `normalized` (when not null) gets v as float32;
   * y = γ[c]·v + β[c] (float64, then float32).
   */
  forward(
    x: Float32Array, rows: number, channels: number, mean: Float64Array, inverseStd: Float64Array,
    gamma: Float32Array, beta: Float32Array, y: Float32Array, normalized: Float32Array | null,
  ): void;
  /** sumGrad[c] = Σ_r dy, sumGradNormalized[c] = Σ_r dy·x̂: float64 sums in row order. */
  gradientSums(dy: Float32Array, normalized: Float32Array, rows: number, channels: number, sumGrad: Float64Array, sumGradNormalized: Float64Array): void;
  /**
   * dx = γ[c]·inverseStd[c]·(dy − meanGrad[c] − x̂·meanGradNormalized[c]), evaluated left to
   * right in float64, then float32: the training input gradient given the per-channel means
   * Σdy/N and Σ(dy·x̂)/N.
   */
  inputGradient(
    dy: Float32Array, normalized: Float32Array, rows: number, channels: number, gamma: Float32Array,
    inverseStd: Float64Array, meanGrad: Float64Array, meanGradNormalized: Float64Array, dx: Float32Array,
  ): void;
}

/** The plain JavaScript batch normalisation loops: the reference every backend matches bit for bit. */
export const jsBatchNorm: BatchNormKernels = {
  statistics(x, rows, channels, mean, variance) {
    const length = rows * channels;
    mean.fill(0, 0, channels);
    for (let i = 0; i < length; i += channels) for (let c = 0; c < channels; c++) mean[c] += x[i + c];
    for (let c = 0; c < channels; c++) mean[c] /= rows;
    variance.fill(0, 0, channels);
    for (let i = 0; i < length; i += channels) {
      for (let c = 0; c < channels; c++) {
        const deviation = x[i + c] - mean[c];
        variance[c] += deviation * deviation;
      }
    }
    for (let c = 0; c < channels; c++) variance[c] /= rows;
  },
  forward(x, rows, channels, mean, inverseStd, gamma, beta, y, normalized) {
    const length = rows * channels;
    if (normalized === null) {
      for (let i = 0; i < length; i += channels) {
        for (let c = 0; c < channels; c++) y[i + c] = gamma[c] * ((x[i + c] - mean[c]) * inverseStd[c]) + beta[c];
      }
      return;
    }
    for (let i = 0; i < length; i += channels) {
      for (let c = 0; c < channels; c++) {
        const value = (x[i + c] - mean[c]) * inverseStd[c];
        normalized[i + c] = value;
        y[i + c] = gamma[c] * value + beta[c];
      }
    }
  },
  gradientSums(dy, normalized, rows, channels, sumGrad, sumGradNormalized) {
    const length = rows * channels;
    sumGrad.fill(0, 0, channels);
    sumGradNormalized.fill(0, 0, channels);
    for (let i = 0; i < length; i += channels) {
      for (let c = 0; c < channels; c++) {
        sumGrad[c] += dy[i + c];
        sumGradNormalized[c] += dy[i + c] * normalized[i + c];
      }
    }
  },
  inputGradient(dy, normalized, rows, channels, gamma, inverseStd, meanGrad, meanGradNormalized, dx) {
    const length = rows * channels;
    for (let i = 0; i < length; i += channels) {
      for (let c = 0; c < channels; c++) {
        dx[i + c] = gamma[c] * inverseStd[c] * (dy[i + c] - meanGrad[c] - normalized[i + c] * meanGradNormalized[c]);
      }
    }
  },
};
