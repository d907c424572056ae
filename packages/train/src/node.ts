import { Worker } from 'node:worker_threads';
import type { WorkerEndpoint, WorkerTransport } from './parallel-protocol.js';
import { embeddedWorkerSource } from './worker-source.js';

/** Options of `nodeWorkers`. */
export interface NodeWorkersOptions {
  /**
   * The worker script's text (a classic script defining the global `nnkitTrainWorker`).
   * Default: the one embedded in this package at build time.
   */
  readonly source?: string;
}

// Node runs `eval` worker code as a CommonJS script: `require` is there, `import` is not.
const nodePortTrailer = `
;(() => {
  const { parentPort } = require('node:worker_threads');
  nnkitTrainWorker.serveTrainWorker({
    postMessage: (message) => parentPort.postMessage(message),
    onMessage: (listener) => parentPort.on('message', listener),
  });
})();
`;

let developmentSource: Promise<string> | null = null;

async function workerSource(given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  if (embeddedWorkerSource !== undefined) return embeddedWorkerSource;
  // Running from TypeScript sources: bundle them once per process.
  developmentSource ??= import(/* @vite-ignore */ new URL('./worker-bundle.ts', import.meta.url).href).then(
    (module: typeof import('./worker-bundle.js')) => module.bundleWorkerSource(),
  );
  return developmentSource;
}

/**
 * Worker threads of Node for `fit`'s `parallel` option: `fit(model, data, {threads: 2,
 * parallel: nodeWorkers(), kernels})`. The worker script is embedded in this module as text
 * and started with `new Worker(text, {eval: true})`, so no file has to be found next to a
 * bundle. Workers started after `v8.setFlagsFromString('--experimental-wasm-relaxed-simd')`
 * inherit the flag.
 */
export function nodeWorkers(options: NodeWorkersOptions = {}): WorkerTransport {
  let script: string | null = null;
  return {
    name: 'node worker_threads',
    async prepare() {
      script ??= (await workerSource(options.source)) + nodePortTrailer;
    },
    spawn(): WorkerEndpoint {
      if (script === null) throw new Error('nodeWorkers: spawn before prepare');
      const worker = new Worker(script, { eval: true });
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
