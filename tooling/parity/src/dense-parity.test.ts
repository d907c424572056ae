import { createLayer } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertLayerParity } from './layer-parity.js';
import { uniformValues } from './random-values.js';
import { loadTensorFlow, type TensorFlow } from './tfjs-oracle.js';

// Dense y = x·W + b against tf.matMul + tf.add: output, dx, dW, db (see layer-parity.ts).
let tf: TensorFlow;
beforeAll(async () => {
  tf = await loadTensorFlow();
});

describe('dense matches TensorFlow.js', () => {
  it('stores weights as [inputs, units] (x·W, like tf.matMul(x, W))', () => {
    const layer = createLayer({ kind: 'dense', units: 3 }, [5], createRng(1));
    expect(layer.params.map((param) => [param.name, param.value.shape])).toEqual([
      ['weights', [5, 3]],
      ['bias', [3]],
    ]);
  });

  it('forward and gradients on random shapes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (batch, inputs, units, seed) => {
          const rng = createRng(seed);
          assertLayerParity(
            tf,
            {
              label: `dense batch ${batch}, ${inputs} → ${units}`,
              layer: createLayer({ kind: 'dense', units }, [inputs], rng.fork('init')),
              input: { shape: [batch, inputs], data: uniformValues(rng, batch * inputs) },
              params: {
                weights: { shape: [inputs, units], data: uniformValues(rng, inputs * units) },
                bias: { shape: [units], data: uniformValues(rng, units) },
              },
              oracle: (x, weights, bias) => tf.add(tf.matMul(x, weights), bias),
            },
            rng,
          );
        },
      ),
      { seed: 7001, numRuns: 40 },
    );
  });
});
