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
