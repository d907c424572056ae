// Inference on one drawn digit, keeping every layer's output so the inspector can show
// feature maps. Runs on the page's thread: one image through a small network takes well under
// a millisecond to a few milliseconds.
import { type Tensor, createRng, jsKernels, tensor } from '@nnkit/tensor';
import type { Sequential } from './nnkit.js';

/** Class probabilities and each layer's output for one image. */
export interface Prediction {
  readonly probabilities: Float32Array;
  /** `activations[i]` is layer i's output, batch of one. */
  readonly activations: readonly Tensor[];
}

// Inference draws nothing random (dropout is off), but the Context contract wants a stream.
const inferenceContext = { kernels: jsKernels, training: false, rng: createRng('inference') };

/** Runs `image` (28×28 floats in [0, 1]) through `model`. */
export function predictImage(model: Sequential, image: Float32Array): Prediction {
  let current = tensor([1, ...model.inputShape], image.slice());
  const activations: Tensor[] = [];
  for (const layer of model.layers) {
    current = layer.forward(current, inferenceContext);
    activations.push(current);
  }
  return { probabilities: model.loss.probabilities(current).slice(0, 10), activations };
}
