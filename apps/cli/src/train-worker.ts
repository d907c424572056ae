// One worker thread of `nnkit train --threads n` (and bench, eval): trains its share of every
// mini-batch on a replica of the model, with the kernels the main thread asked for. Bundled by
// tsup as dist/train-worker.js beside dist/cli.js; `trainWorkers` in backend.ts starts it.
import { parentPort } from 'node:worker_threads';
import { nodeWorkerPort } from '@nnkit/train/node';
import { serveTrainWorker } from '@nnkit/train/worker';
import { createWorkerKernels } from './backend.js';

serveTrainWorker(nodeWorkerPort(parentPort), { createKernels: createWorkerKernels });
