import type { Kernels, Param, Rng, Shape, Tensor } from '@nnkit/tensor';

/** The run-time context a model's layers receive (the same shape as `@nnkit/layers`' `Context`). */
export interface RunContext {
  readonly kernels: Kernels;
  readonly training: boolean;
  readonly rng: Rng;
}

/** The loss part of a model the loop uses (`@nnkit/layers`' `Loss`). */
export interface ModelLoss {
  readonly config: { readonly kind: string };
  /** Mean loss over the batch; writes dLoss/dOutput (already ÷ batch) into `outputGrad` when given. */
  compute(output: Tensor, labels: ArrayLike<number>, outputGrad: Float32Array | null): number;
  /** Class probabilities `[batch·classes]` from the network output. */
  probabilities(output: Tensor, out?: Float32Array): Float32Array;
}

/**
 * What `fit`, `evaluate` and `predict` need from a model: `Sequential` from `@nnkit/layers`
 * is one, and any object of this shape (a hand-written test model) works too.
 * `outputShape` is `[classes]`; `state` holds non-trainable tensors (batch-norm statistics)
 * that checkpoints save beside `params`.
 */
export interface TrainableModel {
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: readonly Param[];
  readonly state?: readonly { readonly name: string; readonly value: Tensor }[];
  readonly loss: ModelLoss;
  /**
   * Optional: the layers' output shapes (a `Sequential` has them), from which scoring sizes the
   * pieces a large batch runs forward in (see `Evaluator`).
   */
  readonly layers?: readonly { readonly outputShape: Shape }[];
  forward(input: Tensor, context: RunContext): Tensor;
  backward(outputGrad: Tensor, context: RunContext, options?: { readonly inputGrad?: boolean }): Tensor;
}

/** Index of the largest value in row `row` of a `[rows, classes]` matrix (first one on ties). */
export function argmaxRow(values: Float32Array, row: number, classes: number): number {
  const base = row * classes;
  let best = 0;
  let bestValue = values[base];
  for (let c = 1; c < classes; c++) {
    if (values[base + c] > bestValue) {
      bestValue = values[base + c];
      best = c;
    }
  }
  return best;
}

/** Milliseconds from a monotonic clock where there is one (`performance.now` in Node and browsers). */
export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
