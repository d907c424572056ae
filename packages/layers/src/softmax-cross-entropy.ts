import type { Tensor } from '@nnkit/tensor';
import { checkLossInputs, probabilitiesBuffer, type Loss } from './loss.js';

/** Spec of the softmax cross-entropy (log-likelihood) loss on logits. */
export interface SoftmaxCrossEntropySpec {
  readonly kind: 'softmaxCrossEntropy';
}

/**
 * Softmax cross-entropy on logits z (Nielsen ch. 3, log-likelihood with a softmax output):
 * C = mean over the batch of −ln softmax(z)_y = logsumexp(z) − z_y, with logsumexp computed as
 * max z + ln Σ e^(z − max z) so logits of ±1e4 stay finite; dC/dz = (softmax(z) − onehot(y)) / batch.
 */
export class SoftmaxCrossEntropy implements Loss<SoftmaxCrossEntropySpec> {
  readonly config: SoftmaxCrossEntropySpec = { kind: 'softmaxCrossEntropy' };

  compute(output: Tensor, labels: ArrayLike<number>, outputGrad: Float32Array | null): number {
    const batch = checkLossInputs('softmaxCrossEntropy', output, labels, outputGrad);
    const classes = output.shape[1];
    const z = output.data;
    const scale = 1 / batch;
    let total = 0;
    for (let row = 0, i = 0; i < batch; i++, row += classes) {
      let max = -Infinity;
      for (let j = row; j < row + classes; j++) if (z[j] > max) max = z[j];
      let sum = 0;
      if (outputGrad === null) {
        for (let j = row; j < row + classes; j++) sum += Math.exp(z[j] - max);
      } else {
        // The exponentials are kept in the gradient buffer and normalised below, not recomputed.
        for (let j = row; j < row + classes; j++) {
          const e = Math.exp(z[j] - max);
          outputGrad[j] = e;
          sum += e;
        }
        const normaliser = scale / sum;
        for (let j = row; j < row + classes; j++) outputGrad[j] *= normaliser;
        outputGrad[row + labels[i]] -= scale;
      }
      total += max + Math.log(sum) - z[row + labels[i]];
    }
    return total * scale;
  }

  probabilities(output: Tensor, out?: Float32Array): Float32Array {
    const z = output.data;
    const result = probabilitiesBuffer('softmaxCrossEntropy', z.length, out);
    const classes = output.shape[output.shape.length - 1];
    for (let row = 0; row < z.length; row += classes) {
      let max = -Infinity;
      for (let j = row; j < row + classes; j++) if (z[j] > max) max = z[j];
      let sum = 0;
      for (let j = row; j < row + classes; j++) sum += Math.exp(z[j] - max);
      const logSumExp = max + Math.log(sum);
      for (let j = row; j < row + classes; j++) result[j] = Math.exp(z[j] - logSumExp);
    }
    return result;
  }
}
