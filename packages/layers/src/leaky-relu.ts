import type { Shape } from '@nnkit/tensor';
import { Activation } from './activation.js';
import { defineLayer, readConfig } from './schema.js';

/** Config of the leaky ReLU: slope `alpha` ∈ [0, 1] for negative inputs (default 0.3, as Keras). */
export interface LeakyReluConfig {
  readonly kind: 'leakyRelu';
  readonly alpha?: number;
}

/** The leakyRelu layer's declaration: fields, defaults and ranges. */
export const leakyReluSchema = defineLayer({
  kind: 'leakyRelu',
  summary: 'x for x > 0, else αx',
  role: 'activation',
  fields: { alpha: { type: 'number', min: 0, max: 1, default: 0.3, initial: 0.01, step: 0.01, description: 'slope for negative inputs' } },
  create: (config: LeakyReluConfig, inputShape: Shape) => new LeakyRelu(config, inputShape),
});

/** Leaky ReLU: y = x for x > 0, else αx; dx = dy or α·dy. */
export class LeakyRelu extends Activation<LeakyReluConfig> {
  private readonly alpha: number;

  constructor(config: LeakyReluConfig, inputShape: Shape) {
    const { alpha } = readConfig(leakyReluSchema, config);
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
