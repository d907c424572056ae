// The fastest Kernels backend this browser can run: WebAssembly SIMD when @nnkit/wasm loads and
// agrees with the reference kernels, the reference JavaScript kernels otherwise (same results
// up to float rounding).
import { type Kernels, createRng, jsKernels } from '@nnkit/tensor';
import { createWasmKernels } from '@nnkit/wasm';

/** The backend chosen, and why when it is not the fastest one. */
export interface KernelChoice {
  readonly kernels: Kernels;
  /** Empty when WASM SIMD is in use; otherwise the reason the reference kernels run instead. */
  readonly note: string;
}

/**
 * Largest |difference| between `candidate` and `jsKernels` over matrix products of the shapes
 * training uses (tall, wide and skinny, each transpose combination). A few milliseconds; a
 * backend that disagrees would train to NaN, so the page checks before trusting it.
 */
export function matmulDisagreement(candidate: Kernels): number {
  const rng = createRng('kernel-check');
  let worst = 0;
  for (const [m, k, n] of [[1152, 50, 10], [37, 61, 29], [8, 784, 100], [100, 32, 784]]) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const a = Float32Array.from({ length: m * k }, () => rng.uniform(-1, 1));
        const b = Float32Array.from({ length: k * n }, () => rng.uniform(-1, 1));
        const expected = new Float32Array(m * n);
        const actual = new Float32Array(m * n);
        jsKernels.matmul(a, b, expected, { m, k, n, transposeA, transposeB });
        candidate.matmul(a, b, actual, { m, k, n, transposeA, transposeB });
        for (let i = 0; i < expected.length; i++) {
          const difference = Math.abs(expected[i] - actual[i]);
          // NaN compares false with everything: count it as infinitely wrong.
          worst = Number.isNaN(difference) ? Infinity : Math.max(worst, difference);
        }
      }
    }
  }
  return worst;
}

/** Which backend to use: the best that works ('auto'), or one forced (`?backend=js|wasm` on the page URL). */
export type BackendRequest = 'auto' | 'js' | 'wasm';

/**
 * Resolves to the WASM SIMD backend when it runs here and passes the check, else `jsKernels`
 * ('auto'); 'js' always gives the reference kernels, 'wasm' skips the check. Never rejects.
 */
export async function loadKernels(request: BackendRequest = 'auto'): Promise<KernelChoice> {
  if (request === 'js') return { kernels: jsKernels, note: 'chosen in the URL' };
  let wasm: Kernels;
  try {
    wasm = await createWasmKernels();
  } catch {
    // No WebAssembly SIMD (old engines, some locked-down browsers): the reference kernels work everywhere.
    return { kernels: jsKernels, note: 'no WASM SIMD here' };
  }
  if (request === 'wasm') return { kernels: wasm, note: 'unchecked, chosen in the URL' };
  const disagreement = matmulDisagreement(wasm);
  if (!(disagreement < 1e-3)) return { kernels: jsKernels, note: 'WASM failed its self-check' };
  return { kernels: wasm, note: '' };
}

/**
 * A replica thread's kernels from the training worker's choice, by name (`kernels.name`, what
 * `fit` hands each replica): 'wasm' rebuilds WASM SIMD (already checked on the training
 * worker), 'js' the reference kernels.
 */
export async function createReplicaKernels(name: unknown): Promise<Kernels> {
  if (name === 'js') return jsKernels;
  if (name === 'wasm') return createWasmKernels();
  throw new TypeError(`replica worker: unknown kernels ${JSON.stringify(name)}`);
}
