// The numbers behind the report's probability plots: how well the confidences are calibrated
// (reliability bins, expected calibration error), one-vs-rest precision-recall curves per class
// with their average precision, and a confidence interval on accuracy. Pure functions.

/** One confidence bin: examples whose top probability falls in [low, high). */
export interface ReliabilityBin {
  readonly low: number;
  readonly high: number;
  readonly count: number;
  /** Mean top probability and share correct of the bin's examples (NaN when empty). */
  readonly confidence: number;
  readonly accuracy: number;
}

/**
 * Reliability of the top-class probability in `bins` equal bins over [0, 1], and the expected
 * calibration error (the count-weighted mean |accuracy − confidence|).
 */
export function reliability(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  classes: number,
  bins = 10,
): { bins: ReliabilityBin[]; expectedCalibrationError: number } {
  const count = labels.length;
  const totals = Array.from({ length: bins }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c] > probabilities[i * classes + best]) best = c;
    const p = probabilities[i * classes + best];
    const bin = totals[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))];
    bin.count++;
    bin.confidence += p;
    if (best === labels[i]) bin.correct++;
  }
  let error = 0;
  const result = totals.map((bin, index) => {
    const confidence = bin.count > 0 ? bin.confidence / bin.count : Number.NaN;
    const accuracy = bin.count > 0 ? bin.correct / bin.count : Number.NaN;
    if (bin.count > 0) error += (bin.count / count) * Math.abs(accuracy - confidence);
    return { low: index / bins, high: (index + 1) / bins, count: bin.count, confidence, accuracy };
  });
  return { bins: result, expectedCalibrationError: error };
}

/** A precision-recall curve of one class against the rest. */
export interface PrecisionRecallCurve {
  /** (recall, precision) points from the highest threshold down. */
  readonly points: readonly (readonly [number, number])[];
  /** Average precision: the sum over thresholds of precision × recall gained (scikit-learn's definition). */
  readonly averagePrecision: number;
}

/** One-vs-rest precision-recall curve of class `target`, scored by its probability. */
export function precisionRecallCurve(labels: ArrayLike<number>, probabilities: ArrayLike<number>, classes: number, target: number): PrecisionRecallCurve {
  const count = labels.length;
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => probabilities[b * classes + target] - probabilities[a * classes + target] || a - b);
  let positives = 0;
  for (let i = 0; i < count; i++) if (labels[i] === target) positives++;
  const points: [number, number][] = [];
  let truePositives = 0;
  let averagePrecision = 0;
  let lastRecall = 0;
  for (let rank = 0; rank < count; rank++) {
    const index = order[rank];
    if (labels[index] === target) truePositives++;
    // Ties form one threshold: a point only where the score changes.
    const next = order[rank + 1];
    if (next !== undefined && probabilities[next * classes + target] === probabilities[index * classes + target]) continue;
    const recall = positives > 0 ? truePositives / positives : 0;
    const precision = truePositives / (rank + 1);
    averagePrecision += (recall - lastRecall) * precision;
    lastRecall = recall;
    points.push([recall, precision]);
  }
  return { points: thin(points, 200), averagePrecision };
}

/** At most about `limit` points, keeping the first and last and every change of direction's neighbourhood evenly. */
function thin(points: [number, number][], limit: number): [number, number][] {
  if (points.length <= limit) return points;
  const step = (points.length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, i) => points[Math.round(i * step)]);
}

/** The Wilson score interval of a proportion `successes / trials` at about 95 % (z = 1.96). */
export function wilsonInterval(successes: number, trials: number, z = 1.96): { low: number; high: number } {
  if (trials === 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** The `k` most probable classes of example `index`, most probable first. */
export function topClasses(probabilities: ArrayLike<number>, classes: number, index: number, k: number): { label: number; probability: number }[] {
  return Array.from({ length: classes }, (_, c) => ({ label: c, probability: probabilities[index * classes + c] }))
    .sort((a, b) => b.probability - a.probability || a.label - b.label)
    .slice(0, k);
}
