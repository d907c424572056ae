// When training has gone wrong, one rule for every caller: `fit` stops on a loss that is no
// longer a number (`isLossDiverged`), and a watcher that sees every mini-batch (the playground)
// also flags a loss that explodes and an accuracy stuck at chance (`watchBatch` +
// `divergenceOf`), with advice on what to change (`divergenceAdvice`). Pure functions of numbers.

/** Why a run is judged diverged. */
export type DivergenceKind = 'nonFinite' | 'exploding' | 'chance';

/** The thresholds of the rule. */
export interface DivergenceRule {
  /** The smoothed loss exceeding this multiple of the first batch's loss is an explosion. */
  readonly explodeFactor: number;
  /** Accuracy at or below `chanceFactor / classes` is chance. */
  readonly chanceFactor: number;
  /** Images trained before accuracy is judged (a new network starts at chance). */
  readonly minimumImages: number;
  /** Images per accuracy window: the latest complete window is judged. */
  readonly windowImages: number;
}

/** The rule's default thresholds: a loss ten times the first one; accuracy under 1.5 × chance after 5 000 images. */
export const divergenceRule: DivergenceRule = { explodeFactor: 10, chanceFactor: 1.5, minimumImages: 5000, windowImages: 2000 };

/** What the watcher keeps between mini-batches. */
export interface DivergenceWatch {
  readonly images: number;
  /** Loss of the first mini-batch: the untrained network's loss. */
  readonly initialLoss: number;
  /** Exponential moving average of the batch losses (about the last 10 batches). */
  readonly smoothedLoss: number;
  /** Loss of the last mini-batch. */
  readonly lastLoss: number;
  readonly windowImages: number;
  readonly windowCorrect: number;
  /** Accuracy over the last complete window, or null before the first one. */
  readonly windowAccuracy: number | null;
}

/** One mini-batch as the watcher sees it. */
export interface WatchedBatch {
  readonly loss: number;
  /** Examples of the batch classified right, and its size. */
  readonly correct: number;
  readonly rows: number;
}

/** A verdict: what went wrong, in one sentence, and what to change. */
export interface DivergenceVerdict {
  readonly kind: DivergenceKind;
  readonly message: string;
}

/** Whether a mini-batch loss means training diverged: NaN or ±Infinity (the rule `fit` stops on). */
export function isLossDiverged(loss: number): boolean {
  return !Number.isFinite(loss);
}

/** Adds one mini-batch to the watch (`null` starts a new one). */
export function watchBatch(watch: DivergenceWatch | null, batch: WatchedBatch, rule: DivergenceRule = divergenceRule): DivergenceWatch {
  const previous = watch ?? { images: 0, initialLoss: batch.loss, smoothedLoss: batch.loss, lastLoss: batch.loss, windowImages: 0, windowCorrect: 0, windowAccuracy: null };
  let windowImages = previous.windowImages + batch.rows;
  let windowCorrect = previous.windowCorrect + batch.correct;
  let windowAccuracy = previous.windowAccuracy;
  if (windowImages >= rule.windowImages) {
    windowAccuracy = windowCorrect / windowImages;
    windowImages = 0;
    windowCorrect = 0;
  }
  return {
    images: previous.images + batch.rows,
    initialLoss: previous.initialLoss,
    smoothedLoss: watch === null ? batch.loss : 0.9 * previous.smoothedLoss + 0.1 * batch.loss,
    lastLoss: batch.loss,
    windowImages,
    windowCorrect,
    windowAccuracy,
  };
}

/** The verdict on a watch of a `classes`-class problem: null while training looks sane. */
export function divergenceOf(watch: DivergenceWatch, classes: number, rule: DivergenceRule = divergenceRule): DivergenceVerdict | null {
  if (isLossDiverged(watch.lastLoss) || isLossDiverged(watch.smoothedLoss)) {
    return { kind: 'nonFinite', message: `the loss became ${isLossDiverged(watch.lastLoss) ? watch.lastLoss : watch.smoothedLoss}` };
  }
  if (watch.initialLoss > 0 && watch.smoothedLoss > rule.explodeFactor * watch.initialLoss) {
    return {
      kind: 'exploding',
      message: `the loss exploded: ${formatNumber(watch.smoothedLoss)} against ${formatNumber(watch.initialLoss)} at the start`,
    };
  }
  const chance = 1 / classes;
  if (watch.images >= rule.minimumImages && watch.windowAccuracy !== null && watch.windowAccuracy <= rule.chanceFactor * chance) {
    return {
      kind: 'chance',
      message: `accuracy is stuck at chance: ${(100 * watch.windowAccuracy).toFixed(1)} % on the last training images after ${watch.images} images (guessing gives ${(100 * chance).toFixed(0)} %)`,
    };
  }
  return null;
}

/** What to change, for a run that diverged with `learningRate`. */
export function divergenceAdvice(kind: DivergenceKind, learningRate: number): string {
  const lower = `lower the learning rate (try ${formatNumber(learningRate / 10)} instead of ${formatNumber(learningRate)})`;
  return kind === 'chance' ? `${lower}, or check that the last layer has one output a class` : `${lower} or clip gradients`;
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 1e5 || (Math.abs(value) < 1e-3 && value !== 0) ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}
