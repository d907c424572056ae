// Everything the playground uses from the nnkit packages, in one place.
export {
  type AugmentSpec,
  type Dataset,
  createDataset,
  distortImage,
  fetchMnistSplit,
  formatAugmentSpec,
  parseAugmentSpec,
  preprocessDigit,
  sliceDataset,
} from '@nnkit/datasets';
export {
  type FieldSchema,
  type LayerKind,
  type LayerSpec,
  type LossSpec,
  type ModelDefinition,
  Sequential,
  buildSequential,
  formatLayers,
  initialLayer,
  layerKinds,
  layerRegistry,
  loadModel,
  lossKinds,
  parseLayers,
  saveModel,
} from '@nnkit/layers';
export { type Optimizer, type OptimizerKind, type OptimizerSpec, type ScheduleSpec, createOptimizer, createSchedule, optimizerKinds, parseSchedule } from '@nnkit/optim';
export {
  type AugmentHook,
  type BatchEndInfo,
  type CheckpointState,
  type DivergenceWatch,
  type EpochRecord,
  type Preset,
  TrainingDivergedError,
  distortionHook,
  divergenceAdvice,
  divergenceOf,
  evaluate,
  evaluateParallel,
  fit,
  presets,
  watchBatch,
  webWorkers,
} from '@nnkit/train';
export { confusionMatrix } from '@nnkit/metrics';
