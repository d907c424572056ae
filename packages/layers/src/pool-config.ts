import { formatShape, pool2dGeometry, type Pool2dGeometry, type Shape } from '@nnkit/tensor';
import { LayerConfigError } from './errors.js';
import type { LayerConfig } from './layer.js';
import { pairOf, readConfig, type LayerSchema } from './schema.js';
import { checkInputRank } from './validation.js';

/** Config of a 2-D pooling layer: window `size` n or [height, width]; `stride` defaults to the size. */
export interface Pool2dOptions {
  readonly size: number | readonly [number, number];
  readonly stride?: number | readonly [number, number];
}

/** The fields of both pooling layers: window `size`, `stride` (default: the size). */
export const pool2dFields = {
  size: { type: 'size', min: 1, max: 1024, initial: 2, description: 'window n or [height, width]' },
  stride: { type: 'size', min: 1, max: 1024, optional: true, initial: 2, description: 'stride (default: the size)' },
} as const;

/** Validated pooling config: the normalised config fields, the output shape and a geometry builder. */
export interface ResolvedPool {
  readonly size: number | readonly [number, number];
  readonly stride: number | readonly [number, number];
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  geometry(batch: number): Pool2dGeometry;
}

/** Validates a pooling config against an NHWC input shape (windows that do not fit are dropped, like 'valid'). */
export function resolvePool<C extends LayerConfig>(schema: LayerSchema<C, typeof pool2dFields>, config: unknown, inputShape: Shape): ResolvedPool {
  const kind = schema.kind;
  const fields = readConfig(schema, config);
  const [poolHeight, poolWidth] = pairOf(fields.size);
  const [strideHeight, strideWidth] = pairOf(fields.stride ?? fields.size);
  checkInputRank(kind, inputShape, [3], '[height, width, channels]');
  const [inputHeight, inputWidth, channels] = inputShape;
  const geometry = (batch: number): Pool2dGeometry =>
    pool2dGeometry({ batch, inputHeight, inputWidth, channels, poolHeight, poolWidth, strideHeight, strideWidth });
  const probe = geometry(1);
  if (probe.outputHeight <= 0 || probe.outputWidth <= 0) {
    throw new LayerConfigError(kind, 'size', `a ${poolHeight}×${poolWidth} window does not fit the input ${formatShape(inputShape)}`);
  }
  return {
    size: fields.size,
    stride: fields.stride ?? fields.size,
    inputShape: [inputHeight, inputWidth, channels],
    outputShape: [probe.outputHeight, probe.outputWidth, channels],
    geometry,
  };
}
