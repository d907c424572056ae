import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaxPool2d } from './max-pool2d.js';
import { checkLayer } from './test.js';

const context = { kernels: jsKernels, training: true, rng: createRng(0) };

describe('MaxPool2d', () => {
  it('takes window maxima and routes gradients to them (hand-computed)', () => {
    const layer = new MaxPool2d({ kind: 'maxPool2d', size: 2 }, [4, 4, 1]);
    // prettier-ignore
    const input = tensor([1, 4, 4, 1], [
      1, 5, 2, 0,
      3, 4, 8, 1,
      0, 0, 7, 6,
      9, 1, 5, 6,
    ]);
    expect([...layer.forward(input, context).data]).toEqual([5, 8, 9, 7]);
    const inputGrad = layer.backward(tensor([1, 2, 2, 1], [1, 2, 3, 4]), context);
    // prettier-ignore
    expect([...inputGrad.data]).toEqual([
      0, 1, 0, 0,
      0, 0, 2, 0,
      0, 0, 4, 0,
      3, 0, 0, 0,
    ]);
  });

  it('passes checkLayer (inputs kept apart so no window has near-ties)', () => {
    checkLayer(new MaxPool2d({ kind: 'maxPool2d', size: 2 }, [4, 4, 2]), { input: 'distinct' });
    checkLayer(new MaxPool2d({ kind: 'maxPool2d', size: 3, stride: 2 }, [7, 5, 2]), { input: 'distinct' });
    checkLayer(new MaxPool2d({ kind: 'maxPool2d', size: [2, 3], stride: [1, 2] }, [4, 7, 1]), { input: 'distinct' });
  });

  it('infers output shapes for random geometries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        (height, width, size, channels, stride) => {
          const make = () => new MaxPool2d({ kind: 'maxPool2d', size, stride }, [height, width, channels]);
          const s = stride ?? size;
          if (size > height || size > width) {
            expect(make).toThrow('does not fit');
            return;
          }
          const layer = make();
          const expected = [Math.floor((height - size) / s) + 1, Math.floor((width - size) / s) + 1, channels];
          expect(layer.outputShape).toEqual(expected);
          const batch = 2;
          const output = layer.forward(tensor([batch, height, width, channels]), context);
          expect(output.shape).toEqual([batch, ...expected]);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});
