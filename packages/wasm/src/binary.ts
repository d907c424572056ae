import { decodeBase64 } from '@nnkit/tensor';
import { relaxedSimdBinary, simdBinary } from './generated/wasm-binaries.js';

/** Which instruction set a compiled kernel module uses. */
export type WasmFeatureSet = 'simd' | 'relaxed-simd';

let simdBytes: Uint8Array<ArrayBuffer> | undefined;
let relaxedBytes: Uint8Array<ArrayBuffer> | undefined;

/** The embedded module bytes for a feature set (decoded once). */
export function wasmBinary(features: WasmFeatureSet): Uint8Array<ArrayBuffer> {
  if (features === 'relaxed-simd') return (relaxedBytes ??= decodeBase64(relaxedSimdBinary, 'wasm binary'));
  return (simdBytes ??= decodeBase64(simdBinary, 'wasm binary'));
}

/**
 * Whether this engine accepts a feature set, decided by validating the kernel module itself
 * (Node 20 accepts relaxed SIMD only after `--experimental-wasm-relaxed-simd`).
 */
export function supportsWasmFeatures(features: WasmFeatureSet): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(wasmBinary(features));
}
