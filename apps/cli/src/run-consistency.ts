import { buildSequential, type ModelDefinition, ParameterLimitError } from '@nnkit/layers';
import { createRng, formatShape } from '@nnkit/tensor';
import type { CheckpointState } from '@nnkit/train';
import { UserError } from './errors.js';

/** Parameter and state values a checkpoint stores. */
export function storedValues(checkpoint: CheckpointState): number {
  return [...checkpoint.params, ...checkpoint.state].reduce((sum, tensor) => sum + tensor.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * Checks that a run file's settings and `fit` state belong together: the position within the
 * run's epochs, the same batch size, and a network (from `definition`, built within the values
 * the checkpoint stores) whose parameters have the stored shapes. Errors name `source`.
 */
export function assertRunConsistent(settings: { epochs: number; batchSize: number }, checkpoint: CheckpointState, definition: () => ModelDefinition, source: string): void {
  if (checkpoint.position.epoch > settings.epochs) {
    throw new UserError(`${source}: checkpoint.position.epoch: ${checkpoint.position.epoch} epochs done, past the run's ${settings.epochs}`);
  }
  if (checkpoint.batchSize !== settings.batchSize) {
    throw new UserError(`${source}: checkpoint.batchSize: ${checkpoint.batchSize}, but settings.batchSize is ${settings.batchSize}`);
  }
  const stored = [...checkpoint.params, ...checkpoint.state];
  const values = storedValues(checkpoint);
  let network;
  try {
    network = buildSequential(definition(), createRng(0), values);
  } catch (error) {
    if (error instanceof ParameterLimitError) throw new UserError(`${source}: settings describe a network with more parameters than the checkpoint stores (${values.toLocaleString('en-US')} values)`);
    throw new UserError(`${source}: settings: ${(error as Error).message}`);
  }
  const expected = [...network.params.map((param) => param.value.shape), ...network.state.map((entry) => entry.value.shape)];
  const mismatch = expected.findIndex((shape, i) => stored[i] === undefined || formatShape(shape) !== formatShape(stored[i].shape));
  if (mismatch >= 0 || expected.length !== stored.length) {
    const at = mismatch >= 0 ? mismatch : expected.length;
    throw new UserError(
      `${source}: settings describe another network than the checkpoint stores: value set ${at} is ${stored[at] ? formatShape(stored[at].shape) : 'missing'}, the network's is ${expected[at] ? formatShape(expected[at]) : 'missing'}`,
    );
  }
}
