// A worker thread of nnkit's multi-threaded runs: `serveTrainWorker` with the kernels the
// runner names ('js', or 'wasm' with the main thread's SIMD features). Bundled by tsup as
// dist/nnkit-worker.js; `runNnkitThreaded` starts it.
import { parentPort } from 'node:worker_threads';
import { jsKernels } from '@nnkit/tensor';
import { nodeWorkerPort } from '@nnkit/train/node';
import { serveTrainWorker } from '@nnkit/train/worker';
import { createWasmKernelsSync } from '@nnkit/wasm';

serveTrainWorker(nodeWorkerPort(parentPort), {
  createKernels(spec) {
    const { backend, relaxedSimd } = spec as { backend: string; relaxedSimd?: boolean };
    if (backend === 'js') return jsKernels;
    if (backend === 'wasm') return createWasmKernelsSync({ relaxedSimd: relaxedSimd === true });
    throw new TypeError(`nnkit worker: unknown kernels ${JSON.stringify(spec)}`);
  },
});
