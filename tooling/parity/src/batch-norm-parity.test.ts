import { createLayer, type Layer } from '@nnkit/layers';
import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertClose } from './compare.js';
import { assertLayerParity, layerTolerance, setParams } from './layer-parity.js';
import { uniformValues } from './random-values.js';
import { loadTensorFlow, type TensorFlow } from './tfjs-oracle.js';

// BatchNorm per channel (the last axis) against TensorFlow.js:
// - training mode: the batch-statistics formula written with tf.moments (biased variance),
//   y = γ·(x − μ)/√(σ² + ε) + β, differentiated by tf.grads (output, dx, dγ, dβ);
// - running statistics and inference: tf.layers.batchNormalization, whose moving averages
//   follow the same Keras rule as nnkit (μ_run ← m·μ_run + (1 − m)·μ, biased σ², defaults
//   m 0.99, ε 1e-3), then inference forward and gradients against tf.batchNorm with them.
let tf: TensorFlow;
beforeAll(async () => {
  tf = await loadTensorFlow();
});

interface NormCase {
  batch: number;
  /** Per-example shape: [units] (after dense) or [height, width, channels] (after conv). */
  inputShape: number[];
  epsilon: number;
  /** Added to every input, to check the variance stays accurate when |μ| ≫ σ. */
  offset: number;
  seed: number;
}

const normCase: fc.Arbitrary<NormCase> = fc.record({
  batch: fc.integer({ min: 2, max: 6 }),
  inputShape: fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 8 })),
    fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  ),
  epsilon: fc.constantFrom(1e-3, 1e-5, 0.1),
  offset: fc.constantFrom(0, 3, -10),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

function channelsOf(c: NormCase): number {
  return c.inputShape[c.inputShape.length - 1];
}

function sizeOfCase(c: NormCase): number {
  return c.batch * c.inputShape.reduce((a, b) => a * b, 1);
}

function randomInput(rng: ReturnType<typeof createRng>, c: NormCase): Float32Array {
  return uniformValues(rng, sizeOfCase(c)).map((value) => value + c.offset);
}

/** Every axis but the last: the batch and the spatial positions share one μ, σ² per channel. */
function reductionAxes(c: NormCase): number[] {
  return Array.from({ length: c.inputShape.length }, (_, axis) => axis);
}

describe('batchNorm matches TensorFlow.js', () => {
  it('training mode: batch statistics, output and gradients (tf.moments formula)', () => {
    fc.assert(
      fc.property(normCase, (c) => {
        const rng = createRng(c.seed);
        const channels = channelsOf(c);
        assertLayerParity(
          tf,
          {
            label: `batchNorm training input [${c.batch}, ${c.inputShape.join(', ')}] ε=${c.epsilon} offset ${c.offset}`,
            layer: createLayer({ kind: 'batchNorm', epsilon: c.epsilon }, c.inputShape, rng.fork('init')),
            input: { shape: [c.batch, ...c.inputShape], data: randomInput(rng, c) },
            params: {
              gamma: { shape: [channels], data: uniformValues(rng, channels, 2) },
              beta: { shape: [channels], data: uniformValues(rng, channels) },
            },
            oracle: (x, gamma, beta) => {
              const { mean, variance } = tf.moments(x, reductionAxes(c), true);
              return tf.add(tf.mul(gamma, tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, c.epsilon)))), beta);
            },
          },
          rng,
        );
      }),
      { seed: 7007, numRuns: 50 },
    );
  });

  it('running statistics over training batches, then inference, = tf.layers.batchNormalization', () => {
    fc.assert(
      fc.property(normCase, fc.constantFrom(0.99, 0.9, 0.5), (c, momentum) => {
        const rng = createRng(c.seed);
        const channels = channelsOf(c);
        const gamma = uniformValues(rng, channels, 2);
        const beta = uniformValues(rng, channels);
        const layer: Layer = createLayer({ kind: 'batchNorm', momentum, epsilon: c.epsilon }, c.inputShape, rng.fork('init'));
        setParams(layer, { gamma, beta });
        const label = `batchNorm input [${c.batch}, ${c.inputShape.join(', ')}] m=${momentum} ε=${c.epsilon} offset ${c.offset}`;

        const oracle = tf.layers.batchNormalization({ axis: -1, momentum, epsilon: c.epsilon });
        oracle.build([null, ...c.inputShape]);
        // Weight order as tfjs-layers' build adds them (names carry a uniquifying suffix).
        const order = oracle.weights.map((weight) => /(gamma|beta|moving_mean|moving_variance)/.exec(weight.name)?.[1]);
        expect(order).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
        const [, , initialMean, initialVariance] = oracle.getWeights();
        tf.tidy(() => oracle.setWeights([tf.tensor(gamma), tf.tensor(beta), initialMean, initialVariance]));

        const state = (name: string): Float32Array => {
          const entry = layer.state?.find((candidate) => candidate.name === name);
          if (!entry) throw new Error(`${label}: nnkit batchNorm has no state '${name}'`);
          return entry.value.data;
        };
        const context = { kernels: jsKernels, training: true, rng: createRng('parity') };
        for (let step = 1; step <= 3; step++) {
          const input = randomInput(rng, c);
          const actual = layer.forward(tensor([c.batch, ...c.inputShape], input), context).data.slice();
          const expected = tf.tidy(() =>
            (oracle.apply(tf.tensor(input, [c.batch, ...c.inputShape]), { training: true }) as ReturnType<typeof tf.tensor>).dataSync(),
          );
          assertClose(`${label}: training output, batch ${step}`, { data: actual }, { data: expected }, layerTolerance);
          const [, , movingMean, movingVariance] = oracle.getWeights();
          assertClose(`${label}: running mean after batch ${step}`, { data: state('runningMean') }, { data: movingMean.dataSync() }, layerTolerance);
          assertClose(`${label}: running variance after batch ${step}`, { data: state('runningVariance') }, { data: movingVariance.dataSync() }, layerTolerance);
        }

        // Inference uses the running statistics: tfjs-layers' output, and the gradients of
        // tf.batchNorm(x, μ_run, σ²_run, β, γ, ε) with respect to x, γ and β.
        const input = randomInput(rng, c);
        const inferenceOutput = tf.tidy(() =>
          (oracle.apply(tf.tensor(input, [c.batch, ...c.inputShape]), { training: false }) as ReturnType<typeof tf.tensor>).dataSync(),
        );
        const runningMean = Float32Array.from(state('runningMean'));
        const runningVariance = Float32Array.from(state('runningVariance'));
        const actualOutput = layer.forward(tensor([c.batch, ...c.inputShape], input.slice()), { ...context, training: false }).data.slice();
        assertClose(`${label}: inference output (tf.layers)`, { data: actualOutput }, { data: inferenceOutput }, layerTolerance);
        assertLayerParity(
          tf,
          {
            label: `${label}: inference`,
            layer,
            input: { shape: [c.batch, ...c.inputShape], data: input },
            params: { gamma: { shape: [channels], data: gamma }, beta: { shape: [channels], data: beta } },
            oracle: (x, g, b) => tf.batchNorm(x, tf.tensor(runningMean), tf.tensor(runningVariance), b, g, c.epsilon),
            training: false,
          },
          rng,
        );
        // Layer.dispose() refuses layers only applied eagerly, so the variables go directly.
        for (const weight of oracle.weights) weight.dispose();
      }),
      { seed: 7008, numRuns: 25 },
    );
  });
});
