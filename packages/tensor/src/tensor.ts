import { assertShape, formatShape, sizeOf, type Shape } from './shape.js';

/**
 * A dense float32 tensor: contiguous, row-major, batch first, NHWC for images.
 * `data.length === sizeOf(shape)`. Plain data, so any package can build or read one.
 */
export interface Tensor {
  readonly shape: Shape;
  readonly data: Float32Array;
}

/** Builds a tensor of `shape`, zero-filled, or wrapping `data` (not copied) after checking its length. */
export function tensor(shape: Shape, data?: Float32Array | readonly number[]): Tensor {
  assertShape(shape, 'tensor');
  const size = sizeOf(shape);
  const values = data === undefined ? new Float32Array(size) : data instanceof Float32Array ? data : Float32Array.from(data);
  if (values.length !== size) {
    throw new RangeError(`tensor: shape ${formatShape(shape)} needs ${size} values, got ${values.length}`);
  }
  return { shape: [...shape], data: values };
}

/** A zero tensor of `shape`. */
export function zeros(shape: Shape): Tensor {
  return tensor(shape);
}

/** A deep copy: new shape array, new data buffer. */
export function cloneTensor(source: Tensor): Tensor {
  return { shape: [...source.shape], data: source.data.slice() };
}
