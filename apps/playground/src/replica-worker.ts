// One replica thread of data-parallel training: the training worker starts `threads − 1` of
// these through `webWorkers`; each rebuilds the network from its definition, makes its own
// kernels and trains its share of every mini-batch in shared memory.
import { serveTrainWorker, webWorkerPort } from '@nnkit/train/worker';

serveTrainWorker(webWorkerPort(self));
