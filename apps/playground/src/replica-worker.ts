// One replica thread of data-parallel training: the training worker starts `threads − 1` of
// these through `webWorkers`; each rebuilds the network from its definition, makes its own
// kernels (the backend the training worker chose, by name) and trains its share of every
// mini-batch in shared memory.
import { serveTrainWorker, webWorkerPort } from '@nnkit/train/worker';
import { createReplicaKernels } from './kernels.js';

serveTrainWorker(webWorkerPort(self), { createKernels: createReplicaKernels });
