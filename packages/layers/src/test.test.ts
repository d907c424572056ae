import { createRng, type Rng, type Shape, type Tensor } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { Dense, type DenseConfig } from './dense.js';
import type { Context } from './layer.js';
import { Relu } from './relu.js';
import { checkLayer } from './test.js';

// Deliberately broken layers: checkLayer must catch each defect.
class WrongBiasGrad extends Dense {
  override backward(outputGrad: Tensor, context: Context): Tensor {
    const result = super.backward(outputGrad, context);
    this.bias.grad.data[0] *= 1.5;
    return result;
  }
}

class OverwritesGrads extends Dense {
  override backward(outputGrad: Tensor, context: Context): Tensor {
    this.weights.grad.data.fill(0);
    this.bias.grad.data.fill(0);
    return super.backward(outputGrad, context);
  }
}

class MutatesInput extends Relu {
  override forward(input: Tensor, context: Context): Tensor {
    const output = super.forward(input, context);
    input.data[0] += 1;
    return output;
  }
}

class UnseededDense extends Dense {
  constructor(config: DenseConfig, inputShape: Shape, _rng: Rng) {
    super(config, inputShape, createRng(String(counter++)));
  }
}
let counter = 0;

describe('checkLayer', () => {
  it('reports the checks it ran and the largest gradient error', () => {
    const report = checkLayer((rng) => new Dense({ kind: 'dense', units: 2 }, [3], rng));
    expect(report.checks).toContain('gradients (training)');
    expect(report.maxRelativeError).toBeLessThan(1e-2);
    expect(report.maxRelativeError).toBeGreaterThan(0);
  });

  it('catches a wrong parameter gradient', () => {
    expect(() => checkLayer((rng) => new WrongBiasGrad({ kind: 'dense', units: 2 }, [3], rng))).toThrow(/gradients \(training\): bias\[0\]: analytic/);
  });

  it('catches gradients that are overwritten instead of added', () => {
    expect(() => checkLayer((rng) => new OverwritesGrads({ kind: 'dense', units: 2 }, [3], rng))).toThrow(/backward twice doubles param grads: weights/);
  });

  it('catches a layer that mutates its input', () => {
    expect(() => checkLayer(new MutatesInput({ kind: 'relu' }, [4]), { input: 'distinct' })).toThrow(/modified the input/);
  });

  it('catches parameters that do not come from the given seed', () => {
    expect(() => checkLayer((rng) => new UnseededDense({ kind: 'dense', units: 2 }, [3], rng))).toThrow(/same seed gives the same parameters/);
  });

  it('catches a kink crossed by the finite difference', () => {
    // Inputs near 0 make ReLU's numeric gradient disagree; 'distinct' inputs avoid exactly that.
    expect(() => checkLayer(new Relu({ kind: 'relu' }, [400]), { step: 0.5 })).toThrow(/gradients \(training\): input/);
  });
});
