/** A tensor's dimensions, outermost first (row-major). Per-example shapes omit the batch. */
export type Shape = readonly number[];

/** Number of elements in a tensor of this shape: the product of its dimensions (1 for []). */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const dimension of shape) size *= dimension;
  return size;
}

/** True when both shapes have the same rank and dimensions. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dimension, i) => dimension === b[i]);
}

/** `[28, 28, 1]` → `"[28, 28, 1]"`, for error messages and summaries. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Throws unless every dimension is a positive integer; `what` names the owner in the message. */
export function assertShape(shape: Shape, what: string): void {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`${what}: shape must be a non-empty list of positive integers, got ${JSON.stringify(shape)}`);
  }
}
