import { Worker, type MessagePort } from 'node:worker_threads';
import type { WorkerEndpoint, WorkerPort, WorkerTransport } from './protocol.js';

/** Options of `nodeWorkers`. */
export interface NodeWorkersOptions {
  /**
   * The app's worker script (a JavaScript module or script Node can run), which calls
   * `serveTrainWorker(nodeWorkerPort(parentPort), {createKernels})`. E.g.
   * `new URL('./train-worker.js', import.meta.url)` next to the app's bundle.
   */
  readonly workerUrl: URL | string;
  /** What each worker's `createKernels` receives (see `WorkerTransport.kernels`). */
  readonly kernels?: unknown;
}

/**
 * Worker threads of Node for `fit`'s `parallel` option: `fit(model, data, {threads: 2,
 * parallel: nodeWorkers({workerUrl}), kernels})`. Each thread runs the app's worker script.
 * Workers started after `v8.setFlagsFromString('--experimental-wasm-relaxed-simd')` inherit
 * the flag.
 */
export function nodeWorkers(options: NodeWorkersOptions): WorkerTransport {
  if (options?.workerUrl === undefined) throw new TypeError('nodeWorkers: give options.workerUrl, the app script that calls serveTrainWorker');
  const workerUrl = options.workerUrl;
  return {
    name: 'node worker_threads',
    ...(options.kernels === undefined ? {} : { kernels: options.kernels }),
    spawn(): WorkerEndpoint {
      const worker = new Worker(workerUrl);
      let terminating = false;
      return {
        postMessage: (message) => worker.postMessage(message),
        onMessage: (listener) => void worker.on('message', listener),
        onFailure(listener) {
          worker.on('error', (error) => listener(error instanceof Error ? error : new Error(String(error))));
          worker.on('exit', (code) => {
            if (!terminating) listener(new Error(`the thread exited with code ${code}`));
          });
        },
        terminate() {
          terminating = true;
          return worker.terminate();
        },
      };
    },
  };
}

/** A `WorkerPort` over Node's `parentPort` (`import { parentPort } from 'node:worker_threads'`), for the app's worker script. */
export function nodeWorkerPort(parentPort: MessagePort | null): WorkerPort {
  if (parentPort === null) throw new Error('nodeWorkerPort: not running in a worker thread (parentPort is null)');
  return {
    postMessage: (message) => parentPort.postMessage(message),
    onMessage: (listener) => void parentPort.on('message', listener),
  };
}
