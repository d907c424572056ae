import * as fc from 'fast-check';
import { conv2dGeometry, pool2dGeometry } from './geometry.js';
import { jsBatchNorm } from './batch-norm-kernels.js';
import type { Conv2dGeometry, Kernels, MatmulParams, Pool2dGeometry } from './kernels.js';
import { gatherChecks } from './gather-conformance.js';
import { optimizerUpdateChecks } from './optimizer-conformance.js';
import { referenceKernels } from './reference.js';
import { createRng } from './rng.js';

/** One named property of a backend; `run()` throws an Error describing the first mismatch. */
export interface ConformanceCheck {
  readonly name: string;
  /** Runs the check; throws an Error describing the first mismatch. */
  run(): void;
}

/** How hard and against what `kernelConformanceChecks` checks. */
export interface ConformanceOptions {
  /** fast-check seed: the same seed always checks the same cases (default 20261126). */
  readonly seed?: number;
  /** Random cases per check (default 40). */
  readonly numRuns?: number;
  /** The oracle (default `referenceKernels`). */
  readonly reference?: Kernels;
  /**
   * Allowed error of a floating-point sum, relative to the sum of its terms' magnitudes
   * (Σ|aᵢ·bᵢ|, not |Σ aᵢ·bᵢ|, so cancellation cannot make it arbitrarily tight). Any order of
   * float32 summation over k terms is within k·2⁻²⁴·Σ|terms| (Higham, Accuracy and Stability of
   * Numerical Algorithms, §3.1); the checks use k ≤ 600, i.e. 3.6e-5. Default 1e-4.
   */
  readonly relativeTolerance?: number;
}

/** Random float32 values in [-1, 1), reproducible from `seed`. */
function randomValues(length: number, seed: number): Float32Array {
  const rng = createRng(`conformance/${seed}`);
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = rng.uniform(-1, 1);
  return values;
}

/** Small integers in {-2, …, 2}: many exact ties, to pin down which maximum wins. */
function tiedValues(length: number, seed: number): Float32Array {
  const rng = createRng(`conformance/ties/${seed}`);
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = rng.int(5) - 2;
  return values;
}

/** Values in [-1, 1) mixed with ±0, ±∞, NaNs of either sign, subnormals and extremes. */
function specialValues(length: number, seed: number): Float32Array {
  const rng = createRng(`conformance/special/${seed}`);
  const values = new Float32Array(length);
  const bits = new Uint32Array(values.buffer);
  const special = [0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -1e-45, 3.4028234663852886e38, -3.4028234663852886e38];
  for (let i = 0; i < length; i++) {
    const pick = rng.int(4);
    if (pick === 0) values[i] = special[rng.int(special.length)];
    else if (pick === 1 && rng.int(4) === 0) bits[i] = 0xffc00000; // the NaN x86 arithmetic makes: sign bit set
    else values[i] = rng.uniform(-1, 1);
  }
  return values;
}

function absolute(values: Float32Array): Float32Array {
  return values.map(Math.abs);
}

/** Extra entries after every output buffer, which a kernel must leave alone. */
const GUARD = 3;
const GUARD_VALUE = 12345;

function withGuard(values: Float32Array): Float32Array {
  const guarded = new Float32Array(values.length + GUARD).fill(GUARD_VALUE);
  guarded.set(values);
  return guarded;
}

function describe(value: unknown): string {
  return JSON.stringify(value);
}

/** Throws unless actual[i] and expected[i] are identical for every i < count. */
function expectEqual(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, count: number, context: string): void {
  for (let i = 0; i < count; i++) {
    if (!(actual[i] === expected[i] || (Number.isNaN(actual[i]) && Number.isNaN(expected[i])))) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}; ${context}`);
    }
  }
}

/** Throws unless |actual[i] - expected[i]| <= tolerance·scale[i] for every i < count (scale = Σ|terms|). */
function expectClose(
  what: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  scale: ArrayLike<number>,
  tolerance: number,
  count: number,
  context: string,
): void {
  for (let i = 0; i < count; i++) {
    const allowed = tolerance * scale[i] + 1e-30;
    const difference = Math.abs(actual[i] - expected[i]);
    if (!(difference <= allowed)) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (difference ${difference.toExponential(2)} > allowed ${allowed.toExponential(2)}); ${context}`);
    }
  }
}

function expectGuardIntact(what: string, buffer: ArrayLike<number>, used: number, context: string): void {
  for (let i = used; i < used + GUARD; i++) {
    if (buffer[i] !== GUARD_VALUE) throw new Error(`${what}: wrote element ${i}, past the ${used} it owns; ${context}`);
  }
}

function expectUnchanged(what: string, name: string, after: Float32Array, before: Float32Array, context: string): void {
  for (let i = 0; i < before.length; i++) {
    if (after[i] !== before[i] && !(Number.isNaN(after[i]) && Number.isNaN(before[i]))) {
      throw new Error(`${what}: modified its input ${name} at element ${i}; ${context}`);
    }
  }
}

function dot(x: ArrayLike<number>, y: ArrayLike<number>, count: number): { value: number; scale: number } {
  let value = 0;
  let scale = 0;
  for (let i = 0; i < count; i++) {
    value += x[i] * y[i];
    scale += Math.abs(x[i] * y[i]);
  }
  return { value, scale };
}

// ---- random geometries ----------------------------------------------------------------------

interface MatmulCase {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly seed: number;
}

/**
 * Mostly small products (every edge and remainder), sometimes tall or deep ones (a depth past
 * 256 and more than 64 rows, the usual cache-block sizes).
 */
const matmulCase: fc.Arbitrary<MatmulCase> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ m: fc.integer({ min: 1, max: 20 }), k: fc.integer({ min: 1, max: 40 }), n: fc.integer({ min: 1, max: 20 }), seed: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ m: fc.integer({ min: 1, max: 80 }), k: fc.integer({ min: 1, max: 600 }), n: fc.integer({ min: 1, max: 24 }), seed: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ m: fc.integer({ min: 1, max: 24 }), k: fc.integer({ min: 1, max: 80 }), n: fc.integer({ min: 1, max: 80 }), seed: fc.nat() }) },
);

const convGeometry: fc.Arbitrary<Conv2dGeometry> = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    inputHeight: fc.integer({ min: 1, max: 10 }),
    inputWidth: fc.integer({ min: 1, max: 10 }),
    inputChannels: fc.integer({ min: 1, max: 4 }),
    kernelHeight: fc.integer({ min: 1, max: 5 }),
    kernelWidth: fc.integer({ min: 1, max: 5 }),
    strideHeight: fc.integer({ min: 1, max: 3 }),
    strideWidth: fc.integer({ min: 1, max: 3 }),
    pads: fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3)),
  })
  .map((options) => conv2dGeometry(options))
  .filter((g) => g.outputHeight > 0 && g.outputWidth > 0);

const poolGeometry: fc.Arbitrary<Pool2dGeometry> = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    channels: fc.integer({ min: 1, max: 5 }),
    poolHeight: fc.integer({ min: 1, max: 4 }),
    poolWidth: fc.integer({ min: 1, max: 4 }),
    // Strides below the pool size give overlapping windows.
    strideHeight: fc.integer({ min: 1, max: 4 }),
    strideWidth: fc.integer({ min: 1, max: 4 }),
    extraHeight: fc.nat(7),
    extraWidth: fc.nat(7),
  })
  .map(({ extraHeight, extraWidth, ...options }) =>
    pool2dGeometry({ ...options, inputHeight: options.poolHeight + extraHeight, inputWidth: options.poolWidth + extraWidth }),
  );

function convInputSize(g: Conv2dGeometry): number {
  return g.batch * g.inputHeight * g.inputWidth * g.inputChannels;
}

function convColumnsSize(g: Conv2dGeometry): number {
  return g.batch * g.outputHeight * g.outputWidth * g.kernelHeight * g.kernelWidth * g.inputChannels;
}

function poolInputSize(g: Pool2dGeometry): number {
  return g.batch * g.inputHeight * g.inputWidth * g.channels;
}

function poolOutputSize(g: Pool2dGeometry): number {
  return g.batch * g.outputHeight * g.outputWidth * g.channels;
}

// ---- the checks -------------------------------------------------------------------------------

/**
 * The conformance suite every `Kernels` backend must pass: random geometries compared with the
 * naive `referenceKernels` (float sums within `relativeTolerance`·Σ|terms|, copies and maxima
 * exactly), (AB)ᵀ = BᵀAᵀ, the adjoint identity ⟨col2im(y), x⟩ = ⟨y, im2col(x)⟩, accumulation
 * into gradients, overwriting of outputs, and no writes past an output's end. Framework-agnostic:
 * `for (const check of kernelConformanceChecks(kernels)) it(check.name, check.run)`.
 */
export function kernelConformanceChecks(kernels: Kernels, options: ConformanceOptions = {}): ConformanceCheck[] {
  const reference = options.reference ?? referenceKernels;
  const tolerance = options.relativeTolerance ?? 1e-4;
  const parameters = { seed: options.seed ?? 20261126, numRuns: options.numRuns ?? 40 };
  const name = kernels.name;
  const assertProperty = <T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void): void => {
    const details = fc.check(fc.property(arbitrary, predicate), parameters);
    if (!details.failed) return;
    // Lead with the kernel's own mismatch (shrunk to the smallest failing case), then how to replay it.
    const reason = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${reason} [fast-check seed ${details.seed}, path "${details.counterexamplePath}", case ${describe(details.counterexample)}]`, {
      cause: details.errorInstance,
    });
  };

  const checks: ConformanceCheck[] = [];

  // Backends with `allocate` run every case with some operands in their own memory: bits of
  // `pick` choose which ones, so both the copying and the in-place paths are exercised.
  const allocate = kernels.allocate;
  const place = (values: Float32Array, pick: number, bit: number): Float32Array => {
    if (allocate === undefined || ((pick >> bit) & 1) === 0) return values;
    const array = allocate(values.length);
    if (array.length !== values.length) throw new Error(`${name}.allocate: asked for ${values.length} floats, got ${array.length}`);
    array.set(values);
    return array;
  };

  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      for (const accumulate of [false, true]) {
        const formula = `out ${accumulate ? '+=' : '='} A${transposeA ? 'ᵀ' : ''}·B${transposeB ? 'ᵀ' : ''}`;
        checks.push({
          name: `matmul: ${formula} matches the reference`,
          run: () =>
            assertProperty(matmulCase, ({ m, k, n, seed }) => {
              const params: MatmulParams = { m, k, n, transposeA, transposeB, accumulate };
              const context = `${formula} with m=${m}, k=${k}, n=${n}, data seed ${seed}`;
              const a = place(randomValues(m * k, seed), seed, 0);
              const b = place(randomValues(k * n, seed + 1), seed, 1);
              // Without accumulate, whatever was in out (here NaN) must be overwritten.
              const initial = accumulate ? randomValues(m * n, seed + 2) : new Float32Array(m * n).fill(Number.NaN);
              const aBefore = a.slice();
              const bBefore = b.slice();
              const out = place(withGuard(initial), seed, 2);
              kernels.matmul(a, b, out, params);
              const expected = accumulate ? initial.slice() : new Float32Array(m * n);
              reference.matmul(a, b, expected, params);
              const scale = accumulate ? absolute(initial) : new Float32Array(m * n);
              reference.matmul(absolute(a), absolute(b), scale, { ...params, accumulate: true });
              expectClose(`${name}.matmul`, out, expected, scale, tolerance, m * n, context);
              expectGuardIntact(`${name}.matmul`, out, m * n, context);
              expectUnchanged(`${name}.matmul`, 'a', a, aBefore, context);
              expectUnchanged(`${name}.matmul`, 'b', b, bBefore, context);
            }),
        });
      }
    }
  }

  // Random cases stay small to stay fast; these fixed shapes reach the blocked paths of fast
  // backends (many rows, depths that are not multiples of 4 or of a block, layer-sized products).
  checks.push({
    name: 'matmul: large blocked shapes (dense and conv layer sizes, odd depths) match the reference',
    run: () => {
      const shapes = [
        [1152, 50, 10], [512, 49, 10], [784, 10, 30], [333, 257, 9], [37, 301, 70],
      ] as const;
      let seed = 97;
      for (const [m, k, n] of shapes) {
        for (const transposeA of [false, true]) {
          for (const transposeB of [false, true]) {
            const params: MatmulParams = { m, k, n, transposeA, transposeB, accumulate: seed % 2 === 0 };
            const context = `m=${m}, k=${k}, n=${n}, transposeA=${transposeA}, transposeB=${transposeB}, accumulate=${params.accumulate}`;
            const a = randomValues(m * k, seed++);
            const b = randomValues(k * n, seed++);
            const initial = params.accumulate ? randomValues(m * n, seed++) : new Float32Array(m * n).fill(Number.NaN);
            const out = withGuard(initial);
            kernels.matmul(a, b, out, params);
            const expected = params.accumulate ? initial.slice() : new Float32Array(m * n);
            reference.matmul(a, b, expected, params);
            const scale = params.accumulate ? absolute(initial) : new Float32Array(m * n);
            reference.matmul(absolute(a), absolute(b), scale, { ...params, accumulate: true });
            expectClose(`${name}.matmul`, out, expected, scale, tolerance, m * n, context);
            expectGuardIntact(`${name}.matmul`, out, m * n, context);
          }
        }
      }
    },
  });

  checks.push({
    name: 'matmul: (AB)ᵀ = BᵀAᵀ',
    run: () =>
      assertProperty(matmulCase, ({ m, k, n, seed }) => {
        const context = `m=${m}, k=${k}, n=${n}, data seed ${seed}`;
        const a = randomValues(m * k, seed);
        const b = randomValues(k * n, seed + 1);
        const product = new Float32Array(m * n);
        kernels.matmul(a, b, product, { m, k, n });
        // Bᵀ·Aᵀ read straight from the stored A (m×k) and B (k×n) through the transpose flags.
        const transposed = new Float32Array(n * m);
        kernels.matmul(b, a, transposed, { m: n, k, n: m, transposeA: true, transposeB: true });
        const productT = new Float32Array(n * m);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) productT[j * m + i] = product[i * n + j];
        const scale = new Float32Array(n * m);
        reference.matmul(absolute(b), absolute(a), scale, { m: n, k, n: m, transposeA: true, transposeB: true });
        expectClose(`${name}.matmul`, transposed, productT, scale, tolerance, n * m, `BᵀAᵀ against (AB)ᵀ, ${context}`);
      }),
  });

  checks.push({
    name: 'im2col: matches the reference (random sizes, strides, padding, channels)',
    run: () =>
      assertProperty(fc.tuple(convGeometry, fc.nat()), ([g, seed]) => {
        const context = `geometry ${describe(g)}`;
        const input = place(randomValues(convInputSize(g), seed), seed, 0);
        const size = convColumnsSize(g);
        const columns = place(withGuard(new Float32Array(size).fill(Number.NaN)), seed, 1);
        kernels.im2col(input, columns, g);
        const expected = new Float32Array(size);
        reference.im2col(input, expected, g);
        expectEqual(`${name}.im2col`, columns, expected, size, context);
        expectGuardIntact(`${name}.im2col`, columns, size, context);
      }),
  });

  checks.push({
    name: 'col2im: matches the reference and adds into inputGrad',
    run: () =>
      assertProperty(fc.tuple(convGeometry, fc.nat()), ([g, seed]) => {
        const context = `geometry ${describe(g)}`;
        const columns = place(randomValues(convColumnsSize(g), seed), seed, 0);
        const initial = randomValues(convInputSize(g), seed + 1);
        const inputGrad = place(withGuard(initial), seed, 1);
        kernels.col2im(columns, inputGrad, g);
        const expected = initial.slice();
        reference.col2im(columns, expected, g);
        const scale = absolute(initial);
        reference.col2im(absolute(columns), scale, g);
        expectClose(`${name}.col2im`, inputGrad, expected, scale, tolerance, initial.length, context);
        expectGuardIntact(`${name}.col2im`, inputGrad, initial.length, context);
      }),
  });

  checks.push({
    name: 'im2col/col2im: adjoint identity ⟨col2im(y), x⟩ = ⟨y, im2col(x)⟩',
    run: () =>
      assertProperty(fc.tuple(convGeometry, fc.nat()), ([g, seed]) => {
        const x = randomValues(convInputSize(g), seed);
        const y = randomValues(convColumnsSize(g), seed + 1);
        const columns = new Float32Array(y.length);
        kernels.im2col(x, columns, g);
        const folded = new Float32Array(x.length);
        kernels.col2im(y, folded, g);
        const left = dot(folded, x, x.length);
        const right = dot(y, columns, y.length);
        const allowed = tolerance * Math.max(left.scale, right.scale) + 1e-30;
        if (!(Math.abs(left.value - right.value) <= allowed)) {
          throw new Error(
            `${name}.im2col/col2im: ⟨col2im(y), x⟩ = ${left.value} but ⟨y, im2col(x)⟩ = ${right.value} (allowed difference ${allowed.toExponential(2)}); geometry ${describe(g)}`,
          );
        }
      }),
  });

  checks.push({
    name: 'maxPool2d: matches the reference (overlapping windows; the first maximum wins ties)',
    run: () =>
      assertProperty(fc.tuple(poolGeometry, fc.nat(), fc.boolean()), ([g, seed, ties]) => {
        const context = `geometry ${describe(g)}, ${ties ? 'tied' : 'distinct'} values`;
        const input = place(ties ? tiedValues(poolInputSize(g), seed) : randomValues(poolInputSize(g), seed), seed, 0);
        const size = poolOutputSize(g);
        const out = place(withGuard(new Float32Array(size).fill(Number.NaN)), seed, 1);
        const argmax = new Int32Array(size + GUARD).fill(GUARD_VALUE);
        kernels.maxPool2d(input, out, argmax, g);
        const expected = new Float32Array(size);
        const expectedArgmax = new Int32Array(size);
        reference.maxPool2d(input, expected, expectedArgmax, g);
        expectEqual(`${name}.maxPool2d`, out, expected, size, context);
        expectEqual(`${name}.maxPool2d argmax`, argmax, expectedArgmax, size, context);
        expectGuardIntact(`${name}.maxPool2d`, out, size, context);
        expectGuardIntact(`${name}.maxPool2d argmax`, argmax, size, context);
      }),
  });

  checks.push({
    name: 'maxPool2dBackward: matches the reference and adds into inputGrad',
    run: () =>
      assertProperty(fc.tuple(poolGeometry, fc.nat()), ([g, seed]) => {
        const context = `geometry ${describe(g)}`;
        const input = tiedValues(poolInputSize(g), seed);
        const size = poolOutputSize(g);
        const argmax = new Int32Array(size);
        reference.maxPool2d(input, new Float32Array(size), argmax, g);
        const outputGrad = place(randomValues(size, seed + 1), seed, 0);
        const initial = randomValues(input.length, seed + 2);
        const inputGrad = place(withGuard(initial), seed, 1);
        kernels.maxPool2dBackward(outputGrad, argmax, inputGrad, g);
        const expected = initial.slice();
        reference.maxPool2dBackward(outputGrad, argmax, expected, g);
        const scale = absolute(initial);
        reference.maxPool2dBackward(absolute(outputGrad), argmax, scale, g);
        expectClose(`${name}.maxPool2dBackward`, inputGrad, expected, scale, tolerance, input.length, context);
        expectGuardIntact(`${name}.maxPool2dBackward`, inputGrad, input.length, context);
      }),
  });

  checks.push({
    name: 'avgPool2d: matches the reference (overlapping windows)',
    run: () =>
      assertProperty(fc.tuple(poolGeometry, fc.nat()), ([g, seed]) => {
        const context = `geometry ${describe(g)}`;
        const input = randomValues(poolInputSize(g), seed);
        const size = poolOutputSize(g);
        const out = withGuard(new Float32Array(size).fill(Number.NaN));
        kernels.avgPool2d(input, out, g);
        const expected = new Float32Array(size);
        reference.avgPool2d(input, expected, g);
        const scale = new Float32Array(size);
        reference.avgPool2d(absolute(input), scale, g);
        expectClose(`${name}.avgPool2d`, out, expected, scale, tolerance, size, context);
        expectGuardIntact(`${name}.avgPool2d`, out, size, context);
      }),
  });

  checks.push({
    name: 'avgPool2dBackward: matches the reference and adds into inputGrad',
    run: () =>
      assertProperty(fc.tuple(poolGeometry, fc.nat()), ([g, seed]) => {
        const context = `geometry ${describe(g)}`;
        const size = poolOutputSize(g);
        const outputGrad = randomValues(size, seed);
        const initial = randomValues(poolInputSize(g), seed + 1);
        const inputGrad = withGuard(initial);
        kernels.avgPool2dBackward(outputGrad, inputGrad, g);
        const expected = initial.slice();
        reference.avgPool2dBackward(outputGrad, expected, g);
        const scale = absolute(initial);
        reference.avgPool2dBackward(absolute(outputGrad), scale, g);
        expectClose(`${name}.avgPool2dBackward`, inputGrad, expected, scale, tolerance, initial.length, context);
        expectGuardIntact(`${name}.avgPool2dBackward`, inputGrad, initial.length, context);
      }),
  });

  const rowsCase = fc.record({ m: fc.integer({ min: 1, max: 70 }), n: fc.integer({ min: 1, max: 40 }), seed: fc.nat(), accumulate: fc.boolean() });

  checks.push({
    name: 'sumRows: matches the reference (overwriting and accumulating)',
    run: () =>
      assertProperty(rowsCase, ({ m, n, seed, accumulate }) => {
        const context = `m=${m}, n=${n}, accumulate=${accumulate}`;
        const a = place(randomValues(m * n, seed), seed, 0);
        const initial = accumulate ? randomValues(n, seed + 1) : new Float32Array(n).fill(Number.NaN);
        const out = place(withGuard(initial), seed, 1);
        kernels.sumRows(a, out, m, n, accumulate);
        const expected = accumulate ? initial.slice() : new Float32Array(n);
        reference.sumRows(a, expected, m, n, accumulate);
        const scale = accumulate ? absolute(initial) : new Float32Array(n);
        reference.sumRows(absolute(a), scale, m, n, true);
        expectClose(`${name}.sumRows`, out, expected, scale, tolerance, n, context);
        expectGuardIntact(`${name}.sumRows`, out, n, context);
      }),
  });

  checks.push({
    name: 'addRowVector: matches the reference',
    run: () =>
      assertProperty(rowsCase, ({ m, n, seed }) => {
        const context = `m=${m}, n=${n}`;
        const initial = randomValues(m * n, seed);
        const bias = place(randomValues(n, seed + 1), seed, 0);
        const a = place(withGuard(initial), seed, 1);
        kernels.addRowVector(a, bias, m, n);
        const expected = initial.slice();
        reference.addRowVector(expected, bias, m, n);
        // One addition per element: both sides round the same exact sum to float32.
        expectEqual(`${name}.addRowVector`, a, expected, m * n, context);
        expectGuardIntact(`${name}.addRowVector`, a, m * n, context);
      }),
  });

  if (allocate !== undefined) {
    checks.push({
      name: 'allocate: zeroed arrays of the asked length that never share memory',
      run: () =>
        assertProperty(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 6 }), (lengths) => {
          const arrays = lengths.map((length) => allocate(length));
          arrays.forEach((array, i) => {
            if (!(array instanceof Float32Array) || array.length !== lengths[i]) {
              throw new Error(`${name}.allocate(${lengths[i]}) returned ${array.constructor.name} of length ${array.length}`);
            }
            const nonzero = array.findIndex((value) => value !== 0);
            if (nonzero >= 0) throw new Error(`${name}.allocate(${lengths[i]}): element ${nonzero} is ${array[nonzero]}, not 0`);
          });
          // Writing each array fully leaves the others intact.
          arrays.forEach((array, i) => array.fill(i + 1));
          arrays.forEach((array, i) => {
            const wrong = array.findIndex((value) => value !== i + 1);
            if (wrong >= 0) throw new Error(`${name}.allocate: arrays of lengths ${describe(lengths)} overlap (array ${i}, element ${wrong})`);
          });
        }),
    });
  }

  const elementwiseCase = fc.record({ length: fc.integer({ min: 0, max: 70 }), seed: fc.nat(), inPlace: fc.boolean() });

  checks.push({
    name: 'relu: matches the reference exactly (±0, ±∞, NaN, subnormals; in place too)',
    run: () =>
      assertProperty(elementwiseCase, ({ length, seed, inPlace }) => {
        const context = `length=${length}, in place=${inPlace}`;
        const x = place(specialValues(length, seed), seed, 0);
        const xBefore = x.slice();
        const y = place(inPlace ? withGuard(x) : withGuard(new Float32Array(length).fill(Number.NaN)), seed, 1);
        kernels.relu(inPlace ? y : x, y, length);
        const expected = new Float32Array(length);
        reference.relu(xBefore, expected, length);
        expectEqual(`${name}.relu`, y, expected, length, context);
        expectGuardIntact(`${name}.relu`, y, length, context);
        if (!inPlace) expectUnchanged(`${name}.relu`, 'x', x, xBefore, context);
      }),
  });

  checks.push({
    name: 'zero (when offered): sets every element of the array to +0 (over ±0, ±∞, NaN, subnormals), nothing past its end',
    run: () =>
      assertProperty(elementwiseCase, ({ length, seed }) => {
        const zero = kernels.zero;
        if (zero === undefined) return;
        const context = `length=${length}`;
        // A view of the first `length` floats of a longer array: the rest must stay as it was.
        const whole = place(withGuard(specialValues(length, seed)), seed, 0);
        zero.call(kernels, whole.subarray(0, length));
        for (let i = 0; i < length; i++) {
          if (!Object.is(whole[i], 0)) throw new Error(`${name}.zero: element ${i} is ${whole[i]}, expected +0; ${context}`);
        }
        expectGuardIntact(`${name}.zero`, whole, length, context);
      }),
  });

  checks.push({
    name: 'reluBackward: matches the reference exactly (gradient only where x > 0; in place too)',
    run: () =>
      assertProperty(elementwiseCase, ({ length, seed, inPlace }) => {
        const context = `length=${length}, in place=${inPlace}`;
        const x = place(specialValues(length, seed), seed, 0);
        const dy = place(specialValues(length, seed + 1), seed, 1);
        const xBefore = x.slice();
        const dyBefore = dy.slice();
        const dx = place(inPlace ? withGuard(dy) : withGuard(new Float32Array(length).fill(Number.NaN)), seed, 2);
        kernels.reluBackward(x, inPlace ? dx : dy, dx, length);
        const expected = new Float32Array(length);
        reference.reluBackward(xBefore, dyBefore, expected, length);
        expectEqual(`${name}.reluBackward`, dx, expected, length, context);
        expectGuardIntact(`${name}.reluBackward`, dx, length, context);
        expectUnchanged(`${name}.reluBackward`, 'x', x, xBefore, context);
        if (!inPlace) expectUnchanged(`${name}.reluBackward`, 'dy', dy, dyBefore, context);
      }),
  });

  checks.push({
    name: 'axpy: matches the reference bit for bit (float64 arithmetic rounded to float32; ±0, ±∞, NaN, subnormals)',
    run: () =>
      assertProperty(
        fc.record({
          length: fc.integer({ min: 0, max: 70 }),
          seed: fc.nat(),
          // Learning-rate-like factors that float32 cannot hold (−0.03), and special ones.
          alpha: fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom(-0.03, -3, 0, -0, 1e-300, Infinity)),
        }),
        ({ length, seed, alpha }) => {
          const context = `length=${length}, alpha=${alpha}`;
          const x = place(specialValues(length, seed), seed, 0);
          const xBefore = x.slice();
          const yValues = specialValues(length, seed + 1);
          const y = place(withGuard(yValues), seed, 1);
          kernels.axpy(alpha, x, y, length);
          const expected = yValues.slice();
          reference.axpy(alpha, xBefore, expected, length);
          for (let i = 0; i < length; i++) {
            if (!Object.is(y[i], expected[i]) && !(Number.isNaN(y[i]) && Number.isNaN(expected[i]))) {
              throw new Error(`${name}.axpy: element ${i} is ${y[i]}, expected ${expected[i]}; ${context}`);
            }
          }
          expectGuardIntact(`${name}.axpy`, y, length, context);
          expectUnchanged(`${name}.axpy`, 'x', x, xBefore, context);
        },
      ),
  });

  if (kernels.batchNorm !== undefined) checks.push(...batchNormChecks(kernels, assertProperty, place));
  const tools = { kernels, reference, place, assertProperty, specialValues, randomValues, withGuard, expectGuardIntact, expectUnchanged };
  checks.push(...optimizerUpdateChecks(tools), ...gatherChecks(tools));

  return checks;
}

/** Throws unless every element is the same float (NaNs of any payload count as equal). */
function expectSameBits(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, count: number, context: string): void {
  for (let i = 0; i < count; i++) {
    if (!Object.is(actual[i], expected[i]) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}; ${context}`);
    }
  }
}

/**
 * `Kernels.batchNorm` against `jsBatchNorm`, bit for bit (the contract: float64 in JavaScript's
 * order), on random [rows, channels] with odd sizes, one channel, and special values.
 */
function batchNormChecks(
  kernels: Kernels,
  assertProperty: <T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void) => void,
  place: (values: Float32Array, pick: number, bit: number) => Float32Array,
): ConformanceCheck[] {
  const name = `${kernels.name}.batchNorm`;
  const loops = kernels.batchNorm!;
  const shape = fc.record({ rows: fc.integer({ min: 1, max: 90 }), channels: fc.integer({ min: 1, max: 70 }), seed: fc.nat(), special: fc.boolean() });
  const values = (length: number, seed: number, special: boolean): Float32Array => (special ? specialValues(length, seed) : randomValues(length, seed));
  const perChannel = (channels: number, seed: number, low: number, high: number): Float64Array => {
    const rng = createRng(`conformance/batch-norm/${seed}`);
    return Float64Array.from({ length: channels }, () => rng.uniform(low, high));
  };
  return [
    {
      name: 'batchNorm.statistics: matches jsBatchNorm bit for bit (float64 sums in row order; odd sizes, one channel, special values)',
      run: () =>
        assertProperty(shape, ({ rows, channels, seed, special }) => {
          const context = `rows=${rows}, channels=${channels}, special=${special}`;
          const x = place(values(rows * channels, seed, special), seed, 0);
          const xBefore = x.slice();
          const mean = new Float64Array(channels + GUARD).fill(GUARD_VALUE);
          const variance = new Float64Array(channels + GUARD).fill(GUARD_VALUE);
          loops.statistics(x, rows, channels, mean, variance);
          const expectedMean = new Float64Array(channels);
          const expectedVariance = new Float64Array(channels);
          jsBatchNorm.statistics(xBefore, rows, channels, expectedMean, expectedVariance);
          expectSameBits(`${name}.statistics mean`, mean, expectedMean, channels, context);
          expectSameBits(`${name}.statistics variance`, variance, expectedVariance, channels, context);
          expectGuardIntact(`${name}.statistics`, mean, channels, context);
          expectUnchanged(`${name}.statistics`, 'x', x, xBefore, context);
        }),
    },
    {
      name: 'batchNorm.forward: matches jsBatchNorm bit for bit (with and without x̂)',
      run: () =>
        assertProperty(fc.record({ shape, keepNormalized: fc.boolean() }), ({ shape: { rows, channels, seed, special }, keepNormalized }) => {
          const context = `rows=${rows}, channels=${channels}, special=${special}, normalized=${keepNormalized}`;
          const length = rows * channels;
          const x = place(values(length, seed, special), seed, 0);
          const xBefore = x.slice();
          const mean = perChannel(channels, seed, -1, 1);
          const inverseStd = perChannel(channels, seed + 1, 0.2, 30);
          const gamma = randomValues(channels, seed + 2);
          const beta = randomValues(channels, seed + 3);
          const y = place(withGuard(new Float32Array(length).fill(Number.NaN)), seed, 1);
          const normalized = keepNormalized ? place(withGuard(new Float32Array(length).fill(Number.NaN)), seed, 2) : null;
          loops.forward(x, rows, channels, mean, inverseStd, gamma, beta, y, normalized);
          const expectedY = new Float32Array(length);
          const expectedNormalized = new Float32Array(length);
          jsBatchNorm.forward(xBefore, rows, channels, mean, inverseStd, gamma, beta, expectedY, keepNormalized ? expectedNormalized : null);
          expectSameBits(`${name}.forward y`, y, expectedY, length, context);
          expectGuardIntact(`${name}.forward y`, y, length, context);
          if (normalized) {
            expectSameBits(`${name}.forward normalized`, normalized, expectedNormalized, length, context);
            expectGuardIntact(`${name}.forward normalized`, normalized, length, context);
          }
          expectUnchanged(`${name}.forward`, 'x', x, xBefore, context);
        }),
    },
    {
      name: 'batchNorm.gradientSums and inputGradient: match jsBatchNorm bit for bit',
      run: () =>
        assertProperty(shape, ({ rows, channels, seed, special }) => {
          const context = `rows=${rows}, channels=${channels}, special=${special}`;
          const length = rows * channels;
          const dy = place(values(length, seed, special), seed, 0);
          const normalized = place(randomValues(length, seed + 1), seed, 1);
          const dyBefore = dy.slice();
          const normalizedBefore = normalized.slice();
          const sumGrad = new Float64Array(channels + GUARD).fill(Number.NaN);
          const sumGradNormalized = new Float64Array(channels + GUARD).fill(Number.NaN);
          loops.gradientSums(dy, normalized, rows, channels, sumGrad, sumGradNormalized);
          const expectedSum = new Float64Array(channels);
          const expectedSumNormalized = new Float64Array(channels);
          jsBatchNorm.gradientSums(dyBefore, normalizedBefore, rows, channels, expectedSum, expectedSumNormalized);
          expectSameBits(`${name}.gradientSums Σdy`, sumGrad, expectedSum, channels, context);
          expectSameBits(`${name}.gradientSums Σdy·x̂`, sumGradNormalized, expectedSumNormalized, channels, context);
          const gamma = randomValues(channels, seed + 2);
          const inverseStd = perChannel(channels, seed + 3, 0.2, 30);
          const meanGrad = expectedSum.map((value) => value / rows);
          const meanGradNormalized = expectedSumNormalized.map((value) => value / rows);
          const dx = place(withGuard(new Float32Array(length).fill(Number.NaN)), seed, 2);
          loops.inputGradient(dy, normalized, rows, channels, gamma, inverseStd, meanGrad, meanGradNormalized, dx);
          const expectedDx = new Float32Array(length);
          jsBatchNorm.inputGradient(dyBefore, normalizedBefore, rows, channels, gamma, inverseStd, meanGrad, meanGradNormalized, expectedDx);
          expectSameBits(`${name}.inputGradient`, dx, expectedDx, length, context);
          expectGuardIntact(`${name}.inputGradient`, dx, length, context);
          expectUnchanged(`${name}.inputGradient`, 'dy', dy, dyBefore, context);
          expectUnchanged(`${name}.inputGradient`, 'normalized', normalized, normalizedBefore, context);
        }),
    },
  ];
}
