import { relaxedSimdBinary, simdBinary } from './generated/wasm-binaries.js';

/** Which instruction set a compiled kernel module uses. */
export type WasmFeatureSet = 'simd' | 'relaxed-simd';

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  // atob exists in Node ≥ 16, browsers and workers alike; no Buffer, so no node:* import.
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let simdBytes: Uint8Array<ArrayBuffer> | undefined;
let relaxedBytes: Uint8Array<ArrayBuffer> | undefined;

/** The embedded module bytes for a feature set (decoded once). */
export function wasmBinary(features: WasmFeatureSet): Uint8Array<ArrayBuffer> {
  if (features === 'relaxed-simd') return (relaxedBytes ??= decodeBase64(relaxedSimdBinary));
  return (simdBytes ??= decodeBase64(simdBinary));
}

/**
 * Whether this engine accepts a feature set, decided by validating the kernel module itself
 * (Node 20 accepts relaxed SIMD only after `--experimental-wasm-relaxed-simd`).
 */
export function supportsWasmFeatures(features: WasmFeatureSet): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(wasmBinary(features));
}
