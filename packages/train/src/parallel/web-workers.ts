import type { WorkerEndpoint, WorkerTransport } from './protocol.js';

/** The part of a browser `Worker` that `webWorkers` uses. */
export interface WebWorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
  terminate(): void;
}

/**
 * Web Workers for `fit`'s `parallel` option. `create(index)` starts the app's worker module,
 * which calls `serveTrainWorker(webWorkerPort(self), {createKernels})` from
 * `@nnkit/train/worker`, e.g. with Vite:
 * `webWorkers(() => new Worker(new URL('./replica.ts', import.meta.url), {type: 'module'}))`.
 * `options.kernels` is what each worker's `createKernels` receives (see `WorkerTransport.kernels`).
 * SharedArrayBuffer needs a cross-origin isolated page (COOP/COEP headers), and the thread
 * that calls `fit` should itself be a worker, so the page stays responsive.
 */
export function webWorkers(create: (index: number) => WebWorkerLike, options: { readonly kernels?: unknown } = {}): WorkerTransport {
  return {
    name: 'web workers',
    ...(options.kernels === undefined ? {} : { kernels: options.kernels }),
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
