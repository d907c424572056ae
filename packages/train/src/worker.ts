import type { Dataset } from '@nnkit/datasets';
import { Sequential, type ModelDefinition } from '@nnkit/layers';
import { createRng, jsKernels, sizeOf, zeroGrads, type Kernels } from '@nnkit/tensor';
import { createWasmKernelsSync } from '@nnkit/wasm';
import { rangeOf } from './evaluate.js';
import { Command, Control, resultStride, type InitMessage, type WorkerKernelsSpec, type WorkerPort, type WorkerReply } from './parallel-protocol.js';
import { placeParams } from './place-params.js';
import { Replica, shareDropoutSeed, shareOf, type ShareResult } from './replica.js';

/** Builds the kernels a worker was asked for. */
export function createWorkerKernels(spec: WorkerKernelsSpec): Kernels {
  if (spec.backend === 'js') return jsKernels;
  if (spec.backend === 'wasm') return createWasmKernelsSync(spec.relaxedSimd === undefined ? {} : { relaxedSimd: spec.relaxedSimd });
  throw new TypeError(`worker: unknown kernels backend ${JSON.stringify((spec as { backend: unknown }).backend)}`);
}

/** Views of `buffer` cut in consecutive pieces of `sizes` (allocated once, so a step makes no garbage). */
function views(buffer: Float32Array, sizes: readonly number[]): Float32Array[] {
  let offset = 0;
  return sizes.map((size) => buffer.subarray(offset, (offset += size)));
}

function isInit(message: unknown): message is InitMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'nnkit-train-init';
}

/**
 * The body of a data-parallel worker: waits for the init message, rebuilds the model from its
 * definition with its own kernels, answers 'ready', then serves commands from the shared
 * control block (Atomics.wait; the thread blocks between commands and is meant to be
 * terminated by the main thread after the exit command). Works in Node worker_threads and in
 * Web Workers: the caller adapts the messaging to a `WorkerPort`.
 */
export function serveTrainWorker(port: WorkerPort): void {
  let started = false;
  port.onMessage((message) => {
    if (!isInit(message) || started) return;
    started = true;
    let serve: () => void;
    try {
      serve = prepare(message, port);
    } catch (error) {
      port.postMessage({ type: 'nnkit-train-error', thread: message.thread, message: (error as Error).message } satisfies WorkerReply);
      return;
    }
    serve();
  });
}

function prepare(init: InitMessage, port: WorkerPort): () => void {
  const { thread, threads, control, results } = init;
  const model = new Sequential(init.definition as ModelDefinition, createRng('replica'));
  const kernels = createWorkerKernels(init.kernels);
  placeParams(model.params, kernels);
  const replica = new Replica(model, kernels, init);
  const paramSizes = model.params.map((param) => param.value.data.length);
  const stateSizes = model.state.map((entry) => entry.value.data.length);
  const paramViews = views(init.params, paramSizes);
  const gradViews = views(init.grad, paramSizes);
  const stateViews = views(init.state, stateSizes);
  const stateOutViews = views(init.stateOut, stateSizes);
  const datasets: (Dataset | null)[] = init.datasets.map((shared) => (shared ? { ...shared } : null));
  const identities = new Map<number, Int32Array>();
  const identity = (count: number): Int32Array => {
    let list = identities.get(count);
    if (!list) identities.set(count, (list = rangeOf(count)));
    return list;
  };
  const train = datasets[0]!;
  const augmented: Dataset = { images: init.augmented, labels: new Uint8Array(init.batchSize), count: init.batchSize, imageShape: train.imageShape, name: `${train.name}:augmented` };
  const result: ShareResult = { lossSum: 0, correct: 0 };
  const outputs = { predictions: init.predictions, probabilities: init.probabilities };
  const done = Control.header + thread;
  const status = Control.header + threads + thread;

  const loadModel = (): void => {
    for (let i = 0; i < paramViews.length; i++) model.params[i].value.data.set(paramViews[i]);
    for (let i = 0; i < stateViews.length; i++) model.state[i].value.data.set(stateViews[i]);
  };

  const run = (command: number): void => {
    loadModel();
    if (command === Command.train) {
      const epoch = control[Control.epoch];
      const batch = control[Control.batch];
      const start = control[Control.start];
      const rows = control[Control.rows];
      const { from, to } = shareOf(rows, threads, thread);
      const order = init.indexLists[0];
      const rng = createRng(shareDropoutSeed(init.dropoutSeed, epoch, batch, thread));
      zeroGrads(model.params);
      if (control[Control.source] === 1) replica.train(augmented, identity(init.batchSize), from, to, train, order, start + from, rows, rng, result);
      else replica.train(train, order, start + from, start + to, train, order, start + from, rows, rng, result);
      for (let i = 0; i < gradViews.length; i++) gradViews[i].set(model.params[i].grad.data);
      for (let i = 0; i < stateOutViews.length; i++) stateOutViews[i].set(model.state[i].value.data);
    } else if (command === Command.evaluate) {
      const dataset = datasets[control[Control.start]];
      if (!dataset) throw new RangeError(`worker ${thread}: no dataset ${control[Control.start]}`);
      const count = control[Control.rows];
      const list = control[Control.source];
      const indices = list < 0 ? identity(dataset.count) : init.indexLists[list];
      const { from, to } = shareOf(count, threads, thread);
      replica.evaluate(dataset, indices, from, to, result, control[Control.outputs] === 1 ? outputs : undefined);
    } else {
      throw new RangeError(`worker ${thread}: unknown command ${command}`);
    }
    results[thread * resultStride] = result.lossSum;
    results[thread * resultStride + 1] = result.correct;
  };

  port.postMessage({ type: 'nnkit-train-ready', thread, paramSizes, stateSizes } satisfies WorkerReply);
  return () => {
    let seen = 0;
    for (;;) {
      Atomics.wait(control, Control.generation, seen);
      const generation = Atomics.load(control, Control.generation);
      if (generation === seen) continue;
      seen = generation;
      const command = control[Control.command];
      if (command === Command.exit) return;
      try {
        run(command);
        Atomics.store(control, status, 0);
      } catch (error) {
        // The message goes out before the completion below, so the main thread finds it waiting.
        port.postMessage({ type: 'nnkit-train-error', thread, message: (error as Error).message } satisfies WorkerReply);
        Atomics.store(control, status, 1);
      }
      Atomics.store(control, done, generation);
      Atomics.notify(control, done);
    }
  };
}

/** A `WorkerPort` over a Web Worker's global scope (`self`). */
export function webWorkerPort(scope: {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}): WorkerPort {
  return {
    postMessage: (message) => scope.postMessage(message),
    onMessage: (listener) => scope.addEventListener('message', (event) => listener(event.data)),
  };
}
