// The fastest Kernels backend this browser can run: WebAssembly SIMD when @nnkit/wasm loads,
// the reference JavaScript kernels otherwise (same results up to float rounding).
import { type Kernels, jsKernels } from '@nnkit/tensor';
import { createWasmKernels } from '@nnkit/wasm';

/** Resolves to the WASM SIMD backend when this engine runs it, else `jsKernels`; never rejects. */
export async function loadKernels(): Promise<Kernels> {
  try {
    return await createWasmKernels();
  } catch {
    // No WebAssembly SIMD (old engines, some locked-down browsers): the reference kernels work everywhere.
    return jsKernels;
  }
}
