// Everything the playground uses from the nnkit packages, in one place.
export {
  type AugmentSpec,
  type Dataset,
  augmentBatch,
  createDataset,
  distortImage,
  fetchMnist,
  fillBatch,
  formatAugmentSpec,
  parseAugmentSpec,
  preprocessDigit,
  sliceDataset,
} from '@nnkit/datasets';
export { type LayerSpec, type LossSpec, type ModelDefinition, Sequential, layerKinds, loadModel, lossKinds, saveModel } from '@nnkit/layers';
export { type Optimizer, type OptimizerKind, type OptimizerSpec, createOptimizer, optimizerKinds } from '@nnkit/optim';
export { type Preset, evaluate, presets } from '@nnkit/train';
export { confusionMatrix } from '@nnkit/metrics';
