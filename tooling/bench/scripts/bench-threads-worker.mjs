// The worker thread of bench-threads.mjs: `serveTrainWorker` building the kernels it is told
// ({backend: 'js'} or {backend: 'wasm', relaxedSimd}).
import { parentPort } from 'node:worker_threads';

const { jsKernels } = await import('@nnkit/tensor');
const { createWasmKernelsSync } = await import('@nnkit/wasm');
const { nodeWorkerPort } = await import('@nnkit/train/node');
const { serveTrainWorker } = await import('@nnkit/train/worker');

serveTrainWorker(nodeWorkerPort(parentPort), {
  createKernels: (spec) => (spec.backend === 'wasm' ? createWasmKernelsSync({ relaxedSimd: spec.relaxedSimd === true }) : jsKernels),
});
