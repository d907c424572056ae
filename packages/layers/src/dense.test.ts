import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { Dense } from './dense.js';
import { checkLayer } from './test.js';

const context = { kernels: jsKernels, training: true, rng: createRng(0) };

describe('Dense', () => {
  it('computes x·W + b and its gradients (hand-computed)', () => {
    const layer = new Dense({ kind: 'dense', units: 2 }, [3], createRng(1));
    layer.weights.value.data.set([1, 2, 3, 4, 5, 6]); // W = [[1, 2], [3, 4], [5, 6]]
    layer.bias.value.data.set([0.5, -1]);
    const input = tensor([2, 3], [1, 0, -1, 2, 1, 0]);
    // Row 1: [1-5, 2-6] + b = [-3.5, -5]; row 2: [2+3, 4+4] + b = [5.5, 7].
    expect([...layer.forward(input, context).data]).toEqual([-3.5, -5, 5.5, 7]);
    const inputGrad = layer.backward(tensor([2, 2], [1, 0, 0, 1]), context);
    // dx = dy·Wᵀ: row 1 = W[:,0] = [1, 3, 5]; row 2 = W[:,1] = [2, 4, 6].
    expect([...inputGrad.data]).toEqual([1, 3, 5, 2, 4, 6]);
    // dW = xᵀ·dy = [[1, 2], [0, 1], [-1, 0]]; db = column sums of dy = [1, 1].
    expect([...layer.weights.grad.data]).toEqual([1, 2, 0, 1, -1, 0]);
    expect([...layer.bias.grad.data]).toEqual([1, 1]);
  });

  it('passes checkLayer with every initialiser', () => {
    for (const init of ['normal', 'scaledNormal', 'glorot', 'he'] as const) {
      checkLayer((rng) => new Dense({ kind: 'dense', units: 4, init }, [5], rng));
    }
  });

  it('marks weights regularised and biases not; initialises biases as documented', () => {
    const glorot = new Dense({ kind: 'dense', units: 30 }, [20], createRng(2));
    expect(glorot.weights.regularize).toBe(true);
    expect(glorot.bias.regularize).toBe(false);
    expect(glorot.bias.value.data.every((b) => b === 0)).toBe(true);
    const nielsen = new Dense({ kind: 'dense', units: 30, init: 'scaledNormal' }, [20], createRng(2));
    expect(nielsen.bias.value.data.some((b) => b !== 0)).toBe(true);
  });

  it('rejects a bad config or input shape with a one-line message', () => {
    expect(() => new Dense({ kind: 'dense', units: -1 }, [3], createRng(1))).toThrow('dense: units: expected a positive integer, got -1');
    expect(() => new Dense({ kind: 'dense', units: 3 }, [2, 2, 1], createRng(1))).toThrow(
      "dense: expected an input of shape [features], got [2, 2, 1]; add {kind: 'flatten'} before it",
    );
    expect(() => new Dense({ kind: 'dense', units: 3, init: 'zeros' as 'he' }, [3], createRng(1))).toThrow('dense: init: expected one of');
    expect(() => new Dense({ kind: 'dense', units: 3, unit: 3 } as never, [3], createRng(1))).toThrow('dense: unit: unknown option');
  });
});
