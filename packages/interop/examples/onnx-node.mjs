// Runs a model exported with `nnkit export MODEL --format onnx --out model.onnx` in ONNX Runtime
// (onnxruntime-web's wasm backend; onnxruntime-node takes the same calls). Usage: node onnx-node.mjs model.onnx
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1; // no worker threads needed for one image
const session = await ort.InferenceSession.create(readFileSync(process.argv[2] ?? 'model.onnx'));
const pixels = new Float32Array(28 * 28); // NHWC [1, 28, 28, 1], x = pixel / 255
for (let row = 4; row < 24; row++) pixels[row * 28 + 14] = pixels[row * 28 + 13] = 1;
const { probabilities } = await session.run({ input: new ort.Tensor('float32', pixels, [1, 28, 28, 1]) });
const values = Array.from(probabilities.data);
console.log('digit', values.indexOf(Math.max(...values)), 'probabilities', values.map((p) => p.toFixed(3)).join(' '));
