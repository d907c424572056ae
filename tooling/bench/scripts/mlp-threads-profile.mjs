// CPU time per thread of bench-mlp training through `fit` on 1 or 2 threads:
// `node tooling/bench/scripts/mlp-threads-profile.mjs <threads> [batches]` prints, per step, the
// CPU milliseconds of the calling thread (the critical path: its share plus everything serial)
// and of each worker, read from /proc/self/task/*/stat (Linux). Needs `pnpm build`.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--experimental-wasm-relaxed-simd');
const { loadMnist } = await import('@nnkit/datasets/node');
const { Sequential } = await import('@nnkit/layers');
const { createRng } = await import('@nnkit/tensor');
const { fit } = await import('@nnkit/train');
const { nodeWorkers } = await import('@nnkit/train/node');
const { createWasmKernels } = await import('@nnkit/wasm');

const threads = Number(process.argv[2] ?? 1);
const batches = Math.min(Number(process.argv[3] ?? 250), 250);
const ticks = 100; // USER_HZ on Linux
function threadTimes() {
  const times = new Map();
  for (const task of readdirSync('/proc/self/task')) {
    const fields = readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1].split(' ');
    times.set(task, ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks);
  }
  return times;
}
const definition = {
  inputShape: [28, 28, 1],
  layers: [{ kind: 'flatten' }, { kind: 'dense', units: 100, init: 'he' }, { kind: 'relu' }, { kind: 'dense', units: 10, init: 'glorot' }],
  loss: { kind: 'softmaxCrossEntropy' },
};
const data = loadMnist();
const kernels = await createWasmKernels();
const model = new Sequential(definition, createRng('profile').fork('init'));
const workerUrl = new URL('../dist/nnkit-worker.js', import.meta.url);
let start = null;
// The training set as loaded (in shared memory), one epoch in its own order: 300 batches.
await fit(model, { train: data.train }, {
  epochs: 1,
  batchSize: 200,
  optimizer: { kind: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  shuffle: false,
  kernels,
  threads,
  ...(threads > 1 ? { parallel: nodeWorkers({ workerUrl, kernels: { backend: 'wasm', relaxedSimd: kernels.features === 'relaxed-simd' } }) } : {}),
  batchEndEvery: 1,
  onBatchEnd: (info) => {
    if (info.batch === 50) start = { times: threadTimes(), wall: performance.now() };
    if (info.batch === 50 + batches) {
      const end = threadTimes();
      const main = String(process.pid);
      const per = (task) => ((end.get(task) - (start.times.get(task) ?? 0)) / batches).toFixed(3);
      const busy = [...end.keys()].filter((task) => task !== main && end.get(task) - (start.times.get(task) ?? 0) > batches * 0.2);
      console.log(`threads ${threads}: calling thread ${per(main)} CPU ms per step; busy other threads ${busy.map(per).join(', ') || 'none'}; wall ${((performance.now() - start.wall) / batches).toFixed(3)} ms per step (load ${loadavg()[0].toFixed(1)})`);
    }
  },
});
