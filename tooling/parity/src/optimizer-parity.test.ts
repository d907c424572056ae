import { createOptimizer, type OptimizerSpec } from '@nnkit/optim';
import { createParam, createRng, type Param } from '@nnkit/tensor';
import type { Optimizer as TfOptimizer, Scalar, Tensor as TfTensor, Variable } from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { assertClose } from './compare.js';
import { loadTensorFlow, type TensorFlow } from './tfjs-oracle.js';

/*
 * Optimizer parity: nnkit and TensorFlow.js receive the same initial parameters and the same
 * sequence of gradients (random, fixed per run, not recomputed from the parameters, so any
 * difference is the update rule's), and the parameters must agree after every step within
 * relativeError ≤ 1e-5 (max|a − b| / max(1, max|b|), see compare.ts).
 *
 * How each nnkit optimizer maps onto tfjs (checked against tfjs-core 4.22 src/optimizers):
 * - sgd:      w ← w − η·g                              = tf.train.sgd(η)
 * - momentum: v ← μv + g; w ← w − η·v                   = tf.train.momentum(η, μ)
 *             (the same rule as Nielsen's v ← μv − ηg; w ← w + v while η is constant)
 * - nesterov: v ← μv + g; w ← w − η·(g + μv)            = tf.train.momentum(η, μ, true)
 * - adam:     bias-corrected, ε added to √v̂            = tf.train.adam(η, β₁, β₂, ε)
 *             (tfjs's default ε is 1e-7, nnkit's 1e-8: the tests pass ε explicitly)
 * - adamw:    tfjs has no AdamW: the oracle is tf.train.adam plus the decoupled decay
 *             w ← w − η·λ·w_before (Loshchilov & Hutter, PyTorch's AdamW), which nnkit applies
 *             only to params with `regularize: true`.
 * - rmsprop:  nnkit puts ε outside the root, g/(√s + ε) (PyTorch, Keras); tfjs puts it inside,
 *             g/√(s + ε). No ε maps one onto the other, so the tfjs comparison runs with ε = 0
 *             (where both are g/√s) and a second test checks ε's placement against the written
 *             PyTorch formula. Momentum: tfjs b ← μb + η·g/√(s+ε); w ← w − b, nnkit
 *             b ← μb + g/(√s+ε); w ← w − η·b: equal while η is constant. tfjs's `decay` is ρ.
 * - l2/l1 (Nielsen's coupled penalties, grad += (λ₂/n)w + (λ₁/n)sgn w on `regularize` params):
 *             the oracle is tfjs's own autodiff of Σ g·w + (λ₂/2n)Σw² + (λ₁/n)Σ|w| minimised by
 *             the tfjs optimizer, so the penalty gradient uses the current weights as nnkit's does.
 */

const tolerance = 1e-5;
const steps = 6;

let tf: TensorFlow;
beforeAll(async () => {
  tf = await loadTensorFlow();
});

interface ParamSetup {
  readonly name: string;
  readonly shape: number[];
  readonly regularize: boolean;
}

/** Two weight-like params and a bias-like one, sizes from the run. */
function paramSetups(rows: number, columns: number): ParamSetup[] {
  return [
    { name: 'weights', shape: [rows, columns], regularize: true },
    { name: 'bias', shape: [columns], regularize: false },
    { name: 'filter', shape: [2, 2, 1, rows], regularize: true },
  ];
}

interface Run {
  readonly setups: readonly ParamSetup[];
  readonly initial: readonly Float32Array[];
  /** gradients[step][param] */
  readonly gradients: readonly (readonly Float32Array[])[];
}

/** Initial values in [−1, 1); gradients ±[0.01, 1)·scale, never zero (RMSprop with ε = 0 divides by |g|). */
function makeRun(seed: number, rows: number, columns: number, gradientScale: number): Run {
  const rng = createRng(seed);
  const setups = paramSetups(rows, columns);
  const size = (setup: ParamSetup): number => setup.shape.reduce((a, b) => a * b, 1);
  const initial = setups.map((setup) => Float32Array.from({ length: size(setup) }, () => rng.uniform(-1, 1)));
  const gradients = Array.from({ length: steps }, () =>
    setups.map((setup) =>
      Float32Array.from({ length: size(setup) }, () => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.01, 1) * gradientScale),
    ),
  );
  return { setups, initial, gradients };
}

/** nnkit's parameter values after each step: history[step][param]. */
function runNnkit(spec: OptimizerSpec, run: Run): Float32Array[][] {
  const optimizer = createOptimizer(spec);
  const params: Param[] = run.setups.map((setup, p) => createParam(setup.name, setup.shape, run.initial[p].slice(), setup.regularize));
  return run.gradients.map((stepGradients) => {
    params.forEach((param, p) => param.grad.data.set(stepGradients[p]));
    optimizer.step(params);
    return params.map((param) => param.value.data.slice());
  });
}

let variableCount = 0;

/**
 * The tfjs optimizer's parameter values after each step. `afterStep(before, variable, setup)`
 * may adjust a variable (AdamW's decoupled decay); `penalty` adds l1/l2 terms to the objective.
 */
function runTfjs(
  optimizer: TfOptimizer,
  run: Run,
  options: {
    afterStep?: (before: TfTensor, variable: Variable, setup: ParamSetup) => void;
    penalty?: { l2: number; l1: number };
  } = {},
): Float32Array[][] {
  const variables = run.setups.map((setup, p) =>
    tf.variable(tf.tensor(run.initial[p], setup.shape, 'float32'), true, `parity_${setup.name}_${variableCount++}`),
  );
  try {
    return run.gradients.map((stepGradients) => {
      tf.tidy(() => {
        const before = variables.map((variable) => variable.clone());
        if (options.penalty) {
          const { l2, l1 } = options.penalty;
          // Objective whose gradient is g + l2·w + l1·sgn(w) on regularised params: tfjs's
          // autodiff computes the penalty gradient from the current weights.
          const objective = (): Scalar =>
            variables.reduce((total: Scalar, variable, p) => {
              let term: Scalar = tf.sum(tf.mul(tf.tensor(stepGradients[p], run.setups[p].shape), variable));
              if (run.setups[p].regularize) {
                term = tf.add(term, tf.add(tf.mul(0.5 * l2, tf.sum(tf.square(variable))), tf.mul(l1, tf.sum(tf.abs(variable)))));
              }
              return tf.add(total, term);
            }, tf.scalar(0));
          optimizer.minimize(objective, false, variables);
        } else {
          const named: Record<string, TfTensor> = {};
          variables.forEach((variable, p) => {
            named[variable.name] = tf.tensor(stepGradients[p], run.setups[p].shape, 'float32');
          });
          optimizer.applyGradients(named);
        }
        if (options.afterStep) variables.forEach((variable, p) => options.afterStep?.(before[p], variable, run.setups[p]));
      });
      return variables.map((variable) => Float32Array.from(variable.dataSync()));
    });
  } finally {
    variables.forEach((variable) => variable.dispose());
    optimizer.dispose();
  }
}

function compareHistories(label: string, actual: Float32Array[][], expected: Float32Array[][], run: Run): void {
  expected.forEach((stepValues, step) =>
    stepValues.forEach((values, p) =>
      assertClose(`${label}, after step ${step + 1}, param '${run.setups[p].name}'`, { data: actual[step][p] }, { data: values }, tolerance),
    ),
  );
}

/** Random sizes, seed and gradient scale (Adam and RMSprop are scale-free; SGD is not). */
const runArbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  rows: fc.integer({ min: 1, max: 4 }),
  columns: fc.integer({ min: 1, max: 5 }),
  gradientScale: fc.constantFrom(0.001, 1, 10),
});
const settings = { seed: 20240531, numRuns: 15 };

describe('optimizers match TensorFlow.js', () => {
  it('sgd = tf.train.sgd', () => {
    fc.assert(
      fc.property(runArbitrary, fc.double({ min: 1e-3, max: 0.5, noNaN: true }), (sizes, learningRate) => {
        const run = makeRun(sizes.seed, sizes.rows, sizes.columns, sizes.gradientScale);
        const actual = runNnkit({ kind: 'sgd', learningRate }, run);
        compareHistories(`sgd η=${learningRate}`, actual, runTfjs(tf.train.sgd(learningRate), run), run);
      }),
      settings,
    );
  });

  it('momentum and nesterov = tf.train.momentum(η, μ, useNesterov)', () => {
    fc.assert(
      fc.property(
        runArbitrary,
        fc.double({ min: 1e-3, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.boolean(),
        (sizes, learningRate, momentum, nesterov) => {
          const run = makeRun(sizes.seed, sizes.rows, sizes.columns, sizes.gradientScale);
          const kind = nesterov ? 'nesterov' : 'momentum';
          const actual = runNnkit({ kind, learningRate, momentum }, run);
          const expected = runTfjs(tf.train.momentum(learningRate, momentum, nesterov), run);
          compareHistories(`${kind} η=${learningRate} μ=${momentum}`, actual, expected, run);
        },
      ),
      settings,
    );
  });

  it('adam = tf.train.adam(η, β₁, β₂, ε)', () => {
    fc.assert(
      fc.property(
        runArbitrary,
        fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
        fc.constantFrom(0.9, 0.5, 0.99),
        fc.constantFrom(0.999, 0.9, 0.99),
        fc.constantFrom(1e-8, 1e-7, 1e-3),
        (sizes, learningRate, beta1, beta2, epsilon) => {
          const run = makeRun(sizes.seed, sizes.rows, sizes.columns, sizes.gradientScale);
          const actual = runNnkit({ kind: 'adam', learningRate, beta1, beta2, epsilon }, run);
          const expected = runTfjs(tf.train.adam(learningRate, beta1, beta2, epsilon), run);
          compareHistories(`adam η=${learningRate} β₁=${beta1} β₂=${beta2} ε=${epsilon}`, actual, expected, run);
        },
      ),
      settings,
    );
  });

  it('adamw = tf.train.adam followed by w ← w − η·λ·w_before on regularised params', () => {
    fc.assert(
      fc.property(
        runArbitrary,
        fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (sizes, learningRate, weightDecay) => {
          const run = makeRun(sizes.seed, sizes.rows, sizes.columns, sizes.gradientScale);
          const actual = runNnkit({ kind: 'adamw', learningRate, weightDecay, epsilon: 1e-8 }, run);
          const expected = runTfjs(tf.train.adam(learningRate, 0.9, 0.999, 1e-8), run, {
            afterStep: (before, variable, setup) => {
              if (setup.regularize) variable.assign(tf.sub(variable, tf.mul(learningRate * weightDecay, before)));
            },
          });
          compareHistories(`adamw η=${learningRate} λ=${weightDecay}`, actual, expected, run);
        },
      ),
      settings,
    );
  });

  it('rmsprop with ε = 0 = tf.train.rmsprop(η, ρ, μ, 0)', () => {
    fc.assert(
      fc.property(
        runArbitrary,
        fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
        fc.constantFrom(0.9, 0.5, 0.99),
        fc.constantFrom(0, 0.5, 0.9),
        (sizes, learningRate, rho, momentum) => {
          const run = makeRun(sizes.seed, sizes.rows, sizes.columns, sizes.gradientScale);
          const actual = runNnkit({ kind: 'rmsprop', learningRate, rho, momentum, epsilon: 0 }, run);
          const expected = runTfjs(tf.train.rmsprop(learningRate, rho, momentum, 0), run);
          compareHistories(`rmsprop η=${learningRate} ρ=${rho} μ=${momentum}`, actual, expected, run);
        },
      ),
      settings,
    );
  });

  it('l2 and l1 on sgd, momentum and adam = tfjs minimising Σ g·w + (λ₂/2n)Σw² + (λ₁/n)Σ|w|', () => {
    fc.assert(
      fc.property(
        runArbitrary,
        fc.constantFrom('sgd', 'momentum', 'adam') as fc.Arbitrary<'sgd' | 'momentum' | 'adam'>,
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (sizes, kind, l2, l1, trainingSize) => {
          const run = makeRun(sizes.seed, sizes.rows, sizes.columns, sizes.gradientScale);
          const learningRate = 0.05;
          const actual = runNnkit({ kind, learningRate, l2, l1, trainingSize, ...(kind === 'adam' ? { epsilon: 1e-8 } : {}) }, run);
          const oracle =
            kind === 'sgd' ? tf.train.sgd(learningRate) : kind === 'momentum' ? tf.train.momentum(learningRate, 0.9) : tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
          const expected = runTfjs(oracle, run, { penalty: { l2: l2 / trainingSize, l1: l1 / trainingSize } });
          compareHistories(`${kind} l2=${l2} l1=${l1} n=${trainingSize}`, actual, expected, run);
        },
      ),
      settings,
    );
  });
});

describe('optimizers match their written formulas where nnkit differs from tfjs by design', () => {
  it('rmsprop puts ε outside the root: w ← w − η·g/(√s + ε) (PyTorch), not tfjs g/√(s + ε)', () => {
    // Written-out PyTorch RMSprop (torch.optim.RMSprop, centered=False) in float64: s ← ρs + (1−ρ)g²;
    // b ← μb + g/(√s + ε); w ← w − η·b. A large ε makes its placement matter.
    fc.assert(
      fc.property(runArbitrary, fc.constantFrom(0, 0.9), (sizes, momentum) => {
        const run = makeRun(sizes.seed, sizes.rows, sizes.columns, sizes.gradientScale);
        const learningRate = 0.01;
        const rho = 0.9;
        const epsilon = 0.1;
        const actual = runNnkit({ kind: 'rmsprop', learningRate, rho, momentum, epsilon }, run);
        const weights = run.initial.map((values) => Float64Array.from(values));
        const meanSquares = run.initial.map((values) => new Float64Array(values.length));
        const moments = run.initial.map((values) => new Float64Array(values.length));
        const expected = run.gradients.map((stepGradients) =>
          weights.map((w, p) => {
            for (let i = 0; i < w.length; i++) {
              const g = stepGradients[p][i];
              meanSquares[p][i] = rho * meanSquares[p][i] + (1 - rho) * g * g;
              moments[p][i] = momentum * moments[p][i] + g / (Math.sqrt(meanSquares[p][i]) + epsilon);
              w[i] -= learningRate * moments[p][i];
            }
            return Float32Array.from(w);
          }),
        );
        compareHistories(`rmsprop ε=${epsilon} μ=${momentum}`, actual, expected, run);
      }),
      settings,
    );
  });

  it('sgd with l2 shrinks weights exactly as Nielsen: w ← (1 − ηλ/n)·w − η·g, biases untouched', () => {
    fc.assert(
      fc.property(runArbitrary, fc.double({ min: 0, max: 10, noNaN: true }), fc.integer({ min: 1, max: 60_000 }), (sizes, l2, n) => {
        const run = makeRun(sizes.seed, sizes.rows, sizes.columns, sizes.gradientScale);
        const learningRate = 0.1;
        const actual = runNnkit({ kind: 'sgd', learningRate, l2, trainingSize: n }, run);
        const weights = run.initial.map((values) => Float64Array.from(values));
        const expected = run.gradients.map((stepGradients) =>
          weights.map((w, p) => {
            const shrink = run.setups[p].regularize ? 1 - (learningRate * l2) / n : 1;
            for (let i = 0; i < w.length; i++) w[i] = shrink * w[i] - learningRate * stepGradients[p][i];
            return Float32Array.from(w);
          }),
        );
        compareHistories(`sgd l2=${l2} n=${n}`, actual, expected, run);
      }),
      settings,
    );
  });
});
