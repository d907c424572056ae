// Where a training step's processor time goes, layer by layer (forward and backward), for a
// preset's network or a BENCHMARKS.md workload, on one thread, against the built packages:
// `pnpm build` first, then
//   node tooling/bench/scripts/profile-step.mjs [--preset record] [--network gap] [--batch 128] [--steps 20] [--backend wasm|js]
//   (--network: one of an ensemble preset's networks, e.g. --preset record-ensemble --network gap)
// Each layer call is timed with process.cpuUsage() (user + system of this process, which runs
// one thread), so other work on a shared machine inflates the figures less than wall time would.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--experimental-wasm-relaxed-simd'); // before any WebAssembly compiles

const { fillBatch, fillLabels } = await import('@nnkit/datasets');
const { loadMnist } = await import('@nnkit/datasets/node');
const { Sequential } = await import('@nnkit/layers');
const { createOptimizer } = await import('@nnkit/optim');
const { createRng, jsKernels, zeroGrads } = await import('@nnkit/tensor');
const { createWasmKernels } = await import('@nnkit/wasm');
const { presets, presetNetwork } = await import('@nnkit/train');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const preset = presets[args.preset ?? 'record'];
if (!preset) throw new Error(`--preset: unknown ${args.preset}`);
const batchSize = Number(args.batch ?? preset.batchSize);
const steps = Number(args.steps ?? 20);
const warmup = 3;
const baseKernels = (args.backend ?? 'wasm') === 'wasm' ? await createWasmKernels() : jsKernels;
// Every kernel call is timed too (the time inside a layer call that no kernel accounts for is
// the layer's own JavaScript: batch norm, dropout, softmax).
const kernelMs = new Map();
const kernels = { ...baseKernels };
for (const [name, value] of Object.entries(baseKernels)) {
  if (typeof value !== 'function' || name === 'allocate') continue;
  kernels[name] = (...callArgs) => {
    const start = cpu();
    const result = value(...callArgs);
    if (timing) {
      const label = name === 'matmul' ? `matmul${callArgs[3].transposeA ? ' Aᵀ' : ''}${callArgs[3].transposeB ? ' Bᵀ' : ''}` : name;
      kernelMs.set(label, (kernelMs.get(label) ?? 0) + cpu() - start);
    }
    return result;
  };
}

const { train } = loadMnist({ limit: batchSize * (steps + warmup) });
const model = new Sequential(args.network ? presetNetwork(preset, args.network).model : preset.model, createRng(1).fork('init'));
const optimizer = createOptimizer(preset.optimizer);
const context = { kernels, training: true, rng: createRng(1).fork('dropout') };
const input = new Float32Array(batchSize * 784);
const labels = new Uint8Array(batchSize);
const gradient = new Float32Array(batchSize * 10);
const order = Int32Array.from({ length: train.count }, (_, i) => i);

const cpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const names = model.layers.map((layer, index) => {
  const c = layer.config;
  const detail = c.kind === 'conv2d' ? ` ${c.filters}@${c.kernelSize}${c.stride && c.stride !== 1 ? `s${c.stride}` : ''} ${layer.inputShape.join('×')}` : c.kind === 'dense' ? ` ${c.units}` : '';
  return `${String(index).padStart(2)} ${c.kind}${detail}`;
});
const forwardMs = new Float64Array(model.layers.length);
const backwardMs = new Float64Array(model.layers.length);
let otherMs = 0;
let totalMs = 0;
// Time every layer call by wrapping its methods (the model calls them in order).
model.layers.forEach((layer, index) => {
  const forward = layer.forward.bind(layer);
  const backward = layer.backward.bind(layer);
  layer.forward = (x, ctx) => {
    const start = cpu();
    const y = forward(x, ctx);
    if (timing) forwardMs[index] += cpu() - start;
    return y;
  };
  layer.backward = (dy, ctx, need) => {
    const start = cpu();
    const dx = backward(dy, ctx, need);
    if (timing) backwardMs[index] += cpu() - start;
    return dx;
  };
});
let timing = false;
for (let step = 0; step < steps + warmup; step++) {
  timing = step >= warmup;
  const stepStart = cpu();
  const start = step * batchSize;
  fillBatch(train, order, start, start + batchSize, input);
  fillLabels(train, order, start, start + batchSize, labels);
  const output = model.forward({ shape: [batchSize, 28, 28, 1], data: input }, context);
  model.loss.compute(output, labels, gradient);
  model.backward({ shape: output.shape, data: gradient }, context, { inputGrad: false });
  const optimizerStart = cpu();
  optimizer.step(model.params, kernels);
  zeroGrads(model.params, kernels);
  if (timing) {
    otherMs += cpu() - optimizerStart;
    totalMs += cpu() - stepStart;
  }
}
const per = (ms) => (ms / steps).toFixed(2).padStart(8);
const share = (ms) => `${((100 * ms) / totalMs).toFixed(1).padStart(5)} %`;
console.log(`${args.preset ?? 'record'}: batch ${batchSize}, ${kernels.name}${baseKernels.features ? ` (${baseKernels.features})` : ''}, ${steps} steps; processor ms per step`);
console.log(`${'layer'.padEnd(34)} forward  backward   share`);
let layersMs = 0;
model.layers.forEach((_, index) => {
  layersMs += forwardMs[index] + backwardMs[index];
  console.log(`${names[index].padEnd(34)}${per(forwardMs[index])}  ${per(backwardMs[index])}  ${share(forwardMs[index] + backwardMs[index])}`);
});
console.log(`${'optimizer + zero grads'.padEnd(34)}${per(otherMs)}            ${share(otherMs)}`);
console.log(`${'rest (batch, loss)'.padEnd(34)}${per(totalMs - layersMs - otherMs)}            ${share(totalMs - layersMs - otherMs)}`);
console.log(`${'step'.padEnd(34)}${per(totalMs)}   (${((batchSize * steps * 1000) / totalMs).toFixed(0)} images per processor second)`);
console.log('');
console.log(`${'kernel (all layers)'.padEnd(34)}     ms      share`);
let kernelsMs = 0;
for (const [name, ms] of [...kernelMs].sort((a, b) => b[1] - a[1])) {
  kernelsMs += ms;
  console.log(`${name.padEnd(34)}${per(ms)}   ${share(ms)}`);
}
console.log(`${'outside kernels (JavaScript)'.padEnd(34)}${per(totalMs - kernelsMs)}   ${share(totalMs - kernelsMs)}`);
