import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { Flatten } from './flatten.js';
import { checkLayer } from './test.js';

const context = { kernels: jsKernels, training: true, rng: createRng(0) };

describe('Flatten', () => {
  it('reshapes NHWC to [batch, size] without copying (hand-computed)', () => {
    const layer = new Flatten({ kind: 'flatten' }, [2, 2, 2]);
    expect(layer.outputShape).toEqual([8]);
    const input = tensor([1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const output = layer.forward(input, context);
    expect(output.shape).toEqual([1, 8]);
    expect([...output.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const inputGrad = layer.backward(tensor([1, 8], [8, 7, 6, 5, 4, 3, 2, 1]), context);
    expect(inputGrad.shape).toEqual([1, 2, 2, 2]);
    expect([...inputGrad.data]).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('passes checkLayer', () => {
    checkLayer(new Flatten({ kind: 'flatten' }, [3, 2, 2]));
  });
});
