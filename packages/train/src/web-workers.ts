import type { WorkerEndpoint, WorkerTransport } from './parallel-protocol.js';

/** The part of a browser `Worker` that `webWorkers` uses. */
export interface WebWorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
  terminate(): void;
}

/**
 * Web Workers for `fit`'s `parallel` option. `create(index)` starts a worker whose module calls
 * `serveTrainWorker(webWorkerPort(self))` from `@nnkit/train/worker`, e.g. with Vite:
 * `webWorkers(() => new Worker(new URL('./replica.ts', import.meta.url), {type: 'module'}))`.
 * SharedArrayBuffer needs a cross-origin isolated page (COOP/COEP headers), and the thread
 * that calls `fit` should itself be a worker, so the page stays responsive.
 */
export function webWorkers(create: (index: number) => WebWorkerLike): WorkerTransport {
  return {
    name: 'web workers',
    spawn(index): WorkerEndpoint {
      const worker = create(index);
      return {
        postMessage: (message) => worker.postMessage(message),
        onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
        onFailure: (listener) => worker.addEventListener('error', (event) => listener(new Error(event.message ?? 'the worker failed'))),
        terminate: () => worker.terminate(),
      };
    },
  };
}
