import type { Shape } from '@nnkit/tensor';
import { Activation } from './activation.js';
import { defineLayer, readConfig } from './schema.js';

/** Config of the exponential linear unit: `alpha` > 0 scales the negative side (default 1). */
export interface EluConfig {
  readonly kind: 'elu';
  readonly alpha?: number;
}

/** The elu layer's declaration: fields, defaults and ranges. */
export const eluSchema = defineLayer({
  kind: 'elu',
  summary: 'x for x > 0, else α(eˣ − 1)',
  role: 'activation',
  fields: { alpha: { type: 'number', min: 0, max: Infinity, minExclusive: true, default: 1, initial: 1, step: 0.1, description: 'scale of the negative side' } },
  create: (config: EluConfig, inputShape: Shape) => new Elu(config, inputShape),
});

/**
 * ELU (Clevert et al. 2015): y = x for x > 0, else α(eˣ − 1); dx = dy for x > 0, else
 * dy·(y + α) (since d/dx α(eˣ − 1) = αeˣ = y + α, reusing the saved output).
 */
export class Elu extends Activation<EluConfig> {
  private readonly alpha: number;

  constructor(config: EluConfig, inputShape: Shape) {
    const { alpha } = readConfig(eluSchema, config);
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
