import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { Softplus } from './softplus.js';
import { checkLayer } from './test.js';

const context = { kernels: jsKernels, training: true, rng: createRng(0) };

describe('Softplus', () => {
  it('is (1/β)·ln(1 + e^(βx)) with slope σ(βx) (hand-computed)', () => {
    const layer = new Softplus({ kind: 'softplus', beta: 2 }, [3]);
    // x = [0, ln 3 / 2, −ln 3 / 2], so βx = [0, ln 3, −ln 3]: e^(βx) = [1, 3, ⅓];
    // y = ½·ln(1 + e^(βx)) = [½ ln 2, ½ ln 4, ½ ln(4/3)]; σ(βx) = e^(βx)/(1 + e^(βx)) = [½, ¾, ¼].
    const output = layer.forward(tensor([1, 3], [0, Math.log(3) / 2, -Math.log(3) / 2]), context).data;
    expect(output[0]).toBeCloseTo(Math.log(2) / 2, 6);
    expect(output[1]).toBeCloseTo(Math.log(4) / 2, 6);
    expect(output[2]).toBeCloseTo(Math.log(4 / 3) / 2, 6);
    const inputGrad = layer.backward(tensor([1, 3], [4, 4, 4]), context).data;
    expect(inputGrad[0]).toBeCloseTo(2, 6);
    expect(inputGrad[1]).toBeCloseTo(3, 6);
    expect(inputGrad[2]).toBeCloseTo(1, 6);
    expect(new Softplus({ kind: 'softplus' }, [3]).config).toEqual({ kind: 'softplus', beta: 1 });
    // Far from zero it is x above and 0 below, without overflow.
    expect(Array.from(layer.forward(tensor([1, 3], [500, -500, 0]), context).data.slice(0, 2))).toEqual([500, 0]);
  });

  it('passes checkLayer', () => {
    checkLayer(new Softplus({ kind: 'softplus' }, [6]));
    checkLayer(new Softplus({ kind: 'softplus', beta: 3 }, [2, 2, 3]));
  });
});
