export {
  type WasmKernels,
  type WasmKernelsOptions,
  createWasmKernels,
  createWasmKernelsSync,
} from './wasm-kernels.js';
export { type WasmFeatureSet, supportsWasmFeatures } from './binary.js';
