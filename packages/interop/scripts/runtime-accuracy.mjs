// Accuracy of an nnkit model file exported to TensorFlow.js and to ONNX, measured by the real
// runtimes (tfjs wasm backend, onnxruntime-web wasm) on the 10 000 MNIST test images, beside
// nnkit's own count. Usage (after `pnpm build`):
//   node packages/interop/scripts/runtime-accuracy.mjs apps/playground/public/models/default.json
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { normalizeBytes, parseNormalization } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import { fromTfjs, toOnnx, toTfjs } from '@nnkit/interop';
import { loadModel } from '@nnkit/layers';
import { evaluate } from '@nnkit/train';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web';

const path = process.argv[2];
if (!path) throw new Error('usage: runtime-accuracy.mjs MODEL.json');
const { model, meta } = loadModel(readFileSync(path, 'utf8'), path);
const normalization = typeof meta?.normalization === 'string' ? parseNormalization(meta.normalization) : undefined;
const { test } = loadMnist();
const count = test.count;
const images = normalizeBytes(test.images, new Float32Array(test.images.length), normalization);
const shape = [count, ...model.inputShape];

const correctOf = (values) => {
  let correct = 0;
  for (let row = 0; row < count; row++) {
    let best = 0;
    for (let j = 1; j < 10; j++) if (values[row * 10 + j] > values[row * 10 + best]) best = j;
    if (best === test.labels[row]) correct++;
  }
  return correct;
};

tf.enableProdMode();
const directory = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
setWasmPaths(Object.fromEntries(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((name) => [name, join(directory, name)])));
await tf.setBackend('wasm');
ort.env.wasm.numThreads = 1;

const nnkit = Math.round(evaluate(model, test, normalization ? { normalization } : {}).accuracy * count);
const { modelJson, weightData } = toTfjs(model);
const tfModel = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weightData.slice().buffer }));
const tfOutput = tfModel.predict(tf.tensor(images, shape));
const tfjsCorrect = correctOf(await tfOutput.data());
const session = await ort.InferenceSession.create(toOnnx(model));
const results = await session.run({ input: new ort.Tensor('float32', images, shape) });
const onnxCorrect = correctOf(results[session.outputNames[0]].data);
for (const quantization of ['float16', 'uint8']) {
  const quantized = toTfjs(model, { quantization });
  const back = fromTfjs({ modelTopology: quantized.modelJson.modelTopology, weightSpecs: quantized.modelJson.weightsManifest[0].weights, weightData: quantized.weightData });
  const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: quantized.modelJson.modelTopology, weightSpecs: quantized.modelJson.weightsManifest[0].weights, weightData: quantized.weightData.slice().buffer }));
  const correct = correctOf(await loaded.predict(tf.tensor(images, shape)).data());
  const nnkitQuantized = Math.round(evaluate(back.model, test, normalization ? { normalization } : {}).accuracy * count);
  console.log(`tfjs ${quantization}: shard ${quantized.weightData.length} bytes, TensorFlow.js ${correct} / ${count}, nnkit on the dequantized weights ${nnkitQuantized} / ${count}`);
}
const percent = (correct) => `${((correct / count) * 100).toFixed(2)}% (${correct} of ${count})`;
console.log(`nnkit ${percent(nnkit)} · TensorFlow.js ${tf.version.tfjs} wasm ${percent(tfjsCorrect)} · onnxruntime-web ${ort.env.versions.web} wasm ${percent(onnxCorrect)}`);
