import type { Shape } from '@nnkit/tensor';
import { Activation } from './activation.js';
import { checkFields, readNumber } from './validation.js';

/** Config of the leaky ReLU: slope `alpha` ∈ [0, 1] for negative inputs (default 0.3, as Keras). */
export interface LeakyReluConfig {
  readonly kind: 'leakyRelu';
  readonly alpha?: number;
}

/** Leaky ReLU: y = x for x > 0, else αx; dx = dy or α·dy. */
export class LeakyRelu extends Activation<LeakyReluConfig> {
  private readonly alpha: number;

  constructor(config: LeakyReluConfig, inputShape: Shape) {
    const fields = checkFields(config, 'leakyRelu', ['alpha']);
    const alpha = readNumber(fields, 'alpha', 'leakyRelu', { min: 0, max: 1, maxInclusive: true }, 0.3);
    super({ kind: 'leakyRelu', alpha }, inputShape);
    this.alpha = alpha;
  }

  protected activate(x: Float32Array, y: Float32Array): void {
    const alpha = this.alpha;
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : alpha * x[i];
  }

  protected differentiate(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array): void {
    const alpha = this.alpha;
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : alpha * dy[i];
  }
}
