import * as fc from 'fast-check';
import type { AdamCoefficients, Kernels, MomentumCoefficients, PenaltyTerms, RmspropCoefficients } from './kernels.js';

/** What the optimizer-update checks borrow from the conformance suite (`conformance.ts`). */
export interface UpdateCheckTools {
  readonly kernels: Kernels;
  readonly reference: Kernels;
  /** A copy of `values` in the backend's memory when bit `bit` of `pick` is set (and it has `allocate`). */
  place(values: Float32Array, pick: number, bit: number): Float32Array;
  assertProperty<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void): void;
  /** Values in [-1, 1) mixed with ±0, ±∞, NaN, subnormals and extremes. */
  specialValues(length: number, seed: number): Float32Array;
  /** Values in [-1, 1). */
  randomValues(length: number, seed: number): Float32Array;
  withGuard(values: Float32Array): Float32Array;
  expectGuardIntact(what: string, buffer: ArrayLike<number>, used: number, context: string): void;
  expectUnchanged(what: string, name: string, after: Float32Array, before: Float32Array, context: string): void;
}

/** One update's operands: the length, their seed, which go into the backend's memory, special values or plain ones. */
interface UpdateCase {
  readonly length: number;
  readonly seed: number;
  /** Bits choosing the operands placed in the backend's memory; 15 places them all (the fast path). */
  readonly pick: number;
  readonly special: boolean;
}

const updateCase: fc.Arbitrary<UpdateCase> = fc.record({
  length: fc.integer({ min: 0, max: 70 }),
  seed: fc.nat(),
  pick: fc.oneof(fc.constant(15), fc.nat(15)),
  special: fc.boolean(),
});

/** Penalties: mostly none (the common case), else L2, L1 or both, with or without decoupled decay. */
const penaltyTerms: fc.Arbitrary<PenaltyTerms> = fc.record({
  l2: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 0.1, noNaN: true })),
  l1: fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: 1e-6, max: 0.1, noNaN: true })),
  shrink: fc.oneof(fc.constant(0), fc.double({ min: 1e-7, max: 1e-2, noNaN: true })),
});

const rate = fc.oneof(fc.constantFrom(1e-3, 0.01, 0.1), fc.double({ min: 1e-6, max: 1, noNaN: true }));
const decayRate = fc.oneof(fc.constantFrom(0, 0.9, 0.99, 0.999), fc.double({ min: 0, max: 0.9999, noNaN: true }));

const adamCoefficients: fc.Arbitrary<AdamCoefficients> = fc
  .record({ penalties: penaltyTerms, learningRate: rate, beta1: decayRate, beta2: decayRate, epsilon: fc.constantFrom(1e-8, 1e-7, 1e-3), step: fc.integer({ min: 1, max: 5000 }) })
  .map(({ penalties, step, ...rest }) => ({ ...penalties, ...rest, correction1: 1 - Math.pow(rest.beta1, step), correction2: 1 - Math.pow(rest.beta2, step) }));

const momentumCoefficients: fc.Arbitrary<MomentumCoefficients> = fc
  .record({ penalties: penaltyTerms, learningRate: rate, momentum: decayRate, nesterov: fc.boolean() })
  .map(({ penalties, ...rest }) => ({ ...penalties, ...rest }));

const rmspropCoefficients: fc.Arbitrary<RmspropCoefficients> = fc
  .record({ penalties: penaltyTerms, learningRate: rate, rho: decayRate, epsilon: fc.constantFrom(1e-8, 1e-7, 1e-3), momentum: fc.oneof(fc.constant(0), decayRate) })
  .map(({ penalties, ...rest }) => ({ ...penalties, ...rest }));

function expectSameBits(what: string, actual: Float32Array, expected: Float32Array, length: number, context: string): void {
  for (let i = 0; i < length; i++) {
    if (!Object.is(actual[i], expected[i]) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}; ${context}`);
    }
  }
}

/**
 * The optimizer updates against the reference, bit for bit: the weights and every state buffer
 * (with special values too), nothing written past the end, the gradient untouched.
 */
export function optimizerUpdateChecks(tools: UpdateCheckTools): { name: string; run(): void }[] {
  const { kernels, reference, place } = tools;
  const name = kernels.name;
  /** `count` operands of `length` values (the first is the weights, the second the gradient; states are magnitudes ≥ 0 where they must be). */
  const operands = (updateCase: UpdateCase, count: number, nonNegative: readonly number[]) =>
    Array.from({ length: count }, (_, index) => {
      const seed = updateCase.seed + 7919 * index;
      const values = updateCase.special ? tools.specialValues(updateCase.length, seed) : tools.randomValues(updateCase.length, seed);
      return nonNegative.includes(index) && !updateCase.special ? values.map(Math.abs) : values;
    });

  /** Runs `update` on placed, guarded copies and on the reference's plain copies; compares every buffer but the gradient (index 1), which must stay unchanged. */
  const compare = (what: string, updateCase: UpdateCase, values: Float32Array[], context: string, run: (target: Kernels, buffers: Float32Array[]) => void): void => {
    const { length, pick } = updateCase;
    const buffers = values.map((array, index) => place(tools.withGuard(array), pick, index));
    const gradientBefore = buffers[1].slice();
    run(kernels, buffers);
    const expected = values.map((array) => array.slice());
    run(reference, expected);
    for (let index = 0; index < values.length; index++) {
      if (index === 1) {
        tools.expectUnchanged(`${name}.${what}`, 'grad', buffers[1], gradientBefore, context);
        continue;
      }
      expectSameBits(`${name}.${what} (operand ${index})`, buffers[index], expected[index], length, context);
      tools.expectGuardIntact(`${name}.${what}`, buffers[index], length, context);
    }
  };

  return [
    {
      name: 'adamUpdate: matches the reference bit for bit (weights and both moments; penalties, decay, special values)',
      run: () =>
        tools.assertProperty(fc.record({ updateCase, coefficients: adamCoefficients }), ({ updateCase, coefficients }) => {
          const context = `length=${updateCase.length}, placed=${updateCase.pick}, coefficients=${JSON.stringify(coefficients)}`;
          compare('adamUpdate', updateCase, operands(updateCase, 4, [3]), context, (target, [w, grad, m, v]) =>
            target.adamUpdate(w, grad, m, v, updateCase.length, coefficients),
          );
        }),
    },
    {
      name: 'momentumUpdate: matches the reference bit for bit (weights and velocity; Nesterov, penalties, decay, special values)',
      run: () =>
        tools.assertProperty(fc.record({ updateCase, coefficients: momentumCoefficients }), ({ updateCase, coefficients }) => {
          const context = `length=${updateCase.length}, placed=${updateCase.pick}, coefficients=${JSON.stringify(coefficients)}`;
          compare('momentumUpdate', updateCase, operands(updateCase, 3, []), context, (target, [w, grad, velocity]) =>
            target.momentumUpdate(w, grad, velocity, updateCase.length, coefficients),
          );
        }),
    },
    {
      name: 'rmspropUpdate: matches the reference bit for bit (weights, mean square and moment; penalties, decay, special values)',
      run: () =>
        tools.assertProperty(fc.record({ updateCase, coefficients: rmspropCoefficients }), ({ updateCase, coefficients }) => {
          const context = `length=${updateCase.length}, placed=${updateCase.pick}, coefficients=${JSON.stringify(coefficients)}`;
          const withMoment = coefficients.momentum > 0;
          compare('rmspropUpdate', updateCase, operands(updateCase, withMoment ? 4 : 3, [2]), context, (target, [w, grad, meanSquare, moment]) =>
            target.rmspropUpdate(w, grad, meanSquare, withMoment ? moment : null, updateCase.length, coefficients),
          );
        }),
    },
  ];
}
