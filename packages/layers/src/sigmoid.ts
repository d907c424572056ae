import type { Shape } from '@nnkit/tensor';
import { Activation } from './activation.js';
import { defineLayer, readConfig } from './schema.js';

/** Config of the logistic sigmoid (no options). */
export interface SigmoidConfig {
  readonly kind: 'sigmoid';
}

/** The sigmoid layer's declaration. */
export const sigmoidSchema = defineLayer({
  kind: 'sigmoid',
  summary: 'logistic 1 / (1 + e^(−x))',
  role: 'activation',
  fields: {},
  create: (config: SigmoidConfig, inputShape: Shape) => new Sigmoid(config, inputShape),
});

/** Sigmoid: y = 1 / (1 + e^(−x)); dx = dy·y(1 − y), from the saved output. */
export class Sigmoid extends Activation<SigmoidConfig> {
  constructor(config: SigmoidConfig, inputShape: Shape) {
    readConfig(sigmoidSchema, config);
    super({ kind: 'sigmoid' }, inputShape);
  }

  protected activate(x: Float32Array, y: Float32Array): void {
    // e^(−x) overflows to Infinity for x < −709 and 1/Infinity = 0: no NaN either way.
    for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
  }

  protected differentiate(_x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
    for (let i = 0; i < y.length; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
  }
}
