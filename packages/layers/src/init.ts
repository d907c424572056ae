import type { Rng } from '@nnkit/tensor';

/**
 * Weight initialisers (n_in = fan-in, n_out = fan-out):
 * - `normal`: N(0, 1) (Nielsen ch. 1);
 * - `scaledNormal`: N(0, 1/n_in), std 1/√n_in (Nielsen ch. 3);
 * - `glorot`: uniform in ±√(6/(n_in + n_out)) (Glorot & Bengio 2010);
 * - `he`: N(0, 2/n_in), std √(2/n_in) (He et al. 2015), for ReLU networks.
 */
export type InitName = 'normal' | 'scaledNormal' | 'glorot' | 'he';

/** Every initialiser name, for validation and documentation. */
export const initNames: readonly InitName[] = ['normal', 'scaledNormal', 'glorot', 'he'];

/** `size` weights drawn from `rng` by initialiser `init` (see `InitName`) for the given fans. */
export function initWeights(init: InitName, size: number, fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const values = new Float32Array(size);
  if (init === 'glorot') {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < size; i++) values[i] = rng.uniform(-limit, limit);
    return values;
  }
  const std = init === 'normal' ? 1 : init === 'scaledNormal' ? 1 / Math.sqrt(fanIn) : Math.sqrt(2 / fanIn);
  for (let i = 0; i < size; i++) values[i] = rng.normal(0, std);
  return values;
}

/**
 * `size` biases: N(0, 1) for `normal` and `scaledNormal` (as Nielsen's network.py/network2.py
 * do), zeros for `glorot` and `he` (as Keras and PyTorch practice does).
 */
export function initBiases(init: InitName, size: number, rng: Rng): Float32Array {
  const values = new Float32Array(size);
  if (init === 'normal' || init === 'scaledNormal') for (let i = 0; i < size; i++) values[i] = rng.normal(0, 1);
  return values;
}
