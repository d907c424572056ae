// Inference on one drawn digit, keeping every layer's output so the inspector can show
// feature maps. Runs on the page's thread: one image through a small network takes well under
// a millisecond to a few milliseconds (the record network ≈ 10 ms a view).
import { type Tensor, createRng, jsKernels, tensor } from '@nnkit/tensor';
import { type Sequential, combinePredictions, shiftImage, ttaShifts } from './nnkit.js';

/** Class probabilities and each layer's output for one image. */
export interface Prediction {
  readonly probabilities: Float32Array;
  /** `activations[i]` is layer i's output, batch of one. */
  readonly activations: readonly Tensor[];
}

// Inference draws nothing random (dropout is off), but the Context contract wants a stream.
const inferenceContext = { kernels: jsKernels, training: false, rng: createRng('inference') };

/** `model`'s layers on `image`, each layer's output kept. */
function forward(model: Sequential, image: Float32Array): Tensor[] {
  let current = tensor([1, ...model.inputShape], image);
  const activations: Tensor[] = [];
  for (const layer of model.layers) {
    current = layer.forward(current, inferenceContext);
    activations.push(current);
  }
  return activations;
}

/**
 * Runs `image` (28×28 floats in [0, 1]) through `model`: its probabilities averaged over `views`
 * test-time views, the image and its one-pixel shifts in `ttaShifts`' order, as the page's test
 * evaluations and `nnkit predict --tta` average them; the activations are the image's own.
 */
export function predictImage(model: Sequential, image: Float32Array, views = 1): Prediction {
  const activations = forward(model, image.slice());
  const own = model.loss.probabilities(activations[activations.length - 1]).slice(0, 10);
  const shifts = ttaShifts.slice(1, views);
  if (shifts.length === 0) return { probabilities: own, activations };
  const shifted = shifts.map(([dx, dy]) => {
    const moved = new Float32Array(image.length);
    shiftImage(image, moved, dx, dy, model.inputShape);
    const output = forward(model, moved);
    return model.loss.probabilities(output[output.length - 1]).slice(0, 10);
  });
  // Averaged as evaluateWithTta averages views (combinePredictions); the per-view classes are not used.
  const perView = [own, ...shifted].map((probabilities) => ({ predictions: new Uint8Array(1), probabilities }));
  return { probabilities: combinePredictions(perView, 10, 'average').probabilities, activations };
}
