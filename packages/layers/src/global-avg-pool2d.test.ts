import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { GlobalAvgPool2d } from './global-avg-pool2d.js';
import { checkLayer } from './test.js';

const context = { kernels: jsKernels, training: true, rng: createRng(0) };

describe('GlobalAvgPool2d', () => {
  it('averages each channel over the map and spreads gradients evenly (hand-computed)', () => {
    const layer = new GlobalAvgPool2d({ kind: 'globalAvgPool2d' }, [2, 2, 2]);
    expect(layer.outputShape).toEqual([2]);
    // NHWC, channels interleaved: channel 0 = {1, 3, 5, 7} → 4, channel 1 = {2, 4, 6, 10} → 5.5.
    const input = tensor([1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 10]);
    expect([...layer.forward(input, context).data]).toEqual([4, 5.5]);
    // dy = [4, 8] over 4 positions: 1 and 2 at each.
    const inputGrad = layer.backward(tensor([1, 2], [4, 8]), context);
    expect(inputGrad.shape).toEqual([1, 2, 2, 2]);
    expect([...inputGrad.data]).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
  });

  it('passes checkLayer', () => {
    checkLayer(new GlobalAvgPool2d({ kind: 'globalAvgPool2d' }, [3, 4, 5]));
  });

  it('needs an image input', () => {
    expect(() => new GlobalAvgPool2d({ kind: 'globalAvgPool2d' }, [10])).toThrow('globalAvgPool2d: expected an input of shape [height, width, channels], got [10]');
  });
});
