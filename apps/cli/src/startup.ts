import { setFlagsFromString } from 'node:v8';

/**
 * Enables WebAssembly relaxed SIMD (fused multiply-add) before any module is compiled: Node 20
 * ships it behind a flag, current browsers have it on. The wasm backend falls back to plain
 * SIMD where validation fails, so this only ever makes things faster.
 */
export function v8Flags(): void {
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // An engine without the flag keeps plain SIMD.
  }
}
