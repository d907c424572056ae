// The exports checked by the real runtimes: TensorFlow.js (its wasm backend, pure JS + wasm from
// node_modules) and onnxruntime-web (its wasm backend in Node). Every preset's network, with its
// seeded random weights, and a network with every layer kind must give nnkit's probabilities
// within 1e-4 and the same argmax on 1 000 MNIST test images.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { normalizeBytes } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import type { Sequential } from '@nnkit/layers';
import { createRng, jsKernels, sizeOf } from '@nnkit/tensor';
import { createPresetModel, predict, presets } from '@nnkit/train';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { convGemmGraph, matMulGraph } from './foreign-onnx.js';
import { headOf } from './model-bridge.js';
import { fromOnnx, toOnnx } from './onnx.js';
import { everyLayerModel } from './test-models.js';
import { fromTfjs, toTfjs } from './tfjs.js';

const count = 1000;
const test = loadMnist({ limit: count }).test;
const images = normalizeBytes(test.images, new Float32Array(test.images.length));

/** nnkit's probabilities (or, for the quadratic cost, its last activations) on the test images. */
function nnkitOutputs(model: Sequential): Float32Array {
  if (headOf(model) !== 'none') return predict(model, { shape: [count, 28, 28, 1], data: images }).probabilities;
  const output = model.forward({ shape: [count, 28, 28, 1], data: images }, { kernels: jsKernels, training: false, rng: createRng(0) });
  return Float32Array.from(output.data);
}

function argmaxes(values: Float32Array, classes: number): number[] {
  return Array.from({ length: values.length / classes }, (_, row) => {
    let best = 0;
    for (let j = 1; j < classes; j++) if (values[row * classes + j] > values[row * classes + best]) best = j;
    return best;
  });
}

function expectSameOutputs(actual: Float32Array, expected: Float32Array, classes: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThan(1e-4);
  expect(argmaxes(actual, classes)).toEqual(argmaxes(expected, classes));
}

async function tfjsOutputs(model: Sequential): Promise<Float32Array> {
  const { modelJson, weightData } = toTfjs(model);
  const loaded = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0].weights as tf.io.WeightsManifestEntry[],
      weightData: weightData.slice().buffer,
    }),
  );
  const input = tf.tensor4d(images, [count, 28, 28, 1]);
  const output = loaded.predict(input) as tf.Tensor;
  const values = Float32Array.from(await output.data());
  tf.dispose([input, output]);
  loaded.dispose();
  return values;
}

async function onnxOutputs(model: Sequential | Uint8Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model instanceof Uint8Array ? model : toOnnx(model));
  const inputShape = model instanceof Uint8Array ? [count, 1, 28, 28] : [count, 28, 28, 1];
  const results = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', images, inputShape) });
  await session.release();
  return Float32Array.from(results[session.outputNames[0]].data as Float32Array);
}

// Presets that share a network are checked once, under all their names.
const networks = new Map<string, { names: string[]; build: () => Sequential }>();
for (const preset of Object.values(presets)) {
  const key = JSON.stringify(preset.model);
  const entry = networks.get(key) ?? { names: [], build: () => createPresetModel(preset, 1) };
  entry.names.push(preset.name);
  networks.set(key, entry);
}
const cases = [
  ...[...networks.values()].map((entry) => ({ name: `preset ${entry.names.join(', ')}`, build: entry.build })),
  { name: 'every layer kind (softmax head)', build: () => everyLayerModel() },
  { name: 'every layer kind (sigmoid head)', build: () => everyLayerModel({ kind: 'sigmoidCrossEntropy' }) },
];

beforeAll(async () => {
  tf.enableProdMode();
  const directory = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  setWasmPaths(Object.fromEntries(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((name) => [name, join(directory, name)])));
  if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js refused its wasm backend');
  // One thread: no worker is started, and the wasm file comes from node_modules (no download).
  ort.env.wasm.numThreads = 1;
});

describe.each(cases)('$name', ({ build }) => {
  const model = build();
  const classes = sizeOf(model.outputShape);
  const expected = nnkitOutputs(model);

  it('predicts in TensorFlow.js as in nnkit', async () => {
    expectSameOutputs(await tfjsOutputs(model), expected, classes);
  });

  it('predicts in onnxruntime-web as in nnkit', async () => {
    expectSameOutputs(await onnxOutputs(model), expected, classes);
  });
});

it('an ELU with α ≠ 1 predicts in onnxruntime-web as in nnkit', async () => {
  const model = everyLayerModel({ kind: 'softmaxCrossEntropy' }, 0.7);
  expectSameOutputs(await onnxOutputs(model), nnkitOutputs(model), 10);
});

describe.each([
  { name: 'Conv (3 channels, asymmetric pads) → MaxPool → BatchNormalization → Flatten of NCHW → Gemm → Softmax', graph: convGemmGraph, head: true },
  { name: 'Conv SAME_LOWER → AveragePool → Reshape → MatMul + Add → Dropout → Gemm (logits)', graph: matMulGraph, head: false },
])('an ONNX graph from elsewhere: $name', ({ graph, head }) => {
  it('imports and predicts as onnxruntime-web does', async () => {
    const bytes = graph();
    const { model } = fromOnnx(bytes);
    const expected = await onnxOutputs(bytes);
    const input = { shape: [count, 28, 28, 1], data: images };
    const actual = head ? predict(model, input).probabilities : Float32Array.from(model.forward(input, { kernels: jsKernels, training: false, rng: createRng(0) }).data);
    expectSameOutputs(actual, expected, 10);
  });
});

describe('a model built and trained in TensorFlow.js', () => {
  it('imports and predicts like TensorFlow.js', async () => {
    // tfjs's wasm backend cannot train convolutions; its cpu backend can.
    await tf.setBackend('cpu');
    const train = loadMnist({ limit: 300 }).train;
    const trainImages = tf.tensor4d(normalizeBytes(train.images, new Float32Array(train.images.length)), [300, 28, 28, 1]);
    const trainLabels = tf.oneHot(tf.tensor1d(Array.from(train.labels), 'int32'), 10);
    const tfModel = tf.sequential({
      layers: [
        // Seeded initialisers, dropout and batch order: the same model every run.
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        // A short run: statistics that follow the batches quickly.
        tf.layers.batchNormalization({ momentum: 0.5 }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.dropout({ rate: 0.25, seed: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    tfModel.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    await tfModel.fit(trainImages, trainLabels, { epochs: 1, batchSize: 30, verbose: 0, shuffle: false });
    let saved: tf.io.ModelArtifacts | undefined;
    await tfModel.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const weightData = saved?.weightData;
    const buffers = Array.isArray(weightData) ? weightData : [weightData as ArrayBuffer];
    const imported = fromTfjs({
      modelTopology: saved?.modelTopology,
      weightSpecs: saved?.weightSpecs,
      weightData: new Uint8Array(await new Blob(buffers).arrayBuffer()),
    });
    expect(imported.model.definition.layers.map((layer) => layer.kind)).toEqual(['conv2d', 'relu', 'batchNorm', 'maxPool2d', 'dropout', 'flatten', 'dense']);
    await tf.setBackend('wasm');
    const input = tf.tensor4d(images, [count, 28, 28, 1]);
    const output = tfModel.predict(input) as tf.Tensor;
    const expected = Float32Array.from(await output.data());
    tf.dispose([trainImages, trainLabels, input, output]);
    const nnkit = predict(imported.model, { shape: [count, 28, 28, 1], data: images });
    expectSameOutputs(nnkit.probabilities, expected, 10);
    // It did learn: the test images are read far better than chance.
    const correct = nnkit.predictions.filter((label, i) => label === test.labels[i]).length;
    expect(correct / count).toBeGreaterThan(0.4);
  });
});
