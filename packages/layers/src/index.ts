export type { Context, Layer, LayerConfig, LayerState } from './layer.js';
export { LayerConfigError, ModelDefinitionError, ModelFormatError } from './errors.js';
export { type InitName, initNames, initWeights, initBiases } from './init.js';
export { Dense, type DenseConfig } from './dense.js';
export { Conv2d, type Conv2dConfig, type Padding, resolvePadding } from './conv2d.js';
export { MaxPool2d, type MaxPool2dConfig } from './max-pool2d.js';
export { AvgPool2d, type AvgPool2dConfig } from './avg-pool2d.js';
export type { Pool2dOptions } from './pool-config.js';
export { Flatten, type FlattenConfig } from './flatten.js';
export { Dropout, type DropoutConfig } from './dropout.js';
export { BatchNorm, type BatchNormConfig } from './batch-norm.js';
export { Activation } from './activation.js';
export { Relu, type ReluConfig } from './relu.js';
export { LeakyRelu, type LeakyReluConfig } from './leaky-relu.js';
export { Sigmoid, type SigmoidConfig } from './sigmoid.js';
export { Tanh, type TanhConfig } from './tanh.js';
export { Softmax, type SoftmaxConfig } from './softmax.js';
export { Elu, type EluConfig } from './elu.js';
/** The registry: every layer's schema as a list and by kind, the kinds, and the config union derived from them. */
export { layerSchemas, layerRegistry, layerKinds, schemaOf, createLayer, initialLayer, type LayerKind, type LayerRegistry, type LayerSpec } from './registry.js';
/** Layer schemas: declare a layer's fields (`defineLayer`), validate a config against them (`readConfig`). */
export {
  defineLayer,
  readConfig,
  type LayerSchema,
  type FieldSchema,
  type FieldSchemas,
  type IntegerField,
  type NumberField,
  type SizeField,
  type EnumField,
  type FieldValue,
  type ResolvedFields,
} from './schema.js';
/** The architecture grammar shared by the CLI and the playground: `conv2d(20,5,same,he) relu maxPool2d(2) flatten dense(10)`. */
export {
  parseArchitecture,
  formatArchitecture,
  parseLayers,
  formatLayers,
  parseLayer,
  formatLayer,
  splitArchitecture,
  ArchitectureError,
  type ArchitectureOptions,
  type ArchitecturePart,
} from './architecture.js';
export type { Loss } from './loss.js';
export { SoftmaxCrossEntropy, type SoftmaxCrossEntropySpec } from './softmax-cross-entropy.js';
export { SigmoidCrossEntropy, type SigmoidCrossEntropySpec } from './sigmoid-cross-entropy.js';
export { QuadraticLoss, type QuadraticSpec } from './quadratic-loss.js';
export { lossRegistry, lossKinds, createLoss, type LossSpec } from './loss-registry.js';
export { Sequential, type ModelDefinition, type SummaryRow } from './sequential.js';
export { saveModel, loadModel, modelFormat, nestsDeeperThan, type ModelExtras, type LoadModelOptions } from './model-file.js';
/** Building a definition from outside within a parameter budget (`buildSequential`), its default and its error. */
export { buildSequential, defaultMaxParams, ParameterLimitError } from './parameter-budget.js';
export { transferWeights, type WeightTransfer } from './transfer.js';
export { BatchCache, BufferPool, allocateFloats, allocateTensor } from './batch-cache.js';
