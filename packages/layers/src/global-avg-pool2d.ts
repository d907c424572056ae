import type { Param, Shape, Tensor } from '@nnkit/tensor';
import { AvgPool2d } from './avg-pool2d.js';
import type { Context, Layer } from './layer.js';
import { defineLayer, readConfig } from './schema.js';
import { batchSizeOf, checkInputRank } from './validation.js';

/** Config of global average pooling (no options). */
export interface GlobalAvgPool2dConfig {
  readonly kind: 'globalAvgPool2d';
}

/** The globalAvgPool2d layer's declaration. */
export const globalAvgPool2dSchema = defineLayer({
  kind: 'globalAvgPool2d',
  summary: 'averages each channel over the whole map: [h, w, c] to [c]',
  fields: {},
  create: (config: GlobalAvgPool2dConfig, inputShape: Shape) => new GlobalAvgPool2d(config, inputShape),
});

/**
 * Global average pooling (Lin et al. 2014, "Network in Network"), NHWC: y[c] = (1/(h·w))·Σ x[i, j, c]
 * over the whole map, output `[channels]` so a dense layer follows without a flatten. Backward
 * spreads each dy[c] evenly: dx[i, j, c] = dy[c]/(h·w). It is average pooling with one h×w
 * window: an `AvgPool2d` does the work and this layer views its `[1, 1, c]` output as `[c]`.
 */
export class GlobalAvgPool2d implements Layer<GlobalAvgPool2dConfig> {
  readonly config: GlobalAvgPool2dConfig = { kind: 'globalAvgPool2d' };
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: readonly Param[] = [];
  private readonly pool: AvgPool2d;
  private readonly outputViews = new WeakMap<Float32Array, Tensor>();

  constructor(config: GlobalAvgPool2dConfig, inputShape: Shape) {
    readConfig(globalAvgPool2dSchema, config);
    checkInputRank('globalAvgPool2d', inputShape, [3], '[height, width, channels]');
    const [height, width, channels] = inputShape;
    this.inputShape = [height, width, channels];
    this.outputShape = [channels];
    this.pool = new AvgPool2d({ kind: 'avgPool2d', size: [height, width] }, this.inputShape);
  }

  forward(input: Tensor, context: Context): Tensor {
    batchSizeOf(input, this.inputShape, 'globalAvgPool2d forward');
    const pooled = this.pool.forward(input, context);
    let view = this.outputViews.get(pooled.data);
    if (view === undefined) {
      view = { shape: [pooled.shape[0], ...this.outputShape], data: pooled.data };
      this.outputViews.set(pooled.data, view);
    }
    return view;
  }

  backward(outputGrad: Tensor, context: Context): Tensor {
    const batch = batchSizeOf(outputGrad, this.outputShape, 'globalAvgPool2d backward');
    return this.pool.backward({ shape: [batch, 1, 1, this.outputShape[0]], data: outputGrad.data }, context);
  }
}
