import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AvgPool2d } from './avg-pool2d.js';
import { checkLayer } from './test.js';

const context = { kernels: jsKernels, training: true, rng: createRng(0) };

describe('AvgPool2d', () => {
  it('averages windows and spreads gradients evenly (hand-computed)', () => {
    const layer = new AvgPool2d({ kind: 'avgPool2d', size: 2 }, [2, 4, 1]);
    const input = tensor([1, 2, 4, 1], [1, 2, 3, 4, 5, 6, 7, 8]);
    // Windows {1, 2, 5, 6} and {3, 4, 7, 8}.
    expect([...layer.forward(input, context).data]).toEqual([3.5, 5.5]);
    const inputGrad = layer.backward(tensor([1, 1, 2, 1], [4, 8]), context);
    expect([...inputGrad.data]).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
  });

  it('passes checkLayer', () => {
    checkLayer(new AvgPool2d({ kind: 'avgPool2d', size: 2 }, [4, 4, 3]));
    checkLayer(new AvgPool2d({ kind: 'avgPool2d', size: [3, 2], stride: 1 }, [5, 4, 2]));
  });

  it('infers output shapes for random geometries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
        fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
        (height, width, size, stride) => {
          const make = () => new AvgPool2d({ kind: 'avgPool2d', size, stride }, [height, width, 1]);
          if (size[0] > height || size[1] > width) {
            expect(make).toThrow('avgPool2d: size: a');
            return;
          }
          expect(make().outputShape).toEqual([Math.floor((height - size[0]) / stride[0]) + 1, Math.floor((width - size[1]) / stride[1]) + 1, 1]);
        },
      ),
      { numRuns: 200, seed: 8 },
    );
  });
});
