import { jsKernels, type Kernels } from '@nnkit/tensor';
import type { WorkerTransport } from '@nnkit/train';
import { nodeWorkers } from '@nnkit/train/node';
import { createWasmKernels, createWasmKernelsSync, type WasmKernels } from '@nnkit/wasm';
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

/** What a worker thread of `--threads` builds (kernels cannot cross threads): the main thread's backend, with the same SIMD features. */
export type WorkerKernelsSpec = { readonly backend: 'js' } | { readonly backend: 'wasm'; readonly relaxedSimd: boolean };

/** The spec that rebuilds `kernels` in a worker. */
export function workerKernelsSpec(kernels: Kernels): WorkerKernelsSpec {
  if (kernels.name === 'wasm') return { backend: 'wasm', relaxedSimd: (kernels as WasmKernels).features === 'relaxed-simd' };
  if (kernels.name === 'js') return { backend: 'js' };
  throw new Error(`--threads: workers cannot rebuild the kernels "${kernels.name}"`);
}

/** Builds a worker thread's kernels from its spec (runs in `train-worker.ts`). */
export function createWorkerKernels(spec: unknown): Kernels {
  const backend = (spec as { backend?: unknown } | null)?.backend;
  if (backend === 'js') return jsKernels;
  if (backend === 'wasm') return createWasmKernelsSync({ relaxedSimd: (spec as { relaxedSimd?: boolean }).relaxedSimd === true });
  throw new TypeError(`train worker: unknown kernels ${JSON.stringify(spec)}`);
}

/**
 * Worker threads for `fit`'s `parallel` option: each runs the CLI's worker script
 * (`dist/train-worker.js`, built beside the CLI's bundle from `src/train-worker.ts`) and
 * rebuilds `kernels` there.
 */
export function trainWorkers(kernels: Kernels): WorkerTransport {
  return nodeWorkers({ workerUrl: new URL('./train-worker.js', import.meta.url), kernels: workerKernelsSpec(kernels) });
}
