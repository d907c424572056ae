import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { LeakyRelu } from './leaky-relu.js';
import { Relu } from './relu.js';
import { Sigmoid } from './sigmoid.js';
import { Softmax } from './softmax.js';
import { Tanh } from './tanh.js';
import { checkLayer } from './test.js';

const context = { kernels: jsKernels, training: true, rng: createRng(0) };
const run = (layer: { forward: typeof Relu.prototype.forward; backward: typeof Relu.prototype.backward }, x: number[], dy: number[]) => {
  const output = [...layer.forward(tensor([1, x.length], x), context).data];
  const inputGrad = [...layer.backward(tensor([1, dy.length], dy), context).data];
  return { output, inputGrad };
};

describe('activations (hand-computed values)', () => {
  it('ReLU: max(0, x), gradient passes where x > 0', () => {
    expect(run(new Relu({ kind: 'relu' }, [3]), [-2, 0, 3], [1, 1, 1])).toEqual({ output: [0, 0, 3], inputGrad: [0, 0, 1] });
  });

  it('ReLU: a NaN input stays NaN forward and passes no gradient back', () => {
    expect(run(new Relu({ kind: 'relu' }, [2]), [Number.NaN, -0], [1, 1])).toEqual({ output: [Number.NaN, 0], inputGrad: [0, 0] });
  });

  it('LeakyReLU: αx below zero (α = 0.1 here, 0.3 by default)', () => {
    const { output, inputGrad } = run(new LeakyRelu({ kind: 'leakyRelu', alpha: 0.1 }, [2]), [-2, 3], [1, 1]);
    expect(output[0]).toBeCloseTo(-0.2, 7);
    expect(output[1]).toBe(3);
    expect(inputGrad[0]).toBeCloseTo(0.1, 7);
    expect(new LeakyRelu({ kind: 'leakyRelu' }, [2]).config).toEqual({ kind: 'leakyRelu', alpha: 0.3 });
  });

  it('Sigmoid: σ(0) = ½ with slope ¼; saturates without NaN', () => {
    const { output, inputGrad } = run(new Sigmoid({ kind: 'sigmoid' }, [3]), [0, 1e4, -1e4], [1, 1, 1]);
    expect(output).toEqual([0.5, 1, 0]);
    expect(inputGrad).toEqual([0.25, 0, 0]);
  });

  it('Tanh: tanh(0) = 0 with slope 1', () => {
    const { output, inputGrad } = run(new Tanh({ kind: 'tanh' }, [2]), [0, 1], [1, 1]);
    expect(output[0]).toBe(0);
    expect(output[1]).toBeCloseTo(Math.tanh(1), 6);
    expect(inputGrad[0]).toBe(1);
    expect(inputGrad[1]).toBeCloseTo(1 - Math.tanh(1) ** 2, 6);
  });

  it('Softmax: e^x / Σ e^x per row, stable for huge logits', () => {
    const layer = new Softmax({ kind: 'softmax' }, [2]);
    // [0, ln 3] → [¼, ¾]; the Jacobian product y ⊙ (dy − y·dy) for dy = [1, 0]: [¼·¾, −¾·¼].
    const { output, inputGrad } = run(layer, [0, Math.log(3)], [1, 0]);
    expect(output[0]).toBeCloseTo(0.25, 6);
    expect(output[1]).toBeCloseTo(0.75, 6);
    expect(inputGrad[0]).toBeCloseTo(0.1875, 6);
    expect(inputGrad[1]).toBeCloseTo(-0.1875, 6);
    expect([...layer.forward(tensor([1, 2], [1e4, -1e4]), context).data]).toEqual([1, 0]);
  });
});

describe('activations pass checkLayer', () => {
  it('smooth ones on normal inputs', () => {
    checkLayer(new Sigmoid({ kind: 'sigmoid' }, [5]));
    checkLayer(new Tanh({ kind: 'tanh' }, [2, 2, 3]));
    checkLayer(new Softmax({ kind: 'softmax' }, [6]));
    checkLayer(new Softmax({ kind: 'softmax' }, [2, 2, 3]));
  });

  it('kinked ones on inputs kept away from zero', () => {
    checkLayer(new Relu({ kind: 'relu' }, [8]), { input: 'distinct' });
    checkLayer(new LeakyRelu({ kind: 'leakyRelu', alpha: 0.2 }, [2, 2, 2]), { input: 'distinct' });
  });
});
