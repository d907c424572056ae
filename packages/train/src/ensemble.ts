import type { Dataset } from '@nnkit/datasets';
import { sizeOf, type Kernels, type Tensor } from '@nnkit/tensor';
import { evaluate, predict, type EvaluateOptions, type Prediction } from './evaluate.js';
import type { TrainableModel } from './model.js';

/**
 * How an ensemble combines its members: 'vote' is Nielsen's plurality vote (ch. 6: each model
 * votes for its argmax class; ties go to the tied class with the highest mean probability),
 * 'average' takes the argmax of the mean class probabilities.
 */
export type EnsembleMethod = 'vote' | 'average';

/** An ensemble's answer: combined classes, mean probabilities, and each member's classes. */
export interface EnsemblePrediction extends Prediction {
  readonly memberPredictions: readonly Uint8Array[];
}

/** Combines member predictions and probabilities `[count, classes]` by `method`. */
export function combinePredictions(members: readonly Prediction[], classes: number, method: EnsembleMethod): EnsemblePrediction {
  if (members.length === 0) throw new RangeError('ensemble: needs at least one model');
  if (method !== 'vote' && method !== 'average') throw new TypeError(`ensemble: method must be "vote" or "average", got ${JSON.stringify(method)}`);
  const count = members[0].predictions.length;
  const mean = new Float32Array(count * classes);
  for (const member of members) {
    if (member.predictions.length !== count) throw new RangeError('ensemble: members predicted different numbers of examples');
    for (let i = 0; i < mean.length; i++) mean[i] += member.probabilities[i] / members.length;
  }
  const predictions = new Uint8Array(count);
  const votes = new Int32Array(classes);
  for (let r = 0; r < count; r++) {
    const base = r * classes;
    let best = 0;
    if (method === 'vote') {
      votes.fill(0);
      for (const member of members) votes[member.predictions[r]]++;
      for (let c = 1; c < classes; c++) {
        if (votes[c] > votes[best] || (votes[c] === votes[best] && mean[base + c] > mean[base + best])) best = c;
      }
    } else {
      for (let c = 1; c < classes; c++) if (mean[base + c] > mean[base + best]) best = c;
    }
    predictions[r] = best;
  }
  return { predictions, probabilities: mean, memberPredictions: members.map((member) => member.predictions) };
}

function checkMembers(models: readonly TrainableModel[]): number {
  if (models.length === 0) throw new RangeError('ensemble: needs at least one model');
  const classes = sizeOf(models[0].outputShape);
  models.forEach((model, i) => {
    if (sizeOf(model.outputShape) !== classes) throw new RangeError(`ensemble: model ${i} has ${sizeOf(model.outputShape)} outputs, model 0 has ${classes}`);
  });
  return classes;
}

/** Ensemble prediction for normalised `input` `[batch, ...inputShape]` (see `EnsembleMethod`). */
export function predictEnsemble(models: readonly TrainableModel[], input: Tensor, method: EnsembleMethod = 'vote', kernels?: Kernels): EnsemblePrediction {
  const classes = checkMembers(models);
  return combinePredictions(
    models.map((model) => predict(model, input, kernels)),
    classes,
    method,
  );
}

/** Ensemble accuracy on a dataset, with each member's accuracy for comparison. */
export interface EnsembleEvaluation extends EnsemblePrediction {
  readonly accuracy: number;
  readonly memberAccuracies: readonly number[];
}

/** Evaluates every member on `dataset` (batched) and scores the combined prediction. */
export function evaluateEnsemble(
  models: readonly TrainableModel[],
  dataset: Dataset,
  options: EvaluateOptions & { readonly method?: EnsembleMethod } = {},
): EnsembleEvaluation {
  const classes = checkMembers(models);
  const results = models.map((model) => evaluate(model, dataset, options));
  const combined = combinePredictions(results, classes, options.method ?? 'vote');
  const indices = options.indices;
  let correct = 0;
  for (let r = 0; r < combined.predictions.length; r++) {
    if (combined.predictions[r] === dataset.labels[indices === undefined ? r : indices[r]]) correct++;
  }
  const count = combined.predictions.length;
  return {
    ...combined,
    accuracy: dataset.unlabelled || count === 0 ? NaN : correct / count,
    memberAccuracies: results.map((result) => result.accuracy),
  };
}

/** One combination of an ensemble's members (`scoreSubsets`): their positions in the list given, and the accuracy of their averaged probabilities. */
export interface SubsetScore {
  /** Positions of the members, ascending. */
  readonly members: readonly number[];
  readonly correct: number;
  readonly accuracy: number;
}

/** The most combinations `scoreSubsets` scores in one call (C(16, 8) = 12 870 fits; C(20, 10) = 184 756 does not). */
export const maxSubsets = 20_000;

/** C(n, k), exact for the sizes `scoreSubsets` accepts (and large beyond them). */
export function combinationCount(n: number, k: number): number {
  let count = 1;
  for (let i = 1; i <= k; i++) count = (count * (n - k + i)) / i;
  return Math.round(count);
}

/**
 * Every combination of `size` of the `members`' predictions (each member's probabilities
 * `[count, classes]`, as `evaluate` or `evaluateMembersWithTta` return them), scored against
 * `labels` by the argmax of their averaged probabilities (`combinePredictions(…, 'average')` of
 * those members), sorted from the most accurate (ties in the order the combinations are listed:
 * lexicographic in the positions). Scored on validation images, this
 * chooses an ensemble's members without the test set; on the test set it shows how far any
 * choice of them could go. At most `maxSubsets` combinations.
 */
export function scoreSubsets(members: readonly Prediction[], labels: ArrayLike<number>, size: number): SubsetScore[] {
  const n = members.length;
  if (!Number.isInteger(size) || size < 1 || size > n) throw new RangeError(`subsets: size must be an integer in [1, ${n}] (the members given), got ${String(size)}`);
  const total = combinationCount(n, size);
  if (total > maxSubsets) throw new RangeError(`subsets: ${total.toLocaleString('en-US')} combinations of ${size} of ${n} members; at most ${maxSubsets.toLocaleString('en-US')} are scored`);
  const count = labels.length;
  const classes = count === 0 ? 0 : members[0].probabilities.length / count;
  for (const member of members) {
    if (member.predictions.length !== count || member.probabilities.length !== count * classes) throw new RangeError(`subsets: every member must predict the ${count} labelled examples`);
  }
  const scores: SubsetScore[] = [];
  const chosen = Array.from({ length: size }, (_, i) => i);
  for (;;) {
    const { predictions } = combinePredictions(chosen.map((m) => members[m]), classes, 'average');
    let correct = 0;
    for (let r = 0; r < count; r++) if (predictions[r] === labels[r]) correct++;
    scores.push({ members: chosen.slice(), correct, accuracy: count === 0 ? NaN : correct / count });
    // The next combination in lexicographic order.
    let i = size - 1;
    while (i >= 0 && chosen[i] === n - size + i) i--;
    if (i < 0) break;
    chosen[i]++;
    for (let j = i + 1; j < size; j++) chosen[j] = chosen[j - 1] + 1;
  }
  // Array.prototype.sort is stable: ties keep the lexicographic order.
  return scores.sort((a, b) => b.correct - a.correct);
}
