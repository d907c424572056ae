import { jsKernels, type Kernels } from '@nnkit/tensor';
import { createWasmKernels } from '@nnkit/wasm';
import { UserError } from './errors.js';

/** Kernel backends the CLI offers. */
export const backendNames = ['js', 'wasm'] as const;
export type BackendName = (typeof backendNames)[number] | 'auto';

/**
 * The kernels for `name`: 'js' (the reference backend), 'wasm' (WebAssembly SIMD; an error
 * where the engine lacks SIMD), or 'auto' (wasm where it loads, js otherwise).
 */
export async function createKernels(name: BackendName): Promise<{ kernels: Kernels; name: string }> {
  if (name === 'js') return { kernels: jsKernels, name: 'js' };
  try {
    const kernels = await createWasmKernels();
    return { kernels, name: `wasm (${kernels.features})` };
  } catch (error) {
    if (name === 'wasm') throw new UserError(`--backend wasm: ${(error as Error).message}`);
    return { kernels: jsKernels, name: 'js' };
  }
}
