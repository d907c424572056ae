import type { Tensor } from '@nnkit/tensor';
import { checkLossInputs, probabilitiesBuffer, type Loss } from './loss.js';

/** Spec of the quadratic (mean squared error) loss on the network's output activations. */
export interface QuadraticSpec {
  readonly kind: 'quadratic';
}

/**
 * Quadratic cost (Nielsen ch. 1): C = mean over the batch of ½‖a − y‖² summed over the outputs,
 * with y one-hot; dC/da = (a − y) / batch. It takes activations (e.g. after a sigmoid layer).
 * `probabilities` clamps outputs at 0 and normalises each row to sum 1 (uniform if all are ≤ 0).
 */
export class QuadraticLoss implements Loss<QuadraticSpec> {
  readonly config: QuadraticSpec = { kind: 'quadratic' };

  compute(output: Tensor, labels: ArrayLike<number>, outputGrad: Float32Array | null): number {
    const batch = checkLossInputs('quadratic', output, labels, outputGrad);
    const classes = output.shape[1];
    const a = output.data;
    const scale = 1 / batch;
    let total = 0;
    for (let row = 0, i = 0; i < batch; i++, row += classes) {
      const label = row + labels[i];
      for (let j = row; j < row + classes; j++) {
        const difference = a[j] - (j === label ? 1 : 0);
        total += 0.5 * difference * difference;
        if (outputGrad !== null) outputGrad[j] = difference * scale;
      }
    }
    return total * scale;
  }

  probabilities(output: Tensor, out?: Float32Array): Float32Array {
    const a = output.data;
    const result = probabilitiesBuffer('quadratic', a.length, out);
    const classes = output.shape[output.shape.length - 1];
    for (let row = 0; row < a.length; row += classes) {
      let sum = 0;
      for (let j = row; j < row + classes; j++) sum += Math.max(a[j], 0);
      for (let j = row; j < row + classes; j++) result[j] = sum > 0 ? Math.max(a[j], 0) / sum : 1 / classes;
    }
    return result;
  }
}
