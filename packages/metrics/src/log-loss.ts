import { scoreColumns } from './accuracy.js';
import { checkIndexArray } from './validate.js';

/** Machine epsilon of float32 (2⁻²³), what scikit-learn ≥ 1.5 clips float32 probabilities with. */
export const FLOAT32_EPSILON = 2 ** -23;

/**
 * Mean negative log-likelihood of the true labels, `−(1/n) Σᵢ log clip(p[i, labels[i]], ε, 1−ε)`,
 * as scikit-learn ≥ 1.5's `log_loss`: `probabilities` is row-major `[n, classes]`, rows are not
 * renormalised, and ε is the machine epsilon of the input's dtype (2⁻²³ for a Float32Array,
 * 2⁻⁵² = `Number.EPSILON` otherwise) unless `options.eps` is given (scikit-learn < 1.3 used 1e-15).
 * Sums run in float64.
 */
export function logLoss(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  options: { eps?: number } = {},
): number {
  const classes = scoreColumns(labels, probabilities, 'logLoss');
  checkIndexArray(labels, 'labels', 'logLoss', classes);
  const eps = options.eps ?? (probabilities instanceof Float32Array ? FLOAT32_EPSILON : Number.EPSILON);
  if (!(eps >= 0 && eps < 0.5)) throw new Error(`logLoss: eps = ${eps} must lie in [0, 0.5)`);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = probabilities[i * classes + labels[i]];
    if (!(p >= 0 && p <= 1)) {
      throw new Error(`logLoss: probabilities[${i * classes + labels[i]}] = ${p} is not a probability in [0, 1]`);
    }
    sum -= Math.log(Math.min(Math.max(p, eps), 1 - eps));
  }
  return sum / labels.length;
}
