export { type NodeWorkersOptions, nodeWorkers, nodeWorkerPort } from './parallel/node-workers.js';
