// From the playground's configuration to the network definition @nnkit/layers builds.
import { type PlaygroundConfig, lossOf } from './config.js';
import type { LayerSpec, ModelDefinition } from './nnkit.js';

/** MNIST images per example: 28×28 pixels, one channel (NHWC without the batch). */
export const mnistInputShape = [28, 28, 1] as const;

/**
 * The model definition for `config`: its layers, with a dropout layer of rate `config.dropout`
 * inserted before the last dense layer when that rate is positive, and its loss with the label
 * smoothing (so a saved model's file names the loss it was trained with).
 */
export function buildDefinition(config: PlaygroundConfig): ModelDefinition {
  const layers: LayerSpec[] = [...config.layers];
  if (config.dropout > 0) {
    let lastDense = -1;
    layers.forEach((layer, index) => {
      if (layer.kind === 'dense') lastDense = index;
    });
    if (lastDense >= 0) layers.splice(lastDense, 0, { kind: 'dropout', rate: config.dropout } as LayerSpec);
  }
  return { inputShape: [...mnistInputShape], layers, loss: lossOf(config) };
}
