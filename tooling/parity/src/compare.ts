/**
 * The error measure every parity test uses:
 *   relativeError(a, b) = max_i |a_i − b_i| / max(1, max_i |b_i|)
 * with b the oracle (TensorFlow.js or a written-out formula). It is the absolute error for
 * values of order one or less and the relative error for larger ones, so tiny entries that
 * float32 cannot resolve never dominate, and one scale covers losses, outputs and gradients.
 */
export interface ErrorReport {
  /** max|a − b| / max(1, max|b|); NaN anywhere gives Infinity. */
  readonly error: number;
  /** Flat index of the largest |a − b| (−1 for empty arrays). */
  readonly index: number;
  readonly actual: number;
  readonly expected: number;
  /** max|b|, the scale the difference was divided by (before the max with 1). */
  readonly scale: number;
}

/** Measures `actual` (nnkit) against `expected` (the oracle); see ErrorReport for the formula. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): ErrorReport {
  if (actual.length !== expected.length) {
    throw new Error(`relativeError: ${actual.length} values compared with ${expected.length}`);
  }
  let worst = 0;
  let index = actual.length === 0 ? -1 : 0;
  let scale = 0;
  let finite = true;
  for (let i = 0; i < actual.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    if (!Number.isFinite(difference)) {
      if (finite) index = i;
      finite = false;
    } else if (finite && difference > worst) {
      worst = difference;
      index = i;
    }
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return {
    error: finite ? worst / Math.max(1, scale) : Infinity,
    index,
    actual: index < 0 ? 0 : actual[index],
    expected: index < 0 ? 0 : expected[index],
    scale,
  };
}

/** Row-major multi-index of a flat `index` in `shape`, for messages: 17 in [2, 3, 3] → [1, 2, 2]. */
export function unravelIndex(index: number, shape: readonly number[]): number[] {
  const position = new Array<number>(shape.length).fill(0);
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    position[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
  }
  return position;
}

/**
 * Throws unless relativeError(actual, expected) ≤ tolerance (and the shapes agree when given).
 * The one-line message names the quantity, the worst element and both values.
 */
export function assertClose(
  label: string,
  actual: { readonly shape?: readonly number[]; readonly data: ArrayLike<number> },
  expected: { readonly shape?: readonly number[]; readonly data: ArrayLike<number> },
  tolerance: number,
): void {
  if (actual.shape && expected.shape && actual.shape.join() !== expected.shape.join()) {
    throw new Error(`${label}: nnkit shape [${actual.shape.join(', ')}] but oracle shape [${expected.shape.join(', ')}]`);
  }
  if (actual.data.length !== expected.data.length) {
    throw new Error(`${label}: nnkit has ${actual.data.length} values but the oracle has ${expected.data.length}`);
  }
  const report = relativeError(actual.data, expected.data);
  if (!(report.error <= tolerance)) {
    const shape = expected.shape ?? [expected.data.length];
    const where = report.index < 0 ? '' : ` at [${unravelIndex(report.index, shape).join(', ')}] of [${shape.join(', ')}]`;
    throw new Error(
      `${label}: relative error ${report.error.toExponential(2)} > ${tolerance}${where}: nnkit ${report.actual} vs oracle ${report.expected} (max|oracle| ${report.scale.toPrecision(4)})`,
    );
  }
}
