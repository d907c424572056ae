// MNIST for the Node runners: the real files through `@nnkit/datasets/node`, and the order in
// which the timed steps visit them (the same for nnkit and TensorFlow.js).
import type { Dataset } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import { createRng } from '@nnkit/tensor';

/** The 60 000 training and 10 000 test images. */
export interface BenchData {
  readonly train: Dataset;
  readonly test: Dataset;
}

/** Loads MNIST from the `@nnkit/mnist` package. */
export function loadBenchData(): BenchData {
  return loadMnist();
}

/**
 * Image indices for `steps` training batches of `batchSize`: a seeded shuffle of the training
 * set, repeated if the steps need more images than one epoch has. Step s uses
 * `order[s·batchSize … (s+1)·batchSize)`.
 */
export function trainingOrder(count: number, batchSize: number, steps: number, seed: string): Int32Array {
  const permutation = createRng(seed).fork('order').permutation(count);
  const order = new Int32Array(batchSize * steps);
  for (let i = 0; i < order.length; i++) order[i] = permutation[i % count];
  return order;
}

/** Image indices for `steps` inference batches: the test set in order, wrapping around. */
export function inferenceOrder(count: number, batchSize: number, steps: number): Int32Array {
  const order = new Int32Array(batchSize * steps);
  for (let i = 0; i < order.length; i++) order[i] = i % count;
  return order;
}
