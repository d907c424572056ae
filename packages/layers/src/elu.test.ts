import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { Elu } from './elu.js';
import { checkLayer } from './test.js';

const context = { kernels: jsKernels, training: true, rng: createRng(0) };

describe('Elu', () => {
  it('is x above zero and α(eˣ − 1) below, with slope αeˣ (hand-computed)', () => {
    const layer = new Elu({ kind: 'elu', alpha: 2 }, [3]);
    // x = [1, 0, −ln 2]: y = [1, 2(e⁰ − 1), 2(½ − 1)] = [1, 0, −1]; slopes [1, 2·1, 2·½] = [1, 2, 1].
    const output = layer.forward(tensor([1, 3], [1, 0, -Math.log(2)]), context).data;
    expect(output[0]).toBe(1);
    expect(output[1]).toBe(0);
    expect(output[2]).toBeCloseTo(-1, 6);
    const inputGrad = layer.backward(tensor([1, 3], [3, 3, 3]), context).data;
    expect(inputGrad[0]).toBe(3);
    expect(inputGrad[1]).toBe(6);
    expect(inputGrad[2]).toBeCloseTo(3, 6);
    expect(new Elu({ kind: 'elu' }, [3]).config).toEqual({ kind: 'elu', alpha: 1 });
  });

  it('passes checkLayer (inputs kept away from the corner at 0)', () => {
    checkLayer(new Elu({ kind: 'elu' }, [6]), { input: 'distinct' });
    checkLayer(new Elu({ kind: 'elu', alpha: 0.5 }, [2, 2, 3]), { input: 'distinct' });
  });

  it('rejects a non-positive alpha', () => {
    expect(() => new Elu({ kind: 'elu', alpha: 0 }, [3])).toThrow('elu: alpha: expected a number in (0, Infinity), got 0');
  });
});
