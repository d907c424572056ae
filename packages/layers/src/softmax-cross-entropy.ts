import type { Tensor } from '@nnkit/tensor';
import { checkLossInputs, probabilitiesBuffer, type Loss } from './loss.js';

/** Spec of the softmax cross-entropy (log-likelihood) loss on logits. */
export interface SoftmaxCrossEntropySpec {
  readonly kind: 'softmaxCrossEntropy';
  /**
   * Label smoothing ε in [0, 1) (Szegedy et al. 2016, PyTorch's `label_smoothing`): the target is
   * (1 − ε)·onehot(y) + ε/K over K classes. Absent or 0: plain cross-entropy.
   */
  readonly labelSmoothing?: number;
}

/**
 * Softmax cross-entropy on logits z (Nielsen ch. 3, log-likelihood with a softmax output):
 * C = mean over the batch of −ln softmax(z)_y = logsumexp(z) − z_y, with logsumexp computed as
 * max z + ln Σ e^(z − max z) so logits of ±1e4 stay finite; dC/dz = (softmax(z) − onehot(y)) / batch.
 * With label smoothing ε the target is q = (1 − ε)·onehot(y) + ε/K:
 * C = logsumexp(z) − (1 − ε)·z_y − (ε/K)·Σ_j z_j and dC/dz = (softmax(z) − q) / batch.
 */
export class SoftmaxCrossEntropy implements Loss<SoftmaxCrossEntropySpec> {
  readonly config: SoftmaxCrossEntropySpec;
  private readonly smoothing: number;

  constructor(spec: SoftmaxCrossEntropySpec = { kind: 'softmaxCrossEntropy' }) {
    const smoothing = spec.labelSmoothing ?? 0;
    if (typeof smoothing !== 'number' || !(smoothing >= 0 && smoothing < 1)) {
      throw new RangeError(`loss softmaxCrossEntropy: labelSmoothing: expected a number in [0, 1), got ${JSON.stringify(spec.labelSmoothing)}`);
    }
    this.smoothing = smoothing;
    // ε = 0 keeps the config (and so model files) exactly as without the option.
    this.config = smoothing === 0 ? { kind: 'softmaxCrossEntropy' } : { kind: 'softmaxCrossEntropy', labelSmoothing: smoothing };
  }

  compute(output: Tensor, labels: ArrayLike<number>, outputGrad: Float32Array | null): number {
    const batch = checkLossInputs('softmaxCrossEntropy', output, labels, outputGrad);
    if (this.smoothing > 0) return this.computeSmoothed(output, labels, outputGrad, batch);
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

  /** The smoothed loss and gradient (a separate loop so ε = 0 runs the plain one, byte for byte). */
  private computeSmoothed(output: Tensor, labels: ArrayLike<number>, outputGrad: Float32Array | null, batch: number): number {
    const classes = output.shape[1];
    const z = output.data;
    const scale = 1 / batch;
    const spread = this.smoothing / classes;
    const kept = 1 - this.smoothing;
    let total = 0;
    for (let row = 0, i = 0; i < batch; i++, row += classes) {
      let max = -Infinity;
      let logitSum = 0;
      for (let j = row; j < row + classes; j++) {
        if (z[j] > max) max = z[j];
        logitSum += z[j];
      }
      let sum = 0;
      for (let j = row; j < row + classes; j++) sum += Math.exp(z[j] - max);
      const logSumExp = max + Math.log(sum);
      if (outputGrad !== null) {
        for (let j = row; j < row + classes; j++) outputGrad[j] = (Math.exp(z[j] - logSumExp) - spread) * scale;
        outputGrad[row + labels[i]] -= kept * scale;
      }
      total += logSumExp - kept * z[row + labels[i]] - spread * logitSum;
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
