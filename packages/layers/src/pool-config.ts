import { formatShape, pool2dGeometry, type Pool2dGeometry, type Shape } from '@nnkit/tensor';
import { LayerConfigError } from './errors.js';
import { checkFields, checkInputRank, readPair } from './validation.js';

/** Config of a 2-D pooling layer: window `size` n or [height, width]; `stride` defaults to the size. */
export interface Pool2dOptions {
  readonly size: number | readonly [number, number];
  readonly stride?: number | readonly [number, number];
}

/** Validated pooling config: the normalised config fields, the output shape and a geometry builder. */
export interface ResolvedPool {
  readonly size: number | readonly [number, number];
  readonly stride: number | readonly [number, number];
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  geometry(batch: number): Pool2dGeometry;
}

/** Validates a pooling config against an NHWC input shape (windows that do not fit are dropped, like 'valid'). */
export function resolvePool(kind: string, config: unknown, inputShape: Shape): ResolvedPool {
  const fields = checkFields(config, kind, ['size', 'stride']);
  const [poolHeight, poolWidth] = readPair(fields, 'size', kind);
  const [strideHeight, strideWidth] = readPair(fields, 'stride', kind, [poolHeight, poolWidth]);
  checkInputRank(kind, inputShape, [3], '[height, width, channels]');
  const [inputHeight, inputWidth, channels] = inputShape;
  const geometry = (batch: number): Pool2dGeometry =>
    pool2dGeometry({ batch, inputHeight, inputWidth, channels, poolHeight, poolWidth, strideHeight, strideWidth });
  const probe = geometry(1);
  if (probe.outputHeight <= 0 || probe.outputWidth <= 0) {
    throw new LayerConfigError(kind, 'size', `a ${poolHeight}×${poolWidth} window does not fit the input ${formatShape(inputShape)}`);
  }
  return {
    size: fields.size as Pool2dOptions['size'],
    stride: (fields.stride ?? fields.size) as Pool2dOptions['size'],
    inputShape: [inputHeight, inputWidth, channels],
    outputShape: [probe.outputHeight, probe.outputWidth, channels],
    geometry,
  };
}
