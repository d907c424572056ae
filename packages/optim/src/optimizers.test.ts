import { createParam, jsKernels, type Kernels, type Param } from '@nnkit/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipGradientNorm, createOptimizer, type OptimizerSpec } from './index.js';

function param(values: number[], grads: number[], regularize = true, name = 'w'): Param {
  const p = createParam(name, [values.length], Float32Array.from(values), regularize);
  p.grad.data.set(grads);
  return p;
}

function expectValues(actual: Float32Array, expected: number[], tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => expect(Math.abs(actual[i] - value)).toBeLessThan(tolerance));
}

// Golden values below are worked out by hand from each update rule (and checked in float64);
// the tolerance covers float32 storage of weights and moments.
describe('sgd', () => {
  it('takes w ← w − η·g with the batch-mean gradient', () => {
    const w = param([1, -2, 0.5], [0.5, 0.25, -1]);
    createOptimizer({ kind: 'sgd', learningRate: 0.1 }).step([w]);
    expectValues(w.value.data, [0.95, -2.025, 0.6]);
  });

  it('applies L2 in Nielsen’s form w ← (1 − ηλ/n)·w − η·g to weights only', () => {
    // η = 0.5, λ = 5, n = 50: ηλ/n = 0.05, so w = 0.95·w − 0.5·g.
    const w = param([1, -2], [0.5, 0.25]);
    const b = param([1], [0.5], false, 'b');
    createOptimizer({ kind: 'sgd', learningRate: 0.5, l2: 5, trainingSize: 50 }).step([w, b]);
    expectValues(w.value.data, [0.7, -2.025]);
    expectValues(b.value.data, [0.75]);
  });

  it('applies L1 as w ← w − (ηλ/n)·sgn(w) − η·g', () => {
    const w = param([1, -2, 0], [0.5, 0.25, 0.1]);
    createOptimizer({ kind: 'sgd', learningRate: 0.5, l1: 5, trainingSize: 50 }).step([w]);
    expectValues(w.value.data, [0.7, -2.075, -0.05]);
  });

  it('applies decoupled weight decay as w ← w − η·λ·w − η·g', () => {
    const w = param([2], [0.5]);
    createOptimizer({ kind: 'sgd', learningRate: 0.1, weightDecay: 0.5 }).step([w]);
    expectValues(w.value.data, [2 - 0.1 * 0.5 * 2 - 0.05]);
  });

  it('equals (1 − ηλ/n)·w − η·g for any values (property)', () => {
    fc.assert(
      fc.property(
        fc.float({ min: -10, max: 10, noNaN: true }),
        fc.float({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 1e-4, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 60000 }),
        (w0, g, eta, lambda, n) => {
          const w = param([w0], [g]);
          createOptimizer({ kind: 'sgd', learningRate: eta, l2: lambda, trainingSize: n }).step([w]);
          const expected = (1 - (eta * lambda) / n) * w0 - eta * g;
          expect(Math.abs(w.value.data[0] - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
        },
      ),
    );
  });

  it('never touches the gradients', () => {
    const w = param([1, 2], [0.5, 0.25]);
    createOptimizer({ kind: 'momentum', learningRate: 0.1, l2: 1, trainingSize: 10 }).step([w]);
    expect(Array.from(w.grad.data)).toEqual([0.5, 0.25]);
  });
});

describe('momentum and nesterov', () => {
  it('momentum: v ← μv + g, w ← w − ηv over two steps', () => {
    const w = param([1], [0.5]);
    const optimizer = createOptimizer({ kind: 'momentum', learningRate: 0.1, momentum: 0.9 });
    optimizer.step([w]); // v = 0.5, w = 0.95
    expectValues(w.value.data, [0.95]);
    optimizer.step([w]); // v = 0.95, w = 0.855
    expectValues(w.value.data, [0.855]);
  });

  it('nesterov: w ← w − η(g + μv) over two steps', () => {
    const w = param([1], [0.5]);
    const optimizer = createOptimizer({ kind: 'nesterov', learningRate: 0.1, momentum: 0.9 });
    optimizer.step([w]); // v = 0.5, w = 1 − 0.1·0.95
    expectValues(w.value.data, [0.905]);
    optimizer.step([w]); // v = 0.95, w = 0.905 − 0.1·1.355
    expectValues(w.value.data, [0.7695]);
  });

  it('defaults μ to 0.9', () => {
    expect(createOptimizer({ kind: 'momentum', learningRate: 0.1 }).config).toMatchObject({ momentum: 0.9 });
  });
});

describe('adam, adamw, rmsprop', () => {
  it('adam: the first bias-corrected step moves each weight by ≈ η·sgn(g)', () => {
    const w = param([1, 1], [0.5, -3]);
    const optimizer = createOptimizer({ kind: 'adam' });
    expect(optimizer.config).toMatchObject({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    optimizer.step([w]);
    expectValues(w.value.data, [0.999, 1.001]);
  });

  it('adam: second step from m = 0.02, v = 3.1225e-4 (hand-computed)', () => {
    const w = param([1], [0.5]);
    const optimizer = createOptimizer({ kind: 'adam', learningRate: 0.001 });
    optimizer.step([w]);
    w.grad.data[0] = -0.25;
    optimizer.step([w]);
    // m̂ = 0.02/0.19, v̂ = 3.1225e-4/0.001999, w = 0.99900000002 − 0.001·m̂/(√v̂ + 1e-8)
    expectValues(w.value.data, [0.998733663], 1e-7);
  });

  it('adamw: decoupled decay w ← w − ηλw besides the Adam step, default λ 0.01', () => {
    const w = param([1], [0.5]);
    const b = param([1], [0.5], false, 'b');
    const optimizer = createOptimizer({ kind: 'adamw', learningRate: 0.001 });
    expect(optimizer.config).toMatchObject({ weightDecay: 0.01 });
    optimizer.step([w, b]);
    expectValues(w.value.data, [1 - 0.001 * 0.01 - 0.001]);
    expectValues(b.value.data, [0.999]);
  });

  it('rmsprop: s = 0.1·g², w ← w − η·g/(√s + ε); then with momentum 0.5', () => {
    const w = param([1], [0.5]);
    createOptimizer({ kind: 'rmsprop', learningRate: 0.01 }).step([w]);
    expectValues(w.value.data, [0.968377225]);
    const u = param([1], [0.5]);
    const withMomentum = createOptimizer({ kind: 'rmsprop', learningRate: 0.01, momentum: 0.5 });
    withMomentum.step([u]);
    withMomentum.step([u]);
    expectValues(u.value.data, [0.929624266]);
  });
});

describe('state', () => {
  const specs: OptimizerSpec[] = [
    { kind: 'sgd', learningRate: 0.1 },
    { kind: 'momentum', learningRate: 0.1 },
    { kind: 'nesterov', learningRate: 0.05, l2: 1, trainingSize: 100 },
    { kind: 'adam', learningRate: 0.01 },
    { kind: 'adamw' },
    { kind: 'rmsprop', momentum: 0.9 },
  ];
  for (const spec of specs) {
    it(`${spec.kind}: a JSON round trip of getState continues bit-exactly`, () => {
      fc.assert(
        fc.property(fc.array(fc.float({ min: -2, max: 2, noNaN: true }), { minLength: 9, maxLength: 9 }), (values) => {
          const make = (): Param[] => [param(values.slice(0, 4), values.slice(4, 8)), param([values[8]], [values[0]], false, 'b')];
          const original = make();
          const first = createOptimizer(spec);
          first.step(original);
          first.step(original);
          // Snapshot the params and the state (through JSON, as a checkpoint file would)...
          const resumed = make();
          resumed.forEach((p, i) => p.value.data.set(original[i].value.data));
          const second = createOptimizer(spec);
          second.setState(JSON.parse(JSON.stringify(first.getState())));
          // ...then both take the same third step.
          for (const p of [...original, ...resumed]) p.grad.data.reverse();
          first.step(original);
          second.step(resumed);
          original.forEach((p, i) => expect(new Uint32Array(resumed[i].value.data.buffer)).toEqual(new Uint32Array(p.value.data.buffer)));
          expect(second.iterations).toBe(3);
        }),
        { numRuns: 20 },
      );
    });
  }

  it('rejects a state for another model, naming the param', () => {
    const optimizer = createOptimizer({ kind: 'adam' });
    optimizer.step([param([1, 2], [0, 0])]);
    const other = createOptimizer({ kind: 'adam' });
    other.setState(optimizer.getState());
    expect(() => other.step([param([1, 2, 3], [0, 0, 0], true, 'dense.weights')])).toThrow(
      /adam: param 0 \(dense\.weights\) has 3 values but its m buffer has 2/,
    );
  });

  it('rejects a state of another kind or with a broken buffer', () => {
    const adam = createOptimizer({ kind: 'adam' });
    expect(() => adam.setState(createOptimizer({ kind: 'sgd', learningRate: 1 }).getState())).toThrow(/kind: expected "adam", got "sgd"/);
    expect(() => adam.setState({ kind: 'adam', learningRate: 1, step: 1, slots: { m: ['@@@@'], v: [] } })).toThrow(/slots\.m\[0\]/);
  });
});

describe('kernels with memory of their own', () => {
  /** Kernels whose `allocate` hands out tracked arrays and whose updates require their state there. */
  function ownMemoryKernels(): { kernels: Kernels; owned: Set<Float32Array> } {
    const owned = new Set<Float32Array>();
    const mustOwn = (...arrays: (Float32Array | null)[]): void => {
      for (const array of arrays) if (array !== null && !owned.has(array)) throw new Error('a state buffer outside the kernels’ memory');
    };
    const kernels: Kernels = {
      ...jsKernels,
      name: 'own memory',
      allocate: (length) => {
        const array = new Float32Array(length);
        owned.add(array);
        return array;
      },
      adamUpdate: (w, grad, m, v, length, c) => (mustOwn(m, v), jsKernels.adamUpdate(w, grad, m, v, length, c)),
      momentumUpdate: (w, grad, velocity, length, c) => (mustOwn(velocity), jsKernels.momentumUpdate(w, grad, velocity, length, c)),
      rmspropUpdate: (w, grad, s, moment, length, c) => (mustOwn(s, moment), jsKernels.rmspropUpdate(w, grad, s, moment, length, c)),
    };
    return { kernels, owned };
  }

  const specs: OptimizerSpec[] = [
    { kind: 'adam', l2: 0.1, trainingSize: 10 },
    { kind: 'adamw' },
    { kind: 'momentum', learningRate: 0.1 },
    { kind: 'nesterov', learningRate: 0.1, l1: 0.2, trainingSize: 10 },
    { kind: 'rmsprop', momentum: 0.5, weightDecay: 0.01 },
  ];
  for (const spec of specs) {
    it(`${spec.kind}: moves its state there, again after setState, and writes the bytes of jsKernels`, () => {
      const { kernels } = ownMemoryKernels();
      const run = (target: Kernels | undefined): Float32Array[] => {
        const params = [param([1, -2, 0.5, 0, 3], [0.5, 0.25, -1, 2, -0.125]), param([0.25], [1], false, 'b')];
        const optimizer = createOptimizer(spec);
        optimizer.step(params, target);
        // A restored state arrives as new arrays, in a fresh optimizer or in one that had placed its own.
        const restored = createOptimizer(spec);
        restored.setState(optimizer.getState());
        restored.step(params, target);
        optimizer.setState(restored.getState());
        for (let s = 0; s < 3; s++) optimizer.step(params, target);
        return params.map((p) => p.value.data);
      };
      expect(run(kernels)).toEqual(run(undefined));
    });
  }
});

describe('spec validation', () => {
  it('names the bad field', () => {
    expect(() => createOptimizer({ kind: 'sgd' } as OptimizerSpec)).toThrow(/sgd: learningRate must be a number/);
    expect(() => createOptimizer({ kind: 'momentum', learningRate: 0.1, momentum: 1 })).toThrow(/momentum: momentum must be/);
    expect(() => createOptimizer({ kind: 'sgd', learningRate: 0.1, l2: 5 })).toThrow(/l1\/l2 need trainingSize/);
    expect(() => createOptimizer({ kind: 'lbfgs' } as unknown as OptimizerSpec)).toThrow(/kind: expected one of sgd, momentum/);
  });
});

describe('frozen params', () => {
  const specs: OptimizerSpec[] = [
    { kind: 'sgd', learningRate: 0.1, l2: 1, trainingSize: 10 },
    { kind: 'momentum', learningRate: 0.1 },
    { kind: 'nesterov', learningRate: 0.1 },
    { kind: 'adam', learningRate: 0.1 },
    { kind: 'adamw', learningRate: 0.1 },
    { kind: 'rmsprop', learningRate: 0.1, momentum: 0.5 },
  ];
  it.each(specs)('$kind leaves a param with trainable: false as it is and updates the others', (spec) => {
    const frozen = param([1, -2], [0.5, 0.25]);
    frozen.trainable = false;
    const free = param([1, -2], [0.5, 0.25], true, 'b');
    const optimizer = createOptimizer(spec);
    for (let step = 0; step < 3; step++) optimizer.step([frozen, free]);
    expect([...frozen.value.data]).toEqual([1, -2]);
    expect([...free.value.data]).not.toEqual([1, -2]);
  });

  it('gradient clipping measures and scales only trainable gradients', () => {
    const frozen = param([0], [100]);
    frozen.trainable = false;
    const free = param([0, 0], [3, 4], true, 'b');
    expect(clipGradientNorm([frozen, free], 1)).toBeCloseTo(5, 6);
    expectValues(free.grad.data, [0.6, 0.8]);
    expect(frozen.grad.data[0]).toBe(100);
  });
});
