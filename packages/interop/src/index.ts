export { InteropError } from './errors.js';
export { type WeightQuantization, type WeightSpec, type NamedWeights, weightQuantizations, encodeWeights, decodeWeights, joinShards } from './weights.js';
export { toFloat16Bits, fromFloat16Bits } from './float16.js';
export {
  type ExportHead,
  type ExportOptions,
  type InteropMetadata,
  type ImportedModel,
  headOf,
  describeNormalization,
} from './model-bridge.js';
export { type TfjsModelJson, type TfjsExportOptions, type TfjsArtifacts, toTfjs, fromTfjs, manifestEntries } from './tfjs.js';
export { onnxOpset, toOnnx, fromOnnx } from './onnx.js';
export { type NnkitBinaryOptions, toNnkitBinary, fromNnkitBinary, isNnkitBinary, nnkitBinaryShards } from './nnkit-binary.js';
