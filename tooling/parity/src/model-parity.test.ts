import { Sequential, type Context, type LossSpec, type ModelDefinition } from '@nnkit/layers';
import { createOptimizer, type OptimizerSpec } from '@nnkit/optim';
import { createRng, jsKernels, tensor, zeroGrads } from '@nnkit/tensor';
import type { Optimizer as TfOptimizer, Scalar, Tensor as TfTensor } from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { assertClose } from './compare.js';
import { layerTolerance } from './layer-parity.js';
import { uniformValues } from './random-values.js';
import { tfjsSequential } from './tfjs-model.js';
import { forwardAndGradients, loadTensorFlow, type TensorFlow } from './tfjs-oracle.js';

// Whole models: a Sequential's mean loss and every gradient (params and input) against the same
// network written in tfjs ops (tfjs-model.ts), then a few optimizer steps on both sides. This
// checks the wiring (layer order, Flatten's NHWC order, the loss's 1/batch) beyond single layers.
let tf: TensorFlow;
beforeAll(async () => {
  tf = await loadTensorFlow();
});

const models: Record<string, ModelDefinition> = {
  cnn: {
    inputShape: [8, 8, 1],
    layers: [
      { kind: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
      { kind: 'relu' },
      { kind: 'maxPool2d', size: 2 },
      { kind: 'conv2d', filters: 6, kernelSize: 2, stride: 2, padding: [0, 1, 0, 1] },
      // The activation comes before batch norm on purpose: a bias feeding batch norm directly
      // has a gradient of exactly zero in theory, so both sides hold only rounding noise there,
      // which Adam's normalisation turns into full-size steps of arbitrary sign.
      { kind: 'leakyRelu' },
      { kind: 'batchNorm' },
      { kind: 'flatten' },
      { kind: 'dense', units: 10 },
    ],
    loss: { kind: 'softmaxCrossEntropy' },
  },
  mlp: {
    inputShape: [12],
    layers: [
      { kind: 'dense', units: 8, init: 'scaledNormal' },
      { kind: 'sigmoid' },
      { kind: 'dense', units: 6 },
      { kind: 'tanh' },
      { kind: 'dense', units: 5 },
    ],
    loss: { kind: 'sigmoidCrossEntropy' },
  },
  pooled: {
    inputShape: [6, 6, 2],
    layers: [{ kind: 'avgPool2d', size: 2, stride: 1 }, { kind: 'flatten' }, { kind: 'dense', units: 4 }, { kind: 'sigmoid' }],
    loss: { kind: 'quadratic' },
  },
};

/** The tfjs form of each loss, scaled to nnkit's definition (see softmax-cross-entropy-parity.test.ts). */
function tfjsLoss(tfjs: TensorFlow, spec: LossSpec, oneHot: TfTensor, output: TfTensor): Scalar {
  const classes = output.shape[1] as number;
  switch (spec.kind) {
    case 'softmaxCrossEntropy':
      return tfjs.losses.softmaxCrossEntropy(oneHot, output, undefined, 0, tfjs.Reduction.MEAN) as Scalar;
    case 'sigmoidCrossEntropy':
      return tfjs.mul(classes, tfjs.losses.sigmoidCrossEntropy(oneHot, output, undefined, 0, tfjs.Reduction.MEAN));
    case 'quadratic':
      return tfjs.mul(classes / 2, tfjs.losses.meanSquaredError(oneHot, output, undefined, tfjs.Reduction.MEAN));
  }
}

interface Batch {
  readonly input: Float32Array;
  readonly labels: Int32Array;
  readonly oneHot: Float32Array;
  readonly batch: number;
}

function makeBatch(model: Sequential, batch: number, seed: number): Batch {
  const rng = createRng(`batch/${seed}`);
  const classes = model.outputShape[0];
  const input = uniformValues(rng, batch * model.inputShape.reduce((a, b) => a * b, 1));
  const labels = Int32Array.from({ length: batch }, () => rng.int(classes));
  const oneHot = new Float32Array(batch * classes);
  labels.forEach((label, i) => {
    oneHot[i * classes + label] = 1;
  });
  return { input, labels, oneHot, batch };
}

const context: Context = { kernels: jsKernels, training: true, rng: createRng('parity') };

/** nnkit: mean loss of one forward, then backward; grads land in model.params. */
function nnkitLossAndBackward(model: Sequential, data: Batch): { loss: number; inputGrad: Float32Array } {
  zeroGrads(model.params);
  const output = model.forward(tensor([data.batch, ...model.inputShape], data.input.slice()), context);
  const outputGrad = new Float32Array(output.data.length);
  const loss = model.loss.compute(output, data.labels, outputGrad);
  const inputGrad = model.backward(tensor([...output.shape], outputGrad), context).data.slice();
  return { loss, inputGrad };
}

const modelCase = fc.record({
  name: fc.constantFrom(...Object.keys(models)),
  batch: fc.integer({ min: 2, max: 5 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

describe('whole models match TensorFlow.js', () => {
  it('mean loss, every parameter gradient and the input gradient', () => {
    fc.assert(
      fc.property(modelCase, ({ name, batch, seed }) => {
        const model = new Sequential(models[name], createRng(seed));
        const data = makeBatch(model, batch, seed);
        const expected = forwardAndGradients(
          tf,
          (x, oneHot, ...params) => tfjsLoss(tf, model.loss.config, oneHot, tfjsSequential(tf, model.definition.layers, x, params)),
          [
            { shape: [batch, ...model.inputShape], data: data.input },
            { shape: [batch, model.outputShape[0]], data: data.oneHot },
            ...model.params.map((param) => ({ shape: [...param.value.shape], data: param.value.data.slice() })),
          ],
          Float32Array.of(1),
        );
        const actual = nnkitLossAndBackward(model, data);
        const label = `${name} model, batch ${batch}, seed ${seed}`;
        assertClose(`${label}: mean loss`, { data: [actual.loss] }, { data: expected.output.data }, layerTolerance);
        assertClose(`${label}: input gradient`, { data: actual.inputGrad }, expected.gradients[0], layerTolerance);
        model.params.forEach((param, p) => {
          assertClose(`${label}: params[${p}] '${param.name}' gradient`, param.grad, expected.gradients[p + 2], layerTolerance);
        });
      }),
      { seed: 7009, numRuns: 12 },
    );
  });

  it('five optimizer steps on one batch: losses and final parameters', () => {
    const optimizers: { spec: OptimizerSpec; oracle: (tfjs: TensorFlow) => TfOptimizer }[] = [
      { spec: { kind: 'adam', learningRate: 0.01, epsilon: 1e-8 }, oracle: (tfjs) => tfjs.train.adam(0.01, 0.9, 0.999, 1e-8) },
      { spec: { kind: 'momentum', learningRate: 0.1, momentum: 0.9 }, oracle: (tfjs) => tfjs.train.momentum(0.1, 0.9) },
    ];
    fc.assert(
      fc.property(modelCase, fc.constantFrom(0, 1), ({ name, batch, seed }, which) => {
        const { spec, oracle } = optimizers[which];
        const model = new Sequential(models[name], createRng(seed));
        const data = makeBatch(model, batch, seed);
        const label = `${name} model, batch ${batch}, seed ${seed}, ${spec.kind}`;
        const variables = model.params.map((param) => tf.variable(tf.tensor(param.value.data.slice(), [...param.value.shape])));
        const tfjsOptimizer = oracle(tf);
        const optimizer = createOptimizer(spec);
        try {
          for (let step = 1; step <= 5; step++) {
            const actualLoss = nnkitLossAndBackward(model, data).loss;
            optimizer.step(model.params);
            const expectedLoss = tf.tidy(() => {
              const x = tf.tensor(data.input, [batch, ...model.inputShape]);
              const oneHot = tf.tensor(data.oneHot, [batch, model.outputShape[0]]);
              const cost = tfjsOptimizer.minimize(
                () => tfjsLoss(tf, model.loss.config, oneHot, tfjsSequential(tf, model.definition.layers, x, variables)),
                true,
                variables,
              );
              return cost?.dataSync()[0] ?? Number.NaN;
            });
            assertClose(`${label}: loss at step ${step}`, { data: [actualLoss] }, { data: [expectedLoss] }, layerTolerance);
          }
          model.params.forEach((param, p) => {
            assertClose(`${label}: params[${p}] '${param.name}' after 5 steps`, param.value, { data: variables[p].dataSync() }, layerTolerance);
          });
        } finally {
          variables.forEach((variable) => variable.dispose());
          tfjsOptimizer.dispose();
        }
      }),
      { seed: 7010, numRuns: 8 },
    );
  });
});
