import { createRng, jsKernels, tensor, type Shape } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { createLayer, layerKinds, type LayerKind, type LayerSpec } from './registry.js';
import { checkLayer } from './test.js';

/** One representative config and input shape per registered kind; a new kind must add its own. */
const examples: Record<LayerKind, { spec: LayerSpec; inputShape: Shape; distinct?: boolean }> = {
  dense: { spec: { kind: 'dense', units: 3, init: 'he' }, inputShape: [4] },
  conv2d: { spec: { kind: 'conv2d', filters: 2, kernelSize: 3, padding: 'same' }, inputShape: [4, 4, 2] },
  maxPool2d: { spec: { kind: 'maxPool2d', size: 2 }, inputShape: [4, 4, 2], distinct: true },
  avgPool2d: { spec: { kind: 'avgPool2d', size: 2 }, inputShape: [4, 4, 2] },
  flatten: { spec: { kind: 'flatten' }, inputShape: [2, 2, 2] },
  dropout: { spec: { kind: 'dropout', rate: 0.5 }, inputShape: [6] },
  batchNorm: { spec: { kind: 'batchNorm' }, inputShape: [2, 2, 3] },
  relu: { spec: { kind: 'relu' }, inputShape: [5], distinct: true },
  leakyRelu: { spec: { kind: 'leakyRelu' }, inputShape: [5], distinct: true },
  sigmoid: { spec: { kind: 'sigmoid' }, inputShape: [5] },
  tanh: { spec: { kind: 'tanh' }, inputShape: [5] },
  softmax: { spec: { kind: 'softmax' }, inputShape: [5] },
  elu: { spec: { kind: 'elu', alpha: 0.5 }, inputShape: [5], distinct: true },
};

describe('layer registry', () => {
  it('lists every kind once, keyed by its config kind', () => {
    expect(new Set(layerKinds).size).toBe(layerKinds.length);
    expect(Object.keys(examples).sort()).toEqual([...layerKinds].sort());
  });

  for (const kind of layerKinds) {
    const { spec, inputShape, distinct } = examples[kind];

    it(`${kind}: built by createLayer, passes checkLayer`, () => {
      checkLayer((rng) => createLayer(spec, inputShape, rng), { input: distinct ? 'distinct' : 'normal' });
    });

    it(`${kind}: reuses its buffers for repeated batches of the same size`, () => {
      const layer = createLayer(spec, inputShape, createRng(1));
      const context = { kernels: jsKernels, training: true, rng: createRng(2) };
      const input = tensor([2, ...inputShape]);
      const first = layer.forward(input, context);
      const firstGrad = layer.backward(tensor([2, ...layer.outputShape]), context);
      layer.forward(tensor([3, ...inputShape]), context); // another batch size in between
      const second = layer.forward(input, context);
      const secondGrad = layer.backward(tensor([2, ...layer.outputShape]), context);
      expect(second.data).toBe(first.data);
      // Flatten and inference-mode dropout return views of the gradient they are given.
      if (kind !== 'flatten') expect(secondGrad.data).toBe(firstGrad.data);
    });
  }

  it('rejects unknown kinds without touching prototype properties', () => {
    for (const kind of ['lstm', 'constructor', '__proto__', 'toString']) {
      expect(() => createLayer({ kind } as never, [3], createRng(1))).toThrow(`layer: kind: expected one of dense, conv2d`);
    }
  });
});
