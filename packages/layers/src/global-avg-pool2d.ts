import { pool2dGeometry, tensor, type Param, type Pool2dGeometry, type Shape, type Tensor } from '@nnkit/tensor';
import { BatchCache } from './batch-cache.js';
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

interface GlobalPoolBuffers {
  readonly geometry: Pool2dGeometry;
  readonly output: Tensor;
  inputGrad: Tensor | null;
}

/**
 * Global average pooling (Lin et al. 2014, "Network in Network"), NHWC: y[c] = (1/(h·w))·Σ x[i, j, c]
 * over the whole map, output `[channels]` so a dense layer follows without a flatten. Backward
 * spreads each dy[c] evenly: dx[i, j, c] = dy[c]/(h·w). It is average pooling with one h×w
 * window, so it runs on the kernels' `avgPool2d`.
 */
export class GlobalAvgPool2d implements Layer<GlobalAvgPool2dConfig> {
  readonly config: GlobalAvgPool2dConfig = { kind: 'globalAvgPool2d' };
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: readonly Param[] = [];
  private readonly buffers: BatchCache<GlobalPoolBuffers>;
  private batch = 0;

  constructor(config: GlobalAvgPool2dConfig, inputShape: Shape) {
    readConfig(globalAvgPool2dSchema, config);
    checkInputRank('globalAvgPool2d', inputShape, [3], '[height, width, channels]');
    const [inputHeight, inputWidth, channels] = inputShape;
    this.inputShape = [inputHeight, inputWidth, channels];
    this.outputShape = [channels];
    this.buffers = new BatchCache((batch) => ({
      geometry: pool2dGeometry({ batch, inputHeight, inputWidth, channels, poolHeight: inputHeight, poolWidth: inputWidth }),
      output: tensor([batch, channels]),
      inputGrad: null,
    }));
  }

  forward(input: Tensor, context: Context): Tensor {
    const batch = batchSizeOf(input, this.inputShape, 'globalAvgPool2d forward');
    const buffers = this.buffers.get(batch);
    context.kernels.avgPool2d(input.data, buffers.output.data, buffers.geometry);
    this.batch = batch;
    return buffers.output;
  }

  backward(outputGrad: Tensor, context: Context): Tensor {
    const batch = batchSizeOf(outputGrad, this.outputShape, 'globalAvgPool2d backward');
    if (batch !== this.batch) throw new RangeError(`globalAvgPool2d backward: batch ${batch} differs from the forward batch ${this.batch}`);
    const buffers = this.buffers.get(batch);
    buffers.inputGrad ??= tensor([batch, ...this.inputShape]);
    buffers.inputGrad.data.fill(0);
    context.kernels.avgPool2dBackward(outputGrad.data, buffers.inputGrad.data, buffers.geometry);
    return buffers.inputGrad;
  }
}
