// Models shared by the tests: every preset's network, and one that uses every layer kind.
import { type ModelDefinition, Sequential } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';

/**
 * A network with every layer kind and padding nnkit has: 'same', asymmetric explicit pads and
 * stride 2 convolutions, average and max pooling, batch norm after a conv and after a dense layer,
 * every activation, a softmax in the middle, dropout. Batch-norm statistics are set away from
 * their initial values so that inference really uses them. (TensorFlow.js reads ELU with α = 1 only.)
 */
export function everyLayerModel(loss: ModelDefinition['loss'] = { kind: 'softmaxCrossEntropy' }, eluAlpha = 1): Sequential {
  const model = new Sequential(
    {
      inputShape: [28, 28, 1],
      layers: [
        { kind: 'conv2d', filters: 4, kernelSize: 3, padding: 'same', init: 'he' },
        { kind: 'batchNorm' },
        { kind: 'leakyRelu', alpha: 0.2 },
        { kind: 'conv2d', filters: 6, kernelSize: [3, 2], stride: 2, padding: [1, 0, 2, 1] },
        { kind: 'elu', alpha: eluAlpha },
        { kind: 'avgPool2d', size: 2 },
        { kind: 'conv2d', filters: 5, kernelSize: 2, stride: [1, 2], padding: 'same' },
        { kind: 'tanh' },
        { kind: 'maxPool2d', size: [2, 1], stride: 1 },
        { kind: 'softmax' },
        { kind: 'dropout', rate: 0.25 },
        { kind: 'flatten' },
        { kind: 'dense', units: 24, init: 'scaledNormal' },
        { kind: 'batchNorm', momentum: 0.9, epsilon: 1e-4 },
        { kind: 'sigmoid' },
        { kind: 'dense', units: 16, init: 'normal' },
        { kind: 'relu' },
        { kind: 'dense', units: 10 },
      ],
      loss,
    },
    createRng('every layer'),
  );
  const rng = createRng('statistics');
  for (const entry of model.state) {
    const variance = entry.name === 'runningVariance';
    entry.value.data.forEach((_, i) => {
      entry.value.data[i] = variance ? 0.5 + rng.next() : rng.next() - 0.5;
    });
  }
  for (const param of model.params.filter((param) => param.name === 'gamma' || param.name === 'beta')) {
    param.value.data.forEach((_, i) => {
      param.value.data[i] = param.name === 'gamma' ? 0.5 + rng.next() : rng.next() - 0.5;
    });
  }
  return model;
}
