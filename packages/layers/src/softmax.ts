import type { Shape } from '@nnkit/tensor';
import { Activation } from './activation.js';
import { defineLayer, readConfig } from './schema.js';

/** Config of the softmax layer (no options); it normalises over the last axis. */
export interface SoftmaxConfig {
  readonly kind: 'softmax';
}

/** The softmax layer's declaration. */
export const softmaxSchema = defineLayer({
  kind: 'softmax',
  summary: 'softmax over the last axis',
  role: 'activation',
  fields: {},
  create: (config: SoftmaxConfig, inputShape: Shape) => new Softmax(config, inputShape),
});

/**
 * Softmax over the last axis: y_i = e^(x_i − max x) / Σ_j e^(x_j − max x) (shifted, so large
 * logits never overflow); dx = y ⊙ (dy − Σ_j dy_j·y_j) per row. For training on class labels
 * prefer the `softmaxCrossEntropy` loss on logits, which fuses both and is exact at extremes.
 */
export class Softmax extends Activation<SoftmaxConfig> {
  constructor(config: SoftmaxConfig, inputShape: Shape) {
    readConfig(softmaxSchema, config);
    super({ kind: 'softmax' }, inputShape);
  }

  protected activate(x: Float32Array, y: Float32Array, rowLength: number): void {
    for (let row = 0; row < x.length; row += rowLength) {
      let max = -Infinity;
      for (let j = row; j < row + rowLength; j++) if (x[j] > max) max = x[j];
      let sum = 0;
      for (let j = row; j < row + rowLength; j++) {
        const e = Math.exp(x[j] - max);
        y[j] = e;
        sum += e;
      }
      const scale = 1 / sum;
      for (let j = row; j < row + rowLength; j++) y[j] *= scale;
    }
  }

  protected differentiate(_x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, rowLength: number): void {
    for (let row = 0; row < y.length; row += rowLength) {
      let dot = 0;
      for (let j = row; j < row + rowLength; j++) dot += dy[j] * y[j];
      for (let j = row; j < row + rowLength; j++) dx[j] = y[j] * (dy[j] - dot);
    }
  }
}
