import type { Kernels, Param, Rng, Shape, Tensor } from '@nnkit/tensor';

/**
 * What a layer gets at run time: the kernels backend for every inner reduction, whether this
 * is a training pass (dropout and batch norm behave differently), and the seeded stream for
 * anything random during the pass (dropout masks).
 */
export interface Context {
  readonly kernels: Kernels;
  readonly training: boolean;
  readonly rng: Rng;
}

/** A layer's JSON-able constructor arguments; `kind` names its registry entry (camelCase). */
export interface LayerConfig {
  readonly kind: string;
}

/**
 * A named non-trainable tensor a layer updates itself (batch norm's running statistics): saved
 * and loaded with the model like a parameter, but never handed to an optimizer.
 */
export interface LayerState {
  readonly name: string;
  readonly value: Tensor;
}

/**
 * One step of a network, its forward and backward pass written side by side.
 *
 * - Shapes are per example (no batch); the tensors passed to forward/backward are batched:
 *   `[batch, ...inputShape]` in, `[batch, ...outputShape]` out.
 * - `forward` never mutates its input and caches what `backward` needs.
 * - `backward` receives dLoss/dOutput (already divided by the batch size by the loss), returns
 *   dLoss/dInput and ADDS the parameter gradients into `param.grad` (summed over the batch).
 *   It uses what the latest `forward` cached, so calling it twice adds the gradients twice.
 * - Returned tensors belong to the layer: it reuses them for the next call with the same batch
 *   size (so a training step allocates nothing), and a smaller batch's tensors are views into a
 *   larger batch's (`BufferPool`). Copy one to keep it past the next call.
 * - `needInputGrad: false` (the first layer of a model) lets a layer skip computing dLoss/dInput;
 *   the returned tensor's contents are then unspecified. Parameter gradients are always added.
 * - `state` holds non-trainable tensors saved with the model (omit it when there are none).
 */
export interface Layer<C extends LayerConfig = LayerConfig> {
  readonly config: C;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: readonly Param[];
  readonly state?: readonly LayerState[];
  /** The layer's output for a batch `[batch, ...inputShape]` → `[batch, ...outputShape]`; caches what `backward` needs. */
  forward(input: Tensor, context: Context): Tensor;
  /** Adds dLoss/dparam into each `param.grad` and returns dLoss/dInput (unspecified when `needInputGrad` is false). */
  backward(outputGrad: Tensor, context: Context, needInputGrad?: boolean): Tensor;
}
