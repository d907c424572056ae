// Training throughput of `fit` with 1 and 2 threads on real MNIST (bench-cnn and bench-mlp of
// BENCHMARKS.md), against the built packages: `pnpm build` first, then
//   node tooling/bench/scripts/bench-threads.mjs [--backend wasm|js] [--batches 100] [--repeats 3] [--workloads bench-cnn,bench-mlp] [--threads 1,2]
// (a workload is bench-cnn, bench-mlp or any preset's name, e.g. nielsen-ch6-dropout).
// Besides wall-clock images/s it reports processor time, read per thread from /proc (Linux):
// on a shared machine "images / busiest thread's CPU seconds" estimates the rate with one free
// core per thread, and "process CPU ms / batch" shows the total work including the overhead
// of the split.
import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--experimental-wasm-relaxed-simd'); // before any WebAssembly compiles; workers inherit it

const { createDataset } = await import('@nnkit/datasets');
const { loadMnist } = await import('@nnkit/datasets/node');
const { Sequential } = await import('@nnkit/layers');
const { createRng, jsKernels } = await import('@nnkit/tensor');
const { createWasmKernels } = await import('@nnkit/wasm');
const { evaluate, evaluateParallel, fit, presets } = await import('@nnkit/train');
const { nodeWorkers } = await import('@nnkit/train/node');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const backend = args.backend ?? 'wasm';
const batchesPerRun = Number(args.batches ?? 100);
const repeats = Number(args.repeats ?? 3);
const warmup = 5;
const threadCounts = (args.threads ?? '1,2').split(',').map(Number);

const workloads = {
  'bench-cnn': {
    batchSize: 64,
    optimizer: { kind: 'momentum', learningRate: 0.01, momentum: 0.9 },
    model: presets.cnn.model, // bench-cnn is the `cnn` preset
  },
  'bench-mlp': {
    batchSize: 200,
    optimizer: { kind: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    model: {
      inputShape: [28, 28, 1],
      layers: [{ kind: 'flatten' }, { kind: 'dense', units: 100, init: 'he' }, { kind: 'relu' }, { kind: 'dense', units: 10, init: 'glorot' }],
      loss: { kind: 'softmaxCrossEntropy' },
    },
  },
};
// Any preset's name is a workload too: its model, optimizer and batch size (its schedule and
// data preparation left out: they do not change the work of a step).
for (const [name, preset] of Object.entries(presets)) {
  workloads[name] ??= { batchSize: preset.batchSize, optimizer: preset.optimizer, model: preset.model };
}
const selected = (args.workloads ?? 'bench-cnn,bench-mlp').split(',');
for (const name of selected) {
  if (!workloads[name]) throw new Error(`unknown workload ${name}: one of ${Object.keys(workloads).join(', ')}`);
}

/** CPU seconds of every thread of this process, by thread id. */
function threadTimes() {
  const ticks = 100; // USER_HZ on Linux
  const times = new Map();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(tid, (Number(fields[11]) + Number(fields[12])) / ticks);
    } catch {
      // the thread ended
    }
  }
  return times;
}

const kernels = backend === 'wasm' ? await createWasmKernels() : jsKernels;
// Workers run bench-threads-worker.mjs and rebuild the same kernels.
const workers = () =>
  nodeWorkers({
    workerUrl: new URL('./bench-threads-worker.mjs', import.meta.url),
    kernels: kernels.name === 'wasm' ? { backend: 'wasm', relaxedSimd: kernels.features === 'relaxed-simd' } : { backend: 'js' },
  });
const { train: mnistTrain, test: mnistTest } = loadMnist();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`node ${process.version}, kernels ${kernels.name}${kernels.features ? ` (${kernels.features})` : ''}, ${batchesPerRun} batches a run (the first ${warmup} not timed), median of ${repeats}`);
console.log('workload   threads  wall img/s  img/s per busiest thread CPU-s  process CPU ms/batch  busiest threads (CPU s)');
for (const name of selected) {
  const workload = workloads[name];
  const count = batchesPerRun * workload.batchSize;
  const train = createDataset({ images: mnistTrain.images.subarray(0, count * 784), labels: mnistTrain.labels.subarray(0, count), name: 'mnist:train' });
  const rows = new Map(threadCounts.map((threads) => [threads, []]));
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const threads of threadCounts) {
      const model = new Sequential(workload.model, createRng(1).fork('init'));
      let start = null;
      let end = null;
      await fit(model, { train }, {
        epochs: 1,
        batchSize: workload.batchSize,
        optimizer: workload.optimizer,
        kernels,
        threads,
        ...(threads > 1 ? { parallel: workers() } : {}),
        onBatchEnd: ({ batch }) => {
          if (batch === warmup) start = { wall: performance.now(), cpu: process.cpuUsage(), threads: threadTimes() };
          if (batch === batchesPerRun) end = { wall: performance.now(), cpu: process.cpuUsage(start.cpu), threads: threadTimes() };
        },
      });
      const timed = batchesPerRun - warmup;
      const images = timed * workload.batchSize;
      const seconds = (end.wall - start.wall) / 1000;
      const perThread = [...end.threads].map(([tid, cpu]) => cpu - (start.threads.get(tid) ?? 0)).sort((a, b) => b - a);
      rows.get(threads).push({
        wall: images / seconds,
        cpuRate: images / perThread[0],
        processMs: ((end.cpu.user + end.cpu.system) / 1000 / timed),
        busiest: perThread.slice(0, threads + 1).map((s) => s.toFixed(2)).join(' '),
      });
    }
  }
  for (const threads of threadCounts) {
    const runs = rows.get(threads);
    const pick = (key) => median(runs.map((run) => run[key]));
    console.log(
      `${name.padEnd(10)} ${String(threads).padStart(7)} ${pick('wall').toFixed(0).padStart(11)} ${pick('cpuRate').toFixed(0).padStart(32)} ${pick('processMs').toFixed(1).padStart(21)}  ${runs.map((run) => run.busiest).join(' | ')}`,
    );
  }
}

if (args.inference !== 'no') {
  // Inference on the 10 000 test images at batch 1000: evaluate against evaluateParallel (workers started inside the call, counted).
  const model = new Sequential(workloads['bench-cnn'].model, createRng(1).fork('init'));
  console.log('bench-cnn inference, 10 000 test images, batch 1000');
  for (const threads of threadCounts) {
    const runs = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      const before = { wall: performance.now(), threads: threadTimes() };
      if (threads === 1) evaluate(model, mnistTest, { kernels });
      else await evaluateParallel(model, mnistTest, { kernels, threads, parallel: workers() });
      const after = threadTimes();
      const busiest = Math.max(...[...after].map(([tid, cpu]) => cpu - (before.threads.get(tid) ?? 0)));
      runs.push({ wall: mnistTest.count / ((performance.now() - before.wall) / 1000), cpuRate: mnistTest.count / busiest });
    }
    console.log(`  threads ${threads}: ${median(runs.map((r) => r.wall)).toFixed(0)} img/s wall, ${median(runs.map((r) => r.cpuRate)).toFixed(0)} img/s per busiest-thread CPU-s`);
  }
}
