import { createLayer, createLoss, type LossSpec } from '@nnkit/layers';
import { createRng, tensor } from '@nnkit/tensor';
import type { Tensor as TfTensor } from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { assertClose } from './compare.js';
import { assertLayerParity, layerTolerance } from './layer-parity.js';
import { uniformValues } from './random-values.js';
import { forwardAndGradients, loadTensorFlow, type TensorFlow } from './tfjs-oracle.js';

// The softmax layer against tf.softmax (output and dx), and the losses against tf.losses with
// Reduction.MEAN: the mean loss and its gradient with respect to the network output.
let tf: TensorFlow;
beforeAll(async () => {
  tf = await loadTensorFlow();
});

interface LossCase {
  batch: number;
  classes: number;
  logitScale: number;
  seed: number;
}

const lossCase: fc.Arbitrary<LossCase> = fc.record({
  batch: fc.integer({ min: 1, max: 8 }),
  classes: fc.integer({ min: 2, max: 12 }),
  // Up to ±50 checks that both sides shift by the maximum before exponentiating.
  logitScale: fc.constantFrom(1, 5, 50),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

/**
 * Compares nnkit's `compute` (mean loss, dLoss/dOutput) with tfjs's `oracle(oneHot, output)`
 * and tf.grads of it (the output weight is 1: the loss is a scalar).
 */
function checkLoss(tfjs: TensorFlow, spec: LossSpec, c: LossCase, oracle: (oneHot: TfTensor, output: TfTensor) => TfTensor): void {
  const rng = createRng(c.seed);
  const output = uniformValues(rng, c.batch * c.classes, c.logitScale);
  const labels = Int32Array.from({ length: c.batch }, () => rng.int(c.classes));
  const oneHot = new Float32Array(c.batch * c.classes);
  labels.forEach((label, i) => {
    oneHot[i * c.classes + label] = 1;
  });
  const expected = forwardAndGradients(
    tfjs,
    (targets, z) => oracle(targets, z),
    [
      { shape: [c.batch, c.classes], data: oneHot },
      { shape: [c.batch, c.classes], data: output },
    ],
    Float32Array.of(1),
  );
  const gradient = new Float32Array(c.batch * c.classes);
  const loss = createLoss(spec).compute(tensor([c.batch, c.classes], output.slice()), labels, gradient);
  const label = `${spec.kind} batch ${c.batch}, ${c.classes} classes, logits ±${c.logitScale}`;
  assertClose(`${label}: mean loss`, { data: [loss] }, { data: expected.output.data }, layerTolerance);
  assertClose(`${label}: output gradient`, { shape: [c.batch, c.classes], data: gradient }, expected.gradients[1], layerTolerance);
}

const settings = { seed: 7006, numRuns: 40 };

describe('softmax and losses match TensorFlow.js', () => {
  it('softmax layer = tf.softmax over the last axis (output and dx)', () => {
    fc.assert(
      fc.property(lossCase, fc.boolean(), (c, image) => {
        const rng = createRng(c.seed);
        // A [classes] example, or an image-like [2, 3, classes] one (softmax over the last axis).
        const inputShape = image ? [2, 3, c.classes] : [c.classes];
        const size = c.batch * inputShape.reduce((a, b) => a * b, 1);
        assertLayerParity(
          tf,
          {
            label: `softmax input [${c.batch}, ${inputShape.join(', ')}], logits ±${c.logitScale}`,
            layer: createLayer({ kind: 'softmax' }, inputShape, rng.fork('init')),
            input: { shape: [c.batch, ...inputShape], data: uniformValues(rng, size, c.logitScale) },
            params: {},
            oracle: (x) => tf.softmax(x),
          },
          rng,
        );
      }),
      settings,
    );
  });

  it('softmaxCrossEntropy = tf.losses.softmaxCrossEntropy(oneHot, logits, Reduction.MEAN)', () => {
    fc.assert(
      fc.property(lossCase, (c) =>
        checkLoss(tf, { kind: 'softmaxCrossEntropy' }, c, (oneHot, logits) =>
          tf.losses.softmaxCrossEntropy(oneHot, logits, undefined, 0, tf.Reduction.MEAN),
        ),
      ),
      settings,
    );
  });

  it('softmaxCrossEntropy probabilities = tf.softmax(logits)', () => {
    fc.assert(
      fc.property(lossCase, (c) => {
        const rng = createRng(c.seed);
        const logits = uniformValues(rng, c.batch * c.classes, c.logitScale);
        const probabilities = createLoss({ kind: 'softmaxCrossEntropy' }).probabilities(tensor([c.batch, c.classes], logits.slice()));
        const expected = tf.tidy(() => tf.softmax(tf.tensor(logits, [c.batch, c.classes])).dataSync());
        assertClose(`softmaxCrossEntropy probabilities batch ${c.batch}, ${c.classes} classes`, { data: probabilities }, { data: expected }, layerTolerance);
      }),
      settings,
    );
  });

  it('sigmoidCrossEntropy = classes × tf.losses.sigmoidCrossEntropy(oneHot, logits, Reduction.MEAN)', () => {
    // nnkit sums over the outputs and averages over the batch (Nielsen); tfjs's MEAN averages
    // over batch × classes, hence the factor.
    fc.assert(
      fc.property(lossCase, (c) =>
        checkLoss(tf, { kind: 'sigmoidCrossEntropy' }, c, (oneHot, logits) =>
          tf.mul(c.classes, tf.losses.sigmoidCrossEntropy(oneHot, logits, undefined, 0, tf.Reduction.MEAN)),
        ),
      ),
      settings,
    );
  });

  it('quadratic = classes/2 × tf.losses.meanSquaredError(oneHot, activations, Reduction.MEAN)', () => {
    // nnkit's C = mean over the batch of ½‖a − y‖² (Nielsen); tfjs averages (a − y)² over all entries.
    fc.assert(
      fc.property(lossCase, (c) =>
        checkLoss(tf, { kind: 'quadratic' }, c, (oneHot, activations) =>
          tf.mul(c.classes / 2, tf.losses.meanSquaredError(oneHot, activations, undefined, tf.Reduction.MEAN)),
        ),
      ),
      settings,
    );
  });
});
