import type { Kernels, Shape } from '@nnkit/tensor';
import { Activation } from './activation.js';
import { defineLayer, readConfig } from './schema.js';

/** Config of the rectified linear unit (no options). */
export interface ReluConfig {
  readonly kind: 'relu';
}

/** The relu layer's declaration. */
export const reluSchema = defineLayer({
  kind: 'relu',
  summary: 'max(0, x)',
  role: 'activation',
  fields: {},
  create: (config: ReluConfig, inputShape: Shape) => new Relu(config, inputShape),
});

/**
 * ReLU: y = max(0, x); dx = dy where x > 0, else 0 (the derivative at 0 is taken as 0). A NaN
 * input stays NaN (so a diverging model shows); both passes are kernels (`relu`, `reluBackward`).
 */
export class Relu extends Activation<ReluConfig> {
  constructor(config: ReluConfig, inputShape: Shape) {
    readConfig(reluSchema, config);
    super({ kind: 'relu' }, inputShape);
  }

  protected activate(x: Float32Array, y: Float32Array, _rowLength: number, kernels: Kernels): void {
    kernels.relu(x, y, x.length);
  }

  protected differentiate(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, _rowLength: number, kernels: Kernels): void {
    kernels.reluBackward(x, dy, dx, x.length);
  }
}
