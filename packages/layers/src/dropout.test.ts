import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { Dropout } from './dropout.js';
import { checkLayer } from './test.js';

describe('Dropout', () => {
  it('zeroes about `rate` of the inputs, scales the rest by 1/(1 − rate), and is the identity at inference', () => {
    const layer = new Dropout({ kind: 'dropout', rate: 0.25 }, [1000]);
    const input = tensor([2, 1000], new Float32Array(2000).fill(3));
    const output = layer.forward(input, { kernels: jsKernels, training: true, rng: createRng(5) }).data;
    const zeros = output.filter((x) => x === 0).length;
    expect(zeros / 2000).toBeGreaterThan(0.2);
    expect(zeros / 2000).toBeLessThan(0.3);
    expect(output.every((x) => x === 0 || x === 4)).toBe(true); // 3 / 0.75
    // The gradient goes through exactly where the input did, with the same scale.
    const grad = layer.backward(tensor([2, 1000], new Float32Array(2000).fill(1)), { kernels: jsKernels, training: true, rng: createRng(5) }).data;
    expect(grad.every((g, i) => g === (output[i] === 0 ? 0 : Math.fround(1 / 0.75)))).toBe(true);
    const inference = { kernels: jsKernels, training: false, rng: createRng(5) };
    expect(layer.forward(input, inference)).toBe(input);
  });

  it('draws the same mask from the same stream', () => {
    const layer = new Dropout({ kind: 'dropout', rate: 0.5 }, [20]);
    const input = tensor([1, 20], new Float32Array(20).fill(1));
    const first = layer.forward(input, { kernels: jsKernels, training: true, rng: createRng(9) }).data.slice();
    const second = layer.forward(input, { kernels: jsKernels, training: true, rng: createRng(9) }).data;
    expect([...second]).toEqual([...first]);
  });

  it('passes checkLayer', () => {
    checkLayer(new Dropout({ kind: 'dropout', rate: 0.4 }, [6]));
    checkLayer(new Dropout({ kind: 'dropout', rate: 0.5 }, [3, 3, 2]));
  });

  it('rejects a rate outside [0, 1)', () => {
    expect(() => new Dropout({ kind: 'dropout', rate: 1 }, [4])).toThrow('dropout: rate: expected a number in [0, 1), got 1');
    expect(() => new Dropout({ kind: 'dropout' } as never, [4])).toThrow('dropout: rate: expected a number in [0, 1), got nothing');
  });
});
