import { positions } from './confusion-matrix.js';
import { type ClassSelection, checkClassIndices, resolveClasses } from './validate.js';

/**
 * What a ratio with a zero denominator becomes, as scikit-learn's `zero_division`: `'warn'` (the
 * default) gives 0 and records a warning in the report, `0` gives 0 silently, `1` gives 1.
 */
export type ZeroDivision = 'warn' | 0 | 1;

/** Options shared by `precisionRecallFscoreSupport` and `classificationReport`. */
export interface ClassificationOptions {
  /** Classes to report on (default 10: the digits 0–9). */
  classes?: ClassSelection;
  /** Value of an undefined ratio (default `'warn'`, which gives 0). */
  zeroDivision?: ZeroDivision;
}

/** Per-class scores; `support` is the number of examples whose true label is the class. */
export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** Per-class arrays, one entry per reported class, in the order of the class selection. */
export interface PrecisionRecallFscoreSupport {
  readonly precision: number[];
  readonly recall: number[];
  readonly f1: number[];
  readonly support: number[];
}

/** A classification report: the numbers behind scikit-learn's `classification_report`. */
export interface ClassificationReport {
  /** Reported class indices, in row order. */
  readonly classes: readonly number[];
  /** One entry per reported class. */
  readonly perClass: readonly ClassScores[];
  /** Fraction of all examples predicted correctly (scikit-learn's `accuracy_score`). */
  readonly accuracy: number;
  /** Pooled counts over the reported classes: Σtp/Σpredicted, Σtp/Σtrue; support Σ supports. */
  readonly microAverage: ClassScores;
  /** Unweighted mean over the reported classes; support Σ supports. */
  readonly macroAverage: ClassScores;
  /** Mean weighted by support; support Σ supports. */
  readonly weightedAverage: ClassScores;
  /**
   * True when the micro average equals the accuracy and scikit-learn prints an `accuracy` row:
   * the reported classes are exactly the classes present in the labels or the predictions.
   * Otherwise the text report prints a `micro avg` row instead.
   */
  readonly microIsAccuracy: boolean;
  readonly zeroDivision: ZeroDivision;
  /** With `zeroDivision: 'warn'`, scikit-learn's warnings for each undefined ratio that was set to 0. */
  readonly warnings: readonly string[];
}

interface Counts {
  classes: number[];
  truePositives: number[];
  predicted: number[];
  actual: number[];
  present: Set<number>;
  correct: number;
  total: number;
}

function count(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  classes: ClassSelection,
  where: string,
): Counts {
  const limit = typeof classes === 'number' ? classes : undefined;
  const selected = resolveClasses(classes, where);
  const largest = checkClassIndices(labels, predictions, where, limit);
  const position = positions(selected, largest);
  const truePositives = new Array<number>(selected.length).fill(0);
  const predicted = new Array<number>(selected.length).fill(0);
  const actual = new Array<number>(selected.length).fill(0);
  const present = new Set<number>();
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const prediction = predictions[i];
    present.add(label).add(prediction);
    const row = position[label];
    const column = position[prediction];
    if (row >= 0) actual[row]++;
    if (column >= 0) predicted[column]++;
    if (label === prediction) {
      correct++;
      if (row >= 0) truePositives[row]++;
    }
  }
  return { classes: selected, truePositives, predicted, actual, present, correct, total: labels.length };
}

function valueOf(zeroDivision: ZeroDivision): number {
  return zeroDivision === 1 ? 1 : 0;
}

/** `numerator / denominator`, or the zero-division value when the denominator is 0. */
function divide(numerator: number, denominator: number, zeroDivision: ZeroDivision): number {
  return denominator === 0 ? valueOf(zeroDivision) : numerator / denominator;
}

function scores(counts: Counts, zeroDivision: ZeroDivision): PrecisionRecallFscoreSupport {
  const { truePositives: tp, predicted, actual } = counts;
  return {
    precision: tp.map((t, c) => divide(t, predicted[c], zeroDivision)),
    recall: tp.map((t, c) => divide(t, actual[c], zeroDivision)),
    // F1 = 2PR/(P+R) = 2tp/(2tp+fp+fn) = 2tp/(predicted+actual); scikit-learn (both the
    // P/R form before 1.3 and the count form after) gives the zero-division value only when
    // the class is neither present nor predicted, and 0 when exactly one of P, R is undefined.
    f1: tp.map((t, c) => divide(2 * t, predicted[c] + actual[c], zeroDivision)),
    support: [...actual],
  };
}

/**
 * Per-class precision tp/(tp+fp), recall tp/(tp+fn), F1 2tp/(2tp+fp+fn) and support tp+fn, as
 * scikit-learn's `precision_recall_fscore_support(average=None, labels=…, zero_division=…)`.
 * `labels` and `predictions` are class indices of equal length n.
 */
export function precisionRecallFscoreSupport(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  options: ClassificationOptions = {},
): PrecisionRecallFscoreSupport {
  const counts = count(labels, predictions, options.classes ?? 10, 'precisionRecallFscoreSupport');
  return scores(counts, options.zeroDivision ?? 'warn');
}

function mean(values: readonly number[], weights?: readonly number[]): number {
  let sum = 0;
  let weightSum = 0;
  values.forEach((value, index) => {
    const weight = weights ? weights[index] : 1;
    sum += value * weight;
    weightSum += weight;
  });
  return sum / weightSum;
}

/**
 * Per-class precision, recall, F1 and support with micro, macro and support-weighted averages
 * and the accuracy, exactly as scikit-learn's `classification_report(y_true, y_pred,
 * labels=classes, zero_division=…)`. Format it with `formatReportText`, `formatReportMarkdown`
 * or `reportToJson`.
 */
export function classificationReport(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  options: ClassificationOptions = {},
): ClassificationReport {
  const zeroDivision = options.zeroDivision ?? 'warn';
  const counts = count(labels, predictions, options.classes ?? 10, 'classificationReport');
  const perClassArrays = scores(counts, zeroDivision);
  const perClass = counts.classes.map((_, c) => ({
    precision: perClassArrays.precision[c],
    recall: perClassArrays.recall[c],
    f1: perClassArrays.f1[c],
    support: perClassArrays.support[c],
  }));
  const support = counts.actual.reduce((a, b) => a + b, 0);
  const predictedTotal = counts.predicted.reduce((a, b) => a + b, 0);
  const tpTotal = counts.truePositives.reduce((a, b) => a + b, 0);

  const microAverage = {
    precision: divide(tpTotal, predictedTotal, zeroDivision),
    recall: divide(tpTotal, support, zeroDivision),
    f1: divide(2 * tpTotal, predictedTotal + support, zeroDivision),
    support,
  };
  const macroAverage = {
    precision: mean(perClassArrays.precision),
    recall: mean(perClassArrays.recall),
    f1: mean(perClassArrays.f1),
    support,
  };
  // scikit-learn's special case: no reported class has a true example, so support weights are
  // all zero; it returns the zero-division value where every ratio is undefined and 0 otherwise.
  const zero = valueOf(zeroDivision);
  const weightedAverage =
    support === 0
      ? predictedTotal === 0
        ? { precision: zero, recall: zero, f1: zero, support }
        : { precision: 0, recall: zero, f1: 0, support }
      : {
          precision: mean(perClassArrays.precision, counts.actual),
          recall: mean(perClassArrays.recall, counts.actual),
          f1: mean(perClassArrays.f1, counts.actual),
          support,
        };
  const selectedSet = new Set(counts.classes);
  const microIsAccuracy =
    selectedSet.size === counts.present.size && [...counts.present].every((value) => selectedSet.has(value));

  return {
    classes: counts.classes,
    perClass,
    accuracy: counts.correct / counts.total,
    microAverage,
    macroAverage,
    weightedAverage,
    microIsAccuracy,
    zeroDivision,
    warnings: zeroDivision === 'warn' ? warningsFor(counts) : [],
  };
}

function warningsFor(counts: Counts): string[] {
  const noPredicted = counts.classes.filter((_, c) => counts.predicted[c] === 0);
  const noTrue = counts.classes.filter((_, c) => counts.actual[c] === 0);
  const warnings: string[] = [];
  if (noPredicted.length > 0) {
    warnings.push(`Precision is ill-defined and set to 0.0 in classes with no predicted samples: ${noPredicted.join(', ')}.`);
  }
  if (noTrue.length > 0) {
    warnings.push(`Recall is ill-defined and set to 0.0 in classes with no true samples: ${noTrue.join(', ')}.`);
  }
  return warnings;
}
