import type { Tensor } from '@nnkit/tensor';
import { checkLossInputs, probabilitiesBuffer, type Loss } from './loss.js';

/** Spec of the sigmoid cross-entropy loss on logits. */
export interface SigmoidCrossEntropySpec {
  readonly kind: 'sigmoidCrossEntropy';
}

/**
 * Cross-entropy of sigmoid outputs a = σ(z) against one-hot y (Nielsen ch. 3), taking logits z:
 * C = mean over the batch of Σ_j −[y ln a + (1 − y) ln(1 − a)], evaluated stably as
 * max(z, 0) − z·y + ln(1 + e^(−|z|)) (no overflow at ±1e4). Its gradient is Nielsen's simplified
 * delta dC/dz = (a − y) / batch: σ′(z) cancels, which is why learning does not slow down when
 * the output saturates.
 */
export class SigmoidCrossEntropy implements Loss<SigmoidCrossEntropySpec> {
  readonly config: SigmoidCrossEntropySpec = { kind: 'sigmoidCrossEntropy' };

  compute(output: Tensor, labels: ArrayLike<number>, outputGrad: Float32Array | null): number {
    const batch = checkLossInputs('sigmoidCrossEntropy', output, labels, outputGrad);
    const classes = output.shape[1];
    const z = output.data;
    const scale = 1 / batch;
    let total = 0;
    for (let row = 0, i = 0; i < batch; i++, row += classes) {
      const label = row + labels[i];
      for (let j = row; j < row + classes; j++) {
        const logit = z[j];
        const target = j === label ? 1 : 0;
        total += Math.max(logit, 0) - logit * target + Math.log1p(Math.exp(-Math.abs(logit)));
        if (outputGrad !== null) outputGrad[j] = (sigmoid(logit) - target) * scale;
      }
    }
    return total * scale;
  }

  probabilities(output: Tensor, out?: Float32Array): Float32Array {
    const z = output.data;
    const result = probabilitiesBuffer('sigmoidCrossEntropy', z.length, out);
    for (let j = 0; j < z.length; j++) result[j] = sigmoid(z[j]);
    return result;
  }
}

/** σ(z) = 1/(1 + e^(−z)), written so that e^(…) never overflows. */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
