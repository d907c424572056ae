/** Row-wise argmax of a row-major `[n, classes]` score matrix: the predicted class per row (first maximum wins). */
export function argmaxRows(scores: ArrayLike<number>, classes: number): Uint8Array | Uint32Array {
  if (!Number.isInteger(classes) || classes < 1 || scores.length % classes !== 0) {
    throw new Error(`argmaxRows: ${scores.length} scores do not split into rows of ${classes} classes`);
  }
  const rows = scores.length / classes;
  const out = classes <= 256 ? new Uint8Array(rows) : new Uint32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[base + c] > scores[base + best]) best = c;
    out[r] = best;
  }
  return out;
}
