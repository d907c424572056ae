export { type TrainableModel, type ModelLoss, type RunContext, argmaxRow } from './model.js';
export {
  type FitData,
  type FitOptions,
  type FitResult,
  type BatchEndInfo,
  type AugmentHook,
  type CheckpointOptions,
  type StopReason,
  type AveragedScores,
  TrainingDivergedError,
} from './fit-options.js';
/** Weight averaging over the end of a run (EMA or SWA), its text form and checkpoint state. */
export { type AveragingOptions, type AveragingState, type NamedTensor, WeightAveraging, parseAveraging, averagingForms } from './weight-averaging.js';
export { fit } from './fit.js';
/** The divergence rule shared by `fit` (a non-finite loss) and live watchers (an exploding loss, accuracy stuck at chance). */
export {
  type DivergenceKind,
  type DivergenceRule,
  type DivergenceWatch,
  type WatchedBatch,
  type DivergenceVerdict,
  divergenceRule,
  isLossDiverged,
  watchBatch,
  divergenceOf,
  divergenceAdvice,
} from './divergence.js';
export type { WorkerTransport, WorkerEndpoint, WorkerPort } from './parallel/protocol.js';
export { type WebWorkerLike, webWorkers } from './parallel/web-workers.js';
/** Inference split over threads: once (`evaluateParallel`) or with workers kept for many calls (`ParallelEvaluator`). */
export { type EvaluateParallelOptions, type ParallelEvaluatorOptions, evaluateParallel, ParallelEvaluator } from './parallel/evaluate-parallel.js';
/** Moves parameters into the kernels' own memory (what `fit` does first), for loops that step a model themselves. */
export { placeParams } from './place-params.js';
export type { EpochRecord } from './history.js';
export { type EarlyStoppingOptions, type EarlyStoppingState, EarlyStopping } from './early-stopping.js';
export {
  type EvaluateOptions,
  type EvaluateResult,
  type EvaluationOutputs,
  type ScoreTally,
  type Prediction,
  evaluate,
  predict,
  Evaluator,
} from './evaluate.js';
export { type CheckpointState, type TensorRecord, CheckpointFormatError, checkpointChecksum, serializeCheckpoint, parseCheckpoint, validateCheckpoint } from './checkpoint.js';
export { distortionHook } from './augment.js';
/** Test-time augmentation: probabilities averaged over fixed shifted views (and models). */
export {
  type MembersEvaluation,
  ttaShifts,
  ttaViews,
  evaluateWithTta,
  evaluateWithTtaParallel,
  evaluateMembersWithTta,
  evaluateMembersWithTtaParallel,
  sharedMistakes,
} from './test-time-augmentation.js';
export {
  type EnsembleMethod,
  type EnsemblePrediction,
  type EnsembleEvaluation,
  type SubsetScore,
  combinePredictions,
  scoreSubsets,
  combinationCount,
  maxSubsets,
  predictEnsemble,
  evaluateEnsemble,
} from './ensemble.js';
export {
  type Preset,
  type PresetReference,
  type PresetNetwork,
  type PresetMember,
  presets,
  presetNames,
  getPreset,
  createPresetModel,
  presetData,
  presetFitOptions,
  presetMembers,
  presetNetwork,
} from './presets.js';
