import type { Kernels } from './kernels.js';
import type { Shape } from './shape.js';
import { tensor, type Tensor } from './tensor.js';

/**
 * A trainable parameter: its value and the gradient accumulated by backward passes.
 * `grad` has `value`'s shape; optimizers read it and callers zero it between steps.
 * `regularize` is true for weights (L1/L2 apply) and false for biases and norms' shifts.
 */
export interface Param {
  readonly name: string;
  readonly value: Tensor;
  readonly grad: Tensor;
  readonly regularize: boolean;
  /** `false` keeps the value fixed (a frozen layer's): optimizers skip it. Absent means trainable. */
  trainable?: boolean;
}

/** A parameter of `shape`, value from `values` (or zeros), gradient zeroed. */
export function createParam(name: string, shape: Shape, values?: Float32Array, regularize = true): Param {
  return { name, value: tensor(shape, values), grad: tensor(shape), regularize };
}

/** Sets every gradient to zero, ready for the next mini-batch (with `kernels.zero` when given). */
export function zeroGrads(params: readonly Param[], kernels?: Kernels): void {
  for (const param of params) zeroFloats(kernels, param.grad.data);
}

/** `array.fill(0)`, by `kernels.zero` when the backend offers it (faster on its own memory). */
export function zeroFloats(kernels: Kernels | undefined, array: Float32Array): void {
  if (kernels?.zero) kernels.zero(array);
  else array.fill(0);
}
