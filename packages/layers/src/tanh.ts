import type { Shape } from '@nnkit/tensor';
import { Activation } from './activation.js';
import { defineLayer, readConfig } from './schema.js';

/** Config of the hyperbolic tangent (no options). */
export interface TanhConfig {
  readonly kind: 'tanh';
}

/** The tanh layer's declaration. */
export const tanhSchema = defineLayer({
  kind: 'tanh',
  summary: 'hyperbolic tangent',
  role: 'activation',
  fields: {},
  create: (config: TanhConfig, inputShape: Shape) => new Tanh(config, inputShape),
});

/** Tanh: y = tanh(x); dx = dy·(1 − y²), from the saved output. */
export class Tanh extends Activation<TanhConfig> {
  constructor(config: TanhConfig, inputShape: Shape) {
    readConfig(tanhSchema, config);
    super({ kind: 'tanh' }, inputShape);
  }

  protected activate(x: Float32Array, y: Float32Array): void {
    for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
  }

  protected differentiate(_x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
    for (let i = 0; i < y.length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
  }
}
