import type { BatchNormKernels } from './batch-norm-kernels.js';

/**
 * Matrix product sizes: out (m×n) = op(a) (m×k) · op(b) (k×n), all row-major.
 * `transposeA`: `a` is stored k×m and read as its transpose; `transposeB`: `b` is stored n×k.
 * `accumulate`: add into `out` instead of overwriting it.
 */
export interface MatmulParams {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
  readonly accumulate?: boolean;
}

/**
 * A 2-D convolution's geometry, NHWC. Filters are HWIO (`[kernelHeight, kernelWidth,
 * inputChannels, outputChannels]`, as in TensorFlow), so the im2col matrix has one row per
 * output pixel (`batch·outputHeight·outputWidth` rows) and one column per (ky, kx, channel)
 * (`kernelHeight·kernelWidth·inputChannels` columns), and the convolution is
 * `columns · filters` reshaped to `[batch, outputHeight, outputWidth, outputChannels]`.
 * Padding is zeros; `padTop`/`padLeft` are the leading pads, trailing pads are implied by the
 * output size.
 */
export interface Conv2dGeometry {
  readonly batch: number;
  readonly inputHeight: number;
  readonly inputWidth: number;
  readonly inputChannels: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly outputHeight: number;
  readonly outputWidth: number;
}

/** A 2-D pooling window's geometry, NHWC, per channel; windows may overlap (stride < size). */
export interface Pool2dGeometry {
  readonly batch: number;
  readonly inputHeight: number;
  readonly inputWidth: number;
  readonly channels: number;
  readonly poolHeight: number;
  readonly poolWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly outputHeight: number;
  readonly outputWidth: number;
}

/**
 * The raw numeric operations every hot loop goes through. Destination-passing: callers own
 * every output buffer, so a training step allocates nothing. Derivatives live in the layers;
 * a backend implements only these. `jsKernels` is the reference; a faster backend spreads it
 * and overrides what it accelerates: `{ ...jsKernels, name: 'wasm', matmul }`.
 */
export interface Kernels {
  readonly name: string;
  /**
   * Optional: a zeroed array of `length` floats in the backend's own memory, which its kernels
   * read and write in place instead of copying (`@nnkit/wasm` over a shared memory). Layers
   * allocate their per-batch buffers through it when present (`new Float32Array(length)`
   * otherwise). Keep the returned array itself alive while it or a view of it is in use: the
   * backend may reuse its memory once the array is garbage-collected.
   */
  readonly allocate?: (length: number) => Float32Array;
  /**
   * Optional: sets every element of `array` to +0, as `array.fill(0)` does (use `zeroFloats`,
   * which falls back to it). A backend offers it when it zeroes its own memory faster: a
   * JavaScript engine fills an array over a SharedArrayBuffer element by element (V8: ≈ 10×
   * slower than over an ordinary one), where WebAssembly stores vectors.
   */
  zero?(array: Float32Array): void;
  /** out = op(a)·op(b) (+ out when accumulating). See `MatmulParams`. */
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, params: MatmulParams): void;
  /** Unfolds NHWC `input` into the im2col matrix `columns` (overwritten; pads are zeros). */
  im2col(input: Float32Array, columns: Float32Array, geometry: Conv2dGeometry): void;
  /** The adjoint of im2col: ADDS each column entry back into `inputGrad` at its pixel. */
  col2im(columns: Float32Array, inputGrad: Float32Array, geometry: Conv2dGeometry): void;
  /** out[b,oy,ox,c] = max over the window; `argmax` gets the flat input index of each maximum. */
  maxPool2d(input: Float32Array, out: Float32Array, argmax: Int32Array, geometry: Pool2dGeometry): void;
  /** ADDS each output gradient into `inputGrad` at its window's maximum (`argmax`). */
  maxPool2dBackward(outputGrad: Float32Array, argmax: Int32Array, inputGrad: Float32Array, geometry: Pool2dGeometry): void;
  /** out[b,oy,ox,c] = mean over the window. */
  avgPool2d(input: Float32Array, out: Float32Array, geometry: Pool2dGeometry): void;
  /** ADDS each output gradient, divided by the window size, into every input of its window. */
  avgPool2dBackward(outputGrad: Float32Array, inputGrad: Float32Array, geometry: Pool2dGeometry): void;
  /** out[j] (+)= Σ_i a[i·n + j] for an m×n matrix: bias gradients. */
  sumRows(a: Float32Array, out: Float32Array, m: number, n: number, accumulate?: boolean): void;
  /** a[i·n + j] += bias[j] for an m×n matrix, in place: adding biases. */
  addRowVector(a: Float32Array, bias: Float32Array, m: number, n: number): void;
  /**
   * y[i] = max(x[i], 0) for i < length (−0 gives 0; NaN stays NaN, as in PyTorch). `y` may be `x`.
   */
  relu(x: Float32Array, y: Float32Array, length: number): void;
  /**
   * dx[i] = dy[i] where x[i] > 0, else 0 (the derivative at 0 and at NaN is 0), for i < length:
   * the ReLU backward pass given its input `x`. `dx` may be `dy`.
   */
  reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, length: number): void;
  /**
   * y[i] = y[i] + alpha·x[i] for i < length, in place: a plain SGD step is `axpy(−η, grad, w)`.
   * Evaluated as JavaScript evaluates `y[i] + alpha * x[i]` on float32 arrays — a float64 product
   * and sum, rounded to float32 when stored; not float32 arithmetic and no fused multiply-add —
   * so every backend writes the same bytes.
   */
  axpy(alpha: number, x: Float32Array, y: Float32Array, length: number): void;

  /**
   * Optional: batch normalisation's per-channel loops (`jsBatchNorm` when absent), the same
   * bits as `jsBatchNorm` on every backend.
   */
  readonly batchNorm?: BatchNormKernels;
  // Optimizer updates (`optimizer-updates.ts`): one parameter's step, in place, defined as the
  // JavaScript loops compute it (float64 arithmetic, float32 stores), so every backend writes
  // the same bytes; a backend may take its fast path only for arrays in its own memory.
  /** Adam/AdamW on `length` weights `w` with moments `m`, `v` (see `AdamCoefficients`). */
  adamUpdate(w: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, length: number, coefficients: AdamCoefficients): void;
  /** Heavy-ball or Nesterov momentum on `length` weights `w` with `velocity` (see `MomentumCoefficients`). */
  momentumUpdate(w: Float32Array, grad: Float32Array, velocity: Float32Array, length: number, coefficients: MomentumCoefficients): void;
  /** RMSprop on `length` weights `w` with `meanSquare` and, when momentum > 0, `moment` (see `RmspropCoefficients`). */
  rmspropUpdate(w: Float32Array, grad: Float32Array, meanSquare: Float32Array, moment: Float32Array | null, length: number, coefficients: RmspropCoefficients): void;

  /**
   * A batch of images from a byte array, through a 256-entry table (pixel normalization):
   * out[r·size + i] = table[bytes[indices[start + r]·size + i]] for r < end − start, i < size.
   * The caller checks the indices; copies, so every backend writes the same floats.
   */
  gatherBytes(bytes: Uint8Array, indices: ArrayLike<number>, start: number, end: number, size: number, table: Float32Array, out: Float32Array): void;
}

/** What every optimizer update adds to the plain step: penalties on the gradient and decoupled decay. */
export interface PenaltyTerms {
  /** g ← g + l2·w + l1·sign(w) when either is non-zero (0 for a parameter that is not regularized). */
  readonly l2: number;
  readonly l1: number;
  /** η·λ of decoupled weight decay: w ← w − shrink·w − step (0: none). */
  readonly shrink: number;
}

/**
 * Adam's step for one parameter: m ← β₁m + (1−β₁)g; v ← β₂v + ((1−β₂)g)g;
 * w ← w − shrink·w − (η·(m/correction1)) / (√(v/correction2) + ε), with the unrounded m and v.
 */
export interface AdamCoefficients extends PenaltyTerms {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** 1 − β₁ᵗ and 1 − β₂ᵗ at step t. */
  readonly correction1: number;
  readonly correction2: number;
}

/**
 * Momentum's step: v ← μ·velocity + g; velocity ← v; w ← w − η·v (Nesterov: w ← w − η·(g + μv)).
 * Without penalties, decay or Nesterov the weight is updated as `w − η·v`, else as
 * `w − shrink·w − η·direction` (they differ only in the sign of a zero).
 */
export interface MomentumCoefficients extends PenaltyTerms {
  readonly learningRate: number;
  readonly momentum: number;
  readonly nesterov: boolean;
}

/**
 * RMSprop's step: s ← ρs + ((1−ρ)g)g; d = g/(√s + ε); with momentum μ > 0 d ← d + μ·moment,
 * moment ← d; w ← w − shrink·w − η·d.
 */
export interface RmspropCoefficients extends PenaltyTerms {
  readonly learningRate: number;
  readonly rho: number;
  readonly epsilon: number;
  readonly momentum: number;
}
