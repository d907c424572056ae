import { preprocessDigit, toGray } from '@nnkit/datasets';
import { type Sequential, loadModel } from '@nnkit/layers';
import { createRng, jsKernels, tensor } from '@nnkit/tensor';

/** What a classifier says about one image. */
export interface DigitPrediction {
  /** The most probable class (0–9 for MNIST). */
  readonly digit: number;
  /** One probability per class, summing to 1. */
  readonly probabilities: Float32Array;
}

/** A loaded model that reads digits: MNIST-style pixels, or a drawing from a canvas. */
export interface DigitClassifier {
  /** The network, for inspection (`model.summary()`). */
  readonly model: Sequential;
  /**
   * Classifies one MNIST-style image: `28 × 28` gray values, white ink on black, bytes 0–255
   * (`Uint8Array`) or floats 0–1 (`Float32Array`).
   */
  predict(pixels: Uint8Array | Float32Array): DigitPrediction;
  /**
   * Classifies a drawing (an `ImageData` or any `{width, height, data}` RGBA picture, ink of any
   * colour on a light or transparent background): gray, fitted into 20×20 and centred by centre
   * of mass like MNIST (`preprocessDigit`), then `predict`. Blank drawings give `digit: -1`.
   */
  predictDrawing(image: { readonly width: number; readonly height: number; readonly data: ArrayLike<number> }): DigitPrediction;
}

// Inference draws nothing random (dropout is off), but the layer Context wants a stream.
const context = { kernels: jsKernels, training: false, rng: createRng('inference') };

/** Index of the largest value (the first one on ties). */
function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * Builds a classifier from the text of an nnkit model file (`nnkit train --out model.json`);
 * errors name `source` and the offending field.
 */
export function loadClassifier(text: string, source = 'model'): DigitClassifier {
  const { model } = loadModel(text, source);
  const size = model.inputShape.reduce((product, side) => product * side, 1);
  const predict = (pixels: Uint8Array | Float32Array): DigitPrediction => {
    if (pixels.length !== size) throw new RangeError(`predict: ${pixels.length} pixels, expected ${model.inputShape.join('×')} = ${size}`);
    const input = pixels instanceof Float32Array ? pixels.slice() : Float32Array.from(pixels, (value) => value / 255);
    const output = model.forward(tensor([1, ...model.inputShape], input), context);
    const probabilities = model.loss.probabilities(output).slice();
    return { digit: argmax(probabilities), probabilities };
  };
  return {
    model,
    predict,
    predictDrawing(image) {
      const digit = preprocessDigit(toGray(image.data, image.width, image.height), image.width, image.height);
      if (!digit.some((value) => value > 0)) return { digit: -1, probabilities: new Float32Array(model.outputShape[model.outputShape.length - 1]) };
      return predict(digit);
    },
  };
}

/** Downloads a model file with `fetch` and builds its classifier; errors name the URL. */
export async function fetchClassifier(url: string, options: { fetch?: (url: string) => Promise<Response> } = {}): Promise<DigitClassifier> {
  const response = await (options.fetch ?? ((address: string) => fetch(address)))(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}; expected an nnkit model file`);
  return loadClassifier(await response.text(), url);
}
