import { decodeBase64 } from '@nnkit/tensor';
import { relaxedSimdBinary, sharedRelaxedSimdBinary, sharedSimdBinary, simdBinary } from './generated/wasm-binaries.js';

/** Which instruction set a compiled kernel module uses. */
export type WasmFeatureSet = 'simd' | 'relaxed-simd';

const decoded = new Map<string, Uint8Array<ArrayBuffer>>();

/**
 * The embedded module bytes for a feature set (decoded once); `shared` picks the build that
 * imports a shared memory (whose views survive memory growth).
 */
export function wasmBinary(features: WasmFeatureSet, shared = false): Uint8Array<ArrayBuffer> {
  const key = `${features}${shared ? '/shared' : ''}`;
  let bytes = decoded.get(key);
  if (bytes === undefined) {
    const text = features === 'relaxed-simd' ? (shared ? sharedRelaxedSimdBinary : relaxedSimdBinary) : shared ? sharedSimdBinary : simdBinary;
    bytes = decodeBase64(text, 'wasm binary');
    decoded.set(key, bytes);
  }
  return bytes;
}

/**
 * Whether this engine accepts a feature set, decided by validating the kernel module itself
 * (Node 20 accepts relaxed SIMD only after `--experimental-wasm-relaxed-simd`).
 */
export function supportsWasmFeatures(features: WasmFeatureSet): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(wasmBinary(features));
}
