import type { Shape } from '@nnkit/tensor';
import { Activation } from './activation.js';
import { defineLayer, readConfig } from './schema.js';

/** Config of softplus: sharpness `beta` ∈ (0, 100] (default 1, as PyTorch). */
export interface SoftplusConfig {
  readonly kind: 'softplus';
  readonly beta?: number;
}

/** The softplus layer's declaration: fields, defaults and ranges. */
export const softplusSchema = defineLayer({
  kind: 'softplus',
  summary: 'smooth ReLU (1/β)·ln(1 + e^(βx))',
  role: 'activation',
  fields: { beta: { type: 'number', min: 0, max: 100, minExclusive: true, default: 1, initial: 1, step: 0.5, description: 'sharpness' } },
  create: (config: SoftplusConfig, inputShape: Shape) => new Softplus(config, inputShape),
});

/**
 * Softplus: y = (1/β)·ln(1 + e^(βx)), computed as (max(βx, 0) + ln(1 + e^(−|βx|)))/β so that
 * e^(βx) never overflows; dx = dy·σ(βx) with σ the logistic function (the derivative of
 * ln(1 + eᵘ) is eᵘ/(1 + eᵘ)). It tends to ReLU as β grows.
 */
export class Softplus extends Activation<SoftplusConfig> {
  private readonly beta: number;

  constructor(config: SoftplusConfig, inputShape: Shape) {
    const { beta } = readConfig(softplusSchema, config);
    super({ kind: 'softplus', beta }, inputShape);
    this.beta = beta;
  }

  protected activate(x: Float32Array, y: Float32Array): void {
    const beta = this.beta;
    for (let i = 0; i < x.length; i++) {
      const u = beta * x[i];
      y[i] = (Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)))) / beta;
    }
  }

  protected differentiate(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array): void {
    const beta = this.beta;
    for (let i = 0; i < x.length; i++) dx[i] = dy[i] / (1 + Math.exp(-beta * x[i]));
  }
}
