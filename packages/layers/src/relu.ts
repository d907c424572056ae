import type { Shape } from '@nnkit/tensor';
import { Activation } from './activation.js';
import { checkFields } from './validation.js';

/** Config of the rectified linear unit (no options). */
export interface ReluConfig {
  readonly kind: 'relu';
}

/** ReLU: y = max(0, x); dx = dy where x > 0, else 0 (the derivative at 0 is taken as 0). */
export class Relu extends Activation<ReluConfig> {
  constructor(config: ReluConfig, inputShape: Shape) {
    checkFields(config, 'relu', []);
    super({ kind: 'relu' }, inputShape);
  }

  protected activate(x: Float32Array, y: Float32Array): void {
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
  }

  protected differentiate(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array): void {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
  }
}
