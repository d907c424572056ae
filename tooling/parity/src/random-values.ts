import type { Rng } from '@nnkit/tensor';

/** `size` float32 values drawn uniformly from [−scale, scale). */
export function uniformValues(rng: Rng, size: number, scale = 1): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.uniform(-scale, scale);
  return values;
}

/**
 * `size` pairwise-distinct float32 values in [−1, 1), in random order, at least 2/size apart.
 * Max pooling needs them: with a tie the two sides may route the gradient to different
 * (equally valid) elements, which is not a disagreement worth reporting.
 */
export function distinctValues(rng: Rng, size: number): Float32Array {
  const order = rng.permutation(size);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (2 * order[i] + rng.uniform(0.25, 0.75)) / size - 1;
  return values;
}
