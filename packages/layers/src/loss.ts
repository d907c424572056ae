import type { Tensor } from '@nnkit/tensor';

/**
 * A cost on the network output `[batch, classes]` against class-index labels (one-hot implied).
 * `compute` returns the MEAN loss over the batch and, when `outputGrad` is given, writes
 * dLoss/dOutput (already divided by the batch size) into it. `probabilities` maps outputs to
 * class probabilities `[batch·classes]`.
 */
export interface Loss<S extends { readonly kind: string } = { readonly kind: string }> {
  readonly config: S;
  /** The mean loss over the batch; writes dLoss/dOutput (divided by the batch size) into `outputGrad` when given. */
  compute(output: Tensor, labels: ArrayLike<number>, outputGrad: Float32Array | null): number;
  /** Class probabilities `[batch·classes]` for the network's outputs (into `out` when given). */
  probabilities(output: Tensor, out?: Float32Array): Float32Array;
}

/** The batch size of `output` `[batch, classes]` after checking it against `labels` (and `outputGrad`). */
export function checkLossInputs(name: string, output: Tensor, labels: ArrayLike<number>, outputGrad: Float32Array | null): number {
  if (output.shape.length !== 2) {
    throw new RangeError(`${name}: expected an output of shape [batch, classes], got [${output.shape.join(', ')}]`);
  }
  const [batch, classes] = output.shape;
  if (labels.length !== batch) throw new RangeError(`${name}: expected ${batch} labels (one per example), got ${labels.length}`);
  if (outputGrad !== null && outputGrad.length < batch * classes) {
    throw new RangeError(`${name}: outputGrad holds ${outputGrad.length} values, needs ${batch * classes}`);
  }
  for (let i = 0; i < batch; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(`${name}: labels[${i}] = ${label} is not a class index in [0, ${classes})`);
    }
  }
  return batch;
}

/** `out` when given (checked to be large enough), else a new array of `size` values. */
export function probabilitiesBuffer(name: string, size: number, out?: Float32Array): Float32Array {
  if (out === undefined) return new Float32Array(size);
  if (out.length < size) throw new RangeError(`${name}: probabilities buffer holds ${out.length} values, needs ${size}`);
  return out;
}
