import { formatShape, sizeOf, type Shape, type Tensor } from '@nnkit/tensor';
import { LayerConfigError } from './errors.js';

// Config fields are validated by each layer's schema (schema.ts); these check shapes.

/** Throws unless the per-example input shape has `rank` dimensions; `expected` describes them. */
export function checkInputRank(kind: string, inputShape: Shape, ranks: readonly number[], expected: string, hint = ''): void {
  if (!ranks.includes(inputShape.length)) {
    throw new LayerConfigError(kind, undefined, `expected an input of shape ${expected}, got ${formatShape(inputShape)}${hint}`);
  }
}

/**
 * The batch size of `input` after checking it is `[batch, ...inputShape]` (with `data` of the
 * matching length); `owner` names the layer in the error. Cheap: O(rank), no allocation.
 */
export function batchSizeOf(input: Tensor, inputShape: Shape, owner: string): number {
  const shape = input.shape;
  let matches = shape.length === inputShape.length + 1 && shape[0] > 0 && Number.isInteger(shape[0]);
  for (let i = 0; matches && i < inputShape.length; i++) matches = shape[i + 1] === inputShape[i];
  if (!matches || input.data.length !== shape[0] * sizeOf(inputShape)) {
    throw new RangeError(
      `${owner}: expected a tensor of shape [batch, ${inputShape.join(', ')}], got ${formatShape(shape)} with ${input.data.length} values`,
    );
  }
  return shape[0];
}
