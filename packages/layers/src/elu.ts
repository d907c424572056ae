import type { Shape } from '@nnkit/tensor';
import { Activation } from './activation.js';
import { checkFields, readNumber } from './validation.js';

/** Config of the exponential linear unit: `alpha` > 0 scales the negative side (default 1). */
export interface EluConfig {
  readonly kind: 'elu';
  readonly alpha?: number;
}

/**
 * ELU (Clevert et al. 2015): y = x for x > 0, else α(eˣ − 1); dx = dy for x > 0, else
 * dy·(y + α) (since d/dx α(eˣ − 1) = αeˣ = y + α, reusing the saved output).
 */
export class Elu extends Activation<EluConfig> {
  private readonly alpha: number;

  constructor(config: EluConfig, inputShape: Shape) {
    const fields = checkFields(config, 'elu', ['alpha']);
    const alpha = readNumber(fields, 'alpha', 'elu', { min: 0, max: Infinity, minExclusive: true }, 1);
    super({ kind: 'elu', alpha }, inputShape);
    this.alpha = alpha;
  }

  protected activate(x: Float32Array, y: Float32Array): void {
    const alpha = this.alpha;
    // expm1 keeps α(eˣ − 1) accurate for x near 0.
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : alpha * Math.expm1(x[i]);
  }

  protected differentiate(x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
    const alpha = this.alpha;
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * (y[i] + alpha);
  }
}
