import { weightsPng } from './png.js';

/**
 * The first trainable layer's weights, as saved: a `conv2d` kernel of shape
 * `[kernelHeight, kernelWidth, inputChannels, filters]` (layout `'hwio'`, the im2col column
 * order) or `[filters, kernelHeight, kernelWidth, inputChannels]` (`'ohwi'`), or a `dense`
 * matrix `[inputs, units]` whose inputs are the pixels of an `imageShape` image.
 */
export interface FirstLayerWeights {
  readonly kind: string;
  readonly weights: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly layout?: 'hwio' | 'ohwi';
  /** Image the dense inputs come from, `[height, width]`; default the square root of the inputs. */
  readonly imageShape?: readonly [number, number];
}

/** One picture per filter or hidden unit. */
export interface WeightImages {
  readonly kind: 'conv2d' | 'dense';
  readonly width: number;
  readonly height: number;
  /** Total filters or units in the layer (more than `images.length` when limited). */
  readonly total: number;
  readonly images: readonly { readonly label: string; readonly png: Uint8Array; readonly limit: number }[];
}

/**
 * Each conv filter (averaged over input channels) or each dense unit's incoming weights
 * reshaped to the input image, as diverging-colour PNGs scaled per picture to its own
 * largest |w| (blue negative, white 0, red positive). Returns null for other layer kinds.
 */
export function firstLayerImages(layer: FirstLayerWeights, limit = 48): WeightImages | null {
  const size = layer.shape.reduce((a, b) => a * b, 1);
  if (size !== layer.weights.length) {
    throw new Error(`firstLayer: shape [${layer.shape.join(', ')}] holds ${size} weights but ${layer.weights.length} were given`);
  }
  const picture = (values: Float64Array, width: number, height: number, label: string) => {
    let largest = 0;
    for (const value of values) largest = Math.max(largest, Math.abs(value));
    return { label, png: weightsPng(values, width, height), limit: largest };
  };
  if (layer.kind === 'conv2d' && layer.shape.length === 4) {
    const ohwi = layer.layout === 'ohwi';
    const [kernelHeight, kernelWidth, channels, filters] = ohwi
      ? [layer.shape[1], layer.shape[2], layer.shape[3], layer.shape[0]]
      : layer.shape;
    const images = [];
    for (let f = 0; f < Math.min(filters, limit); f++) {
      const values = new Float64Array(kernelHeight * kernelWidth);
      for (let p = 0; p < kernelHeight * kernelWidth; p++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) {
          sum += ohwi
            ? layer.weights[(f * kernelHeight * kernelWidth + p) * channels + c]
            : layer.weights[(p * channels + c) * filters + f];
        }
        values[p] = sum / channels;
      }
      images.push(picture(values, kernelWidth, kernelHeight, `filter ${f + 1}`));
    }
    return { kind: 'conv2d', width: kernelWidth, height: kernelHeight, total: filters, images };
  }
  if (layer.kind === 'dense' && layer.shape.length === 2) {
    const [inputs, units] = layer.shape;
    const side = Math.round(Math.sqrt(inputs));
    const [height, width] = layer.imageShape ?? [side, side];
    if (height * width !== inputs) return null;
    const images = [];
    for (let u = 0; u < Math.min(units, limit); u++) {
      const values = new Float64Array(inputs);
      for (let i = 0; i < inputs; i++) values[i] = layer.weights[i * units + u];
      images.push(picture(values, width, height, `unit ${u + 1}`));
    }
    return { kind: 'dense', width, height, total: units, images };
  }
  return null;
}
