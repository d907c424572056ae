// Reads a model exported with `nnkit export MODEL --format tfjs --out DIR` in TensorFlow.js and
// classifies one MNIST-style image. Usage: node tfjs-node.mjs DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const directory = process.argv[2] ?? 'model-tfjs';
const modelJson = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
const shard = readFileSync(join(directory, modelJson.weightsManifest[0].paths[0]));
const model = await tf.loadLayersModel(
  tf.io.fromMemory({
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest[0].weights,
    weightData: shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.length),
  }),
);
// A 28×28 digit, white on black, NHWC, normalized as the metadata says (here x = pixel / 255):
// a vertical bar, which reads as a 1.
const pixels = new Float32Array(28 * 28);
for (let row = 4; row < 24; row++) pixels[row * 28 + 14] = pixels[row * 28 + 13] = 1;
const probabilities = await model.predict(tf.tensor(pixels, [1, 28, 28, 1])).data();
console.log(modelJson.userDefinedMetadata.nnkit.input);
console.log('digit', probabilities.indexOf(Math.max(...probabilities)), 'probabilities', Array.from(probabilities, (p) => p.toFixed(3)).join(' '));
