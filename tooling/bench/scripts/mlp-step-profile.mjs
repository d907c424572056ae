// CPU time of bench-mlp steps on one thread, as the peers bench's nnkit runner takes them:
// `node --cpu-prof tooling/bench/scripts/mlp-step-profile.mjs [train|infer] [steps] [placed|unplaced]` prints the
// CPU milliseconds per step (process.cpuUsage, user + system) after a warm-up; the profile
// shows where a step's time goes. 'placed' (default) keeps weights, gradients and the input in
// the wasm module's memory, as `fit` does. Needs `pnpm build` (it imports the packages' dist).
import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--experimental-wasm-relaxed-simd');
const { fillBatch, fillLabels } = await import('@nnkit/datasets');
const { loadMnist } = await import('@nnkit/datasets/node');
const { Sequential } = await import('@nnkit/layers');
const { createOptimizer } = await import('@nnkit/optim');
const { createRng, sizeOf, zeroGrads } = await import('@nnkit/tensor');
const { createWasmKernels } = await import('@nnkit/wasm');
const { placeParams } = await import('@nnkit/train');
const placed = process.argv[4] !== 'unplaced';

const mode = process.argv[2] ?? 'train';
const steps = Number(process.argv[3] ?? 300);
const definition = {
  inputShape: [28, 28, 1],
  layers: [{ kind: 'flatten' }, { kind: 'dense', units: 100, init: 'he' }, { kind: 'relu' }, { kind: 'dense', units: 10, init: 'glorot' }],
  loss: { kind: 'softmaxCrossEntropy' },
};
const data = loadMnist();
const kernels = await createWasmKernels();
const root = createRng('profile');
const model = new Sequential(definition, root.fork('init'));
const batchSize = mode === 'train' ? 200 : 1000;
const dataset = mode === 'train' ? data.train : data.test;
const order = createRng('order').permutation(dataset.count);
if (placed) placeParams(model.params, kernels);
const input = (placed ? kernels.allocate?.(batchSize * 784) : undefined) ?? new Float32Array(batchSize * sizeOf(model.inputShape));
const labels = new Uint8Array(batchSize);
const outputGrad = new Float32Array(batchSize * 10);
const optimizer = createOptimizer({ kind: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
const context = { kernels, training: mode === 'train', rng: root.fork('dropout') };
const batches = Math.floor(dataset.count / batchSize);
zeroGrads(model.params);
function step(s) {
  const start = (s % batches) * batchSize;
  fillBatch(dataset, order, start, start + batchSize, input, undefined, kernels);
  const output = model.forward({ shape: [batchSize, 28, 28, 1], data: input }, context);
  if (mode !== 'train') return output.data[0];
  fillLabels(dataset, order, start, start + batchSize, labels);
  const loss = model.loss.compute(output, labels, outputGrad);
  model.backward({ shape: output.shape, data: outputGrad }, context, { inputGrad: false });
  optimizer.step(model.params, kernels);
  zeroGrads(model.params);
  return loss;
}
let checksum = 0;
for (let s = 0; s < 50; s++) checksum += step(s);
const before = process.cpuUsage();
for (let s = 0; s < steps; s++) checksum += step(s);
const used = process.cpuUsage(before);
console.log(`${mode}: ${((used.user + used.system) / 1000 / steps).toFixed(3)} CPU ms per step (${steps} steps, checksum ${checksum.toFixed(3)})`);
