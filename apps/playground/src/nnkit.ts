// Everything the playground uses from the nnkit packages, in one place.
export {
  type AugmentSpec,
  type Dataset,
  augmentBatch,
  distortImage,
  fillBatch,
  formatAugmentSpec,
  parseAugmentSpec,
  parseIdxImages,
  parseIdxLabels,
  preprocessDigit,
} from '@nnkit/datasets';
export { type LayerSpec, type LossSpec, type ModelDefinition, Sequential, loadModel, saveModel } from '@nnkit/layers';
export { type Optimizer, type OptimizerSpec, createOptimizer } from '@nnkit/optim';
export { type Preset, evaluate, presets } from '@nnkit/train';
export { confusionMatrix } from '@nnkit/metrics';
