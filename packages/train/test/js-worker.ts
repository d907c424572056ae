// The worker script of this package's tests: `serveTrainWorker` with the reference kernels,
// the way an app's own worker script builds its backend. Any other description is refused.
import { parentPort } from 'node:worker_threads';
import { jsKernels } from '@nnkit/tensor';
import { nodeWorkerPort } from '../src/parallel/node-workers.js';
import { serveTrainWorker } from '../src/parallel/worker.js';

serveTrainWorker(nodeWorkerPort(parentPort), {
  createKernels(spec) {
    if (spec !== 'js') throw new RangeError(`the test worker builds only the 'js' kernels, not ${JSON.stringify(spec)}`);
    return jsKernels;
  },
});
