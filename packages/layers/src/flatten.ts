import { sizeOf, type Param, type Shape, type Tensor } from '@nnkit/tensor';
import type { Context, Layer } from './layer.js';
import { defineLayer, readConfig } from './schema.js';
import { batchSizeOf } from './validation.js';

/** Config of the flattening layer (no options). */
export interface FlattenConfig {
  readonly kind: 'flatten';
}

/** The flatten layer's declaration. */
export const flattenSchema = defineLayer({
  kind: 'flatten',
  summary: 'reshapes [h, w, c] to [h·w·c]',
  fields: {},
  create: (config: FlattenConfig, inputShape: Shape) => new Flatten(config, inputShape),
});

/**
 * Reshapes `[batch, ...inputShape]` to `[batch, size]` (row-major, so NHWC pixels stay in
 * order). Data is shared, not copied: the output and the input gradient are views of the same
 * buffers, which no layer mutates.
 */
export class Flatten implements Layer<FlattenConfig> {
  readonly config: FlattenConfig = { kind: 'flatten' };
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: readonly Param[] = [];
  // Upstream layers reuse their buffers, so each view is built once per buffer.
  private readonly outputViews = new WeakMap<Float32Array, Tensor>();
  private readonly inputGradViews = new WeakMap<Float32Array, Tensor>();

  constructor(config: FlattenConfig, inputShape: Shape) {
    readConfig(flattenSchema, config);
    this.inputShape = [...inputShape];
    this.outputShape = [sizeOf(inputShape)];
  }

  forward(input: Tensor, _context: Context): Tensor {
    const batch = batchSizeOf(input, this.inputShape, 'flatten forward');
    return view(this.outputViews, input.data, batch, this.outputShape);
  }

  backward(outputGrad: Tensor, _context: Context): Tensor {
    const batch = batchSizeOf(outputGrad, this.outputShape, 'flatten backward');
    return view(this.inputGradViews, outputGrad.data, batch, this.inputShape);
  }
}

function view(cache: WeakMap<Float32Array, Tensor>, data: Float32Array, batch: number, shape: Shape): Tensor {
  let result = cache.get(data);
  if (result === undefined) {
    result = { shape: [batch, ...shape], data };
    cache.set(data, result);
  }
  return result;
}
